package redcap

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Tests for issue 9 (hostile inputs): each is named after the defect it
// guards against.

// fakeToken is a made-up API token planted in files that are not
// dictionaries; no diagnostic may repeat it, or any long part of it.
const fakeToken = "0123456789ABCDEF0123456789ABCDEF"

// secretParts are pieces of the planted secret that must not show.
var secretParts = []string{fakeToken[:12], "ABCDEF0123", "RC_API_KEY=0", "\x1b"}

// checkNoSecret fails when a diagnostic (any of its texts) holds a part of
// the planted secret or a raw escape character.
func checkNoSecret(t *testing.T, ds Diagnostics) {
	t.Helper()
	for _, d := range ds {
		for _, s := range []string{d.Message, d.Hint, d.File, d.Field, d.String()} {
			for _, part := range secretParts {
				if strings.Contains(s, part) {
					t.Errorf("diagnostic quotes %q: %s", part, d)
				}
			}
		}
	}
}

const goodCSV = "field_name,form_name,field_type,field_label\nrecord_id,f,text,ID\n"

func TestLoadFolderDoesNotFollowSymlinkToSecret(t *testing.T) {
	root := t.TempDir()
	writeFile(t, filepath.Join(root, ".env"), "RC_API_KEY="+fakeToken+"\nRC_API_URL=https://redcap.example.org/api/\n")
	dir := filepath.Join(root, "instruments")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(dir, "good.csv"), goodCSV)
	// First the attack of the issue: a link out of the folder to a .env.
	if err := os.Symlink(filepath.Join("..", ".env"), filepath.Join(dir, "aa.csv")); err != nil {
		t.Skipf("cannot make symbolic links here: %v", err)
	}
	d, ds, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	checkNoSecret(t, ds)
	dg := diagWith(t, ds, CodeSkippedEntry)
	if dg.File != filepath.Join(dir, "aa.csv") || dg.Severity != SeverityWarning || ds.HasErrors() || d.Len() != 1 {
		t.Errorf("%d fields, diagnostics:\n%s", d.Len(), diagText(ds))
	}

	// No link is followed: inside the folder, absolute, dangling.
	for name, target := range map[string]string{
		"bb.json":  "good.csv",
		"cc.csv":   filepath.Join(root, ".env"),
		"zz.zip":   "missing.zip",
		"notes.md": filepath.Join("..", ".env"), // any name: a link is never followed
	} {
		if err := os.Symlink(target, filepath.Join(dir, name)); err != nil {
			t.Fatal(err)
		}
	}
	d, ds, err = Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	checkNoSecret(t, ds)
	if d.Len() != 1 || len(d.Files) != 1 || d.Files[0] != filepath.Join(dir, "good.csv") {
		t.Errorf("read %v (%d fields), want only good.csv", d.Files, d.Len())
	}
	var skipped []string
	for _, dg := range ds {
		if dg.Code == CodeSkippedEntry && dg.Severity == SeverityWarning {
			skipped = append(skipped, filepath.Base(dg.File))
		}
	}
	if want := "aa.csv bb.json cc.csv notes.md zz.zip"; strings.Join(skipped, " ") != want {
		t.Errorf("skipped %v, want %s; diagnostics:\n%s", skipped, want, diagText(ds))
	}
	if ds.HasErrors() {
		t.Errorf("errors:\n%s", diagText(ds))
	}

	// A link named on the command line is the user's choice and is read.
	d, _, err = Load(filepath.Join(dir, "bb.json"))
	if err != nil || d.Len() != 1 {
		t.Errorf("named link: %d fields, err %v", d.Len(), err)
	}
}

func TestLoadFolderSkipsNameWithControlCharacters(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "good.csv"), goodCSV)
	bad := "\x1b]0;owned\x07x.csv"
	if err := os.WriteFile(filepath.Join(dir, bad), []byte(goodCSV), 0o644); err != nil {
		t.Skipf("file system refuses the name: %v", err)
	}
	d, ds, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	checkNoSecret(t, ds)
	dg := diagWith(t, ds, CodeSkippedEntry)
	if d.Len() != 1 || !strings.Contains(dg.Message, `\x1b]0;owned\ax.csv`) || dg.File != dir {
		t.Errorf("%d fields, %s", d.Len(), dg)
	}
}

func TestLoadRefusesHugeFile(t *testing.T) {
	// A sparse file: no disk space, but MaxFileBytes+1 bytes to read.
	p := filepath.Join(t.TempDir(), "huge.csv")
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteString(goodCSV); err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(MaxFileBytes + 1); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	d, ds, err := Load(p)
	if err != nil {
		t.Fatal(err)
	}
	dg := diagWith(t, ds, CodeTooLarge)
	if d.Len() != 0 || dg.Severity != SeverityError || dg.File != p || !strings.Contains(dg.Message, "larger than 64 MiB") {
		t.Errorf("%d fields, %s", d.Len(), dg)
	}
}

