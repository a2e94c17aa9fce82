package dictdiff

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
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

// TestGitFetchesNothing: in a partial clone, reading a blob the clone
// lacks makes git fetch it from the promisor remote, which runs what the
// repository's config names (remote.*.uploadpack here; core.sshCommand or
// a credential helper elsewhere). rcolpipe's git must not fetch, so that a
// checkout's .git/config runs no program; the missing blob is an error.
func TestGitFetchesNothing(t *testing.T) {
	git, err := exec.LookPath("git")
	if err != nil {
		t.Skip("git is not installed")
	}
	if runtime.GOOS == "windows" {
		t.Skip("the probe is a shell script")
	}
	tmp := t.TempDir()
	server, clone := filepath.Join(tmp, "server"), filepath.Join(tmp, "clone")
	ran := filepath.Join(tmp, "ran")
	probe := filepath.Join(tmp, "probe.sh")
	if err := os.WriteFile(probe, []byte("#!/bin/sh\ntouch '"+ran+"'\nexec git-upload-pack \"$@\"\n"), 0o700); err != nil {
		t.Fatal(err)
	}
	gitIn := func(dir string, args ...string) {
		t.Helper()
		cmd := exec.Command(git, args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GIT_CONFIG_GLOBAL="+os.DevNull, "GIT_CONFIG_NOSYSTEM=1",
			"GIT_AUTHOR_NAME=T", "GIT_AUTHOR_EMAIL=t@example.org", "GIT_COMMITTER_NAME=T", "GIT_COMMITTER_EMAIL=t@example.org")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	if err := os.Mkdir(server, 0o700); err != nil {
		t.Fatal(err)
	}
	gitIn(server, "init", "-q")
	gitIn(server, "config", "uploadpack.allowfilter", "true")
	for _, label := range []string{"Old", "New"} {
		if err := os.WriteFile(filepath.Join(server, "d.csv"), []byte("field_name,form_name,field_type,field_label\nrecord_id,f,text,"+label+"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		gitIn(server, "add", "d.csv")
		gitIn(server, "commit", "-q", "-m", label)
	}
	// The clone has the blobs of HEAD only: HEAD~1's d.csv is missing.
	gitIn(tmp, "clone", "-q", "--filter=blob:none", "file://"+filepath.ToSlash(server), clone)
	gitIn(clone, "config", "remote.origin.uploadpack", probe)
	gitIn(clone, "config", "protocol.file.allow", "always")

	g := Git{Dir: clone}
	ctx := context.Background()
	commit, err := g.resolve(ctx, "HEAD~1")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := g.lookup(ctx, commit, "d.csv"); err == nil {
		t.Error("lookup of a blob the clone lacks succeeded (was it fetched?)")
	} else if !strings.Contains(gitHint(err), "partial clone") {
		t.Errorf("lookup: %v%s; want the partial clone's hint", err, gitHint(err))
	}
	if _, _, err := g.show(ctx, commit, "d.csv"); err == nil {
		t.Error("show of a blob the clone lacks succeeded (was it fetched?)")
	}
	if _, err := os.Stat(ran); err == nil {
		t.Fatal("rcolpipe's git ran the repository's remote.origin.uploadpack")
	}
	// The probe works: plain git runs it (else this test proves nothing).
	gitIn(clone, "cat-file", "-t", "HEAD~1:d.csv")
	if _, err := os.Stat(ran); err != nil {
		t.Fatalf("plain git did not run the probe (%v); the test cannot tell anything", err)
	}
}
