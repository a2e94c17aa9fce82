package pipeline

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rcolpipe/rcolpipe/internal/testcorpus"
	"github.com/rcolpipe/rcolpipe/redcap"
	"github.com/rcolpipe/rcolpipe/schemas"
)

// TestBuiltinRowSchemaAddsNothing backs the Validator's choice not to
// evaluate the embedded row schema when there are no user schemas: every
// finding that schema makes, on broken rows and on the real dictionaries
// of ../shared/corpus, must be reported by a Go rule on the same cell.
func TestBuiltinRowSchemaAddsNothing(t *testing.T) {
	builtin, err := schemas.Compile()
	if err != nil {
		t.Fatal(err)
	}
	v, err := NewValidator(ValidateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	check := func(name string, d *redcap.Dictionary) int {
		type cell struct {
			file   string
			line   int
			column string
		}
		covered := map[cell]bool{}
		for _, x := range v.Validate(d) {
			if !strings.HasPrefix(x.Code, "RS") && x.Column != "" {
				covered[cell{x.File, x.Line, x.Column}] = true
			}
		}
		n := 0
		for _, x := range builtin.Validate(d) {
			n++
			if !covered[cell{x.File, x.Line, x.Column}] {
				t.Errorf("%s: the row schema's %s at %s:%d (%s) has no Go rule finding on that cell: %s", name, x.Code, x.File, x.Line, x.Column, x.Message)
			}
		}
		return n
	}

	long := strings.Repeat("a", 101)
	broken := &redcap.Dictionary{Files: []string{"t.csv"}}
	for i, kv := range [][]string{
		{"field_name", "record_id"},
		{"field_name", "age", "field_type", "Text"},
		{"field_name", "", "field_type", "text"},
		{"field_name", long},
		{"field_name", "x1", "form_name", ""},
		{"field_name", "x2", "identifier", "yes", "required_field", "1", "matrix_ranking", "NA"},
		{"field_name", "x3", "custom_alignment", "lv"},
		{"field_name", "x4", "question_number", "12345678901"},
		{"field_name", "x5", "field_type", "radio"},
		{"field_name", "x6", "field_type", "calc"},
		{"field_name", "x7", "field_type", "descriptive", "required_field", "y"},
		{"field_name", "x8", "field_type", "slider", "text_validation_min", "1.5", "text_validation_max", "ten"},
		{"field_name", "x9", "field_type", ""},
	} {
		broken.Fields = append(broken.Fields, vrow("t.csv", i+2, kv...))
	}
	if n := check("broken rows", broken); n < 10 {
		t.Fatalf("the row schema reported only %d findings on the broken rows; the test no longer exercises it", n)
	}

	// The corpus half is a subtest of its own, so that without the corpus
	// it shows as SKIP (a failure in CI) rather than passing unseen.
	t.Run("corpus", func(t *testing.T) {
		corpus := testcorpus.Dir(t)
		var files []string
		err := filepath.WalkDir(corpus, func(p string, de os.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if !de.IsDir() && (strings.HasSuffix(p, ".csv") || strings.HasSuffix(p, ".json")) && !strings.HasPrefix(de.Name(), "_") {
				files = append(files, p)
			}
			return nil
		})
		if err != nil {
			t.Fatalf("list the corpus: %v", err)
		}
		if len(files) == 0 {
			t.Fatalf("no dictionary files in %s", corpus)
		}
		total := 0
		for _, f := range files {
			d, _, err := redcap.Load(f)
			if err != nil {
				t.Fatalf("load %s: %v", f, err)
			}
			total += check(f, d)
		}
		t.Logf("%d corpus files; the row schema made %d findings, each covered by a Go rule", len(files), total)
	})
}
