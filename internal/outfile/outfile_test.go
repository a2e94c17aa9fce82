package outfile

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func writeString(s string) func(io.Writer) error {
	return func(w io.Writer) error {
		_, err := io.WriteString(w, s)
		return err
	}
}

// names lists dir's entries, to show no temporary file was left behind.
func names(t *testing.T, dir string) []string {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range ents {
		out = append(out, e.Name())
	}
	return out
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// Issue 9 item 2: a symbolic link planted at the name the old code used for
// its temporary file ("rcolpipe.lock.tmp") redirected the write to the
// link's target.
func TestWriteLeavesPlantedTempSymlinkAlone(t *testing.T) {
	dir := t.TempDir()
	victim := filepath.Join(t.TempDir(), "victim")
	if err := os.WriteFile(victim, []byte("precious\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "rcolpipe.lock")
	for _, planted := range []string{path + ".tmp", filepath.Join(dir, ".rcolpipe.lock.tmp")} {
		if err := os.Symlink(victim, planted); err != nil {
			t.Fatal(err)
		}
	}
	if err := WriteBytes(path, []byte("{}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if got := readFile(t, victim); got != "precious\n" {
		t.Errorf("victim now holds %q", got)
	}
	if got := readFile(t, path); got != "{}\n" {
		t.Errorf("%s holds %q", path, got)
	}
	if got := names(t, dir); strings.Join(got, " ") != ".rcolpipe.lock.tmp rcolpipe.lock rcolpipe.lock.tmp" {
		t.Errorf("folder holds %q", got)
	}
}

// Issue 9 item 3: "-o link.json" replaced the link with a regular file.
func TestWriteThroughSymlinkKeepsLink(t *testing.T) {
	dir := t.TempDir()
	real := filepath.Join(dir, "real", "out.json")
	if err := os.Mkdir(filepath.Dir(real), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(real, []byte("old"), 0o640); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(real, 0o640); err != nil { // past the umask
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link.json")
	if err := os.Symlink(filepath.Join("real", "out.json"), link); err != nil {
		t.Fatal(err)
	}
	if err := Write(link, 0o644, writeString("new")); err != nil {
		t.Fatal(err)
	}
	lst, err := os.Lstat(link)
	if err != nil {
		t.Fatal(err)
	}
	if lst.Mode()&fs.ModeSymlink == 0 {
		t.Fatalf("%s is no longer a symbolic link (mode %v)", link, lst.Mode())
	}
	if got := readFile(t, real); got != "new" {
		t.Errorf("link target holds %q, want the new contents", got)
	}
	st, err := os.Stat(real)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o640 {
		t.Errorf("target's mode is %v, want the old 0640 kept", st.Mode().Perm())
	}
	if got := names(t, filepath.Dir(real)); len(got) != 1 {
		t.Errorf("target folder holds %q, want only out.json", got)
	}
}

func TestWriteRefusesFolder(t *testing.T) {
	dir := t.TempDir()
	sub := filepath.Join(dir, "out")
	if err := os.Mkdir(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link")
	if err := os.Symlink("out", link); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{sub, link} {
		err := WriteBytes(p, []byte("x"), 0o644)
		if err == nil || !strings.Contains(err.Error(), p+": it is a folder; give a file name") {
			t.Errorf("Write(%s) = %v, want the folder refused", p, err)
		}
	}
	if got := names(t, dir); strings.Join(got, " ") != "link out" {
		t.Errorf("folder holds %q", got)
	}
	if got := names(t, sub); len(got) != 0 {
		t.Errorf("the refused folder holds %q", got)
	}
}

// A dangling link is refused: following it would create a file wherever
// the link points.
func TestWriteRefusesDanglingSymlink(t *testing.T) {
	dir := t.TempDir()
	elsewhere := filepath.Join(t.TempDir(), "created")
	link := filepath.Join(dir, "out.json")
	if err := os.Symlink(elsewhere, link); err != nil {
		t.Fatal(err)
	}
	err := WriteBytes(link, []byte("x"), 0o644)
	if err == nil || !strings.Contains(err.Error(), "symbolic link to "+elsewhere+", which does not exist") {
		t.Fatalf("Write = %v, want the dangling link refused", err)
	}
	if _, err := os.Lstat(elsewhere); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("%s was created (%v)", elsewhere, err)
	}
	if got := names(t, dir); len(got) != 1 {
		t.Errorf("folder holds %q", got)
	}
}

func TestWriteNewFileAndReplace(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.csv")
	if err := WriteBytes(path, []byte("one"), 0o600); err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Errorf("new file's mode %v, want 0600", st.Mode().Perm())
	}
	if err := WriteBytes(path, []byte("two"), 0o644); err != nil {
		t.Fatal(err)
	}
	if got := readFile(t, path); got != "two" {
		t.Errorf("file holds %q", got)
	}
	if st, _ := os.Stat(path); st.Mode().Perm() != 0o600 {
		t.Errorf("replaced file's mode %v, want 0600 kept", st.Mode().Perm())
	}
	if got := names(t, dir); len(got) != 1 {
		t.Errorf("folder holds %q, want no temporary file left", got)
	}
}

// A failing writer leaves the old file as it was and no temporary file.
func TestWriteFailureLeavesOldFileAndNoTemp(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.json")
	if err := os.WriteFile(path, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("boom")
	err := Write(path, 0o644, func(w io.Writer) error {
		if _, err := io.WriteString(w, "half"); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) || !strings.Contains(err.Error(), path) {
		t.Fatalf("Write = %v, want boom naming %s", err, path)
	}
	if got := readFile(t, path); got != "old" {
		t.Errorf("file holds %q after a failed write", got)
	}
	if got := names(t, dir); len(got) != 1 {
		t.Errorf("folder holds %q, want no temporary file left", got)
	}
}

func TestCreateNewNeverReplaces(t *testing.T) {
	dir := t.TempDir()
	victim := filepath.Join(t.TempDir(), "victim")
	if err := os.WriteFile(victim, []byte("precious"), 0o600); err != nil {
		t.Fatal(err)
	}
	taken := filepath.Join(dir, "taken.json")
	if err := os.WriteFile(taken, []byte("first"), 0o600); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link.json")
	if err := os.Symlink(victim, link); err != nil {
		t.Fatal(err)
	}
	dangling := filepath.Join(dir, "dangling.json")
	if err := os.Symlink(filepath.Join(dir, "nowhere"), dangling); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{taken, link, dangling} {
		if err := CreateNew(p, 0o600, writeString("second")); !errors.Is(err, fs.ErrExist) {
			t.Errorf("CreateNew(%s) = %v, want fs.ErrExist", p, err)
		}
	}
	if got := readFile(t, taken); got != "first" {
		t.Errorf("taken holds %q", got)
	}
	if got := readFile(t, victim); got != "precious" {
		t.Errorf("victim holds %q", got)
	}
	fresh := filepath.Join(dir, "fresh.json")
	if err := CreateNew(fresh, 0o600, writeString("new")); err != nil {
		t.Fatal(err)
	}
	if got := readFile(t, fresh); got != "new" {
		t.Errorf("fresh holds %q", got)
	}
	if st, _ := os.Stat(fresh); st.Mode().Perm() != 0o600 {
		t.Errorf("fresh's mode %v, want 0600", st.Mode().Perm())
	}
	boom := errors.New("boom")
	if err := CreateNew(filepath.Join(dir, "failed.json"), 0o600, func(io.Writer) error { return boom }); !errors.Is(err, boom) {
		t.Errorf("CreateNew with a failing writer = %v", err)
	}
	if got := names(t, dir); strings.Join(got, " ") != "dangling.json fresh.json link.json taken.json" {
		t.Errorf("folder holds %q, want no temporary or failed file", got)
	}
}
