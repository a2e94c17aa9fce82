package prefix

import (
	"context"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rcolpipe/rcolpipe/plugins/sdk"
	"github.com/rcolpipe/rcolpipe/redcap"
)

// dict builds a dictionary from rows of name, form, type and the columns
// given by key.
func dict(rows ...redcap.Field) *redcap.Dictionary {
	return &redcap.Dictionary{Fields: rows}
}

func fld(name, form, typ string, cols map[redcap.Column]string) redcap.Field {
	f := redcap.Field{FieldName: name, FormName: form, FieldType: typ}
	for c, v := range cols {
		f.Set(c, v)
	}
	return f
}

func codes(ds redcap.Diagnostics, sev redcap.Severity) []string {
	var out []string
	for _, d := range ds {
		if d.Severity == sev {
			out = append(out, d.Code+" "+d.Field)
		}
	}
	return out
}

func TestPrefixRewritesEveryReferenceKind(t *testing.T) {
	in := dict(
		fld("record_id", "demo", "text", nil),
		fld("a", "demo", "radio", map[redcap.Column]string{redcap.ColChoices: "1, Yes | 2, No"}),
		fld("cb", "demo", "checkbox", map[redcap.Column]string{redcap.ColChoices: "1, One | a, Letter a"}),
		fld("d", "demo", "text", map[redcap.Column]string{redcap.ColValidation: "date_ymd"}),
		fld("e", "other", "text", map[redcap.Column]string{
			redcap.ColSectionHeader:   "About [a:label] and [see below]",
			redcap.ColFieldLabel:      "You said [a], on [d] ([record_id])",
			redcap.ColFieldNote:       "Compare with [ev_1][a]",
			redcap.ColBranchingLogic:  "[a] = '1' and [cb(a)] = '1' and [ev_1][cb(1)] = '0' or [demo_complete] = '2'",
			redcap.ColValidationMin:   "[d]",
			redcap.ColFieldAnnotation: `@IF([a]='1', @HIDDEN, @READONLY) @DEFAULT='[d]' @CALCTEXT(if([a]>1, 'x', [cb:checked])) @CALCDATE([d], 1, 'd') @SETVALUE='[a]' @HIDECHOICE='1'`,
		}),
		fld("total", "other", "calc", map[redcap.Column]string{
			redcap.ColChoices:        "sum([a], [e]) + [a][2] + [aggregate-mean:a]",
			redcap.ColBranchingLogic: "// [a] in a comment\n[e] <> ''",
		}),
		fld("pick", "other", "dropdown", map[redcap.Column]string{redcap.ColChoices: "1, Same as [a] | 2, Other"}),
	)
	out, diags := Run(in, Config{Prefix: "p_", Forms: []string{"demo"}})
	if diags.HasErrors() {
		t.Fatalf("errors: %v", diags)
	}
	want := map[string]map[redcap.Column]string{
		"e": {
			redcap.ColSectionHeader:   "About [p_a:label] and [see below]",
			redcap.ColFieldLabel:      "You said [p_a], on [p_d] ([record_id])",
			redcap.ColFieldNote:       "Compare with [ev_1][p_a]",
			redcap.ColBranchingLogic:  "[p_a] = '1' and [p_cb(a)] = '1' and [ev_1][p_cb(1)] = '0' or [demo_complete] = '2'",
			redcap.ColValidationMin:   "[p_d]",
			redcap.ColFieldAnnotation: `@IF([p_a]='1', @HIDDEN, @READONLY) @DEFAULT='[p_d]' @CALCTEXT(if([p_a]>1, 'x', [p_cb:checked])) @CALCDATE([p_d], 1, 'd') @SETVALUE='[p_a]' @HIDECHOICE='1'`,
		},
		"total": {
			redcap.ColChoices:        "sum([p_a], [e]) + [p_a][2] + [aggregate-mean:p_a]",
			redcap.ColBranchingLogic: "// [a] in a comment\n[e] <> ''",
		},
		"pick": {redcap.ColChoices: "1, Same as [p_a] | 2, Other"},
	}
	var names []string
	for i := range out.Fields {
		f := &out.Fields[i]
		names = append(names, f.FieldName)
		for c, v := range want[f.FieldName] {
			if got := f.Get(c); got != v {
				t.Errorf("%s %s:\n got %s\nwant %s", f.FieldName, c.Key(), got, v)
			}
		}
	}
	if d := cmp.Diff([]string{"record_id", "p_a", "p_cb", "p_d", "e", "total", "pick"}, names); d != "" {
		t.Errorf("names (-want +got):\n%s", d)
	}
	// Checkbox codes and choices are untouched.
	if out.Fields[2].Choices != "1, One | a, Letter a" {
		t.Errorf("checkbox choices changed: %q", out.Fields[2].Choices)
	}
	// The input is not modified.
	if in.Fields[1].FieldName != "a" || in.Fields[4].FieldLabel != "You said [a], on [d] ([record_id])" {
		t.Error("Run changed its input")
	}
	if got := codes(diags, redcap.SeverityInfo); len(got) != 1 || !strings.Contains(diags[len(diags)-1].Message, "renamed 3 field(s)") {
		t.Errorf("summary: %v", diags)
	}
}

