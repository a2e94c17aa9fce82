//go:build linux

package host

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/rs/zerolog"
)

// TestPluginChildrenOutliveRcolpipe is issue 9 item 7: a plugin that starts
// a child (`sleep 120`) left it running after a successful run. Each
// plugin now runs in its own process group, which Close ends. With
// "inherit" the child also holds the plugin's stderr pipe, on which
// go-plugin's Kill waits.
func TestPluginChildrenOutliveRcolpipe(t *testing.T) {
	for _, inherit := range []bool{false, true} {
		t.Run(fmt.Sprintf("inherit=%t", inherit), func(t *testing.T) {
			log := zerolog.New(zerolog.NewTestWriter(t)).Level(zerolog.WarnLevel)
			h, err := Start(context.Background(), []Spec{{Stage: "spawn", Plugin: testPlugin("spawner"),
				Config: fmt.Appendf(nil, `{"inherit":%t}`, inherit)}}, Options{Log: log})
			if err != nil {
				t.Fatal(err)
			}
			_, diags, err := h.Transform(context.Background(), "spawn", testDict())
			if err != nil {
				h.Close()
				t.Fatal(err)
			}
			if len(diags) != 1 || !strings.HasPrefix(diags[0].Message, "child=") {
				h.Close()
				t.Fatalf("diagnostics %v, want one child=PID", diags)
			}
			pid, err := strconv.Atoi(strings.TrimPrefix(diags[0].Message, "child="))
			if err != nil {
				h.Close()
				t.Fatal(err)
			}
			// Whatever happens below, the child does not outlive the test.
			t.Cleanup(func() { _ = syscall.Kill(pid, syscall.SIGKILL) })
			if processEnded(pid) {
				t.Fatalf("the plugin's child %d is not running before Close, so this test shows nothing", pid)
			}

			closeStart := time.Now()
			defer func() { t.Logf("Close took %s", time.Since(closeStart)) }()
			closed := make(chan struct{})
			go func() {
				h.Close()
				close(closed)
			}()
			// Bounds against a hang, not timings.
			select {
			case <-closed:
			case <-time.After(30 * time.Second):
				t.Fatalf("Close did not return within 30s: it waits for the plugin's child %d", pid)
			}
			deadline := time.Now().Add(10 * time.Second)
			for !processEnded(pid) {
				if time.Now().After(deadline) {
					t.Fatalf("the plugin's child %d still runs 10s after Close", pid)
				}
				time.Sleep(20 * time.Millisecond)
			}
		})
	}
}

// TestPluginsReadHostTokenThroughProc is issue 9 item 5's second half: a
// plugin read RC_API_KEY from /proc/$PPID/environ. The host (testdata
// peekhost, with the token in its environment) runs the peeker plugin,
// which tries /proc/PPID/environ and /proc/PPID/mem. The host is
// non-dumpable, so both are refused to a plugin of the same user.
//
// Root reads every process's /proc files (CAP_SYS_PTRACE) dumpable or not,
// so when the test runs as root, host and plugin run as nobody (65534):
// still the same user as each other, as a user's rcolpipe and their plugin.
func TestPluginsReadHostTokenThroughProc(t *testing.T) {
	work, err := os.MkdirTemp("", "rcolpipe-peek")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.RemoveAll(work) })
	cmd := exec.Command(testPlugin("peekhost"), testPlugin("peeker"))
	cmd.Dir = work
	cmd.Env = []string{"TMPDIR=" + work, "PATH=" + os.Getenv("PATH"), "RC_API_KEY=0123456789ABCDEF0123456789ABCDEF"}
	if os.Geteuid() == 0 {
		const nobody = 65534
		if err := os.Chown(work, nobody, nobody); err != nil {
			t.Fatal(err)
		}
		// The test binaries' folder is private to root; nobody must run them.
		if err := os.Chmod(filepath.Dir(testPlugin("peeker")), 0o755); err != nil {
			t.Fatal(err)
		}
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: nobody, Gid: nobody}}
	}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("peekhost: %v\n%s", err, stderr.String())
	}
	got := strings.Split(strings.TrimSpace(string(out)), "\n")
	if len(got) != 2 {
		t.Fatalf("peekhost printed %q, want two lines", out)
	}
	for i, what := range []string{"environ", "mem"} {
		if !strings.HasPrefix(got[i], what+": ") || !strings.HasSuffix(got[i], "permission denied") {
			t.Errorf("the plugin's try at its host's /proc/PPID/%s: %q, want permission denied", what, got[i])
		}
	}
}
