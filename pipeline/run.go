package pipeline

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/rcolpipe/rcolpipe/pipeline/rules"
	"github.com/rcolpipe/rcolpipe/plugins/host"
	"github.com/rcolpipe/rcolpipe/redcap"
)

// StageLoad is the Stage value of the findings of reading the inputs (and
// the assumed fields); the readers in redcap stamp it.
const StageLoad = redcap.StageLoad

// Result is what Run produced.
type Result struct {
	// Loaded is the stacked input, before any stage.
	Loaded *redcap.Dictionary
	// Dictionary is the dictionary after the last stage (the input when
	// CheckOnly); nil when the run stopped.
	Dictionary *redcap.Dictionary
	// Diagnostics are every finding, with severities applied, each with
	// its Stage, sorted (SortDiagnostics).
	Diagnostics redcap.Diagnostics
	// Rules are the validator's rules, for reports that describe codes.
	Rules []rules.Rule
	// Timings are the run's steps in order: load, then each stage.
	Timings []Timing
	// Structure is the project structure the inputs and the pipeline
	// file's structure section give (IsEmpty when none).
	Structure *redcap.Structure
}

// Timing is how long one step of a run took.
type Timing struct {
	Step string        `json:"step"`
	Took time.Duration `json:"took_ns"`
}

// ErrorKind says what a failed run means for the caller.
type ErrorKind int

const (
	// KindInput: the input could not be read or a stage failed.
	KindInput ErrorKind = iota
	// KindUsage: the command line or the pipeline file is wrong.
	KindUsage
	// KindFindings: the run finished, and its findings (reported in the
	// Result) fail it: errors, or warnings when strict.
	KindFindings
)

// Error is the error of Run and NewSpec: its Kind tells a command line
// error from a failed run.
type Error struct {
	Kind ErrorKind
	Err  error
}

func (e *Error) Error() string { return e.Err.Error() }
func (e *Error) Unwrap() error { return e.Err }

func usageErrorf(format string, args ...any) error {
	return &Error{Kind: KindUsage, Err: fmt.Errorf(format, args...)}
}

func inputErrorf(format string, args ...any) error {
	return &Error{Kind: KindInput, Err: fmt.Errorf(format, args...)}
}

func findingsErrorf(format string, args ...any) error {
	return &Error{Kind: KindFindings, Err: fmt.Errorf(format, args...)}
}

