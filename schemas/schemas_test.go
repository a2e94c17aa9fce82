package schemas

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rcolpipe/rcolpipe/redcap"
)

// field returns a valid text row with the given columns changed.
func field(line int, kv ...string) redcap.Field {
	f := redcap.Field{FieldName: "age", FormName: "demo", FieldType: "text", FieldLabel: "Age",
		Origin: redcap.Origin{File: "demo.csv", Line: line, Row: line - 1}}
	for i := 0; i+1 < len(kv); i += 2 {
		c, ok := redcap.ColumnByKey(kv[i])
		if !ok {
			panic("no column " + kv[i])
		}
		f.Set(c, kv[i+1])
	}
	return f
}

func writeSchema(t *testing.T, name, body string) string {
	t.Helper()
	return writeSchemaIn(t, t.TempDir(), name, body)
}

func writeSchemaIn(t *testing.T, dir, name, body string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// short is the part of a diagnostic a table test compares.
type short struct {
	Code, Column, Severity, Message string
	Line                            int
}

func shorten(ds redcap.Diagnostics) []short {
	out := []short{}
	for _, d := range ds {
		out = append(out, short{d.Code, d.Column, d.Severity.String(), d.Message, d.Line})
	}
	return out
}

// The published row schema's rules, checked through a user schema that
// $refs it; the runtime copy (Compile with no files) reports the same
// except the per-type conditions, which it leaves to the Go rules.
func TestRowSchemaBuiltinRules(t *testing.T) {
	full, err := Compile(writeSchema(t, "full.json", `{"$ref": "`+RowSchemaURL+`"}`))
	if err != nil {
		t.Fatal(err)
	}
	runtime, err := Compile()
	if err != nil {
		t.Fatal(err)
	}
	perType := map[string]bool{"RS008": true, "RS010": true, "RS011": true}
	tests := []struct {
		name string
		f    redcap.Field
		want []short
	}{
		{"valid text", field(2), []short{}},
		{"legacy types are accepted", field(2, "field_type", "textarea"), []short{}},
		{"field type is case-sensitive", field(3, "field_type", "Text"),
			[]short{{"RS004", "field_type", "error", `field_type "Text" is not one of "text", "notes", "radio", "dropdown", "calc", "file", "checkbox", "yesno", "truefalse", "descriptive", "slider", "sql", "advcheckbox", "textarea", "select"`, 3}}},
		{"missing field name", field(4, "field_name", ""),
			[]short{{"RS002", "field_name", "error", "field_name is empty", 4}}},
		{"field name too long", field(4, "field_name", strings.Repeat("a", 101)),
			[]short{{"RS002", "field_name", "error", "field_name has 101 characters, more than 100", 4}}},
		{"missing form name", field(5, "form_name", ""),
			[]short{{"RS003", "form_name", "error", "form_name is empty", 5}}},
		{"flag other than y", field(6, "identifier", "yes"),
			[]short{{"RS005", "identifier", "warning", `identifier "yes" is not y; REDCap would blank it`, 6}}},
		{"flags y and Y with spaces pass", field(6, "identifier", " Y ", "required_field", "y"), []short{}},
		{"custom alignment lower case", field(7, "custom_alignment", "lv"),
			[]short{{"RS006", "custom_alignment", "warning", `custom alignment "lv" is not LV, LH, RV or RH; REDCap would blank it`, 7}}},
		{"question number over 10", field(8, "question_number", "12345678901"),
			[]short{{"RS007", "question_number", "warning", `question number "12345678901" is longer than 10 characters; REDCap would truncate it`, 8}}},
		{"radio without choices", field(9, "field_type", "radio", "select_choices_or_calculations", "  "),
			[]short{{"RS008", "select_choices_or_calculations", "error", "column F is empty: a radio field needs its choices (or, for calc, its equation) there", 9}}},
		{"radio with choices", field(9, "field_type", "radio", "select_choices_or_calculations", "1, a | 2, b"), []short{}},
		{"calc without equation", field(10, "field_type", "calc"),
			[]short{{"RS008", "select_choices_or_calculations", "error", "column F is empty: a calc field needs its choices (or, for calc, its equation) there", 10}}},
		{"required descriptive", field(11, "field_type", "descriptive", "required_field", "y"),
			[]short{{"RS010", "required_field", "warning", "a descriptive field cannot be required; REDCap would clear the flag", 11}}},
		{"slider bounds", field(12, "field_type", "slider", "text_validation_min", "0", "text_validation_max", "1.5"),
			[]short{{"RS011", "text_validation_max", "error", `slider bound "1.5" is not an integer`, 12}}},
		{"slider integer bounds", field(12, "field_type", "slider", "text_validation_min", "-1", "text_validation_max", " 101 "), []short{}},
		{"two findings on one row", field(13, "identifier", "NA", "matrix_ranking", "NA"),
			[]short{
				{"RS005", "identifier", "warning", `identifier "NA" is not y; REDCap would blank it`, 13},
				{"RS005", "matrix_ranking", "warning", `matrix_ranking "NA" is not y; REDCap would blank it`, 13},
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := shorten(sorted(full.ValidateField(&tt.f)))
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("published schema: diagnostics (-want +got):\n%s", diff)
			}
			wantRuntime := []short{}
			for _, w := range tt.want {
				if !perType[w.Code] {
					wantRuntime = append(wantRuntime, w)
				}
			}
			got = shorten(sorted(runtime.ValidateField(&tt.f)))
			if diff := cmp.Diff(wantRuntime, got); diff != "" {
				t.Errorf("runtime copy: diagnostics (-want +got):\n%s", diff)
			}
		})
	}
}

