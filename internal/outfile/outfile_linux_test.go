package outfile

import (
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// Issue 9 item 3: as root, "-o /dev/null" turned /dev/null into a regular
// file. The test makes its own /dev/null (char device 1,3) in a temporary
// folder, so a failure cannot break the machine's.
func TestWriteKeepsDeviceADevice(t *testing.T) {
	dir := t.TempDir()
	null := filepath.Join(dir, "null")
	if err := syscall.Mknod(null, syscall.S_IFCHR|0o666, 1<<8|3); err != nil { // major 1, minor 3
		t.Skipf("cannot make a device node here (needs root): %v", err)
	}
	if err := WriteBytes(null, []byte("{}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	st, err := os.Lstat(null)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Type() != fs.ModeDevice|fs.ModeCharDevice {
		t.Errorf("%s is now %v, want a character device", null, st.Mode())
	}
	if got := names(t, dir); len(got) != 1 {
		t.Errorf("folder holds %q", got)
	}
}

// A FIFO (and /dev/stdout on a pipe) is written to, not replaced.
func TestWriteIntoFIFO(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	got := make(chan string, 1)
	go func() {
		f, err := os.Open(fifo) // blocks until the writer opens it
		if err != nil {
			got <- "open: " + err.Error()
			return
		}
		defer f.Close()
		b, err := io.ReadAll(f)
		if err != nil {
			got <- "read: " + err.Error()
			return
		}
		got <- string(b)
	}()
	if err := WriteBytes(fifo, []byte("through the pipe"), 0o644); err != nil {
		t.Fatal(err)
	}
	// Checked before waiting for the reader: a replaced FIFO never gets a
	// writer, and its reader would wait for ever.
	st, err := os.Lstat(fifo)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Type() != fs.ModeNamedPipe {
		t.Fatalf("%s is now %v, want a FIFO", fifo, st.Mode())
	}
	if s := <-got; s != "through the pipe" {
		t.Errorf("reader got %q", s)
	}
	if got := names(t, dir); len(got) != 1 {
		t.Errorf("folder holds %q", got)
	}
}

// Root replacing a user's file leaves it the user's.
func TestWriteKeepsOwner(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("only root can give a file to another user")
	}
	path := filepath.Join(t.TempDir(), "out.json")
	if err := os.WriteFile(path, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chown(path, 4242, 4343); err != nil {
		t.Fatal(err)
	}
	if err := WriteBytes(path, []byte("new"), 0o644); err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	sys := st.Sys().(*syscall.Stat_t)
	if sys.Uid != 4242 || sys.Gid != 4343 {
		t.Errorf("owner %d:%d, want 4242:4343 kept", sys.Uid, sys.Gid)
	}
}
