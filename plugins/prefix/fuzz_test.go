package prefix

import (
	"strings"
	"testing"

	"github.com/rcolpipe/rcolpipe/redcap"
)

// FuzzPrefix puts arbitrary text in the cells that hold references: the
// prefix never panics, never renames the record ID, and renames each other
// field to prefix+name or refuses the whole run.
func FuzzPrefix(f *testing.F) {
	f.Add("[a] = '1'", "You said [a:label]", "@IF([b]='1', @HIDDEN, '') @DEFAULT='[a]'", "[a] + [b]")
	f.Add("[ev][a(1)] = '1' or [aggregate-mean:b] > 2", "[see below] [a", "@CALCTEXT(if([a]>1,'x','y'))", "sum([a],[b]")
	f.Add("", "", "", "")
	f.Fuzz(func(t *testing.T, logic, label, annotation, calc string) {
		in := &redcap.Dictionary{Fields: []redcap.Field{
			{FieldName: "id", FormName: "f", FieldType: "text", FieldLabel: label},
			{FieldName: "a", FormName: "f", FieldType: "radio", Choices: "1, [b] | 2, y", BranchingLogic: logic},
			{FieldName: "b", FormName: "g", FieldType: "calc", Choices: calc, FieldAnnotation: annotation, FieldLabel: label},
		}}
		out, diags := Run(in, Config{Prefix: "p_"})
		if diags.HasErrors() {
			if out != in {
				t.Fatal("a refused run changed the dictionary")
			}
			return
		}
		if out.Len() != in.Len() || out.Fields[0].FieldName != "id" {
			t.Fatalf("rows or record ID changed: %+v", out.Fields)
		}
		for i := 1; i < out.Len(); i++ {
			if out.Fields[i].FieldName != "p_"+in.Fields[i].FieldName {
				t.Fatalf("row %d: %q", i, out.Fields[i].FieldName)
			}
		}
		// Columns that never hold references are untouched.
		for i := range out.Fields {
			a, b := in.Fields[i].Values(), out.Fields[i].Values()
			for _, c := range []redcap.Column{redcap.ColFormName, redcap.ColFieldType, redcap.ColIdentifier, redcap.ColMatrixGroupName} {
				if a[c] != b[c] {
					t.Fatalf("row %d column %s changed", i, c.Key())
				}
			}
			// A cell without '[' holds no reference and stays as it was.
			for c := redcap.ColSectionHeader; c < redcap.NumColumns; c++ {
				if !strings.Contains(a[c], "[") && a[c] != b[c] {
					t.Fatalf("row %d column %s changed without a reference: %q -> %q", i, c.Key(), a[c], b[c])
				}
			}
		}
	})
}
