//go:build linux

package host

import (
	"bufio"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestSignalsLeaveNothing runs a host (testdata hosthelper: the CLI's
// signal handling and Close) whose stage hangs, signals it in the middle of
// the stage, and checks that no plugin process and no socket or socket
// directory remain.
func TestSignalsLeaveNothing(t *testing.T) {
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM, syscall.SIGKILL} {
		t.Run(sig.String(), func(t *testing.T) {
			tmp := t.TempDir()
			hanger := testPlugin("hanger")
			cmd := exec.Command(testPlugin("hosthelper"), hanger)
			cmd.Env = []string{"TMPDIR=" + tmp, "PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME")}
			stdout, err := cmd.StdoutPipe()
			if err != nil {
				t.Fatal(err)
			}
			stderr, err := cmd.StderrPipe()
			if err != nil {
				t.Fatal(err)
			}
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			defer func() { _ = cmd.Process.Kill(); _ = cmd.Wait() }()

			sc := bufio.NewScanner(stdout)
			if !sc.Scan() || !strings.HasPrefix(sc.Text(), "socketdir=") {
				t.Fatalf("hosthelper said %q", sc.Text())
			}
			socketDir := strings.TrimPrefix(sc.Text(), "socketdir=")
			if filepath.Dir(socketDir) != tmp {
				t.Fatalf("socket dir %s is not in TMPDIR %s", socketDir, tmp)
			}
			pid := waitHanging(t, stderr)
			if exe, _ := os.Readlink("/proc/" + strconv.Itoa(pid) + "/exe"); exe != hanger {
				t.Fatalf("pid %d runs %q, want %s", pid, exe, hanger)
			}
			if err := cmd.Process.Signal(sig); err != nil {
				t.Fatal(err)
			}
			done := make(chan error, 1)
			go func() { done <- cmd.Wait() }()
			select {
			case <-done:
			case <-time.After(hangGuard):
				t.Fatalf("hosthelper did not exit within %s of the signal", hangGuard)
			}
			waitNothingLeft(t, sig, hanger, tmp)
		})
	}
}

// hangGuard bounds the waits of the signal tests. It is no claim about
// speed: each wait ends as soon as its condition holds, and the guard only
// keeps a broken build from hanging the run. On a loaded machine the
// plugin's exit has lagged the host's by over 10 s.
const hangGuard = 60 * time.Second

// waitNothingLeft waits until no process runs the plugin exe and TMPDIR is
// empty. The plugin's exit may lag the host's (SIGKILL: the kernel's
// parent-death signal, then the SDK's cleanup).
func waitNothingLeft(t *testing.T, sig syscall.Signal, exe, tmp string) {
	t.Helper()
	deadline := time.Now().Add(hangGuard)
	for {
		procs := processesRunning(t, exe)
		left := dirEntries(t, tmp)
		if len(procs) == 0 && len(left) == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s after %v: plugin processes %v, left in TMPDIR %v", hangGuard, sig, procs, left)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// readEnviron returns the environment of process pid, one VAR=value a
// string; failing to read it fails the test.
func readEnviron(t *testing.T, pid int) []string {
	t.Helper()
	data, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/environ")
	if err != nil {
		t.Fatalf("read the plugin's environment: %v", err)
	}
	var env []string
	for _, kv := range strings.Split(string(data), "\x00") {
		if kv != "" {
			env = append(env, kv)
		}
	}
	if len(env) == 0 {
		t.Fatalf("the plugin's environment (pid %d) read empty", pid)
	}
	return env
}

// waitHanging reads the host's log until the hanger says it is in its
// stage, and returns the hanger's pid.
func waitHanging(t *testing.T, r interface{ Read([]byte) (int, error) }) int {
	t.Helper()
	pidCh := make(chan int, 1)
	go func() {
		sc := bufio.NewScanner(r)
		sent := false
		for sc.Scan() {
			var e struct {
				Message string  `json:"message"`
				PID     float64 `json:"pid"`
			}
			if !sent && json.Unmarshal(sc.Bytes(), &e) == nil && e.Message == "hanging" && e.PID > 0 {
				pidCh <- int(e.PID)
				sent = true
			}
		}
	}()
	select {
	case pid := <-pidCh:
		return pid
	case <-time.After(hangGuard):
		t.Fatalf("the hanger did not start its stage within %s", hangGuard)
	}
	return 0
}

// processesRunning scans /proc for live processes running exe (zombies
// have no exe link and are not running). A /proc it cannot list fails the
// test rather than reading as "none left".
func processesRunning(t *testing.T, exe string) []int {
	t.Helper()
	ents, err := os.ReadDir("/proc")
	if err != nil || len(ents) == 0 {
		t.Fatalf("list /proc: %d entries, %v", len(ents), err)
	}
	var pids []int
	for _, e := range ents {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		if p, err := os.Readlink(filepath.Join("/proc", e.Name(), "exe")); err == nil && p == exe {
			pids = append(pids, pid)
		}
	}
	return pids
}

// dirEntries lists what is under dir. Entries that vanish while it walks
// (a socket being removed) are simply gone; any other error fails the
// test rather than reading as an empty folder.
func dirEntries(t *testing.T, dir string) []string {
	t.Helper()
	var left []string
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			if p != dir && errors.Is(err, fs.ErrNotExist) {
				return nil
			}
			return err
		}
		if p != dir {
			left = append(left, p)
		}
		return nil
	})
	if err != nil {
		t.Fatalf("list %s: %v", dir, err)
	}
	return left
}
