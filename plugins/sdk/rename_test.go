package sdk

import (
	"strings"
	"testing"

	"github.com/rcolpipe/rcolpipe/redcap"
)

// TestRenameFieldsScope: RenameFields touches what the prefix plugin's
// rename touches (one engine, one scope): validation min and max piping
// follow, and an sql field's query is SQL, never rewritten, while its
// branching logic is logic and follows.
func TestRenameFieldsScope(t *testing.T) {
	query := "SELECT value, value FROM redcap_data WHERE field_name = '[age]'"
	d := &redcap.Dictionary{Fields: []redcap.Field{
		{FieldName: "record_id", FormName: "f", FieldType: "text"},
		{FieldName: "age", FormName: "f", FieldType: "text"},
		{FieldName: "visit", FormName: "f", FieldType: "text", Validation: "integer", ValidationMin: "[age]", ValidationMax: "[age:value]"},
		{FieldName: "pick", FormName: "f", FieldType: "sql", Choices: query, BranchingLogic: "[age] > 17"},
		{FieldName: "c", FormName: "f", FieldType: "radio", Choices: "1, Older than [age] | 2, No"},
	}}
	if err := RenameFields(d, map[string]string{"age": "f_age"}); err != nil {
		t.Fatal(err)
	}
	v, pick, c := d.Fields[2], d.Fields[3], d.Fields[4]
	checks := []struct{ what, got, want string }{
		{"validation min", v.ValidationMin, "[f_age]"},
		{"validation max", v.ValidationMax, "[f_age:value]"},
		{"sql query", pick.Choices, query},
		{"sql field's branching logic", pick.BranchingLogic, "[f_age] > 17"},
		{"choice label piping", c.Choices, "1, Older than [f_age] | 2, No"},
	}
	for _, ck := range checks {
		if ck.got != ck.want {
			t.Errorf("%s = %q, want %q", ck.what, ck.got, ck.want)
		}
	}
}

// TestRenamePlanTextualLogic: Apply rewrites logic that does not parse as
// text and says so with the plugin's code; RenameFields refuses it.
func TestRenamePlanTextualLogic(t *testing.T) {
	mk := func() *redcap.Dictionary {
		return &redcap.Dictionary{Fields: []redcap.Field{
			{FieldName: "record_id", FormName: "f", FieldType: "text"},
			{FieldName: "age", FormName: "f", FieldType: "text"},
			{FieldName: "x", FormName: "f", FieldType: "calc", Choices: "[age] + ((", BranchingLogic: "[age] > 1"},
		}}
	}
	d := mk()
	plan, diags := PlanRenames(d, Renames{Rename: map[string]string{"age": "f_age"}}, RenameCodes{Textual: "T1", LongName: "T2"})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	diags = plan.Apply(d)
	if len(diags) != 1 || diags[0].Code != "T1" || diags[0].Column != redcap.ColChoices.Key() {
		t.Errorf("diagnostics %v, want one T1 on the calculation", diags)
	}
	if x := d.Fields[2]; x.Choices != "[f_age] + ((" || x.BranchingLogic != "[f_age] > 1" {
		t.Errorf("x after Apply: %+v", x)
	}
	d = mk()
	err := RenameFields(d, map[string]string{"age": "f_age"})
	if err == nil || !strings.Contains(err.Error(), "field x, calculation") {
		t.Errorf("RenameFields on logic that does not parse: %v", err)
	}
	if d.Fields[1].FieldName != "age" || d.Fields[2].Choices != "[age] + ((" {
		t.Error("dictionary changed after a refused rename")
	}
}
