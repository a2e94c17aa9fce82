package rules_test

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/rcolpipe/rcolpipe/pipeline"
	"github.com/rcolpipe/rcolpipe/pipeline/rules"
)

var update = flag.Bool("update", false, "rewrite docs/rules.md from the rule table")

// docsPath is docs/rules.md seen from this package.
var docsPath = filepath.Join("..", "..", "docs", "rules.md")

// TestDocsUpToDate fails when docs/rules.md differs from the table. Run
// `go generate ./pipeline/rules` (or this test with -update) to rewrite it.
func TestDocsUpToDate(t *testing.T) {
	want := rules.Markdown(allRules(t))
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

// allRules is what `rcolpipe rules` lists without --schema: the Go rules, the
// readers' checks and the embedded row schema's rules.
func allRules(t *testing.T) []rules.Rule {
	t.Helper()
	v, err := pipeline.NewValidator(pipeline.ValidateOptions{})
	if err != nil {
		t.Fatalf("compile the embedded schema: %v", err)
	}
	return v.Rules()
}

func TestMarkdownHasEveryRule(t *testing.T) {
	all := allRules(t)
	if len(all) <= len(rules.All()) {
		t.Errorf("validator lists %d rules, rules.All %d: the schema rules are missing", len(all), len(rules.All()))
	}
	md := string(rules.Markdown(all))
	for _, r := range all {
		if !bytes.Contains([]byte(md), []byte("\n## "+r.Code+"\n")) {
			t.Errorf("no section for %s", r.Code)
		}
	}
}