// TestPrefixChangesNothingElse checks every column of every row: only the
// names and the references change.
func TestPrefixChangesNothingElse(t *testing.T) {
	in := dict(
		fld("id", "f", "text", map[redcap.Column]string{redcap.ColFieldLabel: "ID", redcap.ColIdentifier: "y"}),
		fld("x", "f", "slider", map[redcap.Column]string{redcap.ColChoices: "low | mid | high", redcap.ColValidation: "number",
			redcap.ColRequiredField: "y", redcap.ColCustomAlignment: "RH", redcap.ColQuestionNumber: "1a", redcap.ColMatrixGroupName: "grid",
			redcap.ColMatrixRanking: "y", redcap.ColFieldAnnotation: "@HIDDEN"}),
	)
	out, diags := Run(in, Config{Prefix: "q_"})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	a, b := in.Fields[1].Values(), out.Fields[1].Values()
	a[redcap.ColFieldName] = "q_x"
	if a != b {
		t.Errorf("row changed beyond its name:\n%q\n%q", a, b)
	}
	if !in.Fields[0].SameData(&out.Fields[0]) {
		t.Error("the record ID row changed")
	}
}

func TestPrefixRecordIDUntouched(t *testing.T) {
	in := dict(fld("record_id", "demo", "text", nil), fld("age", "demo", "text", map[redcap.Column]string{redcap.ColFieldLabel: "[record_id]"}))
	out, diags := Run(in, Config{Prefix: "d_"})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	if out.Fields[0].FieldName != "record_id" || out.Fields[1].FieldName != "d_age" || out.Fields[1].FieldLabel != "[record_id]" {
		t.Errorf("got %q %q %q", out.Fields[0].FieldName, out.Fields[1].FieldName, out.Fields[1].FieldLabel)
	}

	out, diags = Run(in, Config{Rename: map[string]string{"record_id": "subject"}})
	if got := codes(diags, redcap.SeverityError); !cmp.Equal(got, []string{"PX004 record_id"}) {
		t.Errorf("errors = %v", got)
	}
	if out != in {
		t.Error("a refused rename must return the dictionary unchanged")
	}
}

func TestPrefixFormsFilter(t *testing.T) {
	in := dict(
		fld("id", "a", "text", nil), fld("x", "a", "text", nil),
		fld("y", "b", "text", map[redcap.Column]string{redcap.ColBranchingLogic: "[x] = 1 and [z] = 2"}),
		fld("z", "c", "text", nil),
	)
	out, diags := Run(in, Config{Prefix: "b_", Forms: []string{"b", "c"}})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	var names []string
	for _, f := range out.Fields {
		names = append(names, f.FieldName)
	}
	if d := cmp.Diff([]string{"id", "x", "b_y", "b_z"}, names); d != "" {
		t.Error(d)
	}
	if out.Fields[2].BranchingLogic != "[x] = 1 and [b_z] = 2" {
		t.Errorf("logic %q", out.Fields[2].BranchingLogic)
	}

	out, diags = Run(in, Config{Prefix: "b_", Forms: []string{"b", "nope"}})
	if got := codes(diags, redcap.SeverityError); !cmp.Equal(got, []string{"PX002 "}) || out != in {
		t.Errorf("unknown form: errors %v", got)
	}
}

