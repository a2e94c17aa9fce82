package rules

import (
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/rcolpipe/rcolpipe/internal/testcorpus"
	"github.com/rcolpipe/rcolpipe/redcap"
)

// corpusOrSkip returns ../shared/corpus beside the repository, or skips
// (fails in CI).
func corpusOrSkip(t *testing.T) string {
	t.Helper()
	return testcorpus.Dir(t)
}

// corpusFiles lists every dictionary file of the corpus (relative paths).
func corpusFiles(t *testing.T, root string) []string {
	t.Helper()
	var files []string
	err := filepath.WalkDir(root, func(p string, e os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := e.Name()
		if e.IsDir() || strings.HasPrefix(name, "_") || !(strings.HasSuffix(name, ".csv") || strings.HasSuffix(name, ".json")) {
			return nil
		}
		rel, _ := filepath.Rel(root, p)
		files = append(files, filepath.ToSlash(rel))
		return nil
	})
	if err != nil {
		t.Fatalf("walk %s: %v", root, err)
	}
	sort.Strings(files)
	return files
}

// loadAndCheck loads paths (stacked) and returns loader + rule findings.
func loadAndCheck(t *testing.T, cfg Config, paths ...string) (*redcap.Dictionary, redcap.Diagnostics) {
	t.Helper()
	d, ds, err := redcap.Load(paths...)
	if err != nil {
		t.Fatalf("load %v: %v", paths, err)
	}
	return d, append(ds, Check(d, cfg)...)
}

// cellOf returns the value the diagnostic points at, from d.
func cellOf(d *redcap.Dictionary, diag redcap.Diagnostic) (string, bool) {
	f := d.Field(diag.Field)
	col, ok := redcap.ColumnByKey(diag.Column)
	if f == nil || !ok {
		return "", false
	}
	return f.Get(col), true
}

// rtgFiles returns the rcol files of module rtg.py, from rcol/_index.json.
func rtgFiles(t *testing.T, root string) []string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(root, "rcol", "_index.json"))
	if err != nil {
		t.Fatalf("read rcol index: %v", err)
	}
	var idx []struct{ File, Module string }
	if err := json.Unmarshal(data, &idx); err != nil {
		t.Fatalf("parse rcol index: %v", err)
	}
	var out []string
	for _, e := range idx {
		if e.Module == "src/rcol/rtg.py" && e.File != "study_participant_information.json" {
			out = append(out, "rcol/"+e.File)
		}
	}
	if len(out) == 0 {
		t.Fatal("rcol index lists no rtg.py instruments")
	}
	return out
}

