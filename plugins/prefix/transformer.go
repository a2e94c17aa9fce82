package prefix

import (
	"github.com/rcolpipe/rcolpipe/plugins/sdk"
)

// Name is the plugin's name in pipelines.
const Name = "prefix"

// Version is the plugin's own version.
const Version = "1.0.0"

// New returns the prefix transformer: a config or a rename that cannot
// work is an error diagnostic and the dictionary comes back unchanged.
func New() sdk.Transformer {
	return sdk.Configured[Config]{
		About: sdk.Info{
			Name:         Name,
			Version:      Version,
			Description:  "give the fields of chosen forms a prefix, or rename fields by a map, and rewrite every reference to them",
			ConfigSchema: []byte(ConfigSchema),
		},
		Parse:      ParseConfig,
		Run:        Run,
		ConfigCode: CodeConfig,
		ConfigHint: `config: {"prefix": "sf_", "forms": ["sf12"], "rename": {"old": "new"}}`,
	}
}
