package pipeline

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/rs/zerolog"

	"github.com/rcolpipe/rcolpipe/plugins/host"
	"github.com/rcolpipe/rcolpipe/redcap"
)

// Stage is one step of a pipeline: it takes a dictionary and returns a
// dictionary plus findings. An error means the stage broke (not that the
// dictionary has problems: those are diagnostics).
type Stage interface {
	Name() string
	Run(ctx context.Context, d *redcap.Dictionary) (*redcap.Dictionary, redcap.Diagnostics, error)
}

// StageValidate is the Stage value of the findings of the first validation.
const StageValidate = "validate"

// Runner runs validate → each stage → validate again after each stage.
type Runner struct {
	// Validator checks the input and every stage's output; nil skips
	// validation (tests of stages only).
	Validator *Validator
	Stages    []Stage
	Log       zerolog.Logger
	// Severities overrides the severity of stages' findings by code, as the
	// pipeline file's validate.rules do for the validator's ("off" drops a
	// finding). It applies before the runner judges a stage.
	Severities map[string]redcap.Severity
	// Progress, when set, hears each validation as it starts (Spec.Progress).
	Progress func(step string, fields int)

	// check replaces Validator in tests of the runner's own logic.
	check func(*redcap.Dictionary) redcap.Diagnostics
}

// StageError is the one error of a run that stopped: it names the stage
// ("validate" for the input) and says why.
type StageError struct {
	Stage string
	// Errors counts the error diagnostics that stopped the run (0 when the
	// stage itself broke).
	Errors int
	Err    error
}

func (e *StageError) Error() string {
	if e.Stage == StageValidate {
		return fmt.Sprintf("validate: %v", e.Err)
	}
	var pe *host.Error
	if errors.As(e.Err, &pe) && pe.Stage == e.Stage {
		return e.Err.Error() // the plugin host's errors name the stage already
	}
	return fmt.Sprintf("stage %q: %v", e.Stage, e.Err)
}

func (e *StageError) Unwrap() error { return e.Err }

// Run passes d through the stages. It returns the last good dictionary and
// every finding, each with its Stage set: the input's findings carry
// "validate"; a stage's own findings and the findings that first appear in
// the validation after it carry the stage's name. The run stops at the
// first stage that breaks or leaves an error, with a *StageError.
func (r *Runner) Run(ctx context.Context, d *redcap.Dictionary) (*redcap.Dictionary, redcap.Diagnostics, error) {
	if d == nil {
		return nil, nil, errors.New("run pipeline: no dictionary")
	}
	var all redcap.Diagnostics
	before := r.validate(d)
	all = append(all, withStage(before, StageValidate)...)
	if n := before.Count(redcap.SeverityError); n > 0 {
		return d, all, &StageError{Stage: StageValidate, Errors: n, Err: fmt.Errorf("the input has %s; no stage ran", plural(n, "error"))}
	}

	for _, s := range r.Stages {
		name := s.Name()
		if err := ctx.Err(); err != nil {
			return d, all, &StageError{Stage: name, Err: fmt.Errorf("not started: %w", err)}
		}
		start := time.Now()
		r.Log.Debug().Str("stage", name).Int("fields", d.Len()).Msg("stage start")
		// The stage gets its own copy: a stage that fails must not leave
		// half its edits in the dictionary the caller keeps.
		out, diags, err := s.Run(ctx, d.Clone())
		diags = ApplySeverities(diags, r.Severities)
		all = append(all, withStage(diags, name)...)
		if err != nil {
			return d, all, &StageError{Stage: name, Err: err}
		}
		if n := diags.Count(redcap.SeverityError); n > 0 {
			return d, all, &StageError{Stage: name, Errors: n, Err: fmt.Errorf("reported %s: %s", plural(n, "error"), firstError(diags))}
		}
		if out == nil {
			return d, all, &StageError{Stage: name, Err: errors.New("returned no dictionary")}
		}
		after := r.validate(out)
		fresh := newFindings(before, after)
		for i := range fresh {
			fresh[i].Stage = name // the stage introduced them, whoever found them
		}
		all = append(all, fresh...)
		if n := fresh.Count(redcap.SeverityError); n > 0 {
			return d, all, &StageError{Stage: name, Errors: n, Err: fmt.Errorf("returned an invalid dictionary (%s the input did not have): %s", plural(n, "error"), firstError(fresh))}
		}
		r.Log.Info().Str("stage", name).Int("fields", out.Len()).
			Int("findings", len(diags)+len(fresh)).Str("took", time.Since(start).Round(time.Microsecond).String()).Msg("stage done")
		d, before = out, after
	}
	return d, all, nil
}

func (r *Runner) validate(d *redcap.Dictionary) redcap.Diagnostics {
	if r.Progress != nil {
		r.Progress("checking", d.Len())
	}
	if r.check != nil {
		return r.check(d)
	}
	if r.Validator == nil {
		return nil
	}
	return r.Validator.Validate(d)
}

// withStage sets Stage on findings that have none (a plugin may name a
// sub-step itself).
func withStage(ds redcap.Diagnostics, stage string) redcap.Diagnostics {
	out := make(redcap.Diagnostics, len(ds))
	for i, d := range ds {
		if d.Stage == "" {
			d.Stage = stage
		}
		out[i] = d
	}
	return out
}

// findingKey identifies a finding across validations. File and line are
// left out: a renamed or moved row keeps its finding.
type findingKey struct {
	code, field, column, message string
	sev                          redcap.Severity
}

// newFindings returns the findings of after that before did not have (as
// many times as they are new: two identical findings where there was one
// make one new).
func newFindings(before, after redcap.Diagnostics) redcap.Diagnostics {
	count := map[findingKey]int{}
	for _, d := range before {
		count[findingKey{d.Code, d.Field, d.Column, d.Message, d.Severity}]++
	}
	var out redcap.Diagnostics
	for _, d := range after {
		k := findingKey{d.Code, d.Field, d.Column, d.Message, d.Severity}
		if count[k] > 0 {
			count[k]--
			continue
		}
		out = append(out, d)
	}
	return out
}

func firstError(ds redcap.Diagnostics) string {
	for _, d := range ds {
		if d.Severity == redcap.SeverityError {
			d.Stage = ""
			return d.String()
		}
	}
	return ""
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}