func TestPrefixRenameMap(t *testing.T) {
	in := dict(
		fld("id", "a", "text", nil), fld("x", "a", "text", nil), fld("y", "a", "calc", map[redcap.Column]string{redcap.ColChoices: "[x] + [w]"}),
		fld("w", "b", "text", nil),
	)
	// Rename alone.
	out, diags := Run(in, Config{Rename: map[string]string{"x": "x_new"}})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	if out.Fields[1].FieldName != "x_new" || out.Fields[2].Choices != "[x_new] + [w]" || out.Fields[3].FieldName != "w" {
		t.Errorf("rename alone: %+v", out.Fields)
	}
	// Besides a prefix: the map wins for its field, and applies outside the
	// chosen forms too.
	out, diags = Run(in, Config{Prefix: "a_", Forms: []string{"a"}, Rename: map[string]string{"x": "xx", "w": "ww"}})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	var names []string
	for _, f := range out.Fields {
		names = append(names, f.FieldName)
	}
	if d := cmp.Diff([]string{"id", "xx", "a_y", "ww"}, names); d != "" {
		t.Error(d)
	}
	if out.Fields[2].Choices != "[xx] + [ww]" {
		t.Errorf("calc %q", out.Fields[2].Choices)
	}
	// A name that is not there.
	_, diags = Run(in, Config{Rename: map[string]string{"nope": "n"}})
	if got := codes(diags, redcap.SeverityError); !cmp.Equal(got, []string{"PX003 "}) {
		t.Errorf("unknown name: %v", got)
	}
}

func TestPrefixCollisions(t *testing.T) {
	in := dict(
		fld("id", "a", "text", nil), fld("x", "a", "text", nil), fld("y", "a", "text", nil),
		fld("p_x", "b", "text", nil),
	)
	tests := []struct {
		name string
		cfg  Config
		want []string
	}{
		{"prefix onto an existing name", Config{Prefix: "p_", Forms: []string{"a"}}, []string{"PX005 x"}},
		{"rename onto an existing name", Config{Rename: map[string]string{"y": "p_x"}}, []string{"PX005 y"}},
		{"rename onto the record ID", Config{Rename: map[string]string{"y": "id"}}, []string{"PX005 y"}},
		{"two renames onto one name", Config{Rename: map[string]string{"x": "z", "y": "z"}}, []string{"PX005 x", "PX005 y"}},
		{"rename onto a form status field", Config{Rename: map[string]string{"y": "b_complete"}}, []string{"PX005 y"}},
		{"rename onto a reserved name", Config{Rename: map[string]string{"y": "redcap_event_name"}}, []string{"PX006 y"}},
		{"too long", Config{Prefix: strings.Repeat("l", 100)}, []string{"PX006 x", "PX006 y", "PX006 p_x"}},
		{"invalid characters", Config{Rename: map[string]string{"y": "Y-new"}}, []string{"PX006 y"}},
		{"trailing underscore", Config{Rename: map[string]string{"y": "y_"}}, []string{"PX006 y"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, diags := Run(in, tt.cfg)
			if d := cmp.Diff(tt.want, codes(diags, redcap.SeverityError)); d != "" {
				t.Errorf("errors (-want +got):\n%s\n%v", d, diags)
			}
			if out != in {
				t.Error("a refused rename must return the dictionary unchanged")
			}
		})
	}
	// Swapping two names through the map is not a collision.
	out, diags := Run(in, Config{Rename: map[string]string{"x": "y", "y": "x"}})
	if diags.HasErrors() || out.Fields[1].FieldName != "y" || out.Fields[2].FieldName != "x" {
		t.Errorf("swap: %v %+v", diags, out.Fields)
	}
}

func TestPrefixWarnings(t *testing.T) {
	in := dict(
		fld("id", "f", "text", nil),
		fld("already_there", "f", "text", nil),
		fld("a_name_of_twenty_four_c", "f", "text", nil),
		fld("bad_Name", "f", "text", nil),
		fld("c", "f", "calc", map[redcap.Column]string{redcap.ColChoices: "[a_name_of_twenty_four_c] + (", redcap.ColBranchingLogic: "[c] = 1"}),
	)
	out, diags := Run(in, Config{Prefix: "already_"})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	want := []string{"PX007 a_name_of_twenty_four_c", "PX006 bad_Name", "PX008 already_c"}
	if d := cmp.Diff(want, codes(diags, redcap.SeverityWarning)); d != "" {
		t.Errorf("warnings (-want +got):\n%s\n%v", d, diags)
	}
	if out.Fields[1].FieldName != "already_there" {
		t.Errorf("a name with the prefix was prefixed again: %s", out.Fields[1].FieldName)
	}
	if out.Fields[4].Choices != "[already_a_name_of_twenty_four_c] + (" {
		t.Errorf("unparsable calc not rewritten as text: %q", out.Fields[4].Choices)
	}
	if !strings.Contains(diags[len(diags)-1].Message, "1 already had the prefix") {
		t.Errorf("summary %q", diags[len(diags)-1].Message)
	}
}

