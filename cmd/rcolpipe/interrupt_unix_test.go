//go:build unix

package main

import (
	"bytes"
	"context"
	"io"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/rcolpipe/rcolpipe/redcap/api"
	"github.com/rcolpipe/rcolpipe/redcap/sandbox"
)

// syncBuffer is a bytes.Buffer safe for the writer and a poller.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// interruptHangGuard only keeps a broken build from hanging the run.
const interruptHangGuard = time.Minute

// TestCtrlCAtPrompt sends a real SIGINT to the process while `rcolpipe
// upload` waits at its [y/N] prompt (stdin a terminal that never
// answers): the upload ends at once with exit 1 and says that nothing
// was sent, and the project is unchanged.
func TestCtrlCAtPrompt(t *testing.T) {
	state, tokens := sandbox.Demo()
	hs := httptest.NewServer(sandbox.New(state))
	defer hs.Close()
	var secret string
	for _, tk := range tokens {
		if tk.Name == sandbox.DemoFull {
			secret = tk.Token
		}
	}
	dir := t.TempDir()
	input := filepath.Join(dir, "sleep.json")
	if err := os.WriteFile(input, []byte(`[
 {"field_name":"record_id","form_name":"sleep","field_type":"text","field_label":"Record ID"},
 {"field_name":"sleep_hours","form_name":"sleep","field_type":"text","field_label":"Hours slept"}
]`), 0o600); err != nil {
		t.Fatal(err)
	}
	stdin, answer := io.Pipe()
	defer answer.Close()
	var stdout, stderr syncBuffer
	e := &env{stdin: stdin, stdout: &stdout, stderr: &stderr, stdinIsTerminal: true,
		getenv: func(k string) string {
			if k == api.TokenEnv {
				return secret
			}
			return ""
		}}
	codes := make(chan int, 1)
	go func() {
		codes <- run([]string{"rcolpipe", "upload", "--url", hs.URL + "/api/", "--backup-dir", filepath.Join(dir, "bk"), input}, e)
	}()

	deadline := time.Now().Add(interruptHangGuard)
	for !strings.Contains(stderr.String(), "[y/N]") {
		select {
		case code := <-codes:
			t.Fatalf("upload ended (exit %d) before the prompt; stderr:\n%s", code, stderr.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("no prompt within %s; stderr:\n%s", interruptHangGuard, stderr.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
	if err := syscall.Kill(os.Getpid(), syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	var code int
	select {
	case code = <-codes:
	case <-time.After(interruptHangGuard):
		t.Fatalf("the upload did not end within %s of SIGINT at the prompt", interruptHangGuard)
	}
	if code != exitInvalid {
		t.Errorf("exit %d, want %d", code, exitInvalid)
	}
	if !strings.Contains(stderr.String(), "upload cancelled at the prompt (interrupted): nothing was sent") {
		t.Errorf("stderr lacks the cancellation:\n%s", stderr.String())
	}
	if strings.Contains(stdout.String(), "[y/N]") || strings.Contains(stdout.String(), "REDCap imported") {
		t.Errorf("stdout shows the prompt or an import:\n%s", stdout.String())
	}
	tok, err := api.NewToken(secret, "test", "")
	if err != nil {
		t.Fatal(err)
	}
	c, err := api.New(hs.URL+"/api/", tok)
	if err != nil {
		t.Fatal(err)
	}
	after, err := c.ExportMetadata(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if after.Field("sleep_hours") != nil {
		t.Errorf("the form was imported after Ctrl-C")
	}
}