func sorted(ds redcap.Diagnostics) redcap.Diagnostics {
	out := append(redcap.Diagnostics(nil), ds...)
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j].Column < out[j-1].Column; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

func TestDiagnosticCarriesOrigin(t *testing.T) {
	set, err := Compile()
	if err != nil {
		t.Fatal(err)
	}
	f := field(42, "field_name", "wt", "field_type", "Radio")
	f.Origin.File = "instruments/a.csv"
	ds := set.ValidateField(&f)
	if len(ds) != 1 {
		t.Fatalf("got %d diagnostics, want 1: %v", len(ds), ds)
	}
	d := ds[0]
	if d.File != "instruments/a.csv" || d.Line != 42 || d.Field != "wt" || d.Column != "field_type" || d.Hint == "" {
		t.Errorf("diagnostic %+v: want file, line 42, field wt, column field_type and a hint", d)
	}
}

// The two conventions of the issue, written as user schemas: x-code,
// x-message, x-severity and x-hint are used; a rule without x-code is
// reported as SCHEMA with our own rendering of the failed keyword.
func TestUserSchemaAnnotations(t *testing.T) {
	note := writeSchema(t, "note.json", `{
	  "$schema": "https://json-schema.org/draft/2020-12/schema",
	  "if": {"properties": {"field_type": {"const": "text"}}},
	  "then": {"properties": {"field_note": {"minLength": 1}}},
	  "x-code": "INST001", "x-severity": "warning",
	  "x-message": "text field {field} has no field note",
	  "x-hint": "say what to enter in {column}"
	}`)
	prefix := writeSchema(t, "prefix.json", `{
	  "allOf": [
	    {"if": {"properties": {"form_name": {"const": "demo"}}},
	     "then": {"properties": {"field_name": {"pattern": "^dem_"}}},
	     "x-code": "INST002", "x-message": "{field} does not start with dem_"},
	    {"properties": {"field_label": {"maxLength": 5}}}
	  ]
	}`)
	set, err := Compile(note, prefix)
	if err != nil {
		t.Fatal(err)
	}
	f := field(7, "field_label", "How old are you?")
	ds := set.ValidateField(&f)
	got := shorten(sorted(ds))
	want := []short{
		{"SCHEMA", "field_label", "error", "field_label has 16 characters, more than 5", 7},
		{"INST002", "field_name", "error", "age does not start with dem_", 7},
		{"INST001", "field_note", "warning", "text field age has no field note", 7},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("diagnostics (-want +got):\n%s", diff)
	}
	for _, d := range ds {
		if d.Code == "INST001" && d.Hint != "say what to enter in field_note" {
			t.Errorf("hint %q: placeholders not expanded", d.Hint)
		}
		if d.Code == "SCHEMA" && d.Hint != "shorten field_label to at most 5 characters" {
			t.Errorf("SCHEMA hint %q: want our own hint for maxLength", d.Hint)
		}
		if d.Code == "INST002" && d.Hint != "" {
			t.Errorf("INST002 hint %q: a rule with x-message but no x-hint gets no generic hint", d.Hint)
		}
	}
	ok := field(8, "field_name", "dem_age", "field_label", "Age", "field_note", "years")
	if ds := set.ValidateField(&ok); len(ds) != 0 {
		t.Errorf("conforming row: got %v", ds)
	}

	codes := map[string]Check{}
	for _, c := range set.Checks() {
		codes[c.Code] = c
	}
	if c := codes["INST001"]; c.Severity != redcap.SeverityWarning || c.Schema != note {
		t.Errorf("check INST001 = %+v, want a warning from %s", c, note)
	}
	if _, ok := codes["RS004"]; !ok {
		t.Errorf("checks lack the builtin RS004: %v", set.Checks())
	}
}

