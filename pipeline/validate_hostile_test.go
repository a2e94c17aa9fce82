//go:build unix

package pipeline

import (
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// A file named as validation types may be a .env or /proc/self/environ: a
// bad line is named by its number, never quoted (validate reads no .env, so
// the redactor does not know that token), and a special file is refused
// before it is read (a named pipe would block, /dev/zero would fill memory).
func TestReadValidationTypesQuotesNoContentAndRefusesSpecialFiles(t *testing.T) {
	const token = "0123456789ABCDEF0123456789ABCDEF"
	env := writeTemp(t, ".env", "export RC_API_KEY="+token+"\n")
	_, err := ReadValidationTypes(env)
	if err == nil || !strings.Contains(err.Error(), ".env:1") || strings.Contains(err.Error(), token[:8]) {
		t.Errorf("a .env as validation types: error %v", err)
	}
	fifo := filepath.Join(t.TempDir(), "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadValidationTypes(fifo); err == nil || !strings.Contains(err.Error(), "named pipe") {
		t.Errorf("a named pipe as validation types: error %v", err)
	}
}

// -c names a named pipe: refused, not waited on.
func TestLoadConfigRefusesANamedPipe(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "rcolpipe.yaml")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadConfig(fifo); err == nil || !strings.Contains(err.Error(), "named pipe") {
		t.Errorf("LoadConfig(named pipe): error %v", err)
	}
}
