package main

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"rcolpipe": func() { os.Exit(run(os.Args, newEnv())) },
	})
}

// TestScripts runs the CLI sessions under testdata/script. $CORPUS points at
// ../shared/corpus when it exists (scripts that need it skip otherwise),
// $EXAMPLES at the repository's examples folder.
func TestScripts(t *testing.T) {
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	testscript.Run(t, testscript.Params{
		Dir: "testdata/script",
		Setup: func(ts *testscript.Env) error {
			ts.Setenv("EXAMPLES", filepath.Join(root, "examples"))
			ts.Setenv("REPO", root)
			corpus := filepath.Join(root, "..", "shared", "corpus")
			if _, err := os.Stat(corpus); err == nil {
				ts.Setenv("CORPUS", corpus)
			}
			return nil
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"exitcode": cmdExitCode,
		},
		Condition: func(cond string) (bool, error) {
			if cond == "corpus" {
				_, err := os.Stat(filepath.Join(root, "..", "shared", "corpus"))
				return err == nil, nil
			}
			return false, nil
		},
	})
}

// cmdExitCode runs a command and checks its exit status, which plain
// `exec`/`! exec` cannot tell apart (1 from 2):
//
//	exitcode 2 rcolpipe validate --bogus
func cmdExitCode(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: exitcode CODE COMMAND [ARGS...]")
	}
	want, err := strconv.Atoi(args[0])
	if err != nil {
		ts.Fatalf("exitcode: %v", err)
	}
	got := 0
	if err := ts.Exec(args[1], args[2:]...); err != nil {
		var ee *exec.ExitError
		if !errors.As(err, &ee) {
			ts.Fatalf("exitcode: %v", err)
		}
		got = ee.ExitCode()
	}
	if got != want {
		ts.Fatalf("exit status %d, want %d", got, want)
	}
}
