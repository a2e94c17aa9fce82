// Package layers holds tests of the repository's shape: imports point down
// the layers only, and the command line stays thin (issue 8).
package layers

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

const module = "github.com/rcolpipe/rcolpipe"

// layers lists the packages from the top down; a package may import only
// packages of later entries (or, in an entry ending in "/", of its own
// block, whose inner order is the block's business). The first matching
// entry is a package's layer.
var layers = []string{
	"cmd/", "examples/",
	// Test support: only tests import these.
	"internal/benchdict", "internal/browsertest", "internal/testcorpus",
	"preview",
	"output",
	"dictfmt",
	"dictdiff",
	"pipeline",
	"upload",
	"pipeline/rules",
	"schemas",
	"plugins/",
	"redcap/sandbox",
	"redcap/api",
	"redcap/logic",
	"redcap",
	"internal/",
}

// layerOf returns the index of the entry of layers that rel (a path inside
// the module) belongs to, and whether that entry is a block.
func layerOf(rel string) (int, bool) {
	for i, l := range layers {
		if strings.HasSuffix(l, "/") && strings.HasPrefix(rel+"/", l) || rel == l {
			return i, strings.HasSuffix(l, "/")
		}
	}
	return -1, false
}

func repoRoot(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	return root
}

// TestImportsPointDown fails when a package imports one of its own layer
// or of a layer above it (a cycle in waiting), or when a package is in no
// layer (add it to layers, where it belongs).
func TestImportsPointDown(t *testing.T) {
	cmd := exec.Command("go", "list", "-f", `{{.ImportPath}} {{join .Imports " "}}`, "./...")
	cmd.Dir = repoRoot(t)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, stderr.String())
	}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		fields := strings.Fields(line)
		pkg := strings.TrimPrefix(strings.TrimPrefix(fields[0], module), "/")
		from, block := layerOf(pkg)
		if from < 0 {
			t.Errorf("%s is in no layer of layers_test.go", pkg)
			continue
		}
		for _, imp := range fields[1:] {
			if !strings.HasPrefix(imp, module+"/") {
				continue
			}
			dep := strings.TrimPrefix(imp, module+"/")
			to, _ := layerOf(dep)
			if to >= 0 && (to < from || (to == from && !block)) {
				t.Errorf("%s imports %s: %s is not below %s in layers", pkg, dep, layers[to], layers[from])
			}
		}
	}
}

// TestCommandLineIsThin: cmd/rcolpipe binds flags, calls one function and
// picks a writer from output. It encodes no JSON, switches on no format,
// and no file of it (one command, or the app's wiring) passes 250 lines of
// non-test Go, help text included. The limit is per file: a total (1,800
// lines when cmd had 17 leaf commands) grew with every new command without
// saying which one had grown fat.
func TestCommandLineIsThin(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(repoRoot(t), "cmd", "rcolpipe", "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	formatSwitch := regexp.MustCompile(`switch\s+(\w+\.)?[Ff]ormat\b|[Ff]ormat\s*==\s*"(text|json|sarif|github|junit|csv|redcap-csv|console)"`)
	const perFile = 250
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if n := bytes.Count(src, []byte("\n")); n > perFile {
			t.Errorf("%s has %d lines of non-test Go, more than %d: move what is not flags, one call and a writer below", filepath.Base(f), n, perFile)
		}
		for _, bad := range []string{`"encoding/json"`, "json.NewEncoder", "json.Marshal"} {
			if bytes.Contains(src, []byte(bad)) {
				t.Errorf("%s uses %s: results are written by package output", filepath.Base(f), bad)
			}
		}
		if m := formatSwitch.Find(src); m != nil {
			t.Errorf("%s chooses a format itself (%q): package output does", filepath.Base(f), m)
		}
	}
}
