package host

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"testing"
)

// copyPlugin copies a test plugin to dir/name so the test can change it.
func copyPlugin(t *testing.T, from, dir, name string) string {
	t.Helper()
	src, err := os.Open(from)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	p := filepath.Join(dir, name)
	dst, err := os.OpenFile(p, os.O_CREATE|os.O_WRONLY, 0o755)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(dst, src); err != nil {
		t.Fatal(err)
	}
	if err := dst.Close(); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestLock(t *testing.T) {
	dir := t.TempDir()
	bin := filepath.Join(dir, "bin")
	if err := os.Mkdir(bin, 0o755); err != nil {
		t.Fatal(err)
	}
	copyPlugin(t, testPlugin("echo"), bin, "echo")
	r := &Resolver{BaseDir: dir, SearchPath: []string{bin}, Bundled: []string{"prefix"}, SelfExe: "/proc/self/exe"}
	// The pipeline names it once by path and once by name on the search path.
	lock, _, err := LockFor(r, []string{"bin/echo", "echo", "prefix"})
	if err != nil {
		t.Fatal(err)
	}
	lockPath := filepath.Join(dir, LockFileName)
	if err := lock.Write(lockPath); err != nil {
		t.Fatal(err)
	}
	read, err := ReadLock(lockPath)
	if err != nil {
		t.Fatal(err)
	}
	if e := read.Plugins["./bin/echo"]; len(e.SHA256) != 64 {
		t.Errorf("path entry = %+v (keys %v)", e, read.Refs())
	}
	if e := read.Plugins["prefix"]; !e.Bundled || e.SHA256 != "" {
		t.Errorf("bundled entry = %+v", e)
	}
	opts := Options{BaseDir: dir, SearchPath: []string{bin}, Lock: read}
	start := func(ref string) error {
		h, err := Start(context.Background(), []Spec{{Stage: "s", Plugin: ref}}, opts)
		if err == nil {
			h.Close()
		}
		return err
	}
	for _, ref := range []string{"bin/echo", "./bin/echo", filepath.Join(bin, "echo"), "echo"} {
		if err := start(ref); err != nil {
			t.Errorf("locked %s: %v", ref, err)
		}
	}

	// Change the binary after locking: every way of naming it is refused.
	f, err := os.OpenFile(filepath.Join(bin, "echo"), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Write([]byte("tampered")); err != nil {
		t.Fatal(err)
	}
	f.Close()
	for _, ref := range []string{"bin/echo", "echo"} {
		wantError(t, start(ref), KindChecksum, `stage "s"`, "checksum mismatch", "pins", "run `rcolpipe plugins lock` again")
	}

	// A plugin the lock does not list is refused too.
	copyPlugin(t, testPlugin("echo"), bin, "other")
	wantError(t, start("bin/other"), KindNotLocked, "is not in rcolpipe.lock", "rcolpipe plugins lock")
}

func TestReadLockRejectsBadSums(t *testing.T) {
	p := filepath.Join(t.TempDir(), LockFileName)
	if err := os.WriteFile(p, []byte(`{"version":1,"plugins":{"x":{"sha256":"abc"}}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadLock(p); err == nil {
		t.Error("a short sha256 was accepted")
	}
	if l, err := ReadLockIfExists(filepath.Join(t.TempDir(), "none.lock")); l != nil || err != nil {
		t.Errorf("missing lock: %v, %v", l, err)
	}
}

func TestSearchPath(t *testing.T) {
	env := map[string]string{EnvPluginPath: "/a" + string(filepath.ListSeparator) + "/b", "HOME": "/home/u", "XDG_DATA_HOME": ""}
	got := SearchPath(func(k string) string { return env[k] })
	want := []string{"/a", "/b", LocalPluginDir, "/home/u/.local/share/rcolpipe/plugins"}
	if len(got) != len(want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("got %v, want %v", got, want)
		}
	}
	r := &Resolver{Bundled: []string{"prefix"}, SelfExe: "/usr/bin/rcolpipe", SearchPath: []string{pluginDir}}
	res, err := r.Resolve("prefix")
	if err != nil || !res.Bundled || res.Path != "/usr/bin/rcolpipe" || len(res.Args) != 2 || res.Args[0] != ServeCommand || res.Args[1] != "prefix" {
		t.Errorf("bundled: %+v, %v", res, err)
	}
	res, err = r.Resolve("echo")
	if err != nil || res.Path != testPlugin("echo") {
		t.Errorf("by name: %+v, %v", res, err)
	}
}

// Issue 9 item 2: `plugins lock` wrote through a symbolic link planted at
// rcolpipe.lock.tmp, overwriting whatever file it named.
func TestLockWriteLeavesPlantedTmpSymlinkAlone(t *testing.T) {
	dir := t.TempDir()
	victim := filepath.Join(t.TempDir(), "bashrc")
	if err := os.WriteFile(victim, []byte("# victim\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	lockPath := filepath.Join(dir, LockFileName)
	if err := os.Symlink(victim, lockPath+".tmp"); err != nil {
		t.Fatal(err)
	}
	lock := &Lock{Version: 1, Plugins: map[string]LockEntry{"prefix": {Bundled: true}}}
	if err := lock.Write(lockPath); err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(victim); err != nil || string(b) != "# victim\n" {
		t.Errorf("victim holds %q (%v), want it untouched", b, err)
	}
	read, err := ReadLock(lockPath)
	if err != nil {
		t.Fatal(err)
	}
	if !read.Plugins["prefix"].Bundled {
		t.Errorf("lock read back = %+v", read)
	}
}
