// Package sdktest runs a Transformer through the real gRPC path, in
// process: the request is built, size-checked and encoded as the host does,
// served by the SDK's server (panic recovery included) over an in-memory
// connection with the protocol's message limits, and the answer is read
// back with the host's checks (diagnostics mapped to stage, file and line).
//
//	func TestMyPlugin(t *testing.T) {
//		out, diags := sdktest.Run(t, myTransformer{}, dict, `{"tag":"@HIDDEN"}`)
//		...
//	}
package sdktest

import (
	"context"
	"net"
	"testing"

	"github.com/hashicorp/go-hclog"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/test/bufconn"

	"github.com/rcolpipe/rcolpipe/plugins/internal/wire"
	"github.com/rcolpipe/rcolpipe/plugins/proto/rcolpipe/v1"
	"github.com/rcolpipe/rcolpipe/plugins/sdk"
	"github.com/rcolpipe/rcolpipe/redcap"
)

// Stage is the stage name the harness sends.
const Stage = "test"

// Harness is a transformer served over gRPC in memory.
type Harness struct {
	client rcolpipev1.TransformerClient
	// Version is sent as rcolpipe's version ("test" by default).
	Version string
}

// New serves t until the test ends. Logs go to the test log.
func New(tb testing.TB, t sdk.Transformer) *Harness {
	tb.Helper()
	lis := bufconn.Listen(1 << 20)
	srv := grpc.NewServer(wire.ServerOptions()...)
	log := hclog.New(&hclog.LoggerOptions{Output: testWriter{tb}, Level: hclog.Debug})
	rcolpipev1.RegisterTransformerServer(srv, sdk.NewServer(t, log))
	go func() { _ = srv.Serve(lis) }()
	opts := append([]grpc.DialOption{
		grpc.WithContextDialer(func(ctx context.Context, _ string) (net.Conn, error) { return lis.DialContext(ctx) }),
		grpc.WithTransportCredentials(insecure.NewCredentials()),
	}, wire.DialOptions()...)
	conn, err := grpc.NewClient("passthrough:///sdktest", opts...)
	if err != nil {
		tb.Fatalf("sdktest: dial: %v", err)
	}
	tb.Cleanup(func() {
		_ = conn.Close()
		srv.Stop()
	})
	return &Harness{client: rcolpipev1.NewTransformerClient(conn), Version: "test"}
}

// Info is what the transformer says about itself, as the host sees it.
type Info struct {
	sdk.Info
	ProtocolVersion int
	SDKVersion      string
}

// Info calls the transformer's Info over gRPC.
func (h *Harness) Info(ctx context.Context) (Info, error) {
	r, err := h.client.Info(ctx, &rcolpipev1.InfoRequest{RcolpipeVersion: h.Version})
	if err != nil {
		return Info{}, err
	}
	return Info{
		Info: sdk.Info{Name: r.GetName(), Version: r.GetVersion(), Description: r.GetDescription(),
			Capabilities: r.GetCapabilities(), ConfigSchema: r.GetConfigSchema()},
		ProtocolVersion: int(r.GetProtocolVersion()),
		SDKVersion:      r.GetSdkVersion(),
	}, nil
}

// Transform sends d with config (JSON; "" for none) and reads the answer
// as the host would. The error is the gRPC error of a broken plugin (a
// recovered panic's message starts with "panic: ") or the host's refusal
// of an unusable answer.
func (h *Harness) Transform(ctx context.Context, d *redcap.Dictionary, config string) (*redcap.Dictionary, redcap.Diagnostics, error) {
	var cfg []byte
	if config != "" {
		cfg = []byte(config)
	}
	req := wire.RequestFromDictionary(d, cfg, Stage, h.Version)
	if err := wire.CheckSize(req, "the request"); err != nil {
		return nil, nil, err
	}
	resp, err := h.client.Transform(ctx, req)
	if err != nil {
		return nil, nil, err
	}
	return wire.ReadResponse(resp, d, Stage)
}

// Run serves t, sends d with config and fails the test on any error.
func Run(tb testing.TB, t sdk.Transformer, d *redcap.Dictionary, config string) (*redcap.Dictionary, redcap.Diagnostics) {
	tb.Helper()
	out, diags, err := New(tb, t).Transform(context.Background(), d, config)
	if err != nil {
		tb.Fatalf("sdktest: transform: %v", err)
	}
	return out, diags
}

// testWriter sends the plugin's log lines to the test log.
type testWriter struct{ tb testing.TB }

func (w testWriter) Write(p []byte) (int, error) {
	w.tb.Log(string(p))
	return len(p), nil
}
