package rules

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite docs/rules.md from the rule table")

// docsPath is docs/rules.md seen from this package.
var docsPath = filepath.Join("..", "..", "docs", "rules.md")

// TestDocsUpToDate fails when docs/rules.md differs from the table. Run
// `go generate ./pipeline/rules` (or this test with -update) to rewrite it.
func TestDocsUpToDate(t *testing.T) {
	want := Markdown(All())
	if *update {
		if err := os.MkdirAll(filepath.Dir(docsPath), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(docsPath, want, 0o644); err != nil {
			t.Fatalf("write %s: %v", docsPath, err)
		}
		return
	}
	got, err := os.ReadFile(docsPath)
	if err != nil {
		t.Fatalf("read %s: %v (run: go generate ./pipeline/rules)", docsPath, err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s is out of date: run go generate ./pipeline/rules", docsPath)
	}
}

func TestMarkdownHasEveryRule(t *testing.T) {
	md := string(Markdown(All()))
	for _, r := range All() {
		if !bytes.Contains([]byte(md), []byte("\n## "+r.Code+"\n")) {
			t.Errorf("no section for %s", r.Code)
		}
	}
}
