package pipeline

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/rcolpipe/rcolpipe/plugins/host"
	"github.com/rcolpipe/rcolpipe/redcap"
)

// TestStageTimeoutFromPipelineFile: a stage's timeout in the pipeline file
// reaches the plugin host unchanged, and a stage without one passes 0,
// which the host reads as host.DefaultTimeout (checked in plugins).
func TestStageTimeoutFromPipelineFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "rcolpipe.yaml")
	writeFile(t, path, "version: 1\nstages:\n  - name: slow\n    plugin: prefix\n    timeout: 1500ms\n  - name: usual\n    plugin: prefix\n")
	cfg, err := LoadConfig(path)
	if err != nil {
		t.Fatal(err)
	}
	specs := Specs(cfg.Stages)
	if len(specs) != 2 {
		t.Fatalf("%d specs", len(specs))
	}
	if specs[0].Stage != "slow" || specs[0].Timeout != 1500*time.Millisecond {
		t.Errorf("stage with timeout: %+v, want slow with 1.5s", specs[0])
	}
	if specs[1].Timeout != 0 {
		t.Errorf("stage without timeout: %v, want 0 (the host's default)", specs[1].Timeout)
	}
}

// TestStageErrorNamesTheStageOnce: a plugin's error already says which
// stage and plugin failed; the run's error does not say the stage twice.
func TestStageErrorNamesTheStageOnce(t *testing.T) {
	perr := &host.Error{Kind: host.KindTimeout, Stage: "slow", Plugin: "./bin/hanger",
		What: "no answer to Transform within 2s; the plugin was stopped", Hint: "raise the stage's timeout"}
	r := &Runner{Log: zerolog.Nop(), check: func(*redcap.Dictionary) redcap.Diagnostics { return nil },
		Stages: []Stage{funcStage{"slow", func(d *redcap.Dictionary) (*redcap.Dictionary, redcap.Diagnostics, error) {
			return nil, nil, perr
		}}}}
	_, _, err := r.Run(context.Background(), testDict())
	var se *StageError
	if !errors.As(err, &se) || se.Stage != "slow" || !errors.Is(err, perr) {
		t.Fatalf("err = %v, want a StageError of slow wrapping the plugin's error", err)
	}
	if n := strings.Count(err.Error(), `stage "slow"`); n != 1 {
		t.Errorf("%q names the stage %d times, want once", err, n)
	}
}
