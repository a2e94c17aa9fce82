package api

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fsmonitorProbeName is the name under which the test binary, copied, acts
// as a git fsmonitor program (see TestGitCheckRunsNoRepoProgram): git runs
// it without a shell, and its own name is the switch, since an environment
// variable would not pass a scrubbed environment.
const fsmonitorProbeName = "rcolpipe-fsmonitor-probe"

func TestMain(m *testing.M) {
	if filepath.Base(os.Args[0]) == fsmonitorProbeName {
		fsmonitorProbe()
		return
	}
	os.Exit(m.Run())
}

// fsmonitorProbe records that it ran, with its environment, in ran.env
// beside its executable, and exits non-zero (git then scans the folder
// itself).
func fsmonitorProbe() {
	exe, err := os.Executable()
	if err == nil {
		_ = os.WriteFile(filepath.Join(filepath.Dir(exe), "ran.env"), []byte(strings.Join(os.Environ(), "\n")), 0o600)
	}
	os.Exit(1)
}
