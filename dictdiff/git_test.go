package dictdiff

import (
	"strings"
	"testing"
)

// git gets PATH and nothing else of the environment: not the token, not
// GIT_DIR or GIT_CONFIG_* that would point it at another repository or
// config.
func TestGitEnvironment(t *testing.T) {
	parent := map[string]string{
		"PATH":              "/usr/bin",
		"RC_API_KEY":        "0123456789ABCDEF0123456789ABCDEF",
		"GIT_DIR":           "/elsewhere",
		"GIT_CONFIG_GLOBAL": "/home/me/.gitconfig",
		"GIT_EXTERNAL_DIFF": "evil",
	}
	// The process environment holds them too: git must get neither copy.
	for k, v := range parent {
		t.Setenv(k, v)
	}
	env := Git{Getenv: func(k string) string { return parent[k] }}.env()
	got := strings.Join(env, "\n")
	for _, bad := range []string{"0123456789ABCDEF", "/elsewhere", "/home/me", "evil"} {
		if strings.Contains(got, bad) {
			t.Errorf("git's environment holds %q:\n%s", bad, got)
		}
	}
	for _, want := range []string{"PATH=/usr/bin", "GIT_CONFIG_NOSYSTEM=1", "GIT_TERMINAL_PROMPT=0"} {
		if !strings.Contains(got, want+"\n") && !strings.HasSuffix(got, want) {
			t.Errorf("git's environment lacks %s:\n%s", want, got)
		}
	}
}

func TestCheckRevision(t *testing.T) {
	for _, rev := range []string{"HEAD~1", "origin/main", "v1.2.3", "abc123", "main@{1}"} {
		if err := CheckRevision(rev); err != nil {
			t.Errorf("%q: %v", rev, err)
		}
	}
	for _, rev := range []string{"", "-p", "--output=x", "HEAD:file", "a b", "a\nb"} {
		if err := CheckRevision(rev); err == nil {
			t.Errorf("%q passed", rev)
		}
	}
}
