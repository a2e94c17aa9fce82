//go:build unix

// Unix only because it uses genDictionary and cpuTime of bench_test.go,
// which are.

package pipeline

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"text/tabwriter"
	"time"

	"github.com/rs/zerolog"

	"github.com/rcolpipe/rcolpipe/plugins/host"
	"github.com/rcolpipe/rcolpipe/redcap"
)

// BenchmarkUploadPath runs the whole upload path on a generated dictionary
// (genDictionary: record_id first, forms of 50 fields, validated text,
// radio/dropdown/checkbox, calc, sliders, matrix groups, branching logic):
// validate → the bundled prefix stage → validate again → Upload (preflight,
// export, backup, merge, diff, import, export and verify) into a fresh
// in-memory sandbox behind httptest, merging into the demo project as
// `rcolpipe upload` does by default.
//
// Reported per step: STEP-ns/op (wall time, from UploadReport.Steps inside
// Upload) and STEP-% (its share of the whole path's wall time). "merge+diff"
// is Upload's time outside its timed steps (merge, diff, side-effect
// warnings). On a shared machine wall time swings with other processes, so
// CPU time is reported too where the benchmark owns the step's boundaries:
// validate, stage (host side plus the plugin process's own CPU, read from
// /proc on Linux), revalidate, and upload as a whole (the sandbox runs in
// this process, so its work is counted). A table of all of it is logged.
//
// The stage is the bundled prefix plugin in its own process (served by the
// test binary, see TestMain) with {"prefix":"f"}: every generated name but
// record_id starts with "f" already and the record ID is never renamed, so
// it is an identity stage that still plans over every row and sends the
// dictionary both ways over gRPC. The plugin is started once, outside the
// timed loop: its start-up (a process and a handshake) is paid once per run,
// not per dictionary, and would swamp the 1,000-row case. Creating the
// sandbox is outside the timed loop too.
func BenchmarkUploadPath(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		b.Run(fmt.Sprintf("rows=%d", n), func(b *testing.B) { benchUploadPath(b, n) })
	}
}

// uploadPathSteps are the steps BenchmarkUploadPath reports, in order.
func uploadPathSteps() []string {
	return []string{"validate", "stage", "revalidate", "preflight", "export", "backup", "merge+diff", "import", "verify"}
}

