package pipeline

import (
	"context"
	"testing"

	"github.com/rcolpipe/rcolpipe/redcap"
)

// TestRealCauseFirst: a file that cannot be read as a dictionary (an
// image, broken JSON) gave RC801 "REDCap would delete every field" first
// and the reader's error second. The reader's error is the finding; RC801
// stays for a dictionary that was read and has no fields.
func TestRealCauseFirst(t *testing.T) {
	dir := t.TempDir()
	for name, content := range map[string]string{
		"logo.png":    "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
		"broken.json": "[{\"field_name\": \"a\",}]",
	} {
		spec, err := NewSpec(Request{Inputs: []string{writeRunFile(t, dir, name, content)}})
		if err != nil {
			t.Fatal(err)
		}
		spec.CheckOnly = true
		res, _ := Run(context.Background(), spec)
		if len(res.Diagnostics) != 1 || res.Diagnostics[0].Stage != StageLoad {
			t.Errorf("%s: %v, want the reader's error alone", name, res.Diagnostics)
		}
	}
	// An empty array: the reader says so.
	spec, err := NewSpec(Request{Inputs: []string{writeRunFile(t, dir, "empty.json", "[]")}})
	if err != nil {
		t.Fatal(err)
	}
	spec.CheckOnly = true
	res, _ := Run(context.Background(), spec)
	codes := map[string]bool{}
	for _, d := range res.Diagnostics {
		codes[d.Code] = true
	}
	if !codes[redcap.CodeEmptyInput] {
		t.Errorf("empty array: %v, want %s", res.Diagnostics, redcap.CodeEmptyInput)
	}
}
