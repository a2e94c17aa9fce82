package host

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"
)

// TestStageWithoutTimeoutGetsTheDefault: a stage that sets no timeout (0,
// what the pipeline file gives when `timeout` is left out) runs under
// DefaultTimeout, the 60s docs/pipeline.md promises, rather than no limit
// or a zero one.
func TestStageWithoutTimeoutGetsTheDefault(t *testing.T) {
	if DefaultTimeout != 60*time.Second {
		t.Errorf("DefaultTimeout = %v; docs/pipeline.md says 60s", DefaultTimeout)
	}
	doc, err := os.ReadFile("../../docs/pipeline.md")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(doc), "| `timeout` | duration | how long one call of the plugin may take (`30s`, `2m`); default 60s |") {
		t.Error("docs/pipeline.md no longer documents the stage timeout's default as 60s")
	}

	h, err := startOne(t, Spec{Stage: "usual", Plugin: testPlugin("echo")}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := h.stages["usual"].spec.Timeout; got != DefaultTimeout {
		t.Errorf("timeout of a stage that sets none: %v, want %v", got, DefaultTimeout)
	}
	// The call runs under that limit, not under a zero one.
	if _, _, err := h.Transform(context.Background(), "usual", testDict()); err != nil {
		t.Errorf("transform under the default timeout: %v", err)
	}
}
