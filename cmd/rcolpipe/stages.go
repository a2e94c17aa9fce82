package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/rcolpipe/rcolpipe/pipeline"
	"github.com/rcolpipe/rcolpipe/plugins/host"
	"github.com/rcolpipe/rcolpipe/redcap"
)

// pipelineSpec is what a pipeline command runs: the pipeline file (or an
// empty one), the inputs, and every stage in order.
type pipelineSpec struct {
	cfg    *pipeline.Config
	inputs []string
	stages []pipeline.StageConfig
	strict bool
	// fromFile is true when cfg was read from -c (or run's argument).
	fromFile bool
	// allowProjectPlugins is --allow-project-plugins.
	allowProjectPlugins bool
}

// loadPipelineSpec reads the pipeline file at configPath (may be ""), adds
// the --stage values after the file's stages, and takes the inputs from
// args or else from the file. Problems are usage errors (exit 2).
func loadPipelineSpec(cmd, configPath string, stageValues, args []string, strict bool) (*pipelineSpec, error) {
	spec := &pipelineSpec{cfg: &pipeline.Config{Version: 1}, strict: strict}
	if configPath != "" {
		loaded, err := pipeline.LoadConfig(configPath)
		if err != nil {
			var ce *pipeline.ConfigError
			if errors.As(err, &ce) {
				return nil, usageError("%s: %v\n(docs/pipeline.md describes the pipeline file)", cmd, ce)
			}
			return nil, usageError("%s: %v", cmd, err)
		}
		spec.cfg, spec.fromFile = loaded, true
	}
	spec.strict = spec.strict || spec.cfg.Validate.Strict
	spec.stages = append(spec.stages, spec.cfg.Stages...)
	for _, v := range stageValues {
		st, err := parseStageFlag(v)
		if err != nil {
			return nil, usageError("%s: %v", cmd, err)
		}
		spec.stages = append(spec.stages, st)
	}
	uniqueStageNames(spec.stages, len(spec.cfg.Stages))
	spec.inputs = args
	if len(spec.inputs) == 0 {
		spec.inputs = spec.cfg.Inputs
	}
	if len(spec.inputs) == 0 {
		return nil, usageError("%s: no INPUT given, and no pipeline file with inputs (-c FILE)", cmd)
	}
	for _, p := range spec.inputs {
		if _, err := os.Stat(p); errors.Is(err, fs.ErrNotExist) {
			return nil, usageError("%s: %s: no such file or folder", cmd, p)
		}
	}
	return spec, nil
}

// pipelineResult is what executePipeline produced.
type pipelineResult struct {
	// Loaded is the stacked input, before any stage.
	Loaded *redcap.Dictionary
	// Result is the dictionary after the last stage (nil on failure).
	Result      *redcap.Dictionary
	Diagnostics redcap.Diagnostics
}

// executePipeline runs load → validate → stages → validate for spec. The
// plugins are started before any work, so that a missing or broken plugin
// fails first, and are stopped before it returns. Findings are printed to
// stderr as a text report. It fails (exit 1) on errors, and on warnings
// when strict is on.
func executePipeline(ctx context.Context, e *env, cmd string, spec *pipelineSpec) (*pipelineResult, error) {
	vc := spec.cfg.Validate
	var assume *redcap.Dictionary
	var loadDiags redcap.Diagnostics
	if len(vc.AssumeFields) > 0 {
		d, ds, err := redcap.Load(vc.AssumeFields...)
		if err != nil {
			return nil, inputError("%s: validate.assume_fields: %v", cmd, err)
		}
		assume, loadDiags = d, append(loadDiags, ds...)
	}
	v, err := pipeline.NewValidator(pipeline.ValidateOptions{
		SchemaFiles: vc.Schemas, ValidationTypesFile: vc.ValidationTypes, AssumeFields: assume, Severities: vc.Rules,
	})
	if err != nil {
		return nil, usageError("%s: %v", cmd, err)
	}

	var lock *host.Lock
	baseDir := ""
	if spec.fromFile {
		baseDir = spec.cfg.Dir()
		lock, err = host.ReadLockIfExists(filepath.Join(baseDir, host.LockFileName))
		if err != nil {
			return nil, inputError("%s: %v", cmd, err)
		}
	}
	opts, err := pluginHostOptions(e, baseDir, lock, spec.allowProjectPlugins)
	if err != nil {
		return nil, inputError("%s: %v", cmd, err)
	}
	host, stages, err := pipeline.StartPlugins(ctx, spec.stages, opts)
	if err != nil {
		return nil, inputError("%s: %v", cmd, err)
	}
	if host != nil {
		defer host.Close()
	}

	d, ds, err := redcap.Load(spec.inputs...)
	if err != nil {
		return nil, inputError("%s: %v", cmd, err)
	}
	loadDiags = pipeline.ApplySeverities(append(loadDiags, ds...), vc.Rules)
	for i := range loadDiags {
		loadDiags[i].Stage = "load"
	}
	res := &pipelineResult{Loaded: d}
	var runErr error
	if loadDiags.HasErrors() {
		runErr = fmt.Errorf("the input has %d error(s) while reading; no stage ran", loadDiags.Count(redcap.SeverityError))
	} else {
		r := &pipeline.Runner{Validator: v, Stages: stages, Log: e.log, Severities: vc.Rules}
		var runDiags redcap.Diagnostics
		res.Result, runDiags, runErr = r.Run(ctx, d)
		loadDiags = append(loadDiags, runDiags...)
	}
	res.Diagnostics = loadDiags
	pipeline.SortDiagnostics(res.Diagnostics, d.Files)
	if err := printTransformReport(e, d, res.Diagnostics); err != nil {
		return res, inputError("%s: %v", cmd, err)
	}
	if runErr != nil {
		return res, inputError("%s: %v", cmd, runErr)
	}
	if n := res.Diagnostics.Count(redcap.SeverityWarning); spec.strict && n > 0 {
		return res, inputError("%s: %d warning(s) and strict is on; stopping", cmd, n)
	}
	return res, nil
}
