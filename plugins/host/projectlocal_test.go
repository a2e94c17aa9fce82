//go:build !windows

package host

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestProjectLocalPluginsShadowInstalled is issue 9 item 5: a checkout's
// ./.rcolpipe/plugins/mine ran instead of the user's installed mine, with no
// warning. A plugin found in the project folder now runs only when the lock
// pins it or the user allows project plugins; sharing a name with an
// installed one is a warning naming both files.
func TestProjectLocalPluginsShadowInstalled(t *testing.T) {
	project, installed := t.TempDir(), t.TempDir()
	if err := os.MkdirAll(filepath.Join(project, LocalPluginDir), 0o755); err != nil {
		t.Fatal(err)
	}
	write := func(p, body string) string {
		t.Helper()
		if err := os.WriteFile(p, []byte("#!/bin/sh\n# "+body+"\n"), 0o755); err != nil {
			t.Fatal(err)
		}
		return p
	}
	localMine := write(filepath.Join(project, LocalPluginDir, "mine"), "the checkout's")
	installedMine := write(filepath.Join(installed, "mine"), "the user's")
	localOnly := write(filepath.Join(project, LocalPluginDir, "onlyhere"), "the checkout's only")
	sum := func(p string) string {
		s, err := HashFile(p)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	lock := func(ref, path string) *Lock {
		return &Lock{Version: 1, Plugins: map[string]LockEntry{ref: {SHA256: sum(path)}}, dir: project}
	}
	resolver := func(allow bool, l *Lock) *Resolver {
		// The search path as SearchPath builds it: the project folder
		// before the user's plugin folder.
		return &Resolver{SearchPath: []string{LocalPluginDir, installed}, BaseDir: project, AllowProjectLocal: allow, Lock: l}
	}

	t.Run("shadowing, not allowed: the installed one runs, with a warning", func(t *testing.T) {
		res, err := resolver(false, nil).Resolve("mine")
		if err != nil {
			t.Fatal(err)
		}
		if res.Path != installedMine || res.ProjectLocal {
			t.Errorf("runs %s (project-local %t), want the installed %s", res.Path, res.ProjectLocal, installedMine)
		}
		for _, want := range []string{localMine, installedMine, AllowProjectFlag, LockFileName} {
			if !strings.Contains(res.Warning, want) {
				t.Errorf("warning %q does not name %s", res.Warning, want)
			}
		}
	})
	t.Run("shadowing, allowed by the flag: the project's runs, with a warning", func(t *testing.T) {
		res, err := resolver(true, nil).Resolve("mine")
		if err != nil {
			t.Fatal(err)
		}
		if res.Path != localMine || !res.ProjectLocal {
			t.Errorf("runs %s, want the project-local %s", res.Path, localMine)
		}
		if !strings.Contains(res.Warning, localMine+" shadows the installed "+installedMine) {
			t.Errorf("warning %q, want it to name both files", res.Warning)
		}
	})
	t.Run("shadowing, pinned in the lock: the project's runs", func(t *testing.T) {
		res, err := resolver(false, lock("mine", localMine)).Resolve("mine")
		if err != nil || res.Path != localMine {
			t.Errorf("Resolve = %+v, %v; want %s", res, err, localMine)
		}
	})
	t.Run("the lock pins the installed one: that runs", func(t *testing.T) {
		res, err := resolver(false, lock("mine", installedMine)).Resolve("mine")
		if err != nil || res.Path != installedMine {
			t.Errorf("Resolve = %+v, %v; want %s", res, err, installedMine)
		}
	})
	t.Run("only in the project, not allowed: refused, naming the file and the way out", func(t *testing.T) {
		_, err := resolver(false, nil).Resolve("onlyhere")
		var ple *ProjectLocalError
		if !errors.As(err, &ple) || ple.Path != localOnly {
			t.Fatalf("err = %v, want a *ProjectLocalError for %s", err, localOnly)
		}
		for _, want := range []string{localOnly, LockFileName} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("error %q does not name %s", err, want)
			}
		}
	})
	t.Run("only in the project, pinned with another sum: refused", func(t *testing.T) {
		_, err := resolver(false, lock("onlyhere", installedMine)).Resolve("onlyhere")
		var ple *ProjectLocalError
		if !errors.As(err, &ple) {
			t.Fatalf("err = %v, want a *ProjectLocalError", err)
		}
	})
	t.Run("only in the project, allowed: runs without a warning", func(t *testing.T) {
		res, err := resolver(true, nil).Resolve("onlyhere")
		if err != nil || res.Path != localOnly || res.Warning != "" {
			t.Errorf("Resolve = %+v, %v; want %s, no warning", res, err, localOnly)
		}
	})
	t.Run("the host refuses it with its own kind", func(t *testing.T) {
		_, err := Start(t.Context(), []Spec{{Stage: "s", Plugin: "onlyhere"}},
			Options{SearchPath: []string{LocalPluginDir, installed}, BaseDir: project})
		wantError(t, err, KindProjectLocal, `stage "s" (plugin onlyhere): not run:`, localOnly, AllowProjectFlag)
	})
	t.Run("plugins list says which is project-local and what shadows what", func(t *testing.T) {
		// Installed reads the folders as given, from the working folder.
		t.Chdir(project)
		r := resolver(false, nil)
		want := []Found{
			{Name: "mine", Path: filepath.Join(LocalPluginDir, "mine"), ProjectLocal: true},
			{Name: "onlyhere", Path: filepath.Join(LocalPluginDir, "onlyhere"), ProjectLocal: true},
			{Name: "mine", Path: installedMine, ShadowedBy: "the project-local one, when that is allowed"},
		}
		if diff := cmp.Diff(want, r.Installed()); diff != "" {
			t.Errorf("Installed (-want +got):\n%s", diff)
		}
	})
}