// TestCorpus validates every corpus file alone. The only errors allowed are
// the damage shared/corpus/SOURCES.md calls CERTAIN, and each of those must
// be reported; files exported from a REDCap server must have no other error.
func TestCorpus(t *testing.T) {
	root := corpusOrSkip(t)
	rtg := map[string]bool{}
	for _, f := range rtgFiles(t, root) {
		rtg[f] = true
	}
	rtgUnknown := map[string]bool{}
	for _, rel := range corpusFiles(t, root) {
		t.Run(rel, func(t *testing.T) {
			d, ds := loadAndCheck(t, Config{}, filepath.Join(root, rel))
			counts := map[string]int{}
			var errs redcap.Diagnostics
			for _, diag := range ds {
				counts[diag.Severity.String()+" "+diag.Code]++
				diag.File = rel
				t.Logf("%s | hint: %s", diag, diag.Hint)
				if diag.Severity == redcap.SeverityError {
					errs = append(errs, diag)
				}
			}
			t.Logf("summary %s: %d fields, %v", rel, d.Len(), counts)
			switch {
			case strings.HasSuffix(rel, "simple/metadata.csv"):
				// CERTAIN: 201 literal NA cells (a warning: REDCap stores
				// the text). Every error must sit on one.
				if n := counts["warning "+codeLiteralNA]; n != 201 {
					t.Errorf("%d literal NA cells reported, want 201", n)
				}
				for _, e := range errs {
					if v, ok := cellOf(d, e); !ok || v != "NA" {
						t.Errorf("error not caused by an NA cell (cell %q): %s", v, e)
					}
				}
			case strings.HasPrefix(rel, "BIH-CEI__rarelink/"):
				// CERTAIN: damaged header and the 19-cell row. The reader
				// refuses the file; either it or the rules must say so.
				if len(errs) == 0 {
					t.Error("the damaged rarelink file produced no error")
				}
				for _, e := range errs {
					switch e.Code {
					case redcap.CodeBadHeader, redcap.CodeTooManyCells, codeEmptyDictionary, codeFlagBlanked:
					default:
						t.Errorf("unexpected error: %s", e)
					}
				}
			case rel == "rcol/bdi_ii.json":
				// CERTAIN: 9 names with umlauts.
				if n := counts["error "+codeNameRewritten]; n != 9 {
					t.Errorf("%d umlaut names reported, want 9", n)
				}
				onlyCodes(t, errs, codeNameRewritten)
			case strings.HasPrefix(rel, "ABCD-STUDY__geocoding/"):
				// CERTAIN: 198 names with upper-case letters.
				if n := counts["error "+codeNameRewritten]; n != 198 {
					t.Errorf("%d upper-case names reported, want 198", n)
				}
				onlyCodes(t, errs, codeNameRewritten)
			case strings.Contains(rel, "potentially-problematic-dictionary/"):
				// CERTAIN: one cell with U+FFFD (a warning: REDCap stores
				// the character as it is).
				if n := counts["warning "+codeReplacement]; n != 1 {
					t.Errorf("%d U+FFFD cells reported, want 1", n)
				}
				onlyCodes(t, errs, codeReplacement)
			case rtg[rel]:
				// Alone, the rtg instruments refer to fields of
				// study_participant_information.json: only those may be unknown.
				for _, e := range errs {
					name := unknownRef(e)
					if name != "dob" && name != "sex" && name != "study_indication" {
						t.Errorf("unexpected error: %s", e)
						continue
					}
					rtgUnknown[name] = true
				}
			default:
				for _, e := range errs {
					t.Errorf("unexpected error: %s", e)
				}
			}
		})
	}
	for _, name := range []string{"dob", "sex", "study_indication"} {
		if !rtgUnknown[name] {
			t.Errorf("no rtg instrument validated alone reports [%s] as unknown", name)
		}
	}
}

// TestCorpusRTGStacked stacks every rtg instrument after
// study_participant_information.json: no reference may be unknown.
func TestCorpusRTGStacked(t *testing.T) {
	root := corpusOrSkip(t)
	paths := []string{filepath.Join(root, "rcol", "study_participant_information.json")}
	for _, f := range rtgFiles(t, root) {
		paths = append(paths, filepath.Join(root, f))
	}
	d, ds := loadAndCheck(t, Config{}, paths...)
	if d.RecordID() != "subject" {
		t.Errorf("record ID %q, want subject", d.RecordID())
	}
	for _, diag := range ds {
		t.Logf("%s", diag)
		if diag.Severity == redcap.SeverityError {
			t.Errorf("unexpected error when stacked: %s", diag)
		}
	}
	// The same instruments alone, with the participant form as assumed
	// fields, are just as clean.
	spi, _, err := redcap.Load(paths[0])
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range paths[1:] {
		_, ds := loadAndCheck(t, Config{AssumeFields: spi}, p)
		for _, diag := range ds {
			if diag.Code == codeLogicUnknown || diag.Code == codeCalcUnknown {
				t.Errorf("%s with --assume-fields: %s", p, diag)
			}
		}
	}
}

// unknownRef returns the field an unknown-reference error names, or "".
func unknownRef(d redcap.Diagnostic) string {
	if d.Code != codeLogicUnknown && d.Code != codeCalcUnknown {
		return ""
	}
	i := strings.LastIndex(d.Message, "[")
	j := strings.LastIndex(d.Message, "]")
	if i < 0 || j < i {
		return ""
	}
	return d.Message[i+1 : j]
}

func onlyCodes(t *testing.T, errs redcap.Diagnostics, codes ...string) {
	t.Helper()
	for _, e := range errs {
		ok := false
		for _, c := range codes {
			ok = ok || e.Code == c
		}
		if !ok {
			t.Errorf("unexpected error: %s", e)
		}
	}
}
