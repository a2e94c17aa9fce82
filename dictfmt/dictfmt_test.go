package dictfmt

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rcolpipe/rcolpipe/internal/testcorpus"
	"github.com/rcolpipe/rcolpipe/redcap"
)

// TestFmtCorpus: on every dictionary of the corpus, fmt of fmt's output
// changes nothing, and fmt does not change the meaning: the dictionaries
// read before and after have the same fields, with the same values once
// trimmed, the same choices (as SplitChoices reads them) and the same
// flags (REDCap reads "Y" as "y").
func TestFmtCorpus(t *testing.T) {
	root := testcorpus.Dir(t)
	n := 0
	err := filepath.WalkDir(root, func(path string, de fs.DirEntry, err error) error {
		if err != nil || de.IsDir() {
			return err
		}
		ext := strings.ToLower(filepath.Ext(path))
		if ext != ".csv" && ext != ".json" {
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		before, diags := redcap.ReadBytes(path, data)
		if diags.HasErrors() {
			return nil // not a dictionary fmt formats
		}
		once, err := Format(path, data)
		if err != nil {
			t.Errorf("%s: %v", path, err)
			return nil
		}
		twice, err := Format(path, once)
		if err != nil || !bytes.Equal(once, twice) {
			t.Errorf("%s: fmt of fmt's output changes it (err %v)", path, err)
		}
		after, diags := redcap.ReadBytes(path, once)
		if diags.HasErrors() {
			t.Errorf("%s: fmt's output has read errors: %v", path, diags)
			return nil
		}
		if msg := sameMeaning(before, after); msg != "" {
			t.Errorf("%s: %s", path, msg)
		}
		n++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n == 0 {
		t.Fatalf("no dictionary in %s", root)
	}
	t.Logf("%d dictionaries formatted", n)
}

func sameMeaning(a, b *redcap.Dictionary) string {
	if a.Len() != b.Len() {
		return "field count differs"
	}
	for i := range a.Fields {
		fa, fb := &a.Fields[i], &b.Fields[i]
		for c := redcap.Column(0); c < redcap.NumColumns; c++ {
			va, vb := strings.TrimSpace(fa.Get(c)), fb.Get(c)
			switch c {
			case redcap.ColChoices:
				if t := strings.ToLower(fa.Get(redcap.ColFieldType)); t == "radio" || t == "dropdown" || t == "checkbox" {
					ca, cb := redcap.SplitChoices(va), redcap.SplitChoices(vb)
					if len(ca) != len(cb) {
						return fa.Get(redcap.ColFieldName) + ": choices differ"
					}
					for k := range ca {
						if ca[k] != cb[k] {
							return fa.Get(redcap.ColFieldName) + ": choice " + ca[k].Code + " differs"
						}
					}
					continue
				}
			case redcap.ColIdentifier, redcap.ColRequiredField:
				va, vb = strings.ToLower(va), strings.ToLower(vb)
			}
			if va != vb {
				return fa.Get(redcap.ColFieldName) + ": column " + redcap.Columns[c].Key + ": " + va + " became " + vb
			}
		}
	}
	return ""
}
