package pipeline

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rcolpipe/rcolpipe/redcap"
	"github.com/rcolpipe/rcolpipe/schemas"
)

func vrow(file string, line int, kv ...string) redcap.Field {
	f := redcap.Field{FormName: "demo", FieldType: "text", FieldLabel: "Label",
		Origin: redcap.Origin{File: file, Line: line, Row: line - 1}}
	for i := 0; i+1 < len(kv); i += 2 {
		c, ok := redcap.ColumnByKey(kv[i])
		if !ok {
			panic("no column " + kv[i])
		}
		f.Set(c, kv[i+1])
	}
	return f
}

// validateDict has one finding of each kind the tests look at.
func validateDict() *redcap.Dictionary {
	return &redcap.Dictionary{
		Files: []string{"b.csv", "a.csv"},
		Fields: []redcap.Field{
			vrow("b.csv", 2, "field_name", "record_id"),
			vrow("b.csv", 3, "field_name", "age", "field_type", "Text"),
			vrow("b.csv", 4, "field_name", "phone", "text_validation_type_or_show_slider_number", "phone_ch"),
			vrow("a.csv", 2, "field_name", "consent", "identifier", "yes"),
			vrow("a.csv", 3, "field_name", "info", "custom_alignment", "lv"),
		},
	}
}

