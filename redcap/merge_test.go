package redcap

import (
	"strings"
	"testing"
)

// dict builds a dictionary from "form:field" pairs; the label is the pair.
func dict(pairs ...string) *Dictionary {
	d := &Dictionary{}
	for _, p := range pairs {
		form, name, _ := strings.Cut(p, ":")
		d.Fields = append(d.Fields, Field{FieldName: name, FormName: form, FieldType: "text", FieldLabel: p})
	}
	return d
}

func names(d *Dictionary) string {
	var out []string
	for _, f := range d.Fields {
		out = append(out, f.FormName+":"+f.FieldName)
	}
	return strings.Join(out, " ")
}

func TestMerge(t *testing.T) {
	project := dict("demo:record_id", "demo:age", "visit:weight", "visit:height", "labs:hb")
	tests := []struct {
		name, want            string
		input                 *Dictionary
		replaced, added, kept string
		notes                 int
	}{
		{
			name:     "replace a middle form, keep the others in order",
			input:    dict("visit:weight", "visit:bmi"),
			want:     "demo:record_id demo:age visit:weight visit:bmi labs:hb",
			replaced: "visit", kept: "demo labs",
		},
		{
			name:  "new form appended, record id from the input dropped with a note",
			input: dict("sleep:record_id", "sleep:hours"),
			want:  "demo:record_id demo:age visit:weight visit:height labs:hb sleep:hours",
			added: "sleep", kept: "demo visit labs", notes: 1,
		},
		{
			name:     "first form replaced without the record id keeps it first",
			input:    dict("demo:age", "demo:sex"),
			want:     "demo:record_id demo:age demo:sex visit:weight visit:height labs:hb",
			replaced: "demo", kept: "visit labs", notes: 1,
		},
		{
			name:     "first form replaced with the record id uses the input's copy",
			input:    dict("demo:record_id", "demo:sex"),
			want:     "demo:record_id demo:sex visit:weight visit:height labs:hb",
			replaced: "demo", kept: "visit labs",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := Merge(project, tt.input)
			if got := names(res.Dictionary); got != tt.want {
				t.Errorf("fields:\n got %s\nwant %s", got, tt.want)
			}
			if got := strings.Join(res.Replaced, " "); got != tt.replaced {
				t.Errorf("replaced = %q, want %q", got, tt.replaced)
			}
			if got := strings.Join(res.Added, " "); got != tt.added {
				t.Errorf("added = %q, want %q", got, tt.added)
			}
			if got := strings.Join(res.Kept, " "); got != tt.kept {
				t.Errorf("kept = %q, want %q", got, tt.kept)
			}
			if len(res.Notes) != tt.notes {
				t.Errorf("notes = %v, want %d", res.Notes, tt.notes)
			}
		})
	}
	// The input's copy of the record ID wins in its own form.
	in := dict("demo:record_id")
	in.Fields[0].FieldLabel = "Participant ID"
	if got := Merge(project, in).Dictionary.Fields[0].FieldLabel; got != "Participant ID" {
		t.Errorf("record id label = %q", got)
	}
	// The project is not changed by a merge.
	if got := names(project); got != "demo:record_id demo:age visit:weight visit:height labs:hb" {
		t.Errorf("project changed: %s", got)
	}
}

func TestMergeEmptyProject(t *testing.T) {
	in := dict("a:id", "b:x")
	res := Merge(&Dictionary{}, in)
	if names(res.Dictionary) != "a:id b:x" || strings.Join(res.Added, ",") != "a,b" {
		t.Fatalf("got %s added %v", names(res.Dictionary), res.Added)
	}
}

func TestCompare(t *testing.T) {
	before := dict("demo:record_id", "demo:age", "visit:weight", "old:gone")
	after := dict("demo:record_id", "visit:weight", "demo:age", "new:fresh")
	after.Fields[1].FieldLabel = "Weight (kg)"
	d := Compare(before, after)
	if strings.Join(d.FormsAdded, ",") != "new" || strings.Join(d.FormsRemoved, ",") != "old" {
		t.Errorf("forms: +%v -%v", d.FormsAdded, d.FormsRemoved)
	}
	if len(d.FieldsAdded) != 1 || d.FieldsAdded[0].Field != "fresh" {
		t.Errorf("added: %v", d.FieldsAdded)
	}
	if len(d.FieldsRemoved) != 1 || d.FieldsRemoved[0].Field != "gone" {
		t.Errorf("removed: %v", d.FieldsRemoved)
	}
	if len(d.FieldsChanged) != 1 || d.FieldsChanged[0].Field != "weight" ||
		d.FieldsChanged[0].Columns[0] != (ColumnChange{"field_label", "visit:weight", "Weight (kg)"}) {
		t.Errorf("changed: %+v", d.FieldsChanged)
	}
	if !d.OrderChanged {
		t.Error("order change not seen")
	}
	var b strings.Builder
	if err := d.WriteText(&b); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"+ form new", "- field gone (old)", `field_label: "visit:weight" -> "Weight (kg)"`, "1 fields added, 1 removed, 1 changed"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("text lacks %q:\n%s", want, b.String())
		}
	}
	if !Compare(before, before.Clone()).Empty() {
		t.Error("a dictionary differs from its clone")
	}
}
