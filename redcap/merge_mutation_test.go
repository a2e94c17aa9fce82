package redcap

import (
	"strings"
	"testing"
)

// Tests written to kill mutants that scripts/mutation.sh found alive; each
// asserts behaviour a user relies on.

// An upload of an empty input (every form filtered out, say) keeps the whole
// project as it is, with no note about the record ID.
func TestMergeEmptyInputKeepsTheProject(t *testing.T) {
	project := dict("demo:record_id", "demo:age", "visit:weight")
	res := Merge(project, &Dictionary{})
	if got, want := names(res.Dictionary), names(project); got != want {
		t.Errorf("merged %q, want the project %q", got, want)
	}
	if strings.Join(res.Kept, ",") != "demo,visit" || len(res.Replaced) != 0 || len(res.Added) != 0 {
		t.Errorf("kept %v replaced %v added %v", res.Kept, res.Replaced, res.Added)
	}
	if len(res.Notes) != 0 {
		t.Errorf("notes for an empty input: %v", res.Notes)
	}
}

// The note about a dropped record-ID copy names where the kept copy came
// from: "file:line" for a CSV row, just the file when there is no line.
func TestStackNamesTheKeptRecordIDsOrigin(t *testing.T) {
	for _, tc := range []struct {
		line int
		want string
	}{
		{2, "(a.csv:2)"},
		{1, "(a.csv:1)"},
		{0, "(a.csv)"},
	} {
		a := &Dictionary{Files: []string{"a.csv"}, Fields: []Field{{FieldName: "record_id", FormName: "a", FieldType: "text", Origin: Origin{File: "a.csv", Line: tc.line}}}}
		b := stackInput("b.csv", "record_id")
		_, ds := Stack(a, b)
		if len(ds) != 1 || !strings.Contains(ds[0].Message, tc.want) {
			t.Errorf("line %d: diagnostics %v, want a message naming %s", tc.line, ds, tc.want)
		}
		if tc.line == 0 && strings.Contains(ds[0].Message, ":0") {
			t.Errorf("line 0 rendered: %q", ds[0].Message)
		}
	}
}
