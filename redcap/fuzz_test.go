package redcap

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/rcolpipe/rcolpipe/internal/testcorpus"
)

// maxSeed caps a corpus seed: the fuzzer mutates and re-reads every seed
// many times, and megabyte seeds would slow it to a crawl. A prefix of a
// dictionary file is still a dictionary file (a header and rows).
const maxSeed = 16 << 10

// addCorpusSeeds adds the corpus files with the given extension as seeds
// (the first maxSeed bytes of each), when the corpus exists (in CI it must).
func addCorpusSeeds(f *testing.F, ext string) {
	dir, ok := testcorpus.Optional(f)
	if !ok {
		return // inline seeds only
	}
	err := filepath.WalkDir(dir, func(p string, de fs.DirEntry, err error) error {
		if err != nil || de.IsDir() || !strings.EqualFold(filepath.Ext(p), ext) {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if len(data) > maxSeed {
			data = data[:maxSeed]
		}
		f.Add(data)
		return nil
	})
	if err != nil {
		f.Fatal(err)
	}
}

// checkReadWriteRead is the fuzz property: reading never panics, and what
// reads without errors comes back unchanged through the writers. To keep
// each run cheap, one writer is picked by the input's length; across runs
// all three are exercised.
func checkReadWriteRead(t *testing.T, data []byte) {
	d, diags := ReadBytes("fuzz", data)
	if d == nil {
		t.Fatal("ReadBytes returned a nil dictionary")
	}
	if diags.HasErrors() {
		if d.Len() != 0 {
			t.Fatalf("errors but %d fields kept", d.Len())
		}
		return
	}
	writers := []struct {
		name  string
		write func(*bytes.Buffer) error
	}{
		{"json", func(b *bytes.Buffer) error { return WriteJSON(b, d) }},
		{"csv", func(b *bytes.Buffer) error { return WriteCSV(b, d, HeaderAPI) }},
		{"redcap-csv", func(b *bytes.Buffer) error { return WriteCSV(b, d, HeaderDownload) }},
	}
	w := writers[len(data)%len(writers)]
	var b bytes.Buffer
	if err := w.write(&b); err != nil {
		t.Fatalf("%s: %v", w.name, err)
	}
	if w.name == "json" {
		if want := referenceJSON(t, d); !bytes.Equal(b.Bytes(), want) {
			t.Fatalf("WriteJSON differs from encoding/json:\n got %q\nwant %q", b.String(), want)
		}
	}
	back, ds := ReadBytes("back", b.Bytes())
	if ds.HasErrors() {
		t.Fatalf("%s: reading what the writer wrote: %v\n%q", w.name, ds, b.String())
	}
	if back.Len() != d.Len() {
		t.Fatalf("%s: %d fields back, want %d\n%q", w.name, back.Len(), d.Len(), b.String())
	}
	for i := range d.Fields {
		if !d.Fields[i].SameData(&back.Fields[i]) {
			t.Fatalf("%s: field %d changed:\n got %q\nwant %q", w.name, i+1, back.Fields[i].Values(), d.Fields[i].Values())
		}
	}
}

func FuzzReadCSV(f *testing.F) {
	for _, s := range []string{
		"field_name,form_name,field_type,field_label\nrecord_id,demo,text,ID\n",
		"\uFEFF\"Variable / Field Name\";\"Form Name\";\"Section Header\";\"Field Type\";\"Field Label\"\r\nrecord_id;demo;;text;\"a;b\"\r\n",
		"Variable / Field Name\tForm Name\tField Type\tField Label\rx\tf\ttext\t\"two\rlines\"\r",
		"field_name,form_name,field_type,field_label,field_annotation,notes\nx,f,text,NA, @HIDDEN,extra\n,,,,,\n\n",
		"field_name,form_name,field_type,field_label\nx,f,text,\"a \"b\" c\",d\n",
		"field_name,form_name,field_type,field_label\nx,f,text,\"never closed\n",
		"1,Form Name,Field Type,Field Label\nx,f,text,l\n",
		"field_name,form_name,field_type,field_label\n\xe4\xf6\xfc,f,text,Gr\xf6\xdfe\n",
		"field_name,choices,select_choices_or_calculations,form_name,field_type,field_label\n",
		"",
	} {
		f.Add([]byte(s))
	}
	addCorpusSeeds(f, ".csv")
	f.Fuzz(checkReadWriteRead)
}

func FuzzReadJSON(f *testing.F) {
	for _, s := range []string{
		`[{"field_name":"record_id","form_name":"demo","field_type":"text","field_label":"ID"}]`,
		`[{"field_name":"x","form_name":"f","choices":"1, a | 2, b","text_validation_min":0.50,"identifier":null}]`,
		"\uFEFF[\n {\"field_name\": \"a\", \"extra\": \"e\", \"field_annotation\": \" @HIDDEN\"}\n]\n",
		`{"field_name":"x"}`,
		`[{"field_name":true}]`,
		`[{"field_name":"x","field_name":"y"}]`,
		`[{"field_name":"x"}] trailing`,
		`[["x"]]`,
		`[]`,
		`[{"field_name":"<b>\u00e4\u2028</b>","field_label":"NA"}]`,
		`[{"field_name":"a\"b\\c\ud800","field_note":-0.5e+10}, {}, {"form_name":null}]`,
		"[{\"field_name\":\"x\",\"form_name\":01}]",
	} {
		f.Add([]byte(s))
	}
	addCorpusSeeds(f, ".json")
	f.Fuzz(func(t *testing.T, data []byte) {
		checkReadWriteRead(t, data)
		// The fast reader and the token reader agree on what the fast one
		// reads.
		text, _ := decodeText("fuzz", data)
		fast, fastDiags, ok := readJSONFast("fuzz", text)
		if !ok {
			return
		}
		slow, slowDiags := readJSONStream("fuzz", text)
		if !reflect.DeepEqual(fastDiags, slowDiags) {
			t.Fatalf("diagnostics differ:\nfast %v\nslow %v", fastDiags, slowDiags)
		}
		if fast.Len() != slow.Len() {
			t.Fatalf("fast read %d fields, token reader %d", fast.Len(), slow.Len())
		}
		for i := range fast.Fields {
			if fast.Fields[i] != slow.Fields[i] {
				t.Fatalf("field %d differs:\nfast %+v\nslow %+v", i+1, fast.Fields[i], slow.Fields[i])
			}
		}
	})
}
