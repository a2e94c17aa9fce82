package pipeline

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/rs/zerolog"

	"github.com/rcolpipe/rcolpipe/plugins/host"
	"github.com/rcolpipe/rcolpipe/redcap"
)

// Spec is one run of the pipeline: the pipeline file (or an empty one),
// the inputs, every stage in order, and how to judge the findings.
type Spec struct {
	Config *Config
	// FromFile is true when Config was read from a file: its folder then
	// anchors plugin paths and holds rcolpipe.lock.
	FromFile bool
	Inputs   []string
	Stages   []StageConfig
	Strict   bool
	// CheckOnly validates without running stages, and validates the input
	// even when reading it found errors, to report everything at once
	// (rcolpipe validate).
	CheckOnly bool
	// Plugins configures the plugin host; Run sets BaseDir and Lock from
	// the pipeline file.
	Plugins host.Options
	Log     zerolog.Logger
	// Load says where the input "-" reads from and which folder entries
	// are left out.
	Load redcap.LoadOptions
	// Progress, when set, is told each step as it starts ("reading the
	// inputs", "checking", a stage's name) and on how many fields (0 when
	// not known yet), for a progress line (internal/progress).
	Progress func(step string, fields int)
}

// progress tells spec.Progress, if any, that step starts on fields fields.
func (spec Spec) progress(step string, fields int) {
	if spec.Progress != nil {
		spec.Progress(step, fields)
	}
}

// Request is what a command line asks of a run; NewSpec merges it over the
// pipeline file.
type Request struct {
	// ConfigPath is the pipeline file ("" for none).
	ConfigPath string
	// Inputs replace the file's inputs when given.
	Inputs []string
	// StageValues are --stage 'NAME[:JSON]' values, run after the file's stages.
	StageValues []string
	// Strict, Schemas, ValidationTypes, AssumeFields and Severities add to
	// (or, for ValidationTypes and a code's severity, replace) the file's
	// validate section.
	Strict          bool
	Schemas         []string
	ValidationTypes string
	AssumeFields    []string
	Severities      map[string]redcap.Severity
	// Stdin is read for an input (or assumed-fields file) named "-".
	Stdin io.Reader
	// Exclude are --exclude globs for folder inputs (redcap.LoadOptions).
	Exclude []string
}

// NewSpec reads the pipeline file of req (if any), adds the command line's
// stages after the file's and its validate options over the file's, and
// takes the inputs from req or else from the file. Every problem is a
// usage error: the command line or the pipeline file is wrong.
func NewSpec(req Request) (Spec, error) {
	spec := Spec{Config: &Config{Version: 1}}
	if req.ConfigPath != "" {
		loaded, err := LoadConfig(req.ConfigPath)
		if err != nil {
			var ce *ConfigError
			if errors.As(err, &ce) {
				return Spec{}, usageErrorf("%v\n(docs/pipeline.md describes the pipeline file)", ce)
			}
			return Spec{}, usageErrorf("%v", err)
		}
		spec.Config, spec.FromFile = loaded, true
	}
	vc := &spec.Config.Validate
	vc.Schemas = append(vc.Schemas, req.Schemas...)
	if req.ValidationTypes != "" {
		vc.ValidationTypes = req.ValidationTypes
	}
	vc.AssumeFields = append(vc.AssumeFields, req.AssumeFields...)
	if len(req.Severities) > 0 && vc.Rules == nil {
		vc.Rules = make(map[string]redcap.Severity, len(req.Severities))
	}
	for code, sev := range req.Severities {
		vc.Rules[code] = sev
	}
	spec.Strict = req.Strict || vc.Strict

	spec.Stages = append(spec.Stages, spec.Config.Stages...)
	for _, v := range req.StageValues {
		st, err := ParseStage(v)
		if err != nil {
			return Spec{}, usageErrorf("%v", err)
		}
		spec.Stages = append(spec.Stages, st)
	}
	uniqueStageNames(spec.Stages, len(spec.Config.Stages))

	spec.Inputs = req.Inputs
	if len(spec.Inputs) == 0 {
		spec.Inputs = spec.Config.Inputs
	}
	if len(spec.Inputs) == 0 {
		return Spec{}, usageErrorf("no INPUT given, and no pipeline file with inputs (-c FILE)")
	}
	if err := redcap.CheckExclude(req.Exclude); err != nil {
		return Spec{}, usageErrorf("%v", err)
	}
	spec.Load = redcap.LoadOptions{Stdin: req.Stdin, Exclude: req.Exclude}
	if err := redcap.CheckInputsExist(append(append([]string(nil), spec.Inputs...), req.AssumeFields...)); err != nil {
		return Spec{}, usageErrorf("%v", err)
	}
	return spec, nil
}

// ParseStage reads one --stage 'NAME[:JSON]'.
func ParseStage(v string) (StageConfig, error) {
	name, cfg, hasCfg := strings.Cut(v, ":")
	name = strings.TrimSpace(name)
	if name == "" {
		return StageConfig{}, fmt.Errorf("--stage %q: want NAME or NAME:JSON", v)
	}
	st := StageConfig{Name: filepath.Base(name), Plugin: name, Config: json.RawMessage("{}")}
	if hasCfg {
		raw := bytes.TrimSpace([]byte(cfg))
		var obj map[string]any
		if err := json.Unmarshal(raw, &obj); err != nil || obj == nil {
			msg := "not a JSON object"
			if err != nil {
				msg = err.Error()
			}
			return StageConfig{}, fmt.Errorf("--stage %s: the config after ':' must be a JSON object, e.g. '%s:{\"key\":\"value\"}': %s", name, name, msg)
		}
		st.Config = json.RawMessage(raw)
	}
	if host.IsPath(name) {
		// A path on the command line is relative to the working directory,
		// not to the pipeline file's folder.
		abs, err := filepath.Abs(name)
		if err != nil {
			return StageConfig{}, fmt.Errorf("--stage %s: %w", name, err)
		}
		st.Plugin = abs
	}
	return st, nil
}

// uniqueStageNames gives command-line stages names that differ from the
// file's and from each other ("prefix", "prefix-2").
func uniqueStageNames(stages []StageConfig, from int) {
	used := map[string]bool{}
	for i := range stages[:from] {
		used[stages[i].Name] = true
	}
	for i := from; i < len(stages); i++ {
		base, name := stages[i].Name, stages[i].Name
		for n := 2; used[name]; n++ {
			name = fmt.Sprintf("%s-%d", base, n)
		}
		used[name] = true
		stages[i].Name = name
	}
}

// ParseSeverities reads CODE=SEVERITY values (--rule).
func ParseSeverities(values []string) (map[string]redcap.Severity, error) {
	if len(values) == 0 {
		return nil, nil
	}
	out := make(map[string]redcap.Severity, len(values))
	for _, v := range values {
		code, sev, ok := strings.Cut(v, "=")
		code = strings.TrimSpace(code)
		if !ok || code == "" {
			return nil, fmt.Errorf("%q: want CODE=error|warning|info|off", v)
		}
		s, err := redcap.ParseSeverity(sev)
		if err != nil {
			return nil, fmt.Errorf("%s: %v", code, err)
		}
		out[code] = s
	}
	return out, nil
}
