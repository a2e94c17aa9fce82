package wire

import (
	"fmt"
	"strings"
	"testing"

	"github.com/rcolpipe/rcolpipe/plugins/proto/rcolpipe/v1"
	"github.com/rcolpipe/rcolpipe/redcap"
)

// TestFieldRoundTrip gives each of the 18 columns its own value, so a
// swapped pair of columns in the conversion fails.
func TestFieldRoundTrip(t *testing.T) {
	var f redcap.Field
	for c := redcap.Column(0); c < redcap.NumColumns; c++ {
		f.Set(c, fmt.Sprintf("value of %s", c.Key()))
	}
	f.Origin = redcap.Origin{File: "a.csv", Line: 7, Row: 5}
	p := FieldToProto(&f)
	if p.GetBranchingLogic() != "value of branching_logic" || p.GetSelectChoicesOrCalculations() != "value of select_choices_or_calculations" {
		t.Errorf("proto field = %v", p)
	}
	back := FieldFromProto(p)
	if back != f {
		t.Errorf("round trip:\n got %+v\nwant %+v", back, f)
	}
}

func TestReadResponse(t *testing.T) {
	in := &redcap.Dictionary{Files: []string{"a.csv"}, Fields: []redcap.Field{
		{FieldName: "record_id", FormName: "f", Origin: redcap.Origin{File: "a.csv", Line: 2}},
		{FieldName: "age", FormName: "f", Origin: redcap.Origin{File: "a.csv", Line: 3}},
	}}
	diags := redcap.Diagnostics{
		{Severity: redcap.SeverityWarning, Code: "X1", Message: "m", Field: "age", Column: "field_note"},
		{Severity: redcap.SeverityInfo, Code: "X2", Message: "dropped row", File: "b.csv", Line: 9},
	}
	resp := ResponseFromResult(in, diags)
	if resp.Diagnostics[0].GetRowIndex() != 2 || resp.Diagnostics[1].GetRowIndex() != 0 {
		t.Fatalf("row indexes %d %d", resp.Diagnostics[0].GetRowIndex(), resp.Diagnostics[1].GetRowIndex())
	}
	out, got, err := ReadResponse(resp, in, "st")
	if err != nil {
		t.Fatal(err)
	}
	if out.Len() != 2 || out.Files[0] != "a.csv" {
		t.Errorf("out = %+v", out)
	}
	want := redcap.Diagnostics{
		{Severity: redcap.SeverityWarning, Code: "X1", Message: "m", Field: "age", Column: "field_note", File: "a.csv", Line: 3, Stage: "st"},
		{Severity: redcap.SeverityInfo, Code: "X2", Message: "dropped row", File: "b.csv", Line: 9, Stage: "st"},
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("diag %d = %+v, want %+v", i, got[i], want[i])
		}
	}

	bad := []struct {
		name string
		edit func(r *rcolpipev1.TransformResponse)
		want string
	}{
		{"row index out of range", func(r *rcolpipev1.TransformResponse) { r.Diagnostics[0].RowIndex = 3 }, "for row 3, but it returned only 2 rows"},
		{"unknown column", func(r *rcolpipev1.TransformResponse) { r.Diagnostics[0].Column = "notes" }, `unknown column "notes"`},
		{"no rows", func(r *rcolpipev1.TransformResponse) { r.Fields = nil }, "empty dictionary for 2 rows"},
		{"no form", func(r *rcolpipev1.TransformResponse) { r.Fields[1].FormName = "" }, "row 2 (origin a.csv:3) without a field_name or form_name"},
	}
	for _, b := range bad {
		r := ResponseFromResult(in, diags)
		b.edit(r)
		if _, _, err := ReadResponse(r, in, "st"); err == nil || !strings.Contains(err.Error(), b.want) {
			t.Errorf("%s: %v", b.name, err)
		}
	}
	// An unset severity is an error: a forgotten severity must not hide a finding.
	r := ResponseFromResult(in, diags)
	r.Diagnostics[0].Severity = rcolpipev1.Severity_SEVERITY_UNSPECIFIED
	if _, got, _ := ReadResponse(r, in, "st"); got[0].Severity != redcap.SeverityError {
		t.Errorf("unspecified severity read as %v", got[0].Severity)
	}
}

func TestCheckSize(t *testing.T) {
	small := &rcolpipev1.TransformRequest{Config: []byte("{}")}
	if err := CheckSize(small, "x"); err != nil {
		t.Error(err)
	}
	big := &rcolpipev1.TransformRequest{Config: make([]byte, MaxMessageSize+1)}
	if err := CheckSize(big, "the request"); err == nil || !strings.Contains(err.Error(), "the request is 64.0 MiB of protobuf, over the 64 MiB limit") {
		t.Errorf("big: %v", err)
	}
}
