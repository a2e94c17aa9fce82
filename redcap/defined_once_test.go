package redcap

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// factTable is one of REDCap's tables and the string literals that give a
// copy of it away.
type factTable struct {
	what string
	// exact are literals that are a copy when a string literal equals one.
	exact []string
	// contains are literals that are a copy when a string literal holds one
	// (a list in a raw string, or in a doc text).
	contains []string
	// homes are the files (slash paths from the module root) that may hold
	// the table: its one home, and the sandbox's documented oracle copy.
	homes []string
}

// factTables are the tables that live once. The sandbox's oracle copies are
// named in its package doc (redcap/sandbox/server.go).
var factTables = []factTable{
	{what: "reserved field names",
		contains: []string{"redcap_csrf_token", "hidden_edit_flag", "redcap_survey_return_code"},
		homes:    []string{"redcap/facts.go"}},
	{what: "form status field suffix",
		exact: []string{"_complete"},
		homes: []string{"redcap/facts.go"}},
	{what: "field types",
		exact: []string{"truefalse"},
		homes: []string{"redcap/facts.go"}},
	{what: "legacy field types",
		exact: []string{"textarea"},
		homes: []string{"redcap/facts.go"}},
	{what: "default validation types",
		exact: []string{"date_mdy", "postalcode_germany", "number_4dp_comma_decimal"},
		homes: []string{"redcap/facts.go", "redcap/sandbox/validation.go"}},
	{what: "legacy validation names",
		exact: []string{"float", "datetime_seconds"},
		homes: []string{"redcap/facts.go",
			// the oracle's date families (strings.HasPrefix(t, "datetime_seconds"))
			"redcap/sandbox/check.go"}},
	{what: "action tags",
		exact: []string{"HIDDEN-SURVEY", "SAVE-PROMPT-EXEMPT", "@HIDDEN-SURVEY"},
		// the pattern of inspect's former scanner of its own
		contains: []string{"[^A-Za-z0-9_])(@"},
		homes:    []string{"redcap/actiontags.go"}},
	{what: "field-name rules and cleaning",
		exact:    []string{`^[a-z](?:[a-z0-9_]*[a-z0-9])?$`, "-."},
		contains: []string{"[^a-z0-9_]"},
		homes:    []string{"redcap/names.go"}},
	{what: "Smart Variables",
		exact: []string{"survey-queue-link", "aggregate-median"},
		homes: []string{"redcap/logic/names.go"}},
	{what: "logic functions",
		exact: []string{"isblanknotmissingcode", "replace_text"},
		homes: []string{"redcap/logic/names.go"}},
}

// TestFactsDefinedOnce fails when one of REDCap's tables is written out in
// a non-test Go file other than its home (or the sandbox's documented
// oracle copy): a second copy drifts, as the three copies of the reserved
// names and the two name cleanings did. Comments are not looked at, test
// files and testdata neither.
func TestFactsDefinedOnce(t *testing.T) {
	root := ".." // the module root, seen from redcap/
	fset := token.NewFileSet()
	files := 0
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if name := d.Name(); path != root && (name == "testdata" || strings.HasPrefix(name, ".")) {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		rel, err := filepath.Rel(root, path)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		files++
		ast.Inspect(f, func(n ast.Node) bool {
			lit, ok := n.(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				return true
			}
			s, err := strconv.Unquote(lit.Value)
			if err != nil {
				t.Errorf("%s: %v", fset.Position(lit.Pos()), err)
				return true
			}
			for _, tb := range factTables {
				if tb.copiedIn(s) && !tb.isHome(rel) {
					t.Errorf("%s: %q is part of REDCap's %s, which live in %s; use them from there",
						fset.Position(lit.Pos()), s, tb.what, strings.Join(tb.homes, " (and the sandbox's oracle copy) "))
				}
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if files < 100 {
		t.Fatalf("looked at %d Go files under %s, want the whole module", files, root)
	}
}

func (tb factTable) copiedIn(s string) bool {
	for _, e := range tb.exact {
		if s == e {
			return true
		}
	}
	for _, c := range tb.contains {
		if strings.Contains(s, c) {
			return true
		}
	}
	return false
}

func (tb factTable) isHome(rel string) bool {
	for _, h := range tb.homes {
		if rel == h {
			return true
		}
	}
	return false
}
