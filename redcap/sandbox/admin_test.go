package sandbox

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// `sandbox init --force` renamed state.json to state.json.bak-TIME (one
// second resolution) over whatever had that name: two inits in one second
// lost the first backup, i.e. the state before both.
func TestBackUpStateKeepsEarlierBackupOfTheSameSecond(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "state.json")
	now := time.Date(2026, 11, 28, 10, 15, 0, 0, time.UTC)
	var backups []string
	for _, state := range []string{"first state\n", "second state\n"} {
		if err := os.WriteFile(path, []byte(state), 0o600); err != nil {
			t.Fatal(err)
		}
		b, err := BackUpState(path, now)
		if err != nil {
			t.Fatal(err)
		}
		backups = append(backups, b)
	}
	if backups[0] == backups[1] {
		t.Fatalf("both backups went to %s", backups[0])
	}
	for i, want := range []string{"first state\n", "second state\n"} {
		got, err := os.ReadFile(backups[i])
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != want {
			t.Errorf("backup %s holds %q, want %q", backups[i], got, want)
		}
		st, err := os.Stat(backups[i])
		if err != nil {
			t.Fatal(err)
		}
		if st.Mode().Perm() != 0o600 {
			t.Errorf("backup %s has mode %v, want 0600 (it holds tokens)", backups[i], st.Mode().Perm())
		}
	}
	if !strings.HasSuffix(backups[0], "state.json.bak-20261128-101500") || !strings.HasSuffix(backups[1], "state.json.bak-20261128-101500-1") {
		t.Errorf("backups named %q", backups)
	}
}