func TestReadRefusesHugeCell(t *testing.T) {
	big := strings.Repeat("x", MaxCellBytes+1)
	for _, tc := range []struct {
		name, data string
		line       int
		want       string
	}{
		{"unquoted", goodCSV + "a,f,text," + big + "\n", 3, "cell D3 is longer than 1 MiB"},
		{"quoted", goodCSV + "a,f,\"" + big + "\",X\n", 3, "cell C3 is longer than 1 MiB"},
		{"quoted over lines", goodCSV + "a,\"\n" + big + "\",text,X\n", 3, "cell B3 is longer than 1 MiB"},
		{"header", "field_name,form_name,field_type," + big + "\n", 1, "cell D1 is longer than 1 MiB"},
		{"json value", `[{"field_name":"a","form_name":"f","field_type":"text","field_label":"` + big + `"}]`, 1, "value of the key \"field_label\" is longer than 1 MiB"},
		{"json key", `[{"field_name":"a","` + big + `":1}]`, 1, `key ""... (1048577 bytes) is longer than 1 MiB`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d, ds := ReadBytes("big", []byte(tc.data))
			dg := diagWith(t, ds, CodeTooLarge)
			if d.Len() != 0 || dg.Severity != SeverityError || dg.Line != tc.line || !strings.Contains(dg.Message, tc.want) {
				t.Errorf("%d fields, %s", d.Len(), dg)
			}
			if len(dg.Message) > 300 {
				t.Errorf("message of %d bytes", len(dg.Message))
			}
		})
	}
	// A cell of exactly the limit is read.
	d, ds := ReadBytes("ok", []byte(goodCSV+"a,f,text,"+big[1:]+"\n"))
	if d.Len() != 2 || ds.HasErrors() {
		t.Errorf("cell at the limit: %d fields\n%s", d.Len(), diagText(ds))
	}
}

func TestReadRefusesTooManyRows(t *testing.T) {
	var b strings.Builder
	b.WriteString("field_name,form_name,field_type,field_label\n")
	for i := 0; i <= MaxRows; i++ {
		fmt.Fprintf(&b, "f%d,f,text,X\n", i)
	}
	d, ds := ReadBytes("rows.csv", []byte(b.String()))
	if dg := diagWith(t, ds, CodeTooLarge); d.Len() != 0 || dg.Line != MaxRows+1 || !strings.Contains(dg.Message, "more than 100000 rows") {
		t.Errorf("csv: %d fields, %s", d.Len(), dg)
	}

	b.Reset()
	b.WriteString("[")
	for i := 0; i <= MaxRows; i++ {
		fmt.Fprintf(&b, `{"field_name":"f%d"},`, i)
	}
	js := strings.TrimSuffix(b.String(), ",") + "]"
	d, ds = ReadBytes("rows.json", []byte(js))
	if dg := diagWith(t, ds, CodeTooLarge); d.Len() != 0 || dg.Row != MaxRows+1 || dg.Line != 1 {
		t.Errorf("json: %d fields, %s (row %d)", d.Len(), dg, dg.Row)
	}
}

func TestReadCSVBlankRowsDoNotCountTowardsLimits(t *testing.T) {
	// Excel writes a row of delimiters for every formatted row; a file of
	// more blank rows than MaxRows is still a dictionary.
	blank := strings.Repeat(",", 17) + "\r\n"
	data := apiHeader + "\r\nrecord_id,f,,text,ID" + strings.Repeat(",", 13) + "\r\n" + strings.Repeat(blank, MaxRows+10)
	d, ds := ReadBytes("excel.csv", []byte(data))
	if d.Len() != 1 || ds.HasErrors() {
		t.Errorf("%d fields\n%s", d.Len(), diagText(ds))
	}
}

func TestReadCSVRefusesTooManyCells(t *testing.T) {
	// One line of only delimiters: millions of cells from a few MiB.
	data := goodCSV + strings.Repeat(",", MaxCells+1)
	d, ds := ReadBytes("wide.csv", []byte(data))
	if dg := diagWith(t, ds, CodeTooLarge); d.Len() != 0 || dg.Line != 3 || !strings.Contains(dg.Message, "more than 2000000 cells") {
		t.Errorf("%d fields, %s", d.Len(), dg)
	}
}

