package redcap

import (
	"strings"
	"testing"
)

func TestCompareClassifiesCriticalChanges(t *testing.T) {
	rid := Field{FieldName: "record_id", FormName: "f", FieldType: "text", FieldLabel: "ID"}
	rating := func(choices string) Field {
		return Field{FieldName: "rating", FormName: "f", FieldType: "radio", FieldLabel: "Rating", Choices: choices}
	}
	typed := func(name, typ, val string) Field {
		return Field{FieldName: name, FormName: "f", FieldType: typ, FieldLabel: "Q " + name, Validation: val,
			Choices: map[bool]string{true: "1, A | 2, B"}[HasCodedChoices(StoredFieldType(typ))]}
	}
	other := Field{FieldName: "o1", FormName: "g", FieldType: "text", FieldLabel: "Other"}
	cases := []struct {
		name        string
		before      []Field
		after       []Field
		want        []string // kind:field:code, in order
		wantRenamed int
	}{
		{"codes swapped", []Field{rid, rating("5, Excellent | 1, Bad")}, []Field{rid, rating("1, Excellent | 5, Bad")},
			[]string{"choice-recoded:rating:5", "choice-recoded:rating:1"}, 0},
		{"code removed", []Field{rid, rating("1, A | 2, B | 3, C")}, []Field{rid, rating("1, A | 2, B")},
			[]string{"choice-removed:rating:3"}, 0},
		{"code added", []Field{rid, rating("1, A | 2, B")}, []Field{rid, rating("1, A | 2, B | 3, C")}, nil, 0},
		{"choices reordered, same mapping", []Field{rid, rating("1, A | 2, B")}, []Field{rid, rating("2, B | 1, A")}, nil, 0},
		{"label text edited", []Field{rid, rating("1, Excelent | 2, Bad")}, []Field{rid, rating("1, Excellent | 2, Very bad")}, nil, 0},
		{"label case only", []Field{rid, rating("1, A | 2, B")}, []Field{rid, rating("1, a | 2, B")}, nil, 0},
		{"field label edited", []Field{rid, typed("x", "text", "")}, []Field{rid, func() Field { f := typed("x", "text", ""); f.FieldLabel = "New"; return f }()}, nil, 0},
		{"radio to dropdown", []Field{rid, typed("x", "radio", "")}, []Field{rid, typed("x", "dropdown", "")}, nil, 0},
		{"select is dropdown", []Field{rid, typed("x", "dropdown", "")}, []Field{rid, typed("x", "select", "")}, nil, 0},
		{"radio to checkbox", []Field{rid, typed("x", "radio", "")}, []Field{rid, typed("x", "checkbox", "")}, []string{"type-changed:x:"}, 0},
		{"checkbox to dropdown", []Field{rid, typed("x", "checkbox", "")}, []Field{rid, typed("x", "dropdown", "")}, []string{"type-changed:x:"}, 0},
		{"text to notes", []Field{rid, typed("x", "text", "")}, []Field{rid, typed("x", "notes", "")}, []string{"type-changed:x:"}, 0},
		{"validation changed", []Field{rid, typed("x", "text", "integer")}, []Field{rid, typed("x", "text", "date_ymd")}, []string{"validation-changed:x:"}, 0},
		{"validation removed", []Field{rid, typed("x", "text", "integer")}, []Field{rid, typed("x", "text", "")}, nil, 0},
		{"validation added", []Field{rid, typed("x", "text", "")}, []Field{rid, typed("x", "text", "integer")}, []string{"validation-changed:x:"}, 0},
		{"field deleted", []Field{rid, typed("x", "text", ""), typed("y", "text", "")}, []Field{rid, typed("x", "text", "")}, []string{"field-deleted:y:"}, 0},
		{"form deleted", []Field{rid, other}, []Field{rid}, []string{"form-deleted::", "field-deleted:o1:"}, 0},
		{"rename", []Field{rid, rating("1, A | 2, B")}, []Field{rid, func() Field { f := rating("1, A | 2, B"); f.FieldName = "score"; return f }()},
			[]string{"renamed:rating:"}, 1},
		{"not a rename: label differs", []Field{rid, rating("1, A | 2, B")}, []Field{rid, func() Field { f := rating("1, A | 2, B"); f.FieldName = "score"; f.FieldLabel = "Score"; return f }()},
			[]string{"field-deleted:rating:"}, 0},
		{"not a rename: other form", []Field{rid, rating("1, A")}, []Field{rid, func() Field { f := rating("1, A"); f.FieldName = "score"; f.FormName = "g"; return f }()},
			[]string{"field-deleted:rating:"}, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d := Compare(&Dictionary{Fields: tc.before}, &Dictionary{Fields: tc.after})
			var got []string
			for _, c := range d.Critical {
				got = append(got, string(c.Kind)+":"+c.Field+":"+c.Code)
				if c.Records != nil {
					t.Errorf("%s: records counted by the pure classification", c)
				}
			}
			if strings.Join(got, ",") != strings.Join(tc.want, ",") {
				t.Errorf("critical = %v, want %v", got, tc.want)
			}
			if len(d.FieldsRenamed) != tc.wantRenamed {
				t.Errorf("renamed = %v, want %d", d.FieldsRenamed, tc.wantRenamed)
			}
		})
	}
}

func TestRenameIsNotAlsoAddedOrRemoved(t *testing.T) {
	rid := Field{FieldName: "record_id", FormName: "f", FieldType: "text", FieldLabel: "ID"}
	a := Field{FieldName: "old", FormName: "f", FieldType: "yesno", FieldLabel: "Q"}
	b := a
	b.FieldName = "new"
	d := Compare(&Dictionary{Fields: []Field{rid, a}}, &Dictionary{Fields: []Field{rid, b}})
	if len(d.FieldsAdded) != 0 || len(d.FieldsRemoved) != 0 || d.Empty() {
		t.Fatalf("added %v removed %v empty %v", d.FieldsAdded, d.FieldsRemoved, d.Empty())
	}
	var sb strings.Builder
	if err := d.WriteText(&sb); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"> field old -> new (f): a rename", "! field old (f) is renamed to new", "0 removed, 0 changed, 1 renamed"} {
		if !strings.Contains(sb.String(), want) {
			t.Errorf("text lacks %q:\n%s", want, sb.String())
		}
	}
	if len(d.NeedsAllowCritical()) != 1 {
		t.Errorf("a rename needs --allow-critical: %v", d.NeedsAllowCritical())
	}
}
