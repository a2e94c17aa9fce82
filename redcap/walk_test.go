package redcap

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// dictCSV is a one-field dictionary whose field is named name.
func dictCSV(name string) string {
	return "field_name,form_name,field_type,field_label\n" + name + ",f,text,L\n"
}

func fieldNames(d *Dictionary) []string {
	var names []string
	for _, f := range d.Fields {
		names = append(names, f.FieldName)
	}
	return names
}

func mkdirs(t *testing.T, dirs ...string) {
	t.Helper()
	for _, d := range dirs {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
}

// A folder is read recursively, in path order, but a link to a folder (in
// the tree or out of it) is not entered: it is listed once as skipped.
func TestLoadFolderRecursesWithoutFollowingLinks(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "instruments")
	outside := filepath.Join(root, "outside")
	mkdirs(t, filepath.Join(dir, "a", "deep"), filepath.Join(dir, "b"), outside)
	writeFile(t, filepath.Join(dir, "top.csv"), dictCSV("top"))
	writeFile(t, filepath.Join(dir, "a", "deep", "d.csv"), dictCSV("deep"))
	writeFile(t, filepath.Join(dir, "b", "b.json"), `[{"field_name":"bee","form_name":"f","field_type":"text","field_label":"L"}]`)
	writeFile(t, filepath.Join(outside, "secret.csv"), dictCSV("outside"))
	if err := os.Symlink(outside, filepath.Join(dir, "linked")); err != nil {
		t.Skipf("cannot make symbolic links here: %v", err)
	}
	if err := os.Symlink(filepath.Join("..", "a"), filepath.Join(dir, "b", "loop")); err != nil {
		t.Fatal(err)
	}
	d, ds, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"deep", "bee", "top"}; !slices.Equal(fieldNames(d), want) {
		t.Errorf("fields %v, want %v", fieldNames(d), want)
	}
	var skipped []string
	for _, dg := range ds {
		if dg.Code == CodeSkippedEntry {
			skipped = append(skipped, dg.File)
		}
	}
	if want := []string{filepath.Join(dir, "b", "loop"), filepath.Join(dir, "linked")}; !slices.Equal(skipped, want) {
		t.Errorf("skipped %v, want %v\n%s", skipped, want, diagText(ds))
	}
}

// Folders nested deeper than MaxWalkDepth refuse the folder input with an
// error, instead of descending without end.
func TestLoadFolderDepthLimit(t *testing.T) {
	root := t.TempDir()
	deep := root
	for range MaxWalkDepth + 1 {
		deep = filepath.Join(deep, "d")
	}
	mkdirs(t, deep)
	writeFile(t, filepath.Join(deep, "x.csv"), dictCSV("deepest"))
	d, ds, err := Load(root)
	if err != nil {
		t.Fatal(err)
	}
	dg := diagWith(t, ds, CodeTooLarge)
	if d.Len() != 0 || dg.Severity != SeverityError || dg.File != root || !strings.Contains(dg.Message, fmt.Sprintf("deeper than %d levels", MaxWalkDepth)) {
		t.Errorf("%d fields, %s", d.Len(), dg)
	}
	// One level less is read.
	if _, ds, err := Load(filepath.Join(root, "d")); err != nil || ds.HasErrors() {
		t.Errorf("depth %d: err %v\n%s", MaxWalkDepth, err, diagText(ds))
	}
}

// A folder with more entries than the walk's limit is refused (the limit is
// lowered here; MaxWalkEntries is 100,000).
func TestWalkEntryLimit(t *testing.T) {
	dir := t.TempDir()
	mkdirs(t, filepath.Join(dir, "sub"))
	for i := range 6 {
		writeFile(t, filepath.Join(dir, "sub", fmt.Sprintf("f%d.csv", i)), dictCSV(fmt.Sprintf("f%d", i)))
	}
	w := &walker{root: dir, maxDepth: MaxWalkDepth, maxEntries: 5}
	files, ds, err := w.run()
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 0 || !ds.HasCode(CodeTooLarge) || !ds.HasErrors() {
		t.Errorf("files %v\n%s", files, diagText(ds))
	}
	w = &walker{root: dir, maxDepth: MaxWalkDepth, maxEntries: 7}
	if files, ds, _ := w.run(); len(files) != 6 || ds.HasErrors() {
		t.Errorf("under the limit: files %v\n%s", files, diagText(ds))
	}
}

// A folder whose name holds control characters is not entered, and its
// name is reported escaped.
func TestLoadFolderSkipsFolderWithControlCharacters(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "good.csv"), dictCSV("good"))
	bad := filepath.Join(dir, "x\x1b[2Jy")
	if err := os.Mkdir(bad, 0o755); err != nil {
		t.Skipf("file system refuses the name: %v", err)
	}
	writeFile(t, filepath.Join(bad, "in.csv"), dictCSV("inside"))
	d, ds, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	dg := diagWith(t, ds, CodeSkippedEntry)
	if !slices.Equal(fieldNames(d), []string{"good"}) || !strings.Contains(dg.Message, `x\x1b[2Jy`) || strings.Contains(dg.String(), "\x1b") {
		t.Errorf("fields %v, %q", fieldNames(d), dg.String())
	}
}

