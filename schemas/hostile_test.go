//go:build unix

package schemas

import (
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// A schema named in a pipeline file may be a named pipe: it is refused
// before it is read, not waited on.
func TestCompileRefusesANamedPipe(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "schema.json")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Compile(fifo); err == nil || !strings.Contains(err.Error(), "named pipe") {
		t.Errorf("Compile(named pipe): error %v", err)
	}
}
