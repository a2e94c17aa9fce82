//go:build linux

package host

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestCLISignalsLeaveNothing runs `rcolpipe transform` (the real binary)
// with a stage that hangs, signals rcolpipe in the middle of the stage, and
// checks that no plugin process and nothing in the socket folder remain.
func TestCLISignalsLeaveNothing(t *testing.T) {
	if rcolpipeBuildErr != nil {
		t.Fatal(rcolpipeBuildErr)
	}
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM, syscall.SIGKILL} {
		t.Run(sig.String(), func(t *testing.T) {
			tmp := t.TempDir()
			work := t.TempDir()
			input := filepath.Join(work, "demo.csv")
			csv := "field_name,form_name,section_header,field_type,field_label,select_choices_or_calculations,field_note,text_validation_type_or_show_slider_number,text_validation_min,text_validation_max,identifier,branching_logic,required_field,custom_alignment,question_number,matrix_group_name,matrix_ranking,field_annotation\n" +
				"record_id,demo,,text,Record ID,,,,,,,,,,,,,\n" +
				"age,demo,,text,Age,,,integer,0,120,,,,,,,,\n"
			if err := os.WriteFile(input, []byte(csv), 0o644); err != nil {
				t.Fatal(err)
			}
			hanger := testPlugin("hanger")
			cmd := exec.Command(testPlugin("rcolpipe"), "--log-format", "json", "--log-level", "info",
				"transform", "--stage", hanger+":{}", "-o", filepath.Join(work, "out.json"), input)
			cmd.Dir = work
			cmd.Env = []string{"TMPDIR=" + tmp, "PATH=" + os.Getenv("PATH"), "HOME=" + work, "RC_API_KEY=0123456789ABCDEF0123456789ABCDEF"}
			stderr, err := cmd.StderrPipe()
			if err != nil {
				t.Fatal(err)
			}
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			defer func() { _ = cmd.Process.Kill(); _ = cmd.Wait() }()
			pid := waitHanging(t, stderr)
			env, _ := os.ReadFile("/proc/" + itoa(pid) + "/environ")
			if strings.Contains(string(env), "RC_API_KEY") || strings.Contains(string(env), "0123456789ABCDEF") {
				t.Errorf("the plugin's environment holds the token: %q", env)
			}
			if err := cmd.Process.Signal(sig); err != nil {
				t.Fatal(err)
			}
			done := make(chan error, 1)
			go func() { done <- cmd.Wait() }()
			select {
			case err := <-done:
				if err == nil {
					t.Errorf("rcolpipe exited 0 after %v", sig)
				}
			case <-time.After(15 * time.Second):
				t.Fatal("rcolpipe did not exit within 15s of the signal")
			}
			deadline := time.Now().Add(10 * time.Second)
			for {
				procs := processesRunning(hanger)
				left := dirEntries(tmp)
				if len(procs) == 0 && len(left) == 0 {
					break
				}
				if time.Now().After(deadline) {
					t.Fatalf("after %v: plugin processes %v, left in TMPDIR %v", sig, procs, left)
				}
				time.Sleep(20 * time.Millisecond)
			}
			if _, err := os.Stat(filepath.Join(work, "out.json")); err == nil {
				t.Errorf("an interrupted run wrote its output")
			}
		})
	}
}
