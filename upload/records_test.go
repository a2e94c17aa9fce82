package upload

import (
	"context"
	"testing"

	"github.com/rcolpipe/rcolpipe/redcap"
	"github.com/rcolpipe/rcolpipe/redcap/sandbox"
)

// Each critical change carries how many records hold data it affects:
// the demo project's three records all have initials, two have a site
// (codes 1 and 2).
func TestUploadCountsAffectedRecords(t *testing.T) {
	c, _ := sandboxClient(t, sandbox.DemoFull)
	ctx := context.Background()
	before, err := c.ExportMetadata(ctx)
	if err != nil {
		t.Fatal(err)
	}
	in := before.Clone()
	in.Fields = in.Fields[:2]                                           // part_site deleted
	in.Fields[1].FieldType, in.Fields[1].Validation = "text", "integer" // validation added
	rep, err := Upload(ctx, c, in, Options{DryRun: true, AllowDelete: true, AllowCritical: true})
	if err != nil {
		t.Fatal(err)
	}
	got := map[redcap.CriticalKind]int{}
	for _, ch := range rep.Diff.Critical {
		if ch.Records == nil {
			t.Fatalf("%s: not counted (%s)", ch, rep.Diff.RecordsNote)
		}
		got[ch.Kind] = *ch.Records
	}
	want := map[redcap.CriticalKind]int{redcap.CriticalFieldDeleted: 2, redcap.CriticalValidationChanged: 3}
	if len(got) != len(want) || got[redcap.CriticalFieldDeleted] != 2 || got[redcap.CriticalValidationChanged] != 3 {
		t.Errorf("counts = %v, want %v", got, want)
	}
}

// countChange counts distinct records (a row per event in longitudinal
// projects), checkbox codes by their field___code column, every field of
// a deleted form, and says when the export hides the field.
func TestCountChange(t *testing.T) {
	cb := &redcap.Field{FieldName: "cb", FieldType: "checkbox", Choices: "1, A | x.y, B"}
	txt := &redcap.Field{FieldName: "t", FieldType: "text"}
	rows := []map[string]string{
		{"id": "1", "cb___1": "1", "cb___x_y": "0", "t": ""},
		{"id": "1", "cb___1": "1", "cb___x_y": "1", "t": "a"}, // record 1, second event
		{"id": "2", "cb___1": "0", "cb___x_y": "1", "t": ""},
		{"id": "3", "cb___1": "0", "cb___x_y": "0", "t": ""},
	}
	for _, tc := range []struct {
		name   string
		fields []*redcap.Field
		ch     redcap.CriticalChange
		want   int
		ok     bool
	}{
		{"code removed", []*redcap.Field{cb}, redcap.CriticalChange{Kind: redcap.CriticalChoiceRemoved, Code: "x.y"}, 2, true},
		{"code recoded", []*redcap.Field{cb}, redcap.CriticalChange{Kind: redcap.CriticalChoiceRecoded, Code: "1"}, 1, true},
		{"type changed", []*redcap.Field{cb}, redcap.CriticalChange{Kind: redcap.CriticalTypeChanged}, 2, true},
		{"form deleted", []*redcap.Field{txt, cb}, redcap.CriticalChange{Kind: redcap.CriticalFormDeleted}, 2, true},
		{"field deleted", []*redcap.Field{txt}, redcap.CriticalChange{Kind: redcap.CriticalFieldDeleted}, 1, true},
		{"hidden field", []*redcap.Field{{FieldName: "secret", FieldType: "text"}}, redcap.CriticalChange{Kind: redcap.CriticalFieldDeleted}, 0, false},
	} {
		n, ok := countChange(rows, "id", tc.fields, tc.ch)
		if n != tc.want || ok != tc.ok {
			t.Errorf("%s: %d, %v; want %d, %v", tc.name, n, ok, tc.want, tc.ok)
		}
	}
	if n, ok := countChange(nil, "id", []*redcap.Field{txt}, redcap.CriticalChange{Kind: redcap.CriticalFieldDeleted}); n != 0 || !ok {
		t.Errorf("no records: %d, %v; want 0, true", n, ok)
	}
}
