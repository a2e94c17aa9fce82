// Package bundled lists the plugins the rcolpipe binary serves itself
// (`rcolpipe __plugin NAME`), so that pipelines can use them with no extra
// build and they still run out of process like any other plugin.
package bundled

import (
	"sort"

	"github.com/rcolpipe/rcolpipe/plugins/conventions"
	"github.com/rcolpipe/rcolpipe/plugins/prefix"
	"github.com/rcolpipe/rcolpipe/plugins/sdk"
)

// Transformers returns a new map of the bundled plugins by name.
func Transformers() map[string]sdk.Transformer {
	return map[string]sdk.Transformer{
		prefix.Name:      prefix.New(),
		conventions.Name: conventions.New(),
	}
}

// Names returns the bundled plugins' names in sorted order.
func Names() []string {
	m := Transformers()
	names := make([]string, 0, len(m))
	for n := range m {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}
