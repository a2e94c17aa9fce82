package conventions

import (
	"github.com/rcolpipe/rcolpipe/plugins/sdk"
)

// Name is the plugin's name in pipelines.
const Name = "conventions"

// Version is the plugin's own version.
const Version = "1.0.0"

// New returns the conventions transformer: it runs the configured checks;
// a config that cannot work is an error diagnostic and the dictionary
// comes back unchanged.
func New() sdk.Transformer {
	return sdk.Configured[Config]{
		About: sdk.Info{
			Name:         Name,
			Version:      Version,
			Description:  "check an institution's conventions (name prefixes and length, identifiers, required action tags, forbidden types, label language) and apply the configured fixes",
			ConfigSchema: []byte(ConfigSchema),
		},
		Parse:      ParseConfig,
		Run:        Run,
		ConfigCode: CodeConfig,
		ConfigHint: "see docs/pipeline.md, section conventions",
	}
}