// x-code on a $ref's target and on the referring schema: the deepest one
// on the path wins; a rule reached through $ref of the row schema keeps its
// RS code and is reported once.
func TestAnnotationsThroughRef(t *testing.T) {
	dir := t.TempDir()
	writeSchemaIn(t, dir, "defs.json", `{
	  "$defs": {
	    "snake": {"pattern": "^[a-z_]+$", "x-code": "DEF001", "x-message": "{column} is not snake case"},
	    "plain": {"pattern": "^[a-z]+$"}
	  }
	}`)
	user := writeSchemaIn(t, dir, "user.json", `{
	  "allOf": [{"$ref": "`+RowSchemaURL+`"}],
	  "properties": {
	    "form_name": {"$ref": "defs.json#/$defs/snake"},
	    "field_name": {"$ref": "defs.json#/$defs/plain", "x-code": "REF002"},
	    "matrix_group_name": {"not": {"const": "bad"}, "x-code": "NOT003"}
	  }
	}`)
	set, err := Compile(user)
	if err != nil {
		t.Fatal(err)
	}
	f := field(3, "form_name", "Demo", "field_name", "age2", "field_type", "TEXT", "matrix_group_name", "bad")
	got := shorten(sorted(set.ValidateField(&f)))
	want := []short{
		{"REF002", "field_name", "error", `field_name "age2" does not match the pattern ^[a-z]+$`, 3},
		{"RS004", "field_type", "error", `field_type "TEXT" is not one of "text", "notes", "radio", "dropdown", "calc", "file", "checkbox", "yesno", "truefalse", "descriptive", "slider", "sql", "advcheckbox", "textarea", "select"`, 3},
		{"DEF001", "form_name", "error", "form_name is not snake case", 3},
		{"NOT003", "matrix_group_name", "error", `matrix_group_name "bad" matches a schema it must not match`, 3},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("diagnostics (-want +got):\n%s", diff)
	}
}

// An anyOf with an x-message is one finding, not one per alternative.
func TestAnyOfWithMessageCollapses(t *testing.T) {
	s := writeSchema(t, "any.json", `{
	  "anyOf": [
	    {"properties": {"field_type": {"const": "descriptive"}}},
	    {"properties": {"field_label": {"minLength": 1}}}
	  ],
	  "x-code": "LBL", "x-message": "label missing"
	}`)
	set, err := Compile(s)
	if err != nil {
		t.Fatal(err)
	}
	f := field(2, "field_label", "")
	got := shorten(set.ValidateField(&f))
	want := []short{{"LBL", "", "error", "label missing", 2}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("diagnostics (-want +got):\n%s", diff)
	}
}

func TestCompileErrors(t *testing.T) {
	bad := writeSchema(t, "bad.json", `{"type": 12}`)
	notJSON := writeSchema(t, "nj.json", `{"type": `)
	sev := writeSchema(t, "sev.json", `{"properties": {"field_note": {"minLength": 1, "x-severity": "fatal"}}}`)
	remote := writeSchema(t, "remote.json", `{"$ref": "https://example.invalid/x.json"}`)
	for _, tc := range []struct{ file, want string }{
		{bad, "compile schema " + bad},
		{notJSON, "not JSON"},
		{sev, `x-severity "fatal"`},
		{remote, "compile schema " + remote},
		{filepath.Join(t.TempDir(), "missing.json"), "read schema"},
	} {
		_, err := Compile(tc.file)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Compile(%s) error = %v, want it to contain %q", filepath.Base(tc.file), err, tc.want)
		}
	}
}