// bombZIP returns an instrument ZIP whose instrument.csv unpacks to size
// bytes; claim is the unpacked size its header states (a lie when it
// differs).
func bombZIP(t *testing.T, size, claim int) []byte {
	t.Helper()
	var packed bytes.Buffer
	fw, err := flate.NewWriter(&packed, flate.BestSpeed)
	if err != nil {
		t.Fatal(err)
	}
	crc := crc32.NewIEEE()
	content := io.MultiReader(strings.NewReader(goodCSV), io.LimitReader(zeroReader{}, int64(size-len(goodCSV))))
	if _, err := io.Copy(io.MultiWriter(fw, crc), content); err != nil {
		t.Fatal(err)
	}
	if err := fw.Close(); err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	w, err := zw.CreateRaw(&zip.FileHeader{Name: "instrument.csv", Method: zip.Deflate, CRC32: crc.Sum32(),
		CompressedSize64: uint64(packed.Len()), UncompressedSize64: uint64(claim)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write(packed.Bytes()); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

type zeroReader struct{}

func (zeroReader) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

func TestReadZIPRefusesZipBomb(t *testing.T) {
	size := MaxFileBytes + 1
	for _, tc := range []struct {
		name  string
		claim int
		code  string
	}{
		{"honest header", size, CodeTooLarge},
		// A header that understates the size: archive/zip stops at the
		// stated size, and the limit holds either way.
		{"lying header", 100, CodeBadZIP},
	} {
		t.Run(tc.name, func(t *testing.T) {
			data := bombZIP(t, size, tc.claim)
			if len(data) > 1<<20 {
				t.Fatalf("bomb is %d bytes packed", len(data))
			}
			d, ds := ReadBytes("bomb.zip", data)
			dg := diagWith(t, ds, tc.code)
			if d.Len() != 0 || dg.Severity != SeverityError {
				t.Errorf("%d fields, %s", d.Len(), dg)
			}
		})
	}
}

func TestReadZIPRefusesTooManyMembers(t *testing.T) {
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for i := 0; i <= MaxZIPMembers; i++ {
		if _, err := zw.Create(fmt.Sprintf("m%d", i)); err != nil {
			t.Fatal(err)
		}
	}
	w, err := zw.Create("instrument.csv")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write([]byte(goodCSV)); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	d, ds := ReadBytes("many.zip", b.Bytes())
	if dg := diagWith(t, ds, CodeTooLarge); d.Len() != 0 || !strings.Contains(dg.Message, "1002 entries") {
		t.Errorf("%d fields, %s", d.Len(), dg)
	}
}

func TestDiagnosticsQuoteOnlyShortEscapedExcerpts(t *testing.T) {
	env := "RC_API_KEY=" + fakeToken
	environ := "PATH=/usr/bin\x00HOME=/root\x00" + env + "\x00TERM=\x1b[31mxterm\x00"
	for _, tc := range []struct {
		name string
		data []byte
	}{
		{".env as CSV", []byte(env + "\nRC_API_URL=https://redcap.example.org/api/\n")},
		{"environ as CSV", []byte(environ)},
		{"secret header cells", []byte("field_name,form_name,\x1b[2J" + env + "," + env + ",field_type\n")},
		{"duplicate column", []byte("field_name,form_name,field_type,field_label,Field Label " + env + "\n")},
		{"json key", []byte(`[{"` + env + `":"x"}]`)},
		{"json bad value", []byte(`[{"field_name":"a","` + env + `":true}]`)},
		{"json after array", []byte(`[]"` + env + `"`)},
		{"json top-level string", []byte(`"` + env + `"`)},
		{"zip member names", zipBytes(t, [2]string{env, "x"}, [2]string{"\x1b[31m/" + env, "x"})},
		{"zip nested member", zipBytes(t, [2]string{"\x1b[31m" + env + "/instrument.csv", "x"})},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, ds := ReadBytes("in", tc.data)
			if len(ds) == 0 {
				t.Fatal("no diagnostics")
			}
			checkNoSecret(t, ds)
			for _, d := range ds {
				if len(d.Message) > 400 {
					t.Errorf("message of %d bytes: %s", len(d.Message), d.Message)
				}
			}
		})
	}
}

func TestExcerpt(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"Variable Name", `"Variable Name"`},
		{"a\x1b[31mb\x00", `"a\x1b[31mb\x00"`},
		{"RC_API_KEY=" + fakeToken, `"RC_API_KEY=[token-shaped text left out]"`},
		{fakeToken + fakeToken, `"[token-shaped text left out]"`},
		{fakeToken, `"[token-shaped text left out]"`}, // a file holding only a token
		{"RC_API_KEY=" + fakeToken + " # the project's token", `"RC_API_KEY=[token-shaped text left out] "... (65 bytes)`},
		{strings.Repeat("ab ", 20), `"ab ab ab ab ab ab ab ab ab ab ab ab ab "... (60 bytes)`},
		{strings.Repeat("é", 30), `""... (60 bytes)`},
		{strings.Repeat("x ", 19) + "\u202e" + "yyyy", `"x x x x x x x x x x x x x x x x x x x "... (45 bytes)`},
	} {
		if got := excerpt(tc.in); got != tc.want {
			t.Errorf("excerpt(%q) = %s, want %s", tc.in, got, tc.want)
		}
	}
}

func TestReadJSONListsAtMostTenBadValues(t *testing.T) {
	js := `[{"field_name":"a","form_name":"f","field_type":"text","field_label":"A","x1":true` +
		strings.Repeat(`,"x1":true`, 100_000) + `}]`
	d, ds := ReadBytes("bools.json", []byte(js))
	if d.Len() != 0 || len(ds) != 11 || !strings.Contains(ds[10].Message, "99991 more values") {
		t.Errorf("%d fields, %d diagnostics, last %v", d.Len(), len(ds), ds[len(ds)-1])
	}
}
