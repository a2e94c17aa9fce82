package redcap

import (
	"slices"
	"strings"
	"testing"
)

func stackInput(file string, names ...string) *Dictionary {
	d := &Dictionary{Files: []string{file}}
	for i, n := range names {
		d.Fields = append(d.Fields, Field{FieldName: n, FormName: file, FieldType: "text", Origin: Origin{File: file, Line: i + 2, Row: i + 1}})
	}
	return d
}

func TestStack(t *testing.T) {
	a := stackInput("a", "record_id", "age")
	b := stackInput("b", "record_id", "phq_1")
	c := stackInput("c", "phq_1", "record_id") // record_id not first: stays
	e := stackInput("e")                       // empty: contributes its file name only
	for _, tc := range []struct {
		name      string
		in        []*Dictionary
		fields    []string
		files     []string
		drops     int
		dropFiles []string
	}{
		{"one", []*Dictionary{a}, []string{"record_id", "age"}, []string{"a"}, 0, nil},
		{"record_id dropped from later inputs", []*Dictionary{a, b, b}, []string{"record_id", "age", "phq_1", "phq_1"}, []string{"a", "b", "b"}, 2, []string{"b", "b"}},
		{"other repeats stay", []*Dictionary{a, c}, []string{"record_id", "age", "phq_1", "record_id"}, []string{"a", "c"}, 0, nil},
		{"first non-empty input sets the record ID", []*Dictionary{nil, e, b, a}, []string{"record_id", "phq_1", "age"}, []string{"e", "b", "a"}, 1, []string{"a"}},
		{"nothing", nil, nil, nil, 0, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, ds := Stack(tc.in...)
			var names []string
			for _, f := range got.Fields {
				names = append(names, f.FieldName)
			}
			if !slices.Equal(names, tc.fields) || !slices.Equal(got.Files, tc.files) {
				t.Errorf("fields %v files %v, want %v %v", names, got.Files, tc.fields, tc.files)
			}
			if len(ds) != tc.drops {
				t.Fatalf("diagnostics %v, want %d", ds, tc.drops)
			}
			for i, d := range ds {
				if d.Code != CodeRecordIDDropped || d.Severity != SeverityInfo || d.Field != "record_id" || d.File != tc.dropFiles[i] || d.Line != 2 {
					t.Errorf("diagnostic %d: %+v", i, d)
				}
			}
		})
	}
	// The inputs are not changed.
	if a.Len() != 2 || b.Len() != 2 || b.Fields[0].FieldName != "record_id" {
		t.Errorf("inputs changed: %v %v", a.Fields, b.Fields)
	}
}

func TestStackSaysWhenTheDroppedCopyDiffers(t *testing.T) {
	a := stackInput("a", "record_id")
	b := stackInput("b", "record_id")
	b.Fields[0].FormName = "a" // same data, other origin
	_, ds := Stack(a, b)
	if len(ds) != 1 || containsText(ds[0].Message, "differs") {
		t.Errorf("identical copy: %v", ds)
	}
	b.Fields[0].FieldLabel = "Participant"
	_, ds = Stack(a, b)
	if len(ds) != 1 || !containsText(ds[0].Message, "differs from the first") {
		t.Errorf("different copy: %v", ds)
	}
}

func containsText(s, sub string) bool { return strings.Contains(s, sub) }
