package safegit

import (
	"slices"
	"strings"
	"testing"
)

// TestEnv: git gets PATH and SYSTEMROOT of the environment and nothing
// else (not the token, not GIT_DIR).
func TestEnv(t *testing.T) {
	parent := map[string]string{"PATH": "/usr/bin", "SYSTEMROOT": `C:\Windows`,
		"RC_API_KEY": "0123456789ABCDEF0123456789ABCDEF", "GIT_DIR": "/elsewhere"}
	got := strings.Join(Env(func(k string) string { return parent[k] }), "\n")
	for _, bad := range []string{"0123456789ABCDEF", "/elsewhere"} {
		if strings.Contains(got, bad) {
			t.Errorf("git's environment holds %q:\n%s", bad, got)
		}
	}
	for _, want := range []string{"PATH=/usr/bin", `SYSTEMROOT=C:\Windows`, "GIT_CONFIG_NOSYSTEM=1",
		"GIT_ALLOW_PROTOCOL=", "GIT_NO_LAZY_FETCH=1"} {
		if !slices.Contains(strings.Split(got, "\n"), want) {
			t.Errorf("git's environment lacks %s:\n%s", want, got)
		}
	}
}

// TestArgs: the switches come before the command, so that they are git's
// options and not the command's.
func TestArgs(t *testing.T) {
	got := Args("ls-files", "--", "x")
	if i := slices.Index(got, "ls-files"); i < 0 || !slices.Contains(got[:i], "core.fsmonitor=false") || !slices.Equal(got[i:], []string{"ls-files", "--", "x"}) {
		t.Errorf("Args = %q", got)
	}
}
