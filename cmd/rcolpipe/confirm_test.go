package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/rcolpipe/rcolpipe/output"
	"github.com/rcolpipe/rcolpipe/redcap"
)

// TestConfirmerDefaultsToNo: at the prompt only y or yes (any case) is a
// yes; Enter, end of input and anything else are No. Without a terminal
// nobody has seen the diff, so it refuses without reading.
func TestConfirmerDefaultsToNo(t *testing.T) {
	diff := redcap.Diff{FormsAdded: []string{"sleep"}}
	for _, tc := range []struct {
		input string
		want  bool
	}{
		{"\n", false},
		{"", false}, // end of input (Ctrl-D)
		{"n\n", false},
		{"no\n", false},
		{"sure\n", false},
		{"yy\n", false},
		{"y\n", true},
		{" Y \n", true},
		{"yes\n", true},
		{"YES", true},
	} {
		var stdout, stderr bytes.Buffer
		e := &env{stdin: strings.NewReader(tc.input), stdout: &stdout, stderr: &stderr, stdinIsTerminal: true}
		got, err := confirmer(e)(context.Background(), diff)
		if err != nil {
			t.Fatalf("%q: %v", tc.input, err)
		}
		if got != tc.want {
			t.Errorf("answer %q: confirmed %v, want %v", tc.input, got, tc.want)
		}
		if !strings.Contains(stderr.String(), "[y/N]") || !strings.Contains(stderr.String(), "sleep") {
			t.Errorf("answer %q: prompt %q does not show the diff and [y/N]", tc.input, stderr.String())
		}
	}

	e := &env{stdin: strings.NewReader("y\n"), stdout: &bytes.Buffer{}, stderr: &bytes.Buffer{}, stdinIsTerminal: false}
	if ok, err := confirmer(e)(context.Background(), diff); ok || err == nil || !strings.Contains(err.Error(), "--yes") {
		t.Errorf("no terminal: confirmed %v, err %v; want a refusal naming --yes", ok, err)
	}
}

type nopCloser struct{ io.Writer }

func (nopCloser) Close() error { return nil }

// TestPromptNeverOnStdout: the question, with the critical changes and
// their record counts, goes to the terminal (/dev/tty) when it opens,
// else to stderr; stdout (perhaps > log.txt) never gets it.
func TestPromptNeverOnStdout(t *testing.T) {
	three := 3
	diff := redcap.Diff{Critical: []redcap.CriticalChange{{Kind: redcap.CriticalRenamed, Field: "a", Form: "f", Old: "a", New: "b", Records: &three}}}
	var stdout, stderr, tty bytes.Buffer
	e := &env{stdin: strings.NewReader("n\n"), stdout: &stdout, stderr: &stderr, stdinIsTerminal: true,
		openTTY: func() (io.WriteCloser, error) { return nopCloser{&tty}, nil }}
	if _, err := confirmer(e)(context.Background(), diff); err != nil {
		t.Fatal(err)
	}
	if stdout.Len() > 0 || stderr.Len() > 0 {
		t.Errorf("with a terminal, the prompt went to stdout %q / stderr %q", stdout.String(), stderr.String())
	}
	for _, want := range []string{"[y/N]", "renamed to b", "[3 records hold affected data]"} {
		if !strings.Contains(tty.String(), want) {
			t.Errorf("terminal lacks %q: %q", want, tty.String())
		}
	}

	stderr.Reset()
	e.stdin = strings.NewReader("n\n")
	e.openTTY = func() (io.WriteCloser, error) { return nil, errors.New("no /dev/tty") }
	if _, err := confirmer(e)(context.Background(), diff); err != nil {
		t.Fatal(err)
	}
	if stdout.Len() > 0 || !strings.Contains(stderr.String(), "[y/N]") {
		t.Errorf("without /dev/tty: stdout %q, stderr %q; want the prompt on stderr only", stdout.String(), stderr.String())
	}
}

// TestConfirmerInterrupted: when the context ends at the prompt (Ctrl-C:
// host.WithSignals), the answer is ErrInterrupted at once, without waiting
// for a line that never comes.
func TestConfirmerInterrupted(t *testing.T) {
	stdin, w := io.Pipe()
	defer w.Close()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	e := &env{stdin: stdin, stdout: &bytes.Buffer{}, stderr: &bytes.Buffer{}, stdinIsTerminal: true}
	ok, err := confirmer(e)(ctx, redcap.Diff{FormsAdded: []string{"sleep"}})
	if ok || !errors.Is(err, output.ErrInterrupted) {
		t.Fatalf("confirmed %v, err %v; want ErrInterrupted", ok, err)
	}
}
