//go:build unix

package api

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// The working folder may be someone else's checkout: a .env (or token file)
// that is a named pipe or a link to /dev/zero is refused at once, not waited
// on or read without end.
func TestLoadTokenRefusesSpecialFiles(t *testing.T) {
	noEnv := func(string) string { return "" }
	cases := map[string]func(t *testing.T, path string){
		"named pipe": func(t *testing.T, path string) {
			if err := syscall.Mkfifo(path, 0o600); err != nil {
				t.Skipf("mkfifo: %v", err)
			}
		},
		"link to /dev/zero": func(t *testing.T, path string) {
			if err := os.Symlink("/dev/zero", path); err != nil {
				t.Fatal(err)
			}
		},
	}
	for name, plant := range cases {
		for _, asTokenFile := range []bool{false, true} {
			t.Run(name+map[bool]string{false: " as .env", true: " as token file"}[asTokenFile], func(t *testing.T) {
				dir := t.TempDir()
				path, tokenFile := filepath.Join(dir, ".env"), ""
				if asTokenFile {
					path = filepath.Join(dir, "token")
					tokenFile = path
				}
				plant(t, path)
				type result struct {
					err error
				}
				done := make(chan result, 1)
				go func() {
					_, _, err := LoadToken(noEnv, dir, tokenFile, "")
					done <- result{err}
				}()
				select {
				case r := <-done:
					if r.err == nil || !strings.Contains(r.err.Error(), "not a regular file") {
						t.Errorf("LoadToken = %v, want a refusal naming the file kind", r.err)
					}
				case <-time.After(20 * time.Second): // a hang guard, not a timing claim
					t.Fatal("LoadToken did not return: it waits on the file")
				}
			})
		}
	}
}
