//go:build linux

package host

import (
	"bufio"
	"encoding/json"
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
			case <-time.After(15 * time.Second):
				t.Fatal("hosthelper did not exit within 15s of the signal")
			}
			// The plugin's exit may lag the host's by a moment (SIGKILL:
			// the kernel's parent-death signal, then the SDK's cleanup).
			deadline := time.Now().Add(10 * time.Second)
			for {
				procs := processesRunning(hanger)
				left := dirEntries(tmp)
				if len(procs) == 0 && len(left) == 0 {
					return
				}
				if time.Now().After(deadline) {
					t.Fatalf("after %v: plugin processes %v, left in TMPDIR %v", sig, procs, left)
				}
				time.Sleep(20 * time.Millisecond)
			}
		})
	}
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
	case <-time.After(15 * time.Second):
		t.Fatal("the hanger never started its stage")
	}
	return 0
}

// processesRunning scans /proc for live processes running exe (zombies
// have no exe link and are not running).
func processesRunning(exe string) []int {
	ents, _ := os.ReadDir("/proc")
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

func dirEntries(dir string) []string {
	var left []string
	_ = filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if p != dir {
			left = append(left, p)
		}
		return nil
	})
	return left
}

func itoa(n int) string { return strconv.Itoa(n) }