func writeTemp(t *testing.T, name, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func codesAt(ds redcap.Diagnostics, file string, line int) map[string]redcap.Diagnostic {
	out := map[string]redcap.Diagnostic{}
	for _, d := range ds {
		if d.File == file && d.Line == line {
			out[d.Code] = d
		}
	}
	return out
}

func TestValidateRunsRulesAndSchemas(t *testing.T) {
	v, err := NewValidator(ValidateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	ds := v.Validate(validateDict())
	if len(ds) == 0 {
		t.Fatal("no findings")
	}
	for _, d := range ds {
		if d.Stage != "validate" {
			t.Errorf("%v: stage %q, want validate", d, d.Stage)
		}
	}
	// A Go rule reports the invalid type; the row schema's RS004 on the
	// same cell gives way to it.
	age := codesAt(ds, "b.csv", 3)
	if len(age) != 1 {
		t.Errorf("b.csv:3 findings %v: want one (the Go rule's) on field_type", age)
	}
	for code, d := range age {
		if d.Column != "field_type" || d.Severity != redcap.SeverityError || strings.HasPrefix(code, "RS") {
			t.Errorf("b.csv:3: %v", d)
		}
	}
	if _, ok := codesAt(ds, "b.csv", 4)["RC501"]; !ok {
		t.Errorf("unknown validation type phone_ch not reported: %v", ds)
	}
	// Sorted by file in d.Files order (b.csv before a.csv), then line.
	last := -1
	order := map[string]int{"b.csv": 0, "a.csv": 1}
	prevLine := 0
	for _, d := range ds {
		r := order[d.File]
		if r < last || (r == last && d.Line < prevLine) {
			t.Fatalf("not sorted by file, line: %v", ds)
		}
		last, prevLine = r, d.Line
	}
}

func TestValidationTypesFile(t *testing.T) {
	types := writeTemp(t, "types.txt", "# site types\nphone_ch   # Swiss phone\n\nvmrn\n")
	v, err := NewValidator(ValidateOptions{ValidationTypesFile: types})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := codesAt(v.Validate(validateDict()), "b.csv", 4)["RC501"]; ok {
		t.Error("phone_ch listed in the types file is still reported unknown")
	}
	got, err := ReadValidationTypes(types)
	if err != nil || strings.Join(got, ",") != "phone_ch,vmrn" {
		t.Errorf("ReadValidationTypes = %v, %v", got, err)
	}
	bad := writeTemp(t, "bad.txt", "phone_ch vmrn\n")
	if _, err := NewValidator(ValidateOptions{ValidationTypesFile: bad}); err == nil || !strings.Contains(err.Error(), "bad.txt:1") {
		t.Errorf("two names on a line: error %v", err)
	}
	if _, err := NewValidator(ValidateOptions{ValidationTypesFile: filepath.Join(t.TempDir(), "none")}); err == nil {
		t.Error("missing types file: no error")
	}
}

func TestSeverityOverrides(t *testing.T) {
	note := writeTemp(t, "note.json", `{"properties": {"field_note": {"minLength": 1}}, "x-code": "NOTE", "x-severity": "info"}`)
	base, err := NewValidator(ValidateOptions{SchemaFiles: []string{note}})
	if err != nil {
		t.Fatal(err)
	}
	before := base.Validate(validateDict())
	sev := map[string]redcap.Severity{
		"RC302": redcap.SeverityWarning, // invalid field type: error -> warning
		"RC501": redcap.SeverityOff,     // unknown validation type: dropped
		"NOTE":  redcap.SeverityError,   // a user schema's rule: info -> error
	}
	v, err := NewValidator(ValidateOptions{SchemaFiles: []string{note}, Severities: sev})
	if err != nil {
		t.Fatal(err)
	}
	after := v.Validate(validateDict())
	if len(after) != len(before)-countCode(before, "RC501") {
		t.Errorf("off: %d findings before, %d after", len(before), len(after))
	}
	if countCode(before, "RC302") == 0 || countCode(before, "NOTE") == 0 || countCode(before, "RC501") == 0 {
		t.Fatalf("test dictionary lacks a finding the test changes: %v", before)
	}
	for _, d := range after {
		switch d.Code {
		case "RC302":
			if d.Severity != redcap.SeverityWarning {
				t.Errorf("RC302 severity %v", d.Severity)
			}
		case "NOTE":
			if d.Severity != redcap.SeverityError {
				t.Errorf("NOTE severity %v", d.Severity)
			}
		case "RC501":
			t.Errorf("RC501 turned off but reported: %v", d)
		}
	}
	if u := v.UnknownCodes(); len(u) != 0 {
		t.Errorf("UnknownCodes = %v", u)
	}
	typo, err := NewValidator(ValidateOptions{Severities: map[string]redcap.Severity{"RC9999": redcap.SeverityOff, "SCHEMA": redcap.SeverityWarning}})
	if err != nil {
		t.Fatal(err)
	}
	if u := typo.UnknownCodes(); len(u) != 1 || u[0] != "RC9999" {
		t.Errorf("UnknownCodes = %v, want [RC9999]", u)
	}
}

func countCode(ds redcap.Diagnostics, code string) int {
	n := 0
	for _, d := range ds {
		if d.Code == code {
			n++
		}
	}
	return n
}

func TestUserSchemaInValidator(t *testing.T) {
	s := writeTemp(t, "note.json", `{
	  "if": {"properties": {"field_type": {"const": "text"}}},
	  "then": {"properties": {"field_note": {"minLength": 1}}},
	  "x-code": "INST001", "x-severity": "warning", "x-message": "text field {field} has no field note"
	}`)
	v, err := NewValidator(ValidateOptions{SchemaFiles: []string{s}})
	if err != nil {
		t.Fatal(err)
	}
	ds := v.Validate(validateDict())
	if n := countCode(ds, "INST001"); n != 4 {
		t.Errorf("%d INST001 findings, want 4 (the text fields)", n)
	}
	var found bool
	for _, r := range v.Rules() {
		if r.Code == "INST001" && r.Severity == redcap.SeverityWarning {
			found = true
		}
	}
	if !found {
		t.Error("Rules() lacks the user schema's INST001")
	}
	if _, err := NewValidator(ValidateOptions{SchemaFiles: []string{filepath.Join(t.TempDir(), "none.json")}}); err == nil {
		t.Error("missing schema file: no error")
	}
}

func TestApplySeverities(t *testing.T) {
	ds := redcap.Diagnostics{{Code: "A", Severity: redcap.SeverityError}, {Code: "B", Severity: redcap.SeverityInfo}, {Code: "C"}}
	got := ApplySeverities(ds, map[string]redcap.Severity{"A": redcap.SeverityOff, "B": redcap.SeverityError})
	if len(got) != 2 || got[0].Code != "B" || got[0].Severity != redcap.SeverityError || got[1].Code != "C" {
		t.Errorf("ApplySeverities = %v", got)
	}
}

// The row check leaves the published row schema's per-type conditions
// (RS008, RS010, RS011) to the Go rules (see schemas.pruneRowSchema). This
// keeps that safe: each row breaks the schema rule, and the validator
// reports a Go rule on the same cell.
func TestRowSchemaConditionsCoveredByRules(t *testing.T) {
	full, err := schemas.Compile(writeTemp(t, "full.json", `{"$ref": "`+schemas.RowSchemaURL+`"}`))
	if err != nil {
		t.Fatal(err)
	}
	v, err := NewValidator(ValidateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		schemaCode, column string
		f                  redcap.Field
	}{
		{"RS008", "select_choices_or_calculations", vrow("t.csv", 3, "field_name", "mood", "field_type", "radio")},
		{"RS008", "select_choices_or_calculations", vrow("t.csv", 3, "field_name", "pets", "field_type", "checkbox", "select_choices_or_calculations", " ")},
		{"RS008", "select_choices_or_calculations", vrow("t.csv", 3, "field_name", "bmi", "field_type", "calc")},
		{"RS010", "required_field", vrow("t.csv", 3, "field_name", "intro", "field_type", "descriptive", "required_field", "y")},
		{"RS011", "text_validation_min", vrow("t.csv", 3, "field_name", "pain", "field_type", "slider", "text_validation_min", "0.5")},
		{"RS011", "text_validation_max", vrow("t.csv", 3, "field_name", "pain", "field_type", "slider", "text_validation_max", "ten")},
	} {
		if got := full.ValidateField(&tc.f); countCode(got, tc.schemaCode) != 1 {
			t.Errorf("%s: published schema reports %v, want %s", tc.f.FieldName, got, tc.schemaCode)
			continue
		}
		d := &redcap.Dictionary{Files: []string{"t.csv"}, Fields: []redcap.Field{
			vrow("t.csv", 2, "field_name", "record_id"), tc.f,
		}}
		covered := false
		for _, x := range v.Validate(d) {
			if x.Line == 3 && x.Column == tc.column && !strings.HasPrefix(x.Code, "RS") && x.Severity >= redcap.SeverityWarning {
				covered = true
			}
		}
		if !covered {
			t.Errorf("%s (%s on %s): no Go rule reports the cell: %v", tc.f.FieldName, tc.schemaCode, tc.column, v.Validate(d))
		}
	}
}
