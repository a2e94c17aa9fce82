package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rcolpipe/rcolpipe/internal/benchdict"
	"github.com/rcolpipe/rcolpipe/internal/progress"
)

// TestValidateProgressLine: validate of a dictionary with ManyFields
// fields shows one updating progress line on stderr when stderr is a
// terminal and the report is text, and clears it before exiting; with
// stderr not a terminal, or a machine format, stderr gets none.
func TestValidateProgressLine(t *testing.T) {
	data, _ := benchdict.Generated(t, progress.ManyFields)
	in := filepath.Join(t.TempDir(), "big.json")
	if err := os.WriteFile(in, data, 0o644); err != nil {
		t.Fatal(err)
	}
	validate := func(stderrIsTerminal bool, args ...string) string {
		var stdout, stderr bytes.Buffer
		e := &env{stdin: strings.NewReader(""), stdout: &stdout, stderr: &stderr,
			getenv: func(string) string { return "" }, stderrIsTerminal: stderrIsTerminal}
		run(append([]string{"rcolpipe", "validate"}, append(args, in)...), e)
		return stderr.String()
	}

	got := validate(true)
	if !strings.Contains(got, "\r\x1b[Krcolpipe: checking 20,000 fields (") {
		t.Errorf("stderr a terminal, text report: no progress line in %q", got)
	}
	if !strings.HasSuffix(got, "\r\x1b[K") || strings.Contains(got, "\n") {
		t.Errorf("the progress line must be one updating line, cleared at the end: %q", got)
	}
	if got := validate(false); strings.Contains(got, "rcolpipe: checking") {
		t.Errorf("stderr not a terminal: progress written: %q", got)
	}
	for _, format := range []string{"json", "sarif"} {
		if got := validate(true, "--format", format); strings.Contains(got, "rcolpipe: checking") {
			t.Errorf("--format %s: progress written: %q", format, got)
		}
	}
}

// TestStagesProgressLine: transform, upload and run share runStages, whose
// findings go to stderr whatever --format is; a long run shows its progress
// there when stderr is a terminal, and nothing when it is not.
func TestStagesProgressLine(t *testing.T) {
	data, _ := benchdict.Generated(t, progress.ManyFields)
	dir := t.TempDir()
	in := filepath.Join(dir, "big.json")
	if err := os.WriteFile(in, data, 0o644); err != nil {
		t.Fatal(err)
	}
	transform := func(stderrIsTerminal bool) string {
		var stdout, stderr bytes.Buffer
		e := &env{stdin: strings.NewReader(""), stdout: &stdout, stderr: &stderr,
			getenv: func(string) string { return "" }, stderrIsTerminal: stderrIsTerminal}
		if code := run([]string{"rcolpipe", "transform", "-o", filepath.Join(dir, "out.json"), in}, e); code != 0 {
			t.Fatalf("transform exited %d: %s", code, stderr.String())
		}
		return stderr.String()
	}
	if got := transform(true); !strings.Contains(got, "\r\x1b[Krcolpipe: checking 20,000 fields (") {
		t.Errorf("stderr a terminal: no progress line in %q", got)
	}
	if got := transform(false); strings.Contains(got, "rcolpipe: checking") {
		t.Errorf("stderr not a terminal: progress written: %q", got)
	}
}
