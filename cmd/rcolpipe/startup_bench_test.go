//go:build unix

package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// BenchmarkStartup measures `rcolpipe --version` against an empty Go
// program, both built here and each run b.N times in turn, so that both
// see the same machine load. It reports the ratios as custom metrics
// (wall-ratio, cpu-ratio: rcolpipe's time over the empty program's); the
// target is at most 2. It also runs testdata/jsonschemaonly, a program that
// only links santhosh-tekuri/jsonschema/v6 (whose init compiles the
// meta-schemas of every draft), and reports its ratio (jsonschema-ratio):
// the floor rcolpipe cannot go below while it links the library. Nothing
// asserts a time.
//
//	go test ./cmd/rcolpipe -run '^$' -bench Startup -benchtime 50x
func BenchmarkStartup(b *testing.B) {
	dir := b.TempDir()
	rcolpipe := filepath.Join(dir, "rcolpipe")
	build := exec.Command("go", "build", "-o", rcolpipe, ".")
	if out, err := build.CombinedOutput(); err != nil {
		b.Fatalf("build rcolpipe: %v\n%s", err, out)
	}
	emptyDir := filepath.Join(dir, "empty")
	if err := os.MkdirAll(emptyDir, 0o755); err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(emptyDir, "go.mod"), []byte("module empty\n"), 0o644); err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(emptyDir, "main.go"), []byte("package main\n\nfunc main() {}\n"), 0o644); err != nil {
		b.Fatal(err)
	}
	empty := filepath.Join(dir, "empty-program")
	build = exec.Command("go", "build", "-o", empty, ".")
	build.Dir = emptyDir
	if out, err := build.CombinedOutput(); err != nil {
		b.Fatalf("build the empty program: %v\n%s", err, out)
	}

	floor := filepath.Join(dir, "jsonschemaonly")
	build = exec.Command("go", "build", "-o", floor, "./testdata/jsonschemaonly")
	if out, err := build.CombinedOutput(); err != nil {
		b.Fatalf("build testdata/jsonschemaonly: %v\n%s", err, out)
	}

	// run execs the program once and returns its wall and CPU time.
	run := func(path string, args ...string) (wall, cpu time.Duration) {
		cmd := exec.Command(path, args...)
		start := time.Now()
		if out, err := cmd.CombinedOutput(); err != nil {
			b.Fatalf("%s %v: %v\n%s", path, args, err, out)
		}
		wall = time.Since(start)
		return wall, cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	}
	run(rcolpipe, "--version") // page both in before measuring
	run(empty)
	run(floor)
	var rcWall, rcCPU, emWall, emCPU, flWall time.Duration
	b.ResetTimer()
	for b.Loop() {
		w, c := run(rcolpipe, "--version")
		rcWall, rcCPU = rcWall+w, rcCPU+c
		w, c = run(empty)
		emWall, emCPU = emWall+w, emCPU+c
		w, _ = run(floor)
		flWall += w
	}
	n := float64(b.N)
	b.ReportMetric(float64(rcWall)/n, "rcolpipe-ns/exec")
	b.ReportMetric(float64(emWall)/n, "empty-ns/exec")
	b.ReportMetric(float64(rcWall)/float64(emWall), "wall-ratio")
	b.ReportMetric(float64(rcCPU)/float64(max(emCPU, 1)), "cpu-ratio")
	b.ReportMetric(float64(flWall)/float64(emWall), "jsonschema-ratio")
}