// Run runs spec: it reads the assumed fields, builds the validator, starts
// the plugins of every stage (so that a missing or broken plugin fails
// before any work), reads the inputs, validates them, runs each stage and
// validates after it, then sorts the findings. The plugins are stopped
// before it returns. The Result is returned with the error whenever the
// input was read, so that its findings can be reported; the error is an
// *Error.
func Run(ctx context.Context, spec Spec) (*Result, error) {
	vc := spec.Config.Validate
	var loadDiags redcap.Diagnostics
	var assume *redcap.Dictionary
	if len(vc.AssumeFields) > 0 {
		d, ds, err := spec.Load.Load(vc.AssumeFields...)
		if err != nil {
			return nil, inputErrorf("validate.assume_fields: %v", err)
		}
		assume, loadDiags = d, append(loadDiags, ds...)
	}
	v, err := NewValidator(ValidateOptions{
		SchemaFiles: vc.Schemas, ValidationTypesFile: vc.ValidationTypes, AssumeFields: assume, Severities: vc.Rules,
		JoinsProject: spec.Config.Target.URL != "",
	})
	if err != nil {
		return nil, usageErrorf("%v", err)
	}
	if spec.CheckOnly {
		if unknown := v.UnknownCodes(); len(unknown) > 0 {
			return nil, usageErrorf("unknown rule code %s in --rule or validate.rules (`rcolpipe rules` lists them)", strings.Join(unknown, ", "))
		}
	}

	var stages []Stage
	if !spec.CheckOnly && len(spec.Stages) > 0 {
		opts := spec.Plugins
		if spec.FromFile {
			opts.BaseDir = spec.Config.Dir()
			lock, err := host.ReadLockIfExists(filepath.Join(opts.BaseDir, host.LockFileName))
			if err != nil {
				return nil, inputErrorf("%v", err)
			}
			opts.Lock = lock
		}
		h, started, err := StartPlugins(ctx, spec.Stages, opts)
		if err != nil {
			return nil, inputErrorf("%w", err)
		}
		defer h.Close()
		stages = started
	}

	res := &Result{Rules: v.Rules()}
	start := time.Now()
	spec.progress("reading the inputs", 0)
	d, st, ds, err := spec.Load.LoadWithStructure(spec.Inputs...)
	if err != nil {
		return nil, inputErrorf("%v", err)
	}
	sds, err := loadStructure(spec.Config.Structure, st)
	if err != nil {
		return nil, inputErrorf("structure.files: %v", err)
	}
	ds = append(ds, sds...)
	res.Structure = st
	res.Timings = append(res.Timings, Timing{Step: StageLoad, Took: time.Since(start)})
	res.Loaded = d
	loadDiags = withStage(ApplySeverities(append(loadDiags, ds...), vc.Rules), StageLoad)

	var runErr error
	switch {
	case spec.CheckOnly:
		start := time.Now()
		spec.progress("checking", d.Len())
		res.Diagnostics = append(loadDiags, withStage(realCauseFirst(v.Validate(d), d, loadDiags), StageValidate)...)
		res.Timings = append(res.Timings, Timing{Step: StageValidate, Took: time.Since(start)})
		res.Dictionary = d
	case loadDiags.HasErrors():
		res.Diagnostics = loadDiags
		runErr = findingsErrorf("the input has %d error(s) while reading; no stage ran", loadDiags.Count(redcap.SeverityError))
	default:
		for i := range stages {
			stages[i] = &timedStage{Stage: stages[i], timings: &res.Timings, progress: spec.progress}
		}
		r := &Runner{Validator: v, Stages: stages, Log: spec.Log, Severities: vc.Rules, Progress: spec.Progress}
		out, runDiags, err := r.Run(ctx, d)
		res.Diagnostics = append(loadDiags, runDiags...)
		if err != nil {
			runErr = inputErrorf("%w", err)
		} else {
			res.Dictionary = out
		}
	}
	if res.Dictionary != nil {
		res.Diagnostics = append(res.Diagnostics, withStage(ApplySeverities(checkStructure(res.Dictionary, st, spec.Config.Structure, assume), vc.Rules), StageValidate)...)
	}
	SortDiagnostics(res.Diagnostics, d.Files)
	if runErr != nil {
		return res, runErr
	}
	errs, warns := res.Diagnostics.Count(redcap.SeverityError), res.Diagnostics.Count(redcap.SeverityWarning)
	switch {
	case errs > 0:
		return res, findingsErrorf("%d error(s)", errs)
	case spec.Strict && warns > 0:
		return res, findingsErrorf("%d warning(s) and strict is on; stopping", warns)
	}
	return res, nil
}

// timedStage records how long each run of its stage took.
type timedStage struct {
	Stage
	timings  *[]Timing
	progress func(step string, fields int)
}

func (s *timedStage) Run(ctx context.Context, d *redcap.Dictionary) (*redcap.Dictionary, redcap.Diagnostics, error) {
	start := time.Now()
	s.progress("stage "+s.Name()+":", d.Len())
	out, ds, err := s.Stage.Run(ctx, d)
	*s.timings = append(*s.timings, Timing{Step: s.Name(), Took: time.Since(start)})
	return out, ds, err
}

// realCauseFirst drops the empty-dictionary finding (RC801, "REDCap would
// delete every field") when nothing was read because the inputs could not
// be read as dictionaries: the reader's errors say why, and RC801 would
// lead the report with a consequence instead. A file that was read and
// has no fields still gets it.
func realCauseFirst(ds redcap.Diagnostics, d *redcap.Dictionary, loadDiags redcap.Diagnostics) redcap.Diagnostics {
	if d.Len() > 0 || !loadDiags.HasErrors() {
		return ds
	}
	kept := ds[:0]
	for _, x := range ds {
		if x.Code != rules.CodeEmptyDictionary {
			kept = append(kept, x)
		}
	}
	return kept
}
