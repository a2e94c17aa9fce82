package prefix

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rcolpipe/rcolpipe/redcap"
)

// TestPrefixSplitRenameFollowsEveryReference: when a duplicated name is
// renamed in the chosen form only (a split rename), every reference
// written in that form follows it (branching logic, labels, action tags,
// not only calc equations), and references in the other form keep the
// old name, which still names that form's own row.
func TestPrefixSplitRenameFollowsEveryReference(t *testing.T) {
	in := dict(
		fld("id", "moca", "text", nil),
		fld("moca_digits", "moca", "text", nil),
		fld("moca_note", "moca", "notes", map[redcap.Column]string{
			redcap.ColBranchingLogic:  "[moca_digits] > 3",
			redcap.ColFieldLabel:      "You wrote [moca_digits]",
			redcap.ColFieldAnnotation: "@DEFAULT='[moca_digits]'",
		}),
		fld("moca_digits", "rtg_moca", "text", nil),
		fld("moca_flag", "rtg_moca", "yesno", map[redcap.Column]string{
			redcap.ColBranchingLogic:  "[moca_digits] > 3 and [id] <> ''",
			redcap.ColFieldLabel:      "You wrote [moca_digits]",
			redcap.ColFieldAnnotation: "@DEFAULT='[moca_digits]'",
		}),
		fld("moca_sum", "rtg_moca", "calc", map[redcap.Column]string{redcap.ColChoices: "[moca_digits] * 2"}),
	)
	out, diags := Run(in, Config{Prefix: "rtg_", Forms: []string{"rtg_moca"}})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	if got := codes(diags, redcap.SeverityWarning); !cmp.Equal(got, []string{"PX009 moca_digits"}) {
		t.Errorf("warnings %v, want the split rename of moca_digits", got)
	}
	type cells struct{ Name, Logic, Label, Annotation, Calc string }
	var got []cells
	for _, f := range out.Fields {
		got = append(got, cells{f.FieldName, f.BranchingLogic, f.FieldLabel, f.FieldAnnotation, f.Choices})
	}
	want := []cells{
		{Name: "id"},
		{Name: "moca_digits"},
		// The other form's references stay: its moca_digits keeps its name.
		{"moca_note", "[moca_digits] > 3", "You wrote [moca_digits]", "@DEFAULT='[moca_digits]'", ""},
		{Name: "rtg_moca_digits"},
		{"rtg_moca_flag", "[rtg_moca_digits] > 3 and [id] <> ''", "You wrote [rtg_moca_digits]", "@DEFAULT='[rtg_moca_digits]'", ""},
		{"rtg_moca_sum", "", "", "", "[rtg_moca_digits] * 2"},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("after the split rename (-want +got):\n%s", d)
	}
}

// TestPrefixNeverTouchesSQLQuery: the query of an sql field is SQL, whose
// brackets and words are not REDCap references; neither a global nor a
// split rename may change it, in the chosen form or elsewhere.
func TestPrefixNeverTouchesSQLQuery(t *testing.T) {
	const query = "select value, value from redcap_data where project_id = 12 and field_name = 'age' and value like '[age]%'"
	rows := []redcap.Field{
		fld("id", "demo", "text", nil),
		fld("age", "demo", "text", nil),
		fld("pick", "demo", "sql", map[redcap.Column]string{redcap.ColChoices: query, redcap.ColBranchingLogic: "[age] > 17"}),
		fld("pick2", "other", "sql", map[redcap.Column]string{redcap.ColChoices: query}),
		fld("age", "other", "text", nil), // a duplicate, for the split rename
	}
	for _, tc := range []struct {
		name    string
		in      *redcap.Dictionary
		cfg     Config
		newName string
	}{
		{"split", dict(rows...), Config{Prefix: "d_", Forms: []string{"demo"}}, "d_age"},
		{"global rename", dict(rows[:4]...), Config{Rename: map[string]string{"age": "years"}}, "years"},
		{"prefix on every form", dict(rows[:4]...), Config{Prefix: "o_"}, "o_age"},
	} {
		out, diags := Run(tc.in, tc.cfg)
		if diags.HasErrors() {
			t.Fatalf("%s: %v", tc.name, diags)
		}
		if out.Fields[1].FieldName != tc.newName {
			t.Fatalf("%s: age became %q, want %q", tc.name, out.Fields[1].FieldName, tc.newName)
		}
		for _, f := range out.Fields {
			if f.FieldType == "sql" && f.Choices != query {
				t.Errorf("%s: the query of %s changed:\n got %s\nwant %s", tc.name, f.FieldName, f.Choices, query)
			}
		}
		// The sql field's own branching logic is logic, and follows.
		if got, want := out.Fields[2].BranchingLogic, "["+tc.newName+"] > 17"; got != want {
			t.Errorf("%s: the sql field's branching logic is %q, want %q", tc.name, got, want)
		}
	}
}
