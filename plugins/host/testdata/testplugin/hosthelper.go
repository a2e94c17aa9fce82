// hosthelper runs one plugin stage through the host API the way
// the CLI does (one root context cancelled on SIGINT/SIGTERM, Close on the
// way out). The signal test kills it in the middle of a stage.
//
//	hosthelper PLUGIN
package main

import (
	"context"
	"fmt"
	"os"

	"github.com/rs/zerolog"

	"github.com/rcolpipe/rcolpipe/plugins/host"
	"github.com/rcolpipe/rcolpipe/redcap"
)

func hostHelper() int {
	ctx, stop := host.WithSignals(context.Background())
	defer stop()
	log := zerolog.New(os.Stderr).Level(zerolog.InfoLevel)
	h, err := host.Start(ctx, []host.Spec{{Stage: "stuck", Plugin: os.Args[1]}}, host.Options{Log: log})
	if err != nil {
		fmt.Fprintln(os.Stderr, "hosthelper:", err)
		return 1
	}
	defer h.Close()
	fmt.Printf("socketdir=%s\n", h.SocketDir())
	d := &redcap.Dictionary{Fields: []redcap.Field{{FieldName: "record_id", FormName: "f", FieldType: "text"}}}
	_, _, err = h.Transform(ctx, "stuck", d)
	fmt.Fprintln(os.Stderr, "hosthelper:", err)
	return 1
}
