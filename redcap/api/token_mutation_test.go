package api

import (
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// Tests written to kill mutants of token.go that scripts/mutation.sh found
// alive.

// The hint about REDCap's 32 hex characters goes with the default pattern
// only: a site's own pattern gets no advice that contradicts it.
func TestNewTokenHintOnlyForTheDefaultPattern(t *testing.T) {
	const hint = "32 hexadecimal characters"
	_, err := NewToken("not-a-token", "test", "")
	if err == nil || !strings.Contains(err.Error(), hint) {
		t.Errorf("default pattern: err = %v, want the hint", err)
	}
	_, err = NewToken("not-a-token", "test", `^[a-z]{40}$`)
	if err == nil || strings.Contains(err.Error(), hint) || !strings.Contains(err.Error(), `^[a-z]{40}$`) {
		t.Errorf("own pattern: err = %v, want it named without the hint", err)
	}
}

// A token file others can read is warned about, a private one is not.
func TestLoadTokenWarnsAboutTokenFilePermissions(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no Unix permissions on Windows")
	}
	dir := t.TempDir()
	file := filepath.Join(dir, "token")
	writeFile(t, file, tokFull+"\n", 0o640)
	tok, w, err := LoadToken(getenvMap(nil), dir, file, "")
	if err != nil || tok.IsZero() {
		t.Fatalf("token %v err %v", tok, err)
	}
	if len(w) != 1 || !strings.Contains(w[0], "chmod 600 "+file) || !strings.Contains(w[0], "0640") || strings.Contains(w[0], tokFull) {
		t.Errorf("warnings for a readable token file = %q", w)
	}
	writeFile(t, file, tokFull+"\n", 0o600)
	if _, w, err := LoadToken(getenvMap(nil), dir, file, ""); err != nil || len(w) != 0 {
		t.Errorf("private token file: warnings %q err %v", w, err)
	}
}
