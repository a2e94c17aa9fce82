package upload

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/rcolpipe/rcolpipe/redcap/api"
	"github.com/rcolpipe/rcolpipe/redcap/sandbox"
)

// The upload's critical path is at most 4 sequential round trips: the
// baseline (preflight, export, log read at once), the re-check, the
// import, and the verify (export and log read at once). Depth is measured
// by order of requests, not by time.
func TestUploadRoundTrips(t *testing.T) {
	for _, username := range []string{"", "alice"} {
		_, client := clockedSandbox(t)
		dt := &depthTransport{next: http.DefaultTransport, hold: 50 * time.Millisecond}
		c := client(sandbox.DemoFull, api.WithHTTPClient(&http.Client{Transport: dt}))
		rep, err := Upload(context.Background(), c, sleepForm(), Options{BackupDir: t.TempDir(), Username: username})
		if err != nil || !rep.Verified {
			t.Fatalf("upload: %v", err)
		}
		n, depth := dt.counts()
		if depth > 4 {
			t.Errorf("username %q: %d sequential round trips (%d requests: %v), want at most 4", username, depth, n, dt.requests)
		}
		t.Logf("username %q: %d requests, %d sequential", username, n, depth)
	}
}

// BenchmarkUploadLatency uploads against a sandbox whose every request
// takes 20 ms (its latency fault): "concurrent" is Upload, "sequential"
// sends the same requests one after another, the shape of the upload
// before the baseline was read at once. The metrics are requests and
// sequential round trips per upload.
//
//	go test -run '^$' -bench UploadLatency ./upload/
func BenchmarkUploadLatency(b *testing.B) {
	ctx := context.Background()
	latency := sandbox.Fault{Kind: sandbox.FaultLatency, Latency: sandbox.Duration{Duration: 20 * time.Millisecond}}
	b.Run("concurrent", func(b *testing.B) {
		var n, depth int
		for i := 0; i < b.N; i++ {
			b.StopTimer()
			dt := &depthTransport{next: http.DefaultTransport}
			c := latencyClient(b, latency, dt)
			b.StartTimer()
			if _, err := Upload(ctx, c, sleepForm(), Options{BackupDir: b.TempDir()}); err != nil {
				b.Fatal(err)
			}
			n, depth = dt.counts()
		}
		b.ReportMetric(float64(n), "requests/op")
		b.ReportMetric(float64(depth), "roundtrips/op")
	})
	b.Run("sequential", func(b *testing.B) {
		var n, depth int
		for i := 0; i < b.N; i++ {
			b.StopTimer()
			dt := &depthTransport{next: http.DefaultTransport}
			c := latencyClient(b, latency, dt)
			b.StartTimer()
			// The same requests, each after the one before.
			for _, call := range []func() error{
				func() error { _, err := c.Version(ctx); return err },
				func() error { _, err := c.ProjectInfo(ctx); return err },
				func() error { _, err := c.RepeatingFormsEvents(ctx); return err },
				func() error { _, err := c.ExportMetadata(ctx); return err },
				func() error { _, err := c.ExportLog(ctx, api.LogOptions{Type: "manage"}); return err },
				func() error { _, err := c.ExportMetadata(ctx); return err },
				func() error { _, err := c.ImportMetadata(ctx, sleepForm()); return err },
				func() error { _, err := c.ExportMetadata(ctx); return err },
				func() error { _, err := c.ExportLog(ctx, api.LogOptions{Type: "manage"}); return err },
			} {
				if err := call(); err != nil {
					b.Fatal(err)
				}
			}
			n, depth = dt.counts()
		}
		b.ReportMetric(float64(n), "requests/op")
		b.ReportMetric(float64(depth), "roundtrips/op")
	})
}

// latencyClient starts a demo sandbox with fault f and returns a client
// of its full user that sends through rt.
func latencyClient(tb testing.TB, f sandbox.Fault, rt http.RoundTripper) *api.Client {
	tb.Helper()
	state, tokens := sandbox.Demo()
	srv := sandbox.New(state, sandbox.WithFaults(f))
	hs := httptest.NewServer(srv)
	tb.Cleanup(hs.Close)
	tok, err := api.NewToken(tokens[0].Token, "test", "")
	if err != nil {
		tb.Fatal(err)
	}
	c, err := api.New(hs.URL+"/api/", tok, api.WithRetries(1), api.WithHTTPClient(&http.Client{Transport: rt}))
	if err != nil {
		tb.Fatal(err)
	}
	return c
}