// Parallel validation returns the same findings, in row order.
func TestValidateParallelKeepsRowOrder(t *testing.T) {
	set, err := Compile()
	if err != nil {
		t.Fatal(err)
	}
	d := &redcap.Dictionary{}
	for i := range 3000 {
		f := field(i + 2)
		if i%7 == 0 {
			f.CustomAlignment = "xx"
		}
		d.Fields = append(d.Fields, f)
	}
	ds := set.Validate(d)
	if len(ds) != (3000+6)/7 {
		t.Fatalf("got %d diagnostics, want %d", len(ds), (3000+6)/7)
	}
	for i, x := range ds {
		if x.Line != i*7+2 || x.Code != "RS006" {
			t.Fatalf("diagnostic %d = %v, want RS006 at line %d", i, x, i*7+2)
		}
	}
}

func TestBuiltinChecksDocumented(t *testing.T) {
	checks := BuiltinChecks()
	if len(checks) < 10 {
		t.Fatalf("got %d builtin checks", len(checks))
	}
	seen := map[string]bool{}
	for _, c := range checks {
		if !strings.HasPrefix(c.Code, "RS") || c.Title == "" || c.Doc == "" {
			t.Errorf("check %+v: want an RS code, a title and a doc", c)
		}
		if seen[c.Code] {
			t.Errorf("check %s listed twice", c.Code)
		}
		seen[c.Code] = true
	}
	var v any
	if err := json.Unmarshal(RowSchema(), &v); err != nil {
		t.Fatal(err)
	}
}

// The published row schema checks the shape a Field always has (18 keys,
// strings); rows are checked against a copy without those keywords. A user
// schema that $refs the full schema still gets them, with code RS001.
func TestFullRowSchemaShape(t *testing.T) {
	user := writeSchema(t, "full.json", `{"$ref": "`+RowSchemaURL+`"}`)
	set, err := Compile(user)
	if err != nil {
		t.Fatal(err)
	}
	f := field(4)
	row := map[string]any{}
	for c := redcap.Column(0); c < redcap.NumColumns; c++ {
		row[redcap.Columns[c].Key] = f.Get(c)
	}
	row["section_header"] = 3.5
	delete(row, "field_note")
	row["choices"] = ""
	got := shorten(sorted(set.validateRow(&f, row, nil)))
	want := []short{
		{"RS001", "", "error", "the row has unexpected columns choices", 4},
		{"RS001", "field_note", "error", "the row has no field_note column", 4},
		{"RS001", "section_header", "error", "section_header must be a string, not number", 4},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("diagnostics (-want +got):\n%s", diff)
	}
	// Without the user schema, only the pruned copy runs: nothing checks
	// what a Field cannot get wrong.
	plain, err := Compile()
	if err != nil {
		t.Fatal(err)
	}
	if ds := plain.validateRow(&f, row, nil); len(ds) != 0 {
		t.Errorf("pruned row schema reported %v", ds)
	}
}

// Without user schemas, rows are checked with only the columns the row
// check reads; with one, with all 18 (a user rule may read any column).
func TestCheckedColumns(t *testing.T) {
	plain, err := Compile()
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, c := range plain.columns {
		keys = append(keys, c.Key())
	}
	want := "field_name form_name field_type identifier required_field custom_alignment question_number matrix_ranking"
	if strings.Join(keys, " ") != want {
		t.Errorf("row check columns %v, want %s", keys, want)
	}
	user, err := Compile(writeSchema(t, "u.json", `{"properties": {"field_note": {"minLength": 1}}}`))
	if err != nil {
		t.Fatal(err)
	}
	if len(user.columns) != redcap.NumColumns {
		t.Errorf("with a user schema: %d columns, want 18", len(user.columns))
	}
	f := field(2)
	if ds := user.ValidateField(&f); len(ds) != 1 || ds[0].Column != "field_note" {
		t.Errorf("user rule on field_note: %v", ds)
	}
	if got := checkedColumns(map[string]any{"properties": map[string]any{}, "dependentRequired": map[string]any{}}); len(got) != redcap.NumColumns {
		t.Errorf("a root keyword other than properties: %d columns, want all", len(got))
	}
}
