package sandbox

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/rcolpipe/rcolpipe/internal/testcorpus"
)

// corpusRejects are the corpus files REDCap's API would refuse as they
// are, with the reason (shared/corpus/SOURCES.md lists their damage).
var corpusRejects = map[string]string{
	// R's literal NA in every empty cell.
	"OuhscBbmc__REDCapR/inst/test-data/projects/simple/metadata.csv": "The only valid validation types are",
	// An sql field: only administrators may add one.
	"OuhscBbmc__REDCapR/inst/test-data/projects/validation-types-1/dictionary.csv": "'sql' field types can ONLY be added or modified by REDCap administrators",
	// Semicolon-delimited: the API reads commas, so every row is one cell.
	"KohlbacherLab__case_management_mvh/FallverwaltungModellvorhaben_DataDictionary.csv": "Each row MUST have a form name",
	"KohlbacherLab__nse-mv-genomseq/NSE_mit_Fallmanagement_DataDictionary.csv":           "Each row MUST have a form name",
	"KohlbacherLab__nse-mv-genomseq/NSE_ohne_Fallmanagement_DataDictionary.csv":          "Each row MUST have a form name",
}

// TestCorpusImport uploads every dictionary of the shared corpus to the
// sandbox. They were accepted by a REDCap server (or are rcol's templates),
// so the sandbox must accept them, except corpusRejects, which must fail
// with their reason. rcol's instruments refer to fields of
// study_participant_information.json ([dob], [sex]), so each goes up
// stacked after it, as the rcol documentation says to.
func TestCorpusImport(t *testing.T) {
	corpusDir := testcorpus.Dir(t)
	var files []string
	err := filepath.WalkDir(corpusDir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && (strings.HasSuffix(p, ".csv") || strings.HasSuffix(p, ".json")) && filepath.Base(p) != "_index.json" {
			files = append(files, p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(files)
	if len(files) < 40 {
		t.Fatalf("only %d corpus files found", len(files))
	}
	spi := readRows(t, filepath.Join(corpusDir, "rcol", "study_participant_information.json"))
	f := newFixture(t)
	for _, p := range files {
		rel, _ := filepath.Rel(corpusDir, p)
		rel = filepath.ToSlash(rel)
		t.Run(rel, func(t *testing.T) {
			f.t = t
			data, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			format, rows := "csv", -1
			if strings.HasSuffix(p, ".json") {
				format = "json"
				in := readRows(t, p)
				if strings.HasPrefix(rel, "rcol/") && !strings.HasSuffix(rel, "/study_participant_information.json") {
					in = append(append([]json.RawMessage(nil), spi...), in...)
				}
				rows = len(in)
				data, _ = json.Marshal(in)
			}
			r := f.call("full", "content", "metadata", "format", format, "returnFormat", "json", "data", string(data))
			if want, ok := corpusRejects[rel]; ok {
				if r.status != 400 || !strings.Contains(r.body, want) {
					t.Fatalf("want a 400 with %q, got %d %.300s", want, r.status, r.body)
				}
				if !bytes.Contains(data[:200], []byte(";")) {
					return
				}
				// With commas the semicolon files are fine.
				data = semicolonsToCommas(t, data)
				r = f.call("full", "content", "metadata", "format", "csv", "data", string(data))
			}
			if r.status != 200 {
				t.Fatalf("import: %d %.1000s", r.status, r.body)
			}
			n, err := strconv.Atoi(r.body)
			if err != nil || n == 0 || (rows >= 0 && n != rows) {
				t.Fatalf("import answered %q, want the row count (%d)", r.body, rows)
			}
			if got := len(f.exportDict("full")); got != n {
				t.Errorf("export has %d fields, import said %d", got, n)
			}
		})
	}
}

func readRows(t *testing.T, path string) []json.RawMessage {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var rows []json.RawMessage
	if err := json.Unmarshal(b, &rows); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return rows
}

func semicolonsToCommas(t *testing.T, data []byte) []byte {
	t.Helper()
	rd := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(data, []byte("\ufeff"))))
	rd.Comma = ';'
	rd.FieldsPerRecord = -1
	recs, err := rd.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	if err := w.WriteAll(recs); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}
