package testcorpus

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// recorder stands in for a test and notes whether Dir failed or skipped it.
type recorder struct {
	testing.TB
	failed, skipped bool
	msg             string
}

func (r *recorder) Helper() {}

func (r *recorder) Fatalf(format string, args ...any) {
	r.failed, r.msg = true, fmt.Sprintf(format, args...)
	runtime.Goexit()
}

func (r *recorder) Skipf(format string, args ...any) {
	r.skipped, r.msg = true, fmt.Sprintf(format, args...)
	runtime.Goexit()
}

// runDir calls Dir as a test in a repository with no corpus beside it.
func runDir(t *testing.T, ci string) *recorder {
	t.Helper()
	repo := filepath.Join(t.TempDir(), "repo")
	if err := os.MkdirAll(filepath.Join(repo, "pkg"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(repo, "go.mod"), []byte("module example.org/repo\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Chdir(filepath.Join(repo, "pkg"))
	t.Setenv("CI", ci)
	r := &recorder{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		Dir(r)
	}()
	<-done
	return r
}

// TestMissingCorpusFailsInCI: in CI a missing corpus fails the test that
// needs it, so acceptance tests cannot stop running unnoticed.
func TestMissingCorpusFailsInCI(t *testing.T) {
	r := runDir(t, "true")
	if !r.failed || r.skipped {
		t.Fatalf("with CI set and no corpus: failed=%v skipped=%v (%s), want a failure", r.failed, r.skipped, r.msg)
	}
}

// TestMissingCorpusSkipsOutsideCI: elsewhere it is a skip, which go test
// reports as SKIP, not as a pass.
func TestMissingCorpusSkipsOutsideCI(t *testing.T) {
	r := runDir(t, "")
	if !r.skipped || r.failed {
		t.Fatalf("without CI and no corpus: failed=%v skipped=%v (%s), want a skip", r.failed, r.skipped, r.msg)
	}
}

// TestFindsCorpusFromPackageFolder: the corpus beside the repository is
// found from a package folder deep inside it.
func TestFindsCorpusFromPackageFolder(t *testing.T) {
	base := t.TempDir()
	repo := filepath.Join(base, "repo")
	corpus := filepath.Join(base, "shared", "corpus", "rcol")
	for _, d := range []string{filepath.Join(repo, "a", "b"), corpus} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(repo, "go.mod"), []byte("module example.org/repo\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Chdir(filepath.Join(repo, "a", "b"))
	t.Setenv("CI", "true")
	if got := Dir(t, "rcol"); got != corpus {
		t.Errorf("Dir = %s, want %s", got, corpus)
	}
}
