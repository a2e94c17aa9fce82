package sdk

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/go-plugin"
	"google.golang.org/grpc"

	"github.com/rcolpipe/rcolpipe/plugins/internal/wire"
)

// serveDebug runs the plugin on its own, e.g. under a debugger
// (RCOLPIPE_PLUGIN_DEBUG=1 dlv exec ./my-plugin), and prints the line that
// makes rcolpipe attach to it instead of starting it:
//
//	RCOLPIPE_PLUGIN_REATTACH='{"my-plugin":{"protocol":"grpc",...}}'
//
// It serves until Ctrl-C.
func serveDebug(t Transformer) int {
	log := hclog.New(&hclog.LoggerOptions{
		Level:  levelFromEnv(os.Getenv(wire.EnvLogLevel)),
		Output: os.Stderr,
	})
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	reattach := make(chan *plugin.ReattachConfig, 1)
	closed := make(chan struct{})
	go plugin.Serve(&plugin.ServeConfig{
		HandshakeConfig: wire.Handshake,
		VersionedPlugins: map[int]plugin.PluginSet{
			wire.ProtocolVersion: {wire.PluginName: &wire.GRPCPlugin{Impl: NewServer(t, log)}},
		},
		GRPCServer: func(opts []grpc.ServerOption) *grpc.Server {
			return grpc.NewServer(append(opts, wire.ServerOptions()...)...)
		},
		Logger: log.Named("go-plugin"),
		Test:   &plugin.ServeTestConfig{Context: ctx, ReattachConfigCh: reattach, CloseCh: closed},
	})
	var rc *plugin.ReattachConfig
	select {
	case rc = <-reattach:
	case <-closed:
		fmt.Fprintln(os.Stderr, "plugin server stopped before it listened")
		return 1
	}
	line, err := json.Marshal(map[string]wire.Reattach{t.Info().Name: {
		Protocol:        string(rc.Protocol),
		ProtocolVersion: rc.ProtocolVersion,
		Network:         rc.Addr.Network(),
		Addr:            rc.Addr.String(),
		Pid:             rc.Pid,
	}})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	fmt.Fprintf(os.Stdout, "%s='%s'\n", wire.EnvReattach, line)
	fmt.Fprintln(os.Stderr, "Serving for a debugger; set the line above in rcolpipe's environment. Ctrl-C stops.")
	<-closed
	return 0
}
