//go:build linux

package host

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
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
			// The check on the environment means something only if it was
			// read: a failed or empty read must not pass as "no token".
			env := readEnviron(t, pid)
			if !slices.ContainsFunc(env, func(kv string) bool { return strings.HasPrefix(kv, "PATH=") }) {
				t.Fatalf("the plugin's environment as read from /proc has no PATH, so the reading is not to be trusted: %q", env)
			}
			for _, kv := range env {
				if strings.Contains(kv, "RC_API_KEY") || strings.Contains(kv, "0123456789ABCDEF") {
					name, _, _ := strings.Cut(kv, "=")
					t.Errorf("the plugin's environment holds the token, in %s", name)
				}
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
			case <-time.After(hangGuard):
				t.Fatalf("rcolpipe did not exit within %s of the signal", hangGuard)
			}
			waitNothingLeft(t, sig, hanger, tmp)
			if _, err := os.Stat(filepath.Join(work, "out.json")); err == nil {
				t.Errorf("an interrupted run wrote its output")
			}
		})
	}
}