func benchUploadPath(b *testing.B, n int) {
	ctx := context.Background()
	_, d := loadGenerated(b, n)
	v, err := NewValidator(ValidateOptions{})
	if err != nil {
		b.Fatal(err)
	}
	_, stage := startBundledStage(b, "identity", "prefix", `{"prefix":"f"}`)

	// The stage must really be an identity, or the benchmark measures
	// something else than it says.
	out, _, err := stage.Run(ctx, d.Clone())
	if err != nil {
		b.Fatalf("stage: %v", err)
	}
	if out.Len() != d.Len() {
		b.Fatalf("the identity stage returned %d fields, want %d", out.Len(), d.Len())
	}
	for i := range d.Fields {
		if !d.Fields[i].SameData(&out.Fields[i]) {
			b.Fatalf("the identity stage changed field %d: %+v", i, out.Fields[i])
		}
	}
	_, pluginCPUKnown := childCPU(host.ServeCommand)

	wall := map[string]time.Duration{}
	cpu := map[string]time.Duration{}
	sent := 0
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		c := demoClient(b) // a fresh project, so every import changes it
		dir := b.TempDir()
		b.StartTimer()

		c0, t0 := cpuTime(b), time.Now()
		if ds := v.Validate(d); ds.HasErrors() {
			b.Fatalf("validate: %d errors on the generated dictionary", ds.Count(redcap.SeverityError))
		}
		c1, t1 := cpuTime(b), time.Now()
		p1, _ := childCPU(host.ServeCommand)
		// The Runner gives each stage a copy; so does this.
		out, sd, err := stage.Run(ctx, d.Clone())
		if err != nil || sd.HasErrors() {
			b.Fatalf("stage: %v %v", err, sd)
		}
		p2, _ := childCPU(host.ServeCommand)
		c2, t2 := cpuTime(b), time.Now()
		if ds := v.Validate(out); ds.HasErrors() {
			b.Fatalf("validate after the stage: %d errors", ds.Count(redcap.SeverityError))
		}
		c3, t3 := cpuTime(b), time.Now()
		rep, err := Upload(ctx, c, out, UploadOptions{BackupDir: dir, Log: zerolog.Nop()})
		c4, t4 := cpuTime(b), time.Now()
		if err != nil {
			b.Fatalf("upload: %v", err)
		}
		if !rep.Verified || rep.Imported == 0 {
			b.Fatalf("upload: verified=%v imported=%d", rep.Verified, rep.Imported)
		}

		wall["validate"] += t1.Sub(t0)
		wall["stage"] += t2.Sub(t1)
		wall["revalidate"] += t3.Sub(t2)
		wall["upload"] += t4.Sub(t3)
		cpu["validate"] += c1 - c0
		cpu["stage"] += c2 - c1 + p2 - p1
		cpu["revalidate"] += c3 - c2
		cpu["upload"] += c4 - c3
		inSteps := time.Duration(0)
		for _, s := range rep.Steps {
			wall[s.Step] += s.Took
			inSteps += s.Took
		}
		wall["merge+diff"] += t4.Sub(t3) - inSteps
		sent = rep.Sent.Len()
	}
	b.StopTimer()

	steps := uploadPathSteps()
	for s := range wall {
		if s != "upload" && !slices.Contains(steps, s) {
			b.Fatalf("Upload reports a step %q this benchmark does not know", s)
		}
	}
	var total, cpuTotal time.Duration
	for _, s := range steps {
		total += wall[s]
		cpuTotal += cpu[s]
	}
	cpuTotal += cpu["upload"]
	perOp := func(x time.Duration) float64 { return float64(x) / float64(b.N) }
	share := func(x, of time.Duration) float64 { return 100 * float64(x) / float64(of) }
	for _, s := range steps {
		b.ReportMetric(perOp(wall[s]), s+"-ns/op")
		b.ReportMetric(share(wall[s], total), s+"-%")
	}
	for _, s := range []string{"validate", "stage", "revalidate", "upload"} {
		b.ReportMetric(perOp(cpu[s]), s+"-cpu-ns/op")
	}
	b.ReportMetric(float64(sent), "fields-sent")

	// One column per step, and the wall shares left to the STEP-% metrics,
	// so that the logs of the N=1 probe and of the measured run fit the ten
	// lines go test shows of a benchmark's output.
	var tab bytes.Buffer
	w := tabwriter.NewWriter(&tab, 0, 0, 2, ' ', tabwriter.AlignRight)
	cols := append(append([]string{}, steps[:3]...), "upload")
	cols = append(cols, steps[3:]...)
	fmt.Fprintf(w, "%d rows, N=%d\t%s\ttotal\t\n", n, b.N, strings.Join(cols, "\t"))
	line := func(name string, val func(s string) string, last string) {
		cells := make([]string, len(cols))
		for i, s := range cols {
			cells[i] = val(s)
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t\n", name, strings.Join(cells, "\t"), last)
	}
	hasCPU := func(s string) bool { _, ok := cpu[s]; return ok }
	line("wall ms/op", func(s string) string { return fmt.Sprintf("%.1f", perOp(wall[s])/1e6) }, fmt.Sprintf("%.1f", perOp(total)/1e6))
	line("cpu ms/op", func(s string) string {
		if !hasCPU(s) {
			return "-"
		}
		return fmt.Sprintf("%.1f", perOp(cpu[s])/1e6)
	}, fmt.Sprintf("%.1f", perOp(cpuTotal)/1e6))
	line("cpu share", func(s string) string {
		if !hasCPU(s) {
			return "-"
		}
		return fmt.Sprintf("%.1f%%", share(cpu[s], cpuTotal))
	}, "100%")
	_ = w.Flush()
	if !pluginCPUKnown {
		b.Log("the plugin process's CPU could not be read: stage CPU is the host side only")
	}
	b.Logf("upload path (upload = preflight..verify; %d fields sent after the merge), mean per op:\n%s", sent, strings.TrimRight(tab.String(), "\n"))
}

// childCPU returns the CPU time used so far by this process's children
// whose command line contains arg: the plugin processes, whose work
// getrusage(RUSAGE_SELF) does not count. It reads /proc (Linux), taking
// USER_HZ as 100; ok is false when there is no such child or no /proc.
func childCPU(arg string) (total time.Duration, ok bool) {
	lists, _ := filepath.Glob("/proc/self/task/*/children")
	for _, l := range lists {
		data, err := os.ReadFile(l)
		if err != nil {
			continue
		}
		for _, pid := range strings.Fields(string(data)) {
			cmdline, err := os.ReadFile("/proc/" + pid + "/cmdline")
			if err != nil || !slices.Contains(strings.Split(string(cmdline), "\x00"), arg) {
				continue
			}
			stat, err := os.ReadFile("/proc/" + pid + "/stat")
			if err != nil {
				continue
			}
			// Fields after the command name in parentheses: state is
			// field 3 of stat(5), utime 14 and stime 15.
			rest := string(stat[bytes.LastIndexByte(stat, ')')+1:])
			f := strings.Fields(rest)
			if len(f) < 13 {
				continue
			}
			ut, err1 := strconv.ParseInt(f[11], 10, 64)
			st, err2 := strconv.ParseInt(f[12], 10, 64)
			if err1 != nil || err2 != nil {
				continue
			}
			total += time.Duration(ut+st) * (time.Second / 100)
			ok = true
		}
	}
	return total, ok
}
