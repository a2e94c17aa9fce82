package bundled

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestRegistry(t *testing.T) {
	if d := cmp.Diff([]string{"conventions", "prefix"}, Names()); d != "" {
		t.Errorf("names (-want +got):\n%s", d)
	}
	for name, tr := range Transformers() {
		info := tr.Info()
		if info.Name != name {
			t.Errorf("%s: Info().Name = %q; the host looks plugins up by this name", name, info.Name)
		}
		if info.Version == "" || info.Description == "" {
			t.Errorf("%s: info lacks version or description: %+v", name, info)
		}
		var schema map[string]any
		if err := json.Unmarshal(info.ConfigSchema, &schema); err != nil {
			t.Errorf("%s: config schema is not JSON: %v", name, err)
		}
	}
}
