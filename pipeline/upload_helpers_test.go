package pipeline

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"os"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/rcolpipe/rcolpipe/plugins/bundled"
	"github.com/rcolpipe/rcolpipe/plugins/host"
	"github.com/rcolpipe/rcolpipe/plugins/sdk"
	"github.com/rcolpipe/rcolpipe/redcap/api"
	"github.com/rcolpipe/rcolpipe/redcap/sandbox"
)

// TestMain lets this package's test binary serve the bundled plugins the
// way the rcolpipe binary does (`__plugin NAME`, see
// cmd/rcolpipe/plugin_serve.go). A test can then resolve a bundled stage to
// its own executable and run it through the real host (its own process,
// go-plugin handshake, gRPC) without building rcolpipe first, which would
// cost seconds per `go test`.
func TestMain(m *testing.M) {
	if len(os.Args) == 3 && os.Args[1] == host.ServeCommand {
		t, ok := bundled.Transformers()[os.Args[2]]
		if !ok {
			fmt.Fprintf(os.Stderr, "%s: no bundled plugin %q (bundled: %v)\n", host.ServeCommand, os.Args[2], bundled.Names())
			os.Exit(2)
		}
		sdk.Serve(t) // exits the process
	}
	os.Exit(m.Run())
}

// startBundledStage starts the bundled plugin as stage name with config,
// served by this test binary, and stops it when the test ends.
func startBundledStage(tb testing.TB, name, plugin, config string) (*host.Host, Stage) {
	tb.Helper()
	self, err := os.Executable()
	if err != nil {
		tb.Fatalf("find the test binary: %v", err)
	}
	host, stages, err := StartPlugins(context.Background(),
		[]StageConfig{{Name: name, Plugin: plugin, Config: json.RawMessage(config)}},
		host.Options{Bundled: bundled.Names(), SelfExe: self, Log: zerolog.Nop(), Version: "test"})
	if err != nil {
		tb.Fatalf("start stage %s: %v", name, err)
	}
	tb.Cleanup(host.Close)
	return host, stages[0]
}

// demoClient starts a fresh demo sandbox behind httptest and returns a
// client with the token of the demo user that has every right. Unlike
// sandboxClient it takes a testing.TB, so benchmarks can use it, and it
// allows the longer calls of large dictionaries.
func demoClient(tb testing.TB) *api.Client {
	tb.Helper()
	state, tokens := sandbox.Demo()
	hs := httptest.NewServer(sandbox.New(state))
	tb.Cleanup(hs.Close)
	var secret string
	for _, tk := range tokens {
		if tk.Name == sandbox.DemoFull {
			secret = tk.Token
		}
	}
	tok, err := api.NewToken(secret, "test", "")
	if err != nil {
		tb.Fatalf("demo token: %v", err)
	}
	c, err := api.New(hs.URL+"/api/", tok, api.WithRetries(1), api.WithTimeout(2*time.Minute))
	if err != nil {
		tb.Fatalf("client: %v", err)
	}
	return c
}
