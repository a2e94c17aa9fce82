package main

import (
	"bytes"
	"io"
	"os"
	"testing"
)

// TestManPageUpToDate: docs/rcolpipe.1 is what `rcolpipe man` prints from
// the command definitions. Regenerate with:
//
//	go run ./cmd/rcolpipe man > docs/rcolpipe.1
func TestManPageUpToDate(t *testing.T) {
	var out bytes.Buffer
	e := &env{stdout: &out, stderr: io.Discard, getenv: func(string) string { return "" }}
	if code := run([]string{"rcolpipe", "man"}, e); code != 0 {
		t.Fatalf("rcolpipe man: exit %d", code)
	}
	committed, err := os.ReadFile("../../docs/rcolpipe.1")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(out.Bytes(), committed) {
		t.Errorf("docs/rcolpipe.1 is not what `rcolpipe man` prints; regenerate it: go run ./cmd/rcolpipe man > docs/rcolpipe.1")
	}
}
