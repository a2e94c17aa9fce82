package pipeline

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/rs/zerolog"

	"github.com/rcolpipe/rcolpipe/redcap"
)

// funcStage is a stage made of a function, for tests.
type funcStage struct {
	name string
	fn   func(d *redcap.Dictionary) (*redcap.Dictionary, redcap.Diagnostics, error)
}

func (s funcStage) Name() string { return s.name }
func (s funcStage) Run(_ context.Context, d *redcap.Dictionary) (*redcap.Dictionary, redcap.Diagnostics, error) {
	return s.fn(d)
}

func testDict() *redcap.Dictionary {
	return &redcap.Dictionary{Fields: []redcap.Field{
		{FieldName: "record_id", FormName: "demo", FieldType: "text", FieldLabel: "ID"},
		{FieldName: "age", FormName: "demo", FieldType: "text", FieldLabel: "Age"},
	}}
}

// dupCheck is a stand-in validator: an error per duplicated field name and
// a warning per empty label.
func dupCheck(d *redcap.Dictionary) redcap.Diagnostics {
	var ds redcap.Diagnostics
	seen := map[string]bool{}
	for i := range d.Fields {
		f := &d.Fields[i]
		if seen[f.FieldName] {
			ds = append(ds, redcap.At(f, redcap.ColFieldName, redcap.SeverityError, "T001", "duplicate "+f.FieldName, ""))
		}
		seen[f.FieldName] = true
		if f.FieldLabel == "" {
			ds = append(ds, redcap.At(f, redcap.ColFieldLabel, redcap.SeverityWarning, "T002", "empty label", ""))
		}
	}
	return ds
}

func TestRunnerStageThatIntroducesAnErrorFails(t *testing.T) {
	ran := false
	r := &Runner{
		Log:   zerolog.Nop(),
		check: dupCheck,
		Stages: []Stage{
			funcStage{"dup", func(d *redcap.Dictionary) (*redcap.Dictionary, redcap.Diagnostics, error) {
				d.Fields = append(d.Fields, d.Fields[1])
				return d, nil, nil
			}},
			funcStage{"never", func(d *redcap.Dictionary) (*redcap.Dictionary, redcap.Diagnostics, error) {
				ran = true
				return d, nil, nil
			}},
		},
	}
	in := testDict()
	out, diags, err := r.Run(context.Background(), in)
	var se *StageError
	if !errors.As(err, &se) || se.Stage != "dup" || se.Errors != 1 {
		t.Fatalf("err = %v, want a StageError of stage dup with 1 error", err)
	}
	if !strings.Contains(err.Error(), `stage "dup"`) || !strings.Contains(err.Error(), "invalid dictionary") || !strings.Contains(err.Error(), "duplicate age") {
		t.Errorf("message %q does not name the stage and the finding", err)
	}
	if ran {
		t.Error("the stage after the failing one ran")
	}
	if out.Len() != 2 {
		t.Errorf("returned dictionary has %d fields, want the last good one (2)", out.Len())
	}
	if len(diags) != 1 || diags[0].Stage != "dup" || diags[0].Code != "T001" {
		t.Errorf("diags = %+v, want the one T001 with Stage dup", diags)
	}
	if in.Len() != 2 {
		t.Error("the stage changed the caller's dictionary")
	}
}

func TestRunnerDiagnosticsCarryStage(t *testing.T) {
	r := &Runner{
		Log:   zerolog.Nop(),
		check: dupCheck,
		Stages: []Stage{
			funcStage{"blank", func(d *redcap.Dictionary) (*redcap.Dictionary, redcap.Diagnostics, error) {
				d.Fields[1].FieldLabel = ""
				return d, redcap.Diagnostics{{Severity: redcap.SeverityInfo, Code: "B1", Message: "blanked"}}, nil
			}},
			funcStage{"own", func(d *redcap.Dictionary) (*redcap.Dictionary, redcap.Diagnostics, error) {
				return d, redcap.Diagnostics{{Severity: redcap.SeverityInfo, Code: "O1", Message: "named", Stage: "own/sub"}}, nil
			}},
		},
	}
	in := testDict()
	in.Fields[0].FieldLabel = "" // a warning in the input: stays "validate"
	out, diags, err := r.Run(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	if out.Fields[1].FieldLabel != "" {
		t.Error("the stage's output was not returned")
	}
	got := map[string]string{}
	for _, d := range diags {
		got[d.Code+"/"+d.Field] = d.Stage
	}
	want := map[string]string{
		"T002/record_id": "validate", // from the input, reported once, not again after each stage
		"B1/":            "blank",
		"T002/age":       "blank", // new after stage blank
		"O1/":            "own/sub",
	}
	if len(diags) != len(want) {
		t.Errorf("got %d findings %+v, want %d", len(diags), diags, len(want))
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("finding %s: Stage %q, want %q", k, got[k], v)
		}
	}
}

func TestRunnerInputErrorsStopBeforeStages(t *testing.T) {
	ran := false
	r := &Runner{Log: zerolog.Nop(), check: dupCheck, Stages: []Stage{funcStage{"s", func(d *redcap.Dictionary) (*redcap.Dictionary, redcap.Diagnostics, error) {
		ran = true
		return d, nil, nil
	}}}}
	in := testDict()
	in.Fields = append(in.Fields, in.Fields[1])
	_, diags, err := r.Run(context.Background(), in)
	var se *StageError
	if !errors.As(err, &se) || se.Stage != StageValidate {
		t.Fatalf("err = %v, want a StageError of validate", err)
	}
	if ran {
		t.Error("a stage ran on an invalid input")
	}
	if len(diags) != 1 || diags[0].Stage != StageValidate {
		t.Errorf("diags = %+v", diags)
	}
}

