package main

import (
	"context"
	"errors"

	"github.com/rcolpipe/rcolpipe/internal/progress"
	"github.com/rcolpipe/rcolpipe/output"
	"github.com/rcolpipe/rcolpipe/pipeline"
	"github.com/rcolpipe/rcolpipe/plugins/host"
)

// newSpec reads the pipeline file and the command line into a run (exit 2
// when either is wrong).
func newSpec(cmd string, req pipeline.Request) (pipeline.Spec, error) {
	spec, err := pipeline.NewSpec(req)
	if err != nil {
		return spec, pipelineError(cmd, err)
	}
	return spec, nil
}

// runStages runs spec (pipeline.Run) with the plugin host configured for
// this command line, writes the findings to stderr as a text report, and
// fails (exit 1) on errors, and on warnings when strict is on. stderr is
// the person's channel here whatever --format is, so a long run shows its
// progress there when it is a terminal.
func runStages(ctx context.Context, e *env, cmd string, spec pipeline.Spec, allowProjectPlugins bool) (*pipeline.Result, error) {
	opts, err := pluginHostOptions(e, allowProjectPlugins)
	if err != nil {
		return nil, inputError("%s: %v", cmd, err)
	}
	line := progress.Start(e.stderr, e.stderrIsTerminal)
	spec.Plugins, spec.Log, spec.Progress = opts, e.log, line.Step
	res, err := pipeline.Run(ctx, spec)
	line.Stop()
	if res != nil {
		if werr := output.WriteStageFindings(e.stderr, res, version); werr != nil {
			return res, inputError("%s: %v", cmd, werr)
		}
	}
	if err != nil {
		return res, pipelineError(cmd, err)
	}
	return res, nil
}

// pipelineError maps an error of package pipeline to an exit code: a wrong
// command line or pipeline file exits 2, anything else 1.
func pipelineError(cmd string, err error) error {
	var pe *pipeline.Error
	if errors.As(err, &pe) && pe.Kind == pipeline.KindUsage {
		return usageError("%s: %v", cmd, err)
	}
	// A stage config the plugin's schema refuses, or a stage naming no
	// plugin, is a wrong --stage or pipeline file, not a failed run.
	var he *host.Error
	if errors.As(err, &he) && (he.Kind == host.KindConfig || he.Kind == host.KindMissing) {
		return usageError("%s: %v", cmd, err)
	}
	return inputError("%s: %v", cmd, err)
}
