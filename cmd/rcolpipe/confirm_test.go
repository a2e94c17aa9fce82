package main

import (
	"bytes"
	"strings"
	"testing"

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
		var out bytes.Buffer
		e := &env{stdin: strings.NewReader(tc.input), stdout: &out, stdinIsTerminal: true}
		got, err := confirmer(e)(diff)
		if err != nil {
			t.Fatalf("%q: %v", tc.input, err)
		}
		if got != tc.want {
			t.Errorf("answer %q: confirmed %v, want %v", tc.input, got, tc.want)
		}
		if !strings.Contains(out.String(), "[y/N]") || !strings.Contains(out.String(), "sleep") {
			t.Errorf("answer %q: prompt %q does not show the diff and [y/N]", tc.input, out.String())
		}
	}

	e := &env{stdin: strings.NewReader("y\n"), stdout: &bytes.Buffer{}, stdinIsTerminal: false}
	if ok, err := confirmer(e)(diff); ok || err == nil || !strings.Contains(err.Error(), "--yes") {
		t.Errorf("no terminal: confirmed %v, err %v; want a refusal naming --yes", ok, err)
	}
}
