package logic

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rcolpipe/rcolpipe/internal/testcorpus"
)

// corpusExpr is one piece of logic from a real dictionary.
type corpusExpr struct {
	where string // file:row field (column)
	src   string
}

// corpusDir is ../shared/corpus next to the repository; without it the
// test skips (fails in CI).
func corpusDir(t testing.TB) string {
	t.Helper()
	return testcorpus.Dir(t)
}

// loadCorpusLogic reads every dictionary in the corpus with a minimal
// reader of its own (the repository's readers are built separately) and
// returns each non-empty branching logic and each calc equation.
func loadCorpusLogic(t testing.TB) []corpusExpr {
	dir := corpusDir(t)
	var out []corpusExpr
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || strings.HasPrefix(d.Name(), "_") {
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return fmt.Errorf("read %s: %w", path, err)
		}
		data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
		rel, _ := filepath.Rel(dir, path)
		var rows [][]string
		switch filepath.Ext(path) {
		case ".json":
			var objs []map[string]any
			if err := json.Unmarshal(data, &objs); err != nil {
				return fmt.Errorf("decode %s: %w", path, err)
			}
			for _, o := range objs {
				s := func(k string) string { v, _ := o[k].(string); return v }
				choices := s("select_choices_or_calculations")
				if choices == "" {
					choices = s("choices") // rcol's name for column F
				}
				rows = append(rows, []string{0: s("field_name"), 3: s("field_type"), 5: choices, 11: s("branching_logic")})
			}
		case ".csv":
			text := strings.ReplaceAll(string(data), "\r\n", "\n")
			text = strings.ReplaceAll(text, "\r", "\n")
			first, _, _ := strings.Cut(text, "\n")
			r := csv.NewReader(strings.NewReader(text))
			r.FieldsPerRecord = -1
			r.LazyQuotes = true
			if strings.Count(first, ";") > strings.Count(first, ",") {
				r.Comma = ';'
			}
			all, err := r.ReadAll()
			if err != nil {
				return fmt.Errorf("parse %s: %w", path, err)
			}
			if len(all) > 0 {
				rows = all[1:] // header
			}
		default:
			return nil
		}
		for i, row := range rows {
			if len(row) < 12 {
				continue
			}
			where := fmt.Sprintf("%s row %d field %s", rel, i+1, row[0])
			if strings.TrimSpace(row[11]) != "" {
				out = append(out, corpusExpr{where + " branching_logic", row[11]})
			}
			if row[3] == "calc" {
				out = append(out, corpusExpr{where + " calc", row[5]})
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestCorpusParses(t *testing.T) {
	exprs := loadCorpusLogic(t)
	if len(exprs) == 0 {
		t.Fatal("no logic found in the corpus")
	}
	ok, na := 0, 0
	for _, x := range exprs {
		e, err := Parse(x.src)
		if x.src == "NA" {
			// SOURCES.md, REDCapR simple/metadata.csv: CERTAIN literal 'NA'
			// cells from an R export; REDCap reads them as logic and rejects.
			if err == nil {
				t.Errorf("%s: literal NA parsed as logic", x.where)
			}
			na++
			continue
		}
		if err != nil {
			t.Errorf("%s: %v\n%s", x.where, err, x.src)
			continue
		}
		ok++
		// The corpus was accepted by REDCap, so its crude checks pass too.
		if err := Balance(x.src); err != nil {
			t.Errorf("%s: Balance: %v", x.where, err)
		}
		if pos, bad := HasCurlyQuotes(x.src); bad {
			t.Errorf("%s: curly quote at %d", x.where, pos)
		}
		// Renaming nothing must give the input back, and every reference
		// must point at a bracket in the source.
		if got, err := Rename(x.src, map[string]string{"zz_none": "zz_other"}); err != nil || got != x.src {
			t.Errorf("%s: Rename with an unused name changed the logic: %v", x.where, err)
		}
		for _, r := range e.Refs() {
			if r.Pos < 0 || r.End > len(x.src) || x.src[r.Pos] != '[' || x.src[r.End-1] != ']' {
				t.Errorf("%s: ref %v has bad span %d..%d", x.where, r, r.Pos, r.End)
			}
		}
	}
	t.Logf("parsed %d of %d corpus expressions (branching logic and calc equations); %d literal NA cells rejected as SOURCES.md documents", ok, len(exprs), na)
}
