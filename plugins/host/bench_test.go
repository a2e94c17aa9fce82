package host

import (
	"context"
	"encoding/json"
	"fmt"
	"os/exec"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/rcolpipe/rcolpipe/redcap"
)

// The bars in shared/plugins.md are ratios, so each benchmark times both
// sides in the same loop and reports the ratio as a metric:
//
//	go test -bench . -run '^$' ./plugins/

func benchOpts() Options {
	return Options{Log: zerolog.Nop(), LogLevel: "warn"}
}

func startEcho(b *testing.B, n int) *Host {
	b.Helper()
	specs := make([]Spec, n)
	for i := range specs {
		specs[i] = Spec{Stage: fmt.Sprintf("s%d", i), Plugin: testPlugin("echo")}
	}
	h, err := Start(context.Background(), specs, benchOpts())
	if err != nil {
		b.Fatal(err)
	}
	return h
}

// BenchmarkColdStart: exec → handshake → Info of one plugin, against exec
// of an empty Go binary built the same way (bar: ≤ 8×).
func BenchmarkColdStart(b *testing.B) {
	var execTotal, startTotal time.Duration
	for b.Loop() {
		t0 := time.Now()
		if err := exec.Command(testPlugin("empty")).Run(); err != nil {
			b.Fatal(err)
		}
		t1 := time.Now()
		h := startEcho(b, 1)
		t2 := time.Now()
		h.Close()
		execTotal += t1.Sub(t0)
		startTotal += t2.Sub(t1)
	}
	n := float64(b.N)
	b.ReportMetric(float64(execTotal.Microseconds())/n/1000, "exec-ms")
	b.ReportMetric(float64(startTotal.Microseconds())/n/1000, "start-ms")
	b.ReportMetric(float64(startTotal)/float64(execTotal), "start/exec")
}

// BenchmarkStart5: five stages started concurrently, against one cold
// start (bar: ≤ 4×).
func BenchmarkStart5(b *testing.B) {
	var one, five time.Duration
	for b.Loop() {
		t0 := time.Now()
		h := startEcho(b, 1)
		t1 := time.Now()
		h.Close()
		t2 := time.Now()
		h = startEcho(b, 5)
		t3 := time.Now()
		h.Close()
		one += t1.Sub(t0)
		five += t3.Sub(t2)
	}
	n := float64(b.N)
	b.ReportMetric(float64(one.Microseconds())/n/1000, "start1-ms")
	b.ReportMetric(float64(five.Microseconds())/n/1000, "start5-ms")
	b.ReportMetric(float64(five)/float64(one), "start5/start1")
}

// BenchmarkIdentity10k: a 10,000-row identity stage (the whole round trip:
// encode, send, decode in the plugin, encode, send back, decode, checks),
// against one JSON encode+decode of the same rows (bar: ≤ 0.5×).
func BenchmarkIdentity10k(b *testing.B) {
	d := bigDict(10000)
	h := startEcho(b, 1)
	defer h.Close()
	var stage, js time.Duration
	for b.Loop() {
		t0 := time.Now()
		out, _, err := h.Transform(context.Background(), "s0", d)
		if err != nil {
			b.Fatal(err)
		}
		t1 := time.Now()
		data, err := json.Marshal(d.Fields)
		if err != nil {
			b.Fatal(err)
		}
		var back []redcap.Field
		if err := json.Unmarshal(data, &back); err != nil {
			b.Fatal(err)
		}
		t2 := time.Now()
		if out.Len() != len(back) {
			b.Fatal("row counts differ")
		}
		stage += t1.Sub(t0)
		js += t2.Sub(t1)
	}
	n := float64(b.N)
	b.ReportMetric(float64(stage.Microseconds())/n/1000, "stage-ms")
	b.ReportMetric(float64(js.Microseconds())/n/1000, "json-ms")
	b.ReportMetric(float64(stage)/float64(js), "stage/json")
}
