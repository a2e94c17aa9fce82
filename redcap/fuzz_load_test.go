package redcap

import (
	"archive/zip"
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fuzzSep splits a FuzzLoadFolder input into the files it becomes.
const fuzzSep = "\x00|"

// FuzzLoadFolder builds an untrusted folder from the input and loads it:
// a.csv (whose first cell holds a planted token), b.json, c.zip (an
// instrument ZIP with a member named by the input, instrument.csv nested
// under it or not), d.txt (raw; a ZIP when it starts with PK), a link to a
// .env outside the folder, a hidden .env, a folder with a dictionary's
// name and, where possible, a named pipe. Load must return (no panic, no
// hang), with a bounded number of short diagnostics that hold neither the
// planted token nor control characters.
func FuzzLoadFolder(f *testing.F) {
	for _, s := range []string{
		goodCSV + fuzzSep + `[{"field_name":"x","form_name":"f","field_type":"text","field_label":"X"}]` + fuzzSep + goodCSV + fuzzSep + "tlfb" + fuzzSep + goodCSV,
		",form_name,field_type,field_label\nrecord_id,f,text,ID\n" + fuzzSep + `[{"RC_API_KEY":true}]` + fuzzSep + "nope" + fuzzSep + "\x1b[31m" + fuzzSep + "PK\x03\x04",
		fuzzSep + fuzzSep + fuzzSep + fuzzSep,
		"\n" + fuzzSep + "{" + fuzzSep + "\"never closed" + fuzzSep + "a/b" + fuzzSep + "\xff\xfe",
	} {
		f.Add([]byte(s))
	}
	secretPart := []byte(fakeToken[:12])
	f.Fuzz(func(t *testing.T, data []byte) {
		parts := bytes.SplitN(data, []byte(fuzzSep), 5)
		for len(parts) < 5 {
			parts = append(parts, nil)
		}
		root := t.TempDir()
		dir := filepath.Join(root, "in")
		mustMkdir(t, dir)
		mustWrite(t, filepath.Join(root, ".env"), []byte("RC_API_KEY="+fakeToken+"\n"))
		mustWrite(t, filepath.Join(dir, ".env"), []byte("RC_API_KEY="+fakeToken+"\n"))
		mustWrite(t, filepath.Join(dir, "a.csv"), append([]byte("RC_API_KEY="+fakeToken), parts[0]...))
		mustWrite(t, filepath.Join(dir, "b.json"), parts[1])
		mustWrite(t, filepath.Join(dir, "c.zip"), fuzzZIP(t, parts[2], string(parts[3])))
		mustWrite(t, filepath.Join(dir, "d.txt"), parts[4])
		mustMkdir(t, filepath.Join(dir, "e.csv"))
		if err := os.Symlink(filepath.Join("..", ".env"), filepath.Join(dir, "aa.csv")); err != nil {
			t.Fatal(err)
		}
		makeFIFO(filepath.Join(dir, "pipe.csv")) // skipped where unsupported

		d, ds, err := Load(dir)
		if err != nil {
			t.Fatalf("Load: %v", err)
		}
		if d == nil {
			t.Fatal("nil dictionary")
		}
		if len(ds) > 100 {
			t.Fatalf("%d diagnostics", len(ds))
		}
		plantedInInput := bytes.Contains(data, secretPart)
		for _, dg := range ds {
			if len(dg.Message) > 2000 || len(dg.Hint) > 500 {
				t.Fatalf("long diagnostic (%d, %d bytes): %s", len(dg.Message), len(dg.Hint), dg)
			}
			for _, s := range []string{dg.Message, dg.Hint, dg.File} {
				if !plantedInInput && (strings.Contains(s, string(secretPart)) || strings.Contains(s, "RC_API_KEY=0")) {
					t.Fatalf("diagnostic quotes the planted token: %s", dg)
				}
				if i := strings.IndexFunc(s, func(r rune) bool { return r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) }); i >= 0 {
					t.Fatalf("diagnostic holds control character %q: %q", s[i], s)
				}
			}
		}
	})
}

// fuzzZIP builds an instrument ZIP holding csv, with a member named name,
// and instrument.csv under that name when name starts with an odd byte.
func fuzzZIP(t *testing.T, csv []byte, name string) []byte {
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	member := "instrument.csv"
	if name != "" && name[0]%2 == 1 {
		member = name + "/instrument.csv"
	}
	for _, m := range []struct {
		name string
		data []byte
	}{{name, []byte("x")}, {member, csv}} {
		w, err := zw.Create(m.name)
		if err != nil {
			t.Fatal(err)
		}
		if strings.HasSuffix(m.name, "/") {
			continue // a folder entry, which a hostile ZIP may hold too; it takes no data
		}
		if _, err := w.Write(m.data); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func mustMkdir(t *testing.T, p string) {
	t.Helper()
	if err := os.Mkdir(p, 0o755); err != nil {
		t.Fatal(err)
	}
}

func mustWrite(t *testing.T, p string, data []byte) {
	t.Helper()
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
}
