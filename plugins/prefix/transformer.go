package prefix

import (
	"context"
	"errors"

	"github.com/rcolpipe/rcolpipe/plugins/sdk"
	"github.com/rcolpipe/rcolpipe/redcap"
)

// Name is the plugin's name in pipelines.
const Name = "prefix"

// Version is the plugin's own version.
const Version = "1.0.0"

// Transformer serves the prefix stage over the plugin protocol.
type Transformer struct{}

// New returns the prefix transformer.
func New() Transformer { return Transformer{} }

// Info describes the plugin and its config.
func (Transformer) Info() sdk.Info {
	return sdk.Info{
		Name:         Name,
		Version:      Version,
		Description:  "give the fields of chosen forms a prefix, or rename fields by a map, and rewrite every reference to them",
		ConfigSchema: []byte(ConfigSchema),
	}
}

// Transform renames; a config or a rename that cannot work is an error
// diagnostic and the dictionary comes back unchanged.
func (Transformer) Transform(ctx context.Context, req *sdk.Request) (*sdk.Response, error) {
	if req.Dictionary == nil {
		return nil, errors.New("prefix: no dictionary in the request")
	}
	cfg, err := ParseConfig(req.Config)
	if err != nil {
		return &sdk.Response{Dictionary: req.Dictionary, Diagnostics: redcap.Diagnostics{{
			Severity: redcap.SeverityError, Code: CodeConfig, Message: err.Error(),
			Hint: `config: {"prefix": "sf_", "forms": ["sf12"], "rename": {"old": "new"}}`,
		}}}, nil
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	out, diags := Run(req.Dictionary, cfg)
	return &sdk.Response{Dictionary: out, Diagnostics: diags}, nil
}