func TestLoadExclude(t *testing.T) {
	dir := t.TempDir()
	mkdirs(t, filepath.Join(dir, "drafts"), filepath.Join(dir, "forms", "drafts"), filepath.Join(dir, "forms", "old"))
	writeFile(t, filepath.Join(dir, "a.csv"), dictCSV("a"))
	writeFile(t, filepath.Join(dir, "a.bak.csv"), dictCSV("a_bak"))
	writeFile(t, filepath.Join(dir, "drafts", "d.csv"), dictCSV("draft"))
	writeFile(t, filepath.Join(dir, "forms", "f.csv"), dictCSV("f"))
	writeFile(t, filepath.Join(dir, "forms", "drafts", "fd.csv"), dictCSV("fdraft"))
	writeFile(t, filepath.Join(dir, "forms", "old", "o.csv"), dictCSV("old"))
	writeFile(t, filepath.Join(dir, "forms", "notes.md"), "not a dictionary")
	for _, tc := range []struct {
		exclude []string
		want    []string
	}{
		{nil, []string{"a_bak", "a", "draft", "fdraft", "f", "old"}},
		{[]string{"drafts"}, []string{"a_bak", "a", "f", "old"}},                 // a name: at any depth
		{[]string{"forms/drafts/"}, []string{"a_bak", "a", "draft", "f", "old"}}, // a path: from the folder
		{[]string{"*.bak.csv", "forms/o*"}, []string{"a", "draft", "fdraft", "f"}},
		{[]string{"./forms"}, []string{"a_bak", "a", "draft"}},
	} {
		d, ds, err := LoadOptions{Exclude: tc.exclude}.Load(dir)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(fieldNames(d), tc.want) {
			t.Errorf("--exclude %q: fields %v, want %v", tc.exclude, fieldNames(d), tc.want)
		}
		if tc.exclude == nil && !ds.HasCode(CodeNotDictionary) {
			t.Errorf("notes.md not listed:\n%s", diagText(ds))
		}
	}
	if _, ds, _ := (LoadOptions{Exclude: []string{"*.md"}}).Load(dir); ds.HasCode(CodeNotDictionary) {
		t.Errorf("excluded notes.md still listed:\n%s", diagText(ds))
	}
	if err := CheckExclude([]string{"ok/*", "[a-"}); err == nil || !strings.Contains(err.Error(), `"[a-"`) {
		t.Errorf("bad pattern: %v", err)
	}
}

// "-" reads standard input, its format sniffed from the content.
func TestLoadStdin(t *testing.T) {
	var zipped bytes.Buffer
	zw := zip.NewWriter(&zipped)
	w, err := zw.Create("instrument.csv")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write([]byte(dictCSV("zipped"))); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	for name, tc := range map[string]struct{ in, field string }{
		"csv":       {dictCSV("from_csv"), "from_csv"},
		"semicolon": {"field_name;form_name;field_type;field_label\nsemi;f;text;L\n", "semi"},
		"json":      {`[{"field_name":"from_json","form_name":"f","field_type":"text","field_label":"L"}]`, "from_json"},
		"zip":       {zipped.String(), "zipped"},
	} {
		d, ds, err := LoadOptions{Stdin: strings.NewReader(tc.in)}.Load("-")
		if err != nil || ds.HasErrors() || !slices.Equal(fieldNames(d), []string{tc.field}) {
			t.Errorf("%s: fields %v, err %v\n%s", name, fieldNames(d), err, diagText(ds))
		}
		if len(d.Files) != 1 || !strings.HasPrefix(d.Files[0], StdinName) {
			t.Errorf("%s: files %v", name, d.Files)
		}
	}
	if _, _, err := (LoadOptions{Stdin: strings.NewReader("")}).Load("-", "-"); err == nil {
		t.Error("- twice: no error")
	}
	if _, _, err := Load("-"); err == nil {
		t.Error("Load without standard input read -")
	}
}

// endlessReader is standard input that never ends (cat /dev/zero |): it
// counts what was read and fails once far past the limit, so that a reader
// without the limit ends with an error instead of filling memory.
type endlessReader struct{ n int64 }

func (r *endlessReader) Read(p []byte) (int, error) {
	if r.n > 2*MaxFileBytes {
		return 0, errors.New("read far past the limit")
	}
	clear(p)
	r.n += int64(len(p))
	return len(p), nil
}

func TestLoadStdinUnlimited(t *testing.T) {
	in := &endlessReader{}
	d, ds, err := LoadOptions{Stdin: in}.Load("-")
	if err != nil {
		t.Fatal(err)
	}
	dg := diagWith(t, ds, CodeTooLarge)
	if d.Len() != 0 || dg.File != StdinName || !strings.Contains(dg.Message, "standard input is larger than 64 MiB") {
		t.Errorf("%d fields, %s", d.Len(), dg)
	}
	if in.n > MaxFileBytes+1<<20 {
		t.Errorf("read %d bytes of standard input, want at most the limit and a buffer", in.n)
	}
}
