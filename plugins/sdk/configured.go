package sdk

import (
	"context"
	"fmt"

	"github.com/rcolpipe/rcolpipe/redcap"
)

// Configured is a Transformer made of a config parser and a run function,
// the shape of every bundled plugin: parse the stage config, then run on
// the dictionary. A config that cannot be parsed is an error diagnostic
// (code ConfigCode, hint ConfigHint) with the dictionary unchanged, not a
// Go error, so the report shows it like any other finding.
type Configured[C any] struct {
	// About is what Info returns.
	About Info
	// Parse reads the stage config (raw JSON, possibly empty).
	Parse func([]byte) (C, error)
	// Run transforms the dictionary with the parsed config.
	Run func(*redcap.Dictionary, C) (*redcap.Dictionary, redcap.Diagnostics)
	// ConfigCode and ConfigHint are the diagnostic for a config Parse refuses.
	ConfigCode string
	ConfigHint string
}

// Info describes the plugin and its config.
func (c Configured[C]) Info() Info { return c.About }

// Transform parses the config and runs.
func (c Configured[C]) Transform(ctx context.Context, req *Request) (*Response, error) {
	if req.Dictionary == nil {
		return nil, fmt.Errorf("%s: no dictionary in the request", c.About.Name)
	}
	cfg, err := c.Parse(req.Config)
	if err != nil {
		return &Response{Dictionary: req.Dictionary, Diagnostics: redcap.Diagnostics{{
			Severity: redcap.SeverityError, Code: c.ConfigCode, Message: err.Error(),
			Hint: c.ConfigHint,
		}}}, nil
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	out, diags := c.Run(req.Dictionary, cfg)
	return &Response{Dictionary: out, Diagnostics: diags}, nil
}
