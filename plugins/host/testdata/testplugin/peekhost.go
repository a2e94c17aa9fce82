// peekhost runs one stage of PLUGIN through the host API and prints each
// diagnostic's message on stdout, one a line.
//
//	peekhost PLUGIN
package main

import (
	"context"
	"fmt"
	"os"

	"github.com/rs/zerolog"

	"github.com/rcolpipe/rcolpipe/plugins/host"
	"github.com/rcolpipe/rcolpipe/redcap"
)

func peekHost() int {
	log := zerolog.New(os.Stderr).Level(zerolog.WarnLevel)
	h, err := host.Start(context.Background(), []host.Spec{{Stage: "peek", Plugin: os.Args[1], Config: []byte("{}")}}, host.Options{Log: log})
	if err != nil {
		fmt.Fprintln(os.Stderr, "peekhost:", err)
		return 1
	}
	defer h.Close()
	d := &redcap.Dictionary{Fields: []redcap.Field{{FieldName: "record_id", FormName: "f", FieldType: "text"}}}
	_, diags, err := h.Transform(context.Background(), "peek", d)
	if err != nil {
		fmt.Fprintln(os.Stderr, "peekhost:", err)
		return 1
	}
	for _, dg := range diags {
		fmt.Println(dg.Message)
	}
	return 0
}
