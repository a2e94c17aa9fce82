package pipeline

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/rcolpipe/rcolpipe/redcap"
)

// TestRunTellsProgress: Spec.Progress hears each step as it starts, with
// the number of fields once they are known.
func TestRunTellsProgress(t *testing.T) {
	dir := t.TempDir()
	in := writeRunFile(t, dir, "demo.csv", runTestHeader+
		"record_id,demo,,text,Record ID,,,,,,,,,,,,,\n"+
		"age,demo,,text,Age,,,,,,,,,,,,,\n")
	spec, err := NewSpec(Request{Inputs: []string{in}})
	if err != nil {
		t.Fatal(err)
	}
	spec.CheckOnly = true
	var steps []string
	spec.Progress = func(step string, fields int) { steps = append(steps, fmt.Sprintf("%s %d", step, fields)) }
	if _, err := Run(context.Background(), spec); err != nil {
		t.Fatal(err)
	}
	if want := []string{"reading the inputs 0", "checking 2"}; !slices.Equal(steps, want) {
		t.Errorf("progress steps %q, want %q", steps, want)
	}
}

type namedStage string

func (s namedStage) Name() string { return string(s) }
func (s namedStage) Run(_ context.Context, d *redcap.Dictionary) (*redcap.Dictionary, redcap.Diagnostics, error) {
	return d, nil, nil
}

// TestTimedStageTellsProgress: each stage run is a progress step named
// after the stage.
func TestTimedStageTellsProgress(t *testing.T) {
	var steps []string
	var timings []Timing
	s := &timedStage{Stage: namedStage("prefix"), timings: &timings,
		progress: func(step string, fields int) { steps = append(steps, fmt.Sprintf("%s %d", step, fields)) }}
	d := &redcap.Dictionary{Fields: []redcap.Field{{FieldName: "record_id"}, {FieldName: "age"}, {FieldName: "sex"}}}
	if _, _, err := s.Run(context.Background(), d); err != nil {
		t.Fatal(err)
	}
	if want := []string{"stage prefix: 3"}; !slices.Equal(steps, want) {
		t.Errorf("progress steps %q, want %q", steps, want)
	}
}
