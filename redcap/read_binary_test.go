package redcap

import (
	"strings"
	"testing"
)

// TestBinaryFilesAreNamedAsSuch: a PNG was read as Windows-1252 CSV and
// reported as a header error; a binary file is refused as what it is.
func TestBinaryFilesAreNamedAsSuch(t *testing.T) {
	for _, tc := range []struct {
		name, data, want string
	}{
		{"logo.png", "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "a PNG image"},
		{"scan.pdf", "%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "a PDF document"},
		{"old.xls", "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00", "old Excel workbook"},
		{"dict.csv.gz", "\x1f\x8b\x08\x00\x00\x00", "gzip-compressed"},
		{"blob.csv", "field_name,form_name\x00\x01\x02", "NUL bytes"},
	} {
		d, ds := ReadBytes(tc.name, []byte(tc.data))
		if len(ds) != 1 || ds[0].Code != CodeBinary || !strings.Contains(ds[0].Message, tc.want) || d.Len() != 0 {
			t.Errorf("%s: %v, want one %s saying %q", tc.name, ds, CodeBinary, tc.want)
		}
	}
	// Text that merely starts like a magic number, and UTF-16 with its
	// byte-order mark (which has NULs), are still read.
	for name, data := range map[string]string{
		"bzh.csv": "BZh_note,form_name,field_type,field_label\nx,f,text,X\n",
		"mz.csv":  "MZ,form_name\n",
		"u16.csv": "\xff\xfef\x00i\x00",
	} {
		if _, ds := ReadBytes(name, []byte(data)); len(ds) > 0 && ds[0].Code == CodeBinary {
			t.Errorf("%s: refused as binary: %v", name, ds)
		}
	}
}

// TestJSONNameIsReadAsJSON: a broken .json file was sniffed as CSV (it did
// not start with [ or {) and reported as a CSV header error; it is read as
// JSON and its syntax error names line and column.
func TestJSONNameIsReadAsJSON(t *testing.T) {
	_, ds := ReadBytes("dict.json", []byte("\n  field_name: record_id\n"))
	if len(ds) != 1 || ds[0].Code != CodeNotJSONArray || ds[0].Line != 2 || !strings.Contains(ds[0].Message, "line 2, column") {
		t.Errorf("got %v, want one %s at line 2 with its column", ds, CodeNotJSONArray)
	}
	// An empty .json file is still "empty", not a syntax error.
	if _, ds := ReadBytes("empty.json", []byte("  \n")); len(ds) != 1 || ds[0].Code != CodeEmptyInput {
		t.Errorf("empty .json: %v", ds)
	}
}
