//go:build unix

package redcap

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// hangGuard is how long a Load may take before the test calls it blocked.
// It is not a timing assertion: a working Load returns in milliseconds, a
// broken one never.
const hangGuard = 60 * time.Second

type loadResult struct {
	d     *Dictionary
	diags Diagnostics
	err   error
}

// loadOrHang runs Load in a goroutine and fails the test when it does not
// return within hangGuard (the goroutine is then left blocked).
func loadOrHang(t *testing.T, paths ...string) loadResult {
	t.Helper()
	done := make(chan loadResult, 1)
	go func() {
		d, ds, err := Load(paths...)
		done <- loadResult{d, ds, err}
	}()
	select {
	case r := <-done:
		return r
	case <-time.After(hangGuard):
		t.Fatalf("Load(%v) did not return within %v: blocked", paths, hangGuard)
		return loadResult{}
	}
}

func mkfifo(t *testing.T, p string) {
	t.Helper()
	if err := syscall.Mkfifo(p, 0o644); err != nil {
		t.Skipf("cannot make a named pipe here: %v", err)
	}
}

func TestLoadFolderSkipsFIFO(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "good.csv"), goodCSV)
	mkfifo(t, filepath.Join(dir, "pipe.csv"))
	r := loadOrHang(t, dir)
	if r.err != nil {
		t.Fatal(r.err)
	}
	dg := diagWith(t, r.diags, CodeSkippedEntry)
	if r.d.Len() != 1 || dg.File != filepath.Join(dir, "pipe.csv") || !strings.Contains(dg.Message, "a named pipe") {
		t.Errorf("%d fields, %s", r.d.Len(), dg)
	}
}

func TestLoadFolderSkipsLinkToDevZero(t *testing.T) {
	if _, err := os.Stat("/dev/zero"); err != nil {
		t.Skip("no /dev/zero")
	}
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "good.csv"), goodCSV)
	if err := os.Symlink("/dev/zero", filepath.Join(dir, "zero.csv")); err != nil {
		t.Skipf("cannot make symbolic links here: %v", err)
	}
	r := loadOrHang(t, dir)
	if r.err != nil {
		t.Fatal(r.err)
	}
	dg := diagWith(t, r.diags, CodeSkippedEntry)
	if r.d.Len() != 1 || dg.File != filepath.Join(dir, "zero.csv") {
		t.Errorf("%d fields, %s", r.d.Len(), dg)
	}
}

func TestLoadRefusesNamedPipeOrDeviceArgument(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "pipe.csv")
	mkfifo(t, fifo)
	link := filepath.Join(t.TempDir(), "zero.csv")
	if err := os.Symlink("/dev/zero", link); err != nil {
		t.Skipf("cannot make symbolic links here: %v", err)
	}
	for _, tc := range []struct{ path, want string }{
		{fifo, "a named pipe, not a regular file"},
		{"/dev/zero", "a device, not a regular file"},
		{link, "a device, not a regular file"},
	} {
		r := loadOrHang(t, tc.path)
		if r.err == nil || !strings.Contains(r.err.Error(), tc.want) || !strings.Contains(r.err.Error(), tc.path) {
			t.Errorf("Load(%s): err %v, want %q", tc.path, r.err, tc.want)
		}
	}
}

// makeFIFO makes a named pipe for FuzzLoadFolder; an error leaves it out.
func makeFIFO(p string) { _ = syscall.Mkfifo(p, 0o644) }
