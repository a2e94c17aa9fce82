//go:build !windows

package host

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// Installed lists what Resolve could run, in Resolve's order, and says
// which names resolve to something else.
func TestInstalled(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	write := func(p string, mode os.FileMode) {
		t.Helper()
		if err := os.WriteFile(p, []byte("#!/bin/sh\n"), mode); err != nil {
			t.Fatal(err)
		}
	}
	write(filepath.Join(a, "tool"), 0o755)
	write(filepath.Join(a, "prefix"), 0o755)
	write(filepath.Join(a, "notes.txt"), 0o644) // not executable
	if err := os.Mkdir(filepath.Join(a, "sub"), 0o755); err != nil {
		t.Fatal(err)
	}
	write(filepath.Join(b, "tool.exe"), 0o755)
	r := &Resolver{SearchPath: []string{a, filepath.Join(a, "missing"), b}, Bundled: []string{"prefix"}}
	want := []Found{
		{Name: "prefix", Path: filepath.Join(a, "prefix"), ShadowedBy: "the bundled plugin"},
		{Name: "tool", Path: filepath.Join(a, "tool")},
		{Name: "tool", Path: filepath.Join(b, "tool.exe"), ShadowedBy: "an earlier one"},
	}
	if diff := cmp.Diff(want, r.Installed()); diff != "" {
		t.Errorf("Installed (-want +got):\n%s", diff)
	}
	// The unshadowed entry is what Resolve runs.
	res, err := r.Resolve("tool")
	if err != nil || res.Path != filepath.Join(a, "tool") {
		t.Errorf("Resolve(tool) = %+v, %v; want %s", res, err, filepath.Join(a, "tool"))
	}
}
