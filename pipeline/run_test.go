package pipeline

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rcolpipe/rcolpipe/redcap"
)

const runTestHeader = "field_name,form_name,section_header,field_type,field_label,select_choices_or_calculations,field_note,text_validation_type_or_show_slider_number,text_validation_min,text_validation_max,identifier,branching_logic,required_field,custom_alignment,question_number,matrix_group_name,matrix_ranking,field_annotation\n"

func writeRunFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func errorKind(t *testing.T, err error) ErrorKind {
	t.Helper()
	var pe *Error
	if !errors.As(err, &pe) {
		t.Fatalf("error %v (%T) is not a *pipeline.Error", err, err)
	}
	return pe.Kind
}

// CheckOnly (validate) reports what reading found and what validation
// found together, each stamped with its stage, in file order, and fails
// with KindFindings; a run with stages stops after reading instead.
func TestRunCheckOnlyValidatesDespiteReadErrors(t *testing.T) {
	dir := t.TempDir()
	// A row with one cell too many is a reader error; Age is a
	// validation error (upper case in a field name) in the file that is
	// read. (A refused file contributes no fields.)
	in := writeRunFile(t, dir, "demo.csv", runTestHeader+
		"record_id,demo,,text,Record ID,,,,,,,,,,,,,\n"+
		"Age,demo,,text,Age,,,,,,,,,,,,,\n")
	bad := writeRunFile(t, dir, "other.csv", runTestHeader+
		"extra,other,,text,Extra,,,,,,,,,,,,,,surplus\n")
	spec, err := NewSpec(Request{Inputs: []string{in, bad}})
	if err != nil {
		t.Fatal(err)
	}
	spec.CheckOnly = true
	res, err := Run(context.Background(), spec)
	if kind := errorKind(t, err); kind != KindFindings {
		t.Fatalf("kind %d, want KindFindings (%v)", kind, err)
	}
	stages := map[string]bool{}
	for _, d := range res.Diagnostics {
		if d.Severity == redcap.SeverityError {
			stages[d.Stage] = true
		}
	}
	if !stages[StageLoad] || !stages[StageValidate] {
		t.Fatalf("error findings by stage %v, want both %q and %q: %v", stages, StageLoad, StageValidate, res.Diagnostics)
	}
	for i := 1; i < len(res.Diagnostics); i++ {
		if res.Diagnostics[i-1].File == res.Diagnostics[i].File && res.Diagnostics[i-1].Line > res.Diagnostics[i].Line {
			t.Errorf("findings not in line order: %v", res.Diagnostics)
		}
	}
	if len(res.Timings) != 2 || res.Timings[0].Step != StageLoad || res.Timings[1].Step != StageValidate {
		t.Errorf("timings %+v, want load then validate", res.Timings)
	}

	spec.CheckOnly = false
	res, err = Run(context.Background(), spec)
	if kind := errorKind(t, err); kind != KindFindings || !strings.Contains(err.Error(), "no stage ran") {
		t.Fatalf("with stages: %v (kind %d), want KindFindings saying no stage ran", err, kind)
	}
	for _, d := range res.Diagnostics {
		if d.Stage != StageLoad {
			t.Errorf("a run that stops after reading reported %s from stage %q", d.Code, d.Stage)
		}
	}
}

// The command line adds to the pipeline file: --rule replaces a code's
// severity, --schema adds, --stage comes after the file's stages under a
// name of its own; a missing input or an unknown rule code is a usage
// error, strict warnings a findings error.
func TestNewSpecMergesCommandLineOverFile(t *testing.T) {
	dir := t.TempDir()
	in := writeRunFile(t, dir, "warn.csv", runTestHeader+
		"record_id,demo,,text,Record ID,,,,,,,,,,,,,\n"+
		"mood,demo,,radio,Mood,\"1, Good | 2, Bad\",,,,,,,,lv,,,,\n")
	cfg := writeRunFile(t, dir, "rcolpipe.yaml", "version: 1\ninputs: [warn.csv]\nvalidate:\n  rules: {RC603: \"off\", RC101: info}\nstages:\n  - plugin: prefix\n")
	spec, err := NewSpec(Request{ConfigPath: cfg, StageValues: []string{`prefix:{"prefix":"x_"}`},
		Severities: map[string]redcap.Severity{"RC603": redcap.SeverityWarning}, Strict: true})
	if err != nil {
		t.Fatal(err)
	}
	if got := spec.Config.Validate.Rules; got["RC603"] != redcap.SeverityWarning || got["RC101"] != redcap.SeverityInfo {
		t.Errorf("rules %v: want RC603 from the command line, RC101 from the file", got)
	}
	if len(spec.Stages) != 2 || spec.Stages[0].Name != "prefix" || spec.Stages[1].Name != "prefix-2" {
		t.Errorf("stages %+v, want the file's prefix then prefix-2", spec.Stages)
	}
	if len(spec.Inputs) != 1 || spec.Inputs[0] != in {
		t.Errorf("inputs %v, want the file's %s", spec.Inputs, in)
	}
	spec.CheckOnly = true
	if _, err := Run(context.Background(), spec); errorKind(t, err) != KindFindings || !strings.Contains(err.Error(), "strict") {
		t.Errorf("strict run with a warning: %v, want a findings error naming strict", err)
	}

	if _, err := NewSpec(Request{Inputs: []string{filepath.Join(dir, "missing.csv")}}); errorKind(t, err) != KindUsage {
		t.Errorf("missing input: %v, want a usage error", err)
	}
	spec, err = NewSpec(Request{Inputs: []string{in}, Severities: map[string]redcap.Severity{"RC999": redcap.SeverityOff}})
	if err != nil {
		t.Fatal(err)
	}
	spec.CheckOnly = true
	if _, err := Run(context.Background(), spec); errorKind(t, err) != KindUsage || !strings.Contains(err.Error(), "RC999") {
		t.Errorf("unknown rule code: %v, want a usage error naming it", err)
	}
}
