package redcap

import (
	"bufio"
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/rcolpipe/rcolpipe/internal/testcorpus"
)

// corpusDir returns ../shared/corpus next to the repository, or skips
// (fails in CI).
func corpusDir(tb testing.TB) string {
	tb.Helper()
	return testcorpus.Dir(tb)
}

// corpusEntry is one file listed in SOURCES.md.
type corpusEntry struct {
	path    string // relative to the corpus folder
	rows    int
	damaged bool // its findings name ragged rows or a header mismatch
}

// parseSources reads the tables of SOURCES.md: under each "## OWNER/NAME"
// heading, a table with a "path" or "file" column and a "rows" column, and
// the findings list that follows it.
func parseSources(t *testing.T, dir string) []corpusEntry {
	t.Helper()
	f, err := os.Open(filepath.Join(dir, "SOURCES.md"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []corpusEntry
	var repo string    // "OWNER/NAME"
	var cols []string  // header of the current table
	var finding string // file of the current findings entry
	index := map[string]int{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "## "):
			repo = strings.Fields(strings.TrimPrefix(line, "## "))[0]
			cols = nil
		case strings.HasPrefix(line, "|"):
			cells := strings.Split(strings.Trim(line, "|"), "|")
			for i := range cells {
				cells[i] = strings.TrimSpace(cells[i])
			}
			if cols == nil {
				cols = cells
				continue
			}
			if strings.HasPrefix(cells[0], "---") {
				continue
			}
			var name string
			rows := -1
			for i, c := range cols {
				if i >= len(cells) {
					break
				}
				switch c {
				case "path", "file":
					name = strings.Trim(cells[i], "`")
				case "rows":
					n, err := strconv.Atoi(cells[i])
					if err != nil {
						t.Fatalf("SOURCES.md: rows %q: %v", cells[i], err)
					}
					rows = n
				}
			}
			if name == "" || rows < 0 {
				t.Fatalf("SOURCES.md: table row without path/rows: %q", line)
			}
			rel := resolveCorpusPath(dir, repo, name)
			if rel == "" {
				t.Errorf("SOURCES.md lists %s (%s) but the file is not in the corpus", name, repo)
				continue
			}
			index[repo+"\x00"+name] = len(out)
			out = append(out, corpusEntry{path: rel, rows: rows})
		case strings.HasPrefix(line, "- `"):
			finding = strings.Trim(strings.TrimPrefix(line, "- "), "`")
		case strings.HasPrefix(line, "  - ") && finding != "":
			if strings.Contains(line, "ragged_rows") || strings.Contains(line, "header_mismatch") {
				if k, ok := index[repo+"\x00"+finding]; ok {
					out[k].damaged = true
				}
			}
		default:
			if strings.TrimSpace(line) == "" {
				cols = nil
			}
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// resolveCorpusPath finds a listed file: OWNER__NAME/path, or NAME/path for
// the converted rcol templates.
func resolveCorpusPath(dir, repo, name string) string {
	for _, rel := range []string{
		filepath.Join(strings.ReplaceAll(repo, "/", "__"), filepath.FromSlash(name)),
		filepath.Join(filepath.Base(repo), filepath.FromSlash(name)),
	} {
		if _, err := os.Stat(filepath.Join(dir, rel)); err == nil {
			return rel
		}
	}
	return ""
}

func TestCorpus(t *testing.T) {
	dir := corpusDir(t)
	entries := parseSources(t, dir)
	if len(entries) < 40 {
		t.Fatalf("SOURCES.md: parsed only %d files", len(entries))
	}

	// Every dictionary file in the corpus is listed (indexes like
	// rcol/_index.json are not dictionaries).
	listed := map[string]bool{}
	for _, e := range entries {
		listed[e.path] = true
	}
	err := filepath.WalkDir(dir, func(p string, de fs.DirEntry, err error) error {
		if err != nil || de.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		ext := strings.ToLower(filepath.Ext(p))
		if (ext == ".csv" || ext == ".json") && !strings.HasPrefix(de.Name(), "_") && !listed[rel] {
			t.Errorf("%s is in the corpus but not in SOURCES.md", rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}

	damaged := 0
	for _, e := range entries {
		t.Run(e.path, func(t *testing.T) {
			d, diags, err := Load(filepath.Join(dir, e.path))
			if err != nil {
				t.Fatal(err)
			}
			if e.damaged {
				damaged++
				if !diags.HasErrors() || d.Len() != 0 {
					t.Fatalf("damaged file: want errors and no fields, got %d fields, diagnostics %v", d.Len(), diags)
				}
				// The odd header has REDCap's 18 columns: it is read by
				// position with a warning (RD110), as REDCap reads it.
				for _, code := range []string{CodeHeaderByPosition, CodeTooManyCells} {
					if !hasCode(diags, code) {
						t.Errorf("damaged file: no %s diagnostic in %v", code, diags)
					}
				}
				return
			}
			for _, dg := range diags {
				if dg.Severity == SeverityError {
					t.Errorf("unexpected error: %s", dg)
				}
			}
			if d.Len() != e.rows {
				t.Errorf("read %d rows, SOURCES.md says %d", d.Len(), e.rows)
			}
			assertRoundTrips(t, d)
		})
	}
	if damaged != 1 {
		t.Errorf("SOURCES.md marks %d damaged files, want 1 (rarelink)", damaged)
	}
}

// assertRoundTrips checks JSON -> CSV -> JSON gives the same bytes, and
// that both CSV header styles read back to the same dictionary.
func assertRoundTrips(t *testing.T, d *Dictionary) {
	t.Helper()
	var j1 bytes.Buffer
	if err := WriteJSON(&j1, d); err != nil {
		t.Fatal(err)
	}
	dj := mustRead(t, "rt.json", j1.Bytes())
	assertSameFields(t, "JSON", d, dj)
	for _, style := range []HeaderStyle{HeaderAPI, HeaderDownload} {
		var c bytes.Buffer
		if err := WriteCSV(&c, dj, style); err != nil {
			t.Fatal(err)
		}
		dc := mustRead(t, "rt.csv", c.Bytes())
		assertSameFields(t, "CSV", d, dc)
		var j2 bytes.Buffer
		if err := WriteJSON(&j2, dc); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(j1.Bytes(), j2.Bytes()) {
			t.Errorf("JSON -> CSV (style %d) -> JSON changed the bytes", style)
		}
	}
}

func mustRead(t *testing.T, name string, data []byte) *Dictionary {
	t.Helper()
	d, diags := ReadBytes(name, data)
	if diags.HasErrors() {
		t.Fatalf("reading back %s: %v", name, diags)
	}
	return d
}

func assertSameFields(t *testing.T, what string, want, got *Dictionary) {
	t.Helper()
	if want.Len() != got.Len() {
		t.Fatalf("%s round trip: %d fields, want %d", what, got.Len(), want.Len())
	}
	for i := range want.Fields {
		if !want.Fields[i].SameData(&got.Fields[i]) {
			t.Fatalf("%s round trip: field %d differs:\n got %q\nwant %q", what, i+1, got.Fields[i].Values(), want.Fields[i].Values())
		}
	}
}

func hasCode(diags Diagnostics, code string) bool {
	for _, d := range diags {
		if d.Code == code {
			return true
		}
	}
	return false
}
