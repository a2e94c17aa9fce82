package host

import (
	"bufio"
	"context"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// TestReattach starts a plugin by hand in debug mode, as under a debugger,
// and runs a stage on it through the line it prints.
func TestReattach(t *testing.T) {
	cmd := exec.Command(testPlugin("echo"))
	cmd.Env = []string{"RCOLPIPE_PLUGIN_DEBUG=1", "TMPDIR=" + t.TempDir()}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = cmd.Process.Kill(); _ = cmd.Wait() }()
	sc := bufio.NewScanner(stdout)
	if !sc.Scan() {
		t.Fatal("the plugin printed nothing")
	}
	line := sc.Text()
	value, ok := strings.CutPrefix(line, EnvReattach+"='")
	if !ok {
		t.Fatalf("printed %q", line)
	}
	ra, err := ParseReattach(strings.TrimSuffix(value, "'"))
	if err != nil {
		t.Fatal(err)
	}
	if ra["echo"].Pid != cmd.Process.Pid {
		t.Fatalf("reattach %+v, pid %d", ra, cmd.Process.Pid)
	}
	// Named by path: matched by base name. The lock would refuse it, but an
	// attached plugin is not checked (it is a debugging aid).
	h, err := Start(context.Background(), []Spec{{Stage: "dbg", Plugin: "./bin/echo", Config: []byte(`{"tag":"@X"}`)}},
		Options{Reattach: ra, Lock: &Lock{Version: 1}})
	if err != nil {
		t.Fatal(err)
	}
	out, _, err := h.Transform(context.Background(), "dbg", testDict())
	if err != nil {
		t.Fatal(err)
	}
	if out.Fields[0].FieldAnnotation != "@X" {
		t.Errorf("annotation %q", out.Fields[0].FieldAnnotation)
	}
	h.Close()
	// The host does not kill a plugin it did not start.
	time.Sleep(100 * time.Millisecond)
	if err := cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatalf("the plugin is gone after Close: %v", err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Error("Ctrl-C did not stop the debug plugin")
	}
}