// TestPrefixDuplicatedNameSplit: a name used in a chosen and another form
// is renamed in the chosen form only, and references from that form follow.
func TestPrefixDuplicatedNameSplit(t *testing.T) {
	in := dict(
		fld("id", "moca", "text", nil),
		fld("moca_digits", "moca", "text", nil),
		fld("moca_total", "moca", "calc", map[redcap.Column]string{redcap.ColChoices: "[moca_digits]"}),
		fld("moca_digits", "rtg_moca", "text", nil),
		fld("moca_sum", "rtg_moca", "calc", map[redcap.Column]string{redcap.ColChoices: "[moca_digits] * 2"}),
	)
	out, diags := Run(in, Config{Prefix: "rtg_", Forms: []string{"rtg_moca"}})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	if got := codes(diags, redcap.SeverityWarning); !cmp.Equal(got, []string{"PX009 moca_digits"}) {
		t.Errorf("warnings %v", got)
	}
	got := []string{out.Fields[1].FieldName, out.Fields[2].Choices, out.Fields[3].FieldName, out.Fields[4].FieldName, out.Fields[4].Choices}
	want := []string{"moca_digits", "[moca_digits]", "rtg_moca_digits", "rtg_moca_sum", "[rtg_moca_digits] * 2"}
	if d := cmp.Diff(want, got); d != "" {
		t.Error(d)
	}
}

func TestParseConfig(t *testing.T) {
	tests := []struct {
		in, err string
		want    Config
	}{
		{in: `{"prefix":"sf_","forms":["sf12"]}`, want: Config{Prefix: "sf_", Forms: []string{"sf12"}}},
		{in: `{"rename":{"a":"b"}}`, want: Config{Rename: map[string]string{"a": "b"}}},
		{in: ``, err: "config is empty"},
		{in: `{}`, err: "give prefix, rename, or both"},
		{in: `{"prefx":"a_"}`, err: `unknown field "prefx"`},
		{in: `{"prefix":"A_"}`, err: `prefix "A_" must start with a lower-case letter`},
		{in: `{"prefix":"a_"} {}`, err: "extra data"},
		{in: `{"prefix":3}`, err: "cannot unmarshal number"},
	}
	for _, tt := range tests {
		got, err := ParseConfig([]byte(tt.in))
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("%s: err %v, want %q", tt.in, err, tt.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", tt.in, err)
		} else if d := cmp.Diff(tt.want, got); d != "" {
			t.Errorf("%s: %s", tt.in, d)
		}
	}
}

func TestTransformer(t *testing.T) {
	tr := New()
	if info := tr.Info(); info.Name != "prefix" || len(info.ConfigSchema) == 0 {
		t.Errorf("info %+v", info)
	}
	in := dict(fld("id", "f", "text", nil), fld("x", "f", "text", nil))
	resp, err := tr.Transform(context.Background(), &sdk.Request{Dictionary: in, Config: []byte(`{"prefix":"f_"}`), Stage: "prefix"})
	if err != nil {
		t.Fatal(err)
	}
	if resp.Dictionary.Fields[1].FieldName != "f_x" {
		t.Errorf("not renamed: %+v", resp.Dictionary.Fields)
	}
	resp, err = tr.Transform(context.Background(), &sdk.Request{Dictionary: in, Config: []byte(`{"prefix":""}`), Stage: "prefix"})
	if err != nil {
		t.Fatal(err)
	}
	if got := codes(resp.Diagnostics, redcap.SeverityError); !cmp.Equal(got, []string{"PX001 "}) || resp.Dictionary.Fields[1].FieldName != "x" {
		t.Errorf("bad config: %v", resp.Diagnostics)
	}
}
