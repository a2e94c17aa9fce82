package conventions

import (
	"context"
	"errors"

	"github.com/rcolpipe/rcolpipe/plugins/sdk"
	"github.com/rcolpipe/rcolpipe/redcap"
)

// Name is the plugin's name in pipelines.
const Name = "conventions"

// Version is the plugin's own version.
const Version = "1.0.0"

// Transformer serves the conventions stage over the plugin protocol.
type Transformer struct{}

// New returns the conventions transformer.
func New() Transformer { return Transformer{} }

// Info describes the plugin and its config.
func (Transformer) Info() sdk.Info {
	return sdk.Info{
		Name:         Name,
		Version:      Version,
		Description:  "check an institution's conventions (name prefixes and length, identifiers, required action tags, forbidden types, label language) and apply the configured fixes",
		ConfigSchema: []byte(ConfigSchema),
	}
}

// Transform runs the configured checks; a config that cannot work is an
// error diagnostic and the dictionary comes back unchanged.
func (Transformer) Transform(ctx context.Context, req *sdk.Request) (*sdk.Response, error) {
	if req.Dictionary == nil {
		return nil, errors.New("conventions: no dictionary in the request")
	}
	cfg, err := ParseConfig(req.Config)
	if err != nil {
		return &sdk.Response{Dictionary: req.Dictionary, Diagnostics: redcap.Diagnostics{{
			Severity: redcap.SeverityError, Code: CodeConfig, Message: err.Error(),
			Hint: "see docs/pipeline.md, section conventions",
		}}}, nil
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	out, diags := Run(req.Dictionary, cfg)
	return &sdk.Response{Dictionary: out, Diagnostics: diags}, nil
}
