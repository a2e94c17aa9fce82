package pipeline

import (
	"context"
	"fmt"

	"github.com/rcolpipe/rcolpipe/plugins/host"
	"github.com/rcolpipe/rcolpipe/redcap"
)

// PluginStage is a transform stage served by a plugin of a started host.
type PluginStage struct {
	host  *host.Host
	stage string
}

// Name is the stage's name in the pipeline.
func (s *PluginStage) Name() string { return s.stage }

// Run sends the dictionary to the plugin and returns its answer. The host
// names the plugin and the stage in its errors.
func (s *PluginStage) Run(ctx context.Context, d *redcap.Dictionary) (*redcap.Dictionary, redcap.Diagnostics, error) {
	return s.host.Transform(ctx, s.stage, d)
}

// Specs turns stage configs into the host's plugin specs.
func Specs(stages []StageConfig) []host.Spec {
	specs := make([]host.Spec, len(stages))
	for i, s := range stages {
		specs[i] = host.Spec{Stage: s.Name, Plugin: s.Plugin, Config: []byte(s.Config), Timeout: s.Timeout}
	}
	return specs
}

// StartPlugins starts the plugins of every stage at once (so a missing or
// broken plugin fails before any work) and returns the stages in order.
// The caller closes the host when the run is over; with no stages the
// host is nil.
func StartPlugins(ctx context.Context, stages []StageConfig, opts host.Options) (*host.Host, []Stage, error) {
	if len(stages) == 0 {
		return nil, nil, nil
	}
	h, err := host.Start(ctx, Specs(stages), opts)
	if err != nil {
		return nil, nil, fmt.Errorf("start plugins: %w", err)
	}
	out := make([]Stage, len(stages))
	for i, s := range stages {
		out[i] = &PluginStage{host: h, stage: s.Name}
	}
	return h, out, nil
}
