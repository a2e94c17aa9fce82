// Package testcorpus finds, for tests, the shared corpus of real REDCap
// dictionaries that lives beside the repository (../shared/corpus).
//
// Away from CI a missing corpus skips the tests that need it. In CI (the
// CI variable set to anything) the corpus is part of the checkout, so a
// missing one fails those tests: acceptance tests must not silently stop
// running.
package testcorpus

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// Path returns the corpus folder, or an error saying where it was looked
// for. It looks from the working directory (a test's package folder) up to
// the folder of go.mod.
func Path() (string, error) {
	wd, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("find the corpus: %w", err)
	}
	root := wd
	for {
		if _, err := os.Stat(filepath.Join(root, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(root)
		if parent == root {
			return "", fmt.Errorf("find the corpus: no go.mod above %s", wd)
		}
		root = parent
	}
	dir := filepath.Join(filepath.Dir(root), "shared", "corpus")
	fi, err := os.Stat(dir)
	if err != nil {
		return "", fmt.Errorf("corpus of real dictionaries not found: %w", err)
	}
	if !fi.IsDir() {
		return "", fmt.Errorf("corpus of real dictionaries: %s is not a folder", dir)
	}
	return dir, nil
}

// InCI reports whether the tests run in CI, where the corpus must exist.
func InCI() bool { return os.Getenv("CI") != "" }

// Dir returns the corpus folder, joined with elem. When it is missing the
// test is skipped, or fails in CI.
func Dir(tb testing.TB, elem ...string) string {
	tb.Helper()
	dir, err := Path()
	if err == nil {
		dir = filepath.Join(append([]string{dir}, elem...)...)
		if _, statErr := os.Stat(dir); statErr != nil {
			err = fmt.Errorf("corpus part missing: %w", statErr)
		}
	}
	if err != nil {
		missing(tb, err)
	}
	return dir
}

// Optional returns the corpus folder and true, or "" and false when it is
// missing, for tests that have other work to do without it (fuzz seeds).
// In CI a missing corpus still fails the test.
func Optional(tb testing.TB) (string, bool) {
	tb.Helper()
	dir, err := Path()
	if err != nil {
		if InCI() {
			missing(tb, err)
		}
		return "", false
	}
	return dir, true
}

func missing(tb testing.TB, err error) {
	tb.Helper()
	if InCI() {
		tb.Fatalf("%v; CI is set, so the corpus (../shared/corpus beside the repository) must be there", err)
	}
	tb.Skipf("%v; the test needs ../shared/corpus beside the repository", err)
}