func TestRunnerStageErrors(t *testing.T) {
	boom := errors.New("plugin crashed: panic: x")
	tests := []struct {
		name string
		fn   func(d *redcap.Dictionary) (*redcap.Dictionary, redcap.Diagnostics, error)
		want string
	}{
		{"broke", func(d *redcap.Dictionary) (*redcap.Dictionary, redcap.Diagnostics, error) { return nil, nil, boom }, `stage "broke": plugin crashed: panic: x`},
		{"refused", func(d *redcap.Dictionary) (*redcap.Dictionary, redcap.Diagnostics, error) {
			return d, redcap.Diagnostics{{Severity: redcap.SeverityError, Code: "P1", Message: "would collide", Field: "age"}}, nil
		}, `stage "refused": reported 1 error: error P1: would collide (age)`},
		{"nothing", func(d *redcap.Dictionary) (*redcap.Dictionary, redcap.Diagnostics, error) { return nil, nil, nil }, `stage "nothing": returned no dictionary`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := &Runner{Log: zerolog.Nop(), check: dupCheck, Stages: []Stage{funcStage{tt.name, tt.fn}}}
			out, _, err := r.Run(context.Background(), testDict())
			if err == nil || err.Error() != tt.want {
				t.Fatalf("err = %v, want %s", err, tt.want)
			}
			if out == nil || out.Len() != 2 {
				t.Error("the last good dictionary was not returned")
			}
		})
	}
}

func TestRunnerCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	r := &Runner{Log: zerolog.Nop(), check: dupCheck, Stages: []Stage{funcStage{"s", func(d *redcap.Dictionary) (*redcap.Dictionary, redcap.Diagnostics, error) {
		t.Error("stage ran after cancel")
		return d, nil, nil
	}}}}
	_, _, err := r.Run(ctx, testDict())
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}

// TestRunnerRealValidator checks that the runner uses the real Validator:
// a stage that duplicates a field name must fail once the validate stage
// finds duplicates.
func TestRunnerRealValidator(t *testing.T) {
	v, err := NewValidator(ValidateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	dup := testDict()
	dup.Fields = append(dup.Fields, dup.Fields[1])
	// A validator that misses the duplicate is a failure, not a reason to
	// skip: the runner's test below would then prove nothing.
	if !v.Validate(dup).HasErrors() {
		t.Fatal("the Validator does not report a duplicated field name")
	}
	r := &Runner{Validator: v, Log: zerolog.Nop(), Stages: []Stage{funcStage{"dup", func(d *redcap.Dictionary) (*redcap.Dictionary, redcap.Diagnostics, error) {
		d.Fields = append(d.Fields, d.Fields[1])
		return d, nil, nil
	}}}}
	_, _, err = r.Run(context.Background(), testDict())
	var se *StageError
	if !errors.As(err, &se) || se.Stage != "dup" {
		t.Fatalf("err = %v, want the stage dup to fail", err)
	}
}

func TestRunnerSeverities(t *testing.T) {
	stage := funcStage{"conv", func(d *redcap.Dictionary) (*redcap.Dictionary, redcap.Diagnostics, error) {
		return d, redcap.Diagnostics{
			{Severity: redcap.SeverityError, Code: "CV005", Message: "forbidden"},
			{Severity: redcap.SeverityWarning, Code: "CV003", Message: "looks personal"},
		}, nil
	}}
	r := &Runner{Log: zerolog.Nop(), check: dupCheck, Stages: []Stage{stage},
		Severities: map[string]redcap.Severity{"CV005": redcap.SeverityWarning, "CV003": redcap.SeverityOff}}
	_, diags, err := r.Run(context.Background(), testDict())
	if err != nil {
		t.Fatalf("an error turned into a warning still failed the stage: %v", err)
	}
	if len(diags) != 1 || diags[0].Code != "CV005" || diags[0].Severity != redcap.SeverityWarning {
		t.Errorf("diags = %+v", diags)
	}
}

// TestRunnerNewFindingsNamedAfterStage: a validator that sets Stage itself
// still has the findings that first appear after a stage attributed to it.
func TestRunnerNewFindingsNamedAfterStage(t *testing.T) {
	check := func(d *redcap.Dictionary) redcap.Diagnostics {
		ds := dupCheck(d)
		for i := range ds {
			ds[i].Stage = StageValidate
		}
		return ds
	}
	r := &Runner{Log: zerolog.Nop(), check: check, Stages: []Stage{funcStage{"blank", func(d *redcap.Dictionary) (*redcap.Dictionary, redcap.Diagnostics, error) {
		d.Fields[1].FieldLabel = ""
		return d, nil, nil
	}}}}
	_, diags, err := r.Run(context.Background(), testDict())
	if err != nil {
		t.Fatal(err)
	}
	if len(diags) != 1 || diags[0].Stage != "blank" {
		t.Errorf("diags = %+v, want one finding of stage blank", diags)
	}
}
