package dictdiff

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/rcolpipe/rcolpipe/internal/safegit"
	"github.com/rcolpipe/rcolpipe/redcap"
)

// gitTimeout bounds each git command (a revision on a slow disk, a
// partial clone fetching a blob); a hung git must not hang CI.
const gitTimeout = 2 * time.Minute

// Git runs git on one repository the way rcolpipe must run it on a
// checkout it did not make: git gets none of our environment (which may
// hold RC_API_KEY), no system or global config, no pager, no prompt, and
// the command line switches off what would run programs named by the
// repository's config (the fsmonitor, hooks, text conversion).
type Git struct {
	// Dir is the working folder git runs in ("" = the current one);
	// relative inputs are relative to it.
	Dir string
	// Getenv supplies PATH (git finds its helpers there) and, on Windows,
	// SYSTEMROOT; nothing else of the environment passes.
	Getenv func(string) string
}

// env is the whole environment git gets (safegit.Env).
func (g Git) env() []string {
	if g.Getenv == nil {
		return safegit.Env(os.Getenv)
	}
	return safegit.Env(g.Getenv)
}

// errGitMissing is returned when there is no git to run.
var errGitMissing = errors.New("git is not installed (or not on PATH); --base reads the old version with git")

// run runs git with args and returns at most limit bytes of its stdout;
// tooLarge reports more. A failure carries git's first line of stderr.
func (g Git) run(ctx context.Context, limit int64, args ...string) (out []byte, tooLarge bool, err error) {
	bin, err := exec.LookPath("git")
	if err != nil {
		return nil, false, errGitMissing
	}
	ctx, cancel := context.WithTimeout(ctx, gitTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, safegit.Args(args...)...)
	cmd.Dir = g.Dir
	cmd.Env = g.env()
	var stderr bytes.Buffer
	cmd.Stderr = &limitedWriter{w: &stderr, n: 4096}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, false, err
	}
	if err := cmd.Start(); err != nil {
		return nil, false, fmt.Errorf("git: %w", err)
	}
	out, rerr := io.ReadAll(io.LimitReader(stdout, limit+1))
	if int64(len(out)) > limit {
		tooLarge = true
		out = nil
		cancel() // stop git: the rest is not read
	}
	werr := cmd.Wait()
	switch {
	case tooLarge:
		return nil, true, nil
	case rerr != nil:
		return nil, false, fmt.Errorf("git %s: %w", args[0], rerr)
	case ctx.Err() != nil:
		return nil, false, fmt.Errorf("git %s: no answer within %s", args[0], gitTimeout)
	case werr != nil:
		msg := firstLine(stderr.String())
		if msg == "" {
			msg = werr.Error()
		}
		return nil, false, &gitError{msg: msg}
	}
	return out, false, nil
}

// gitError is git's own complaint (its first line of stderr, printable).
type gitError struct{ msg string }

func (e *gitError) Error() string { return "git: " + e.msg }

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	return redcap.Printable(strings.TrimSpace(s))
}

type limitedWriter struct {
	w io.Writer
	n int
}

func (l *limitedWriter) Write(p []byte) (int, error) {
	if l.n > 0 {
		k := min(len(p), l.n)
		l.n -= k
		if _, err := l.w.Write(p[:k]); err != nil {
			return 0, err
		}
	}
	return len(p), nil
}

// CheckRevision refuses a revision that git could read as an option or
// that would change the meaning of REV:path.
func CheckRevision(rev string) error {
	switch {
	case rev == "":
		return errors.New("the revision is empty")
	case strings.HasPrefix(rev, "-"):
		return fmt.Errorf("revision %q starts with '-'", rev)
	case strings.ContainsAny(rev, ":"):
		return fmt.Errorf("revision %q holds ':' (give a commit, branch or tag; the paths are the INPUTs)", rev)
	case strings.ContainsFunc(rev, func(r rune) bool { return unicode.IsControl(r) || unicode.IsSpace(r) }):
		return fmt.Errorf("revision %s holds white space or control characters", strconv.Quote(rev))
	}
	return nil
}

// resolve turns rev into a commit ID, so that every later read sees the
// same commit even when a branch moves meanwhile.
func (g Git) resolve(ctx context.Context, rev string) (string, error) {
	if err := CheckRevision(rev); err != nil {
		return "", err
	}
	out, _, err := g.run(ctx, 1024, "rev-parse", "--verify", "--quiet", "--end-of-options", rev+"^{commit}")
	if err != nil {
		var ge *gitError
		if errors.As(err, &ge) && ge.msg == "exit status 1" {
			return "", fmt.Errorf("revision %s is not a commit in this repository", strconv.Quote(rev))
		}
		return "", err
	}
	id := strings.TrimSpace(string(out))
	if id == "" {
		return "", fmt.Errorf("revision %s is not a commit in this repository", strconv.Quote(rev))
	}
	return id, nil
}

// object is what a path names at the revision.
type object struct {
	kind, name string
}

// lookup says what path is at commit: a blob, a tree, or nothing (kind "").
// path is relative to g.Dir (git's "./" syntax), so the repository's root
// need not be known.
func (g Git) lookup(ctx context.Context, commit, p string) (object, error) {
	spec, err := treePath(commit, p)
	if err != nil {
		return object{}, err
	}
	out, _, err := g.run(ctx, 64, "cat-file", "-t", spec)
	if err != nil {
		var ge *gitError
		if errors.As(err, &ge) && (strings.Contains(ge.msg, "does not exist in") || strings.Contains(ge.msg, "exists on disk, but not in")) {
			return object{}, nil // not at that revision
		}
		return object{}, err
	}
	return object{kind: strings.TrimSpace(string(out)), name: p}, nil
}

// treePath builds "COMMIT:./path" for a path relative to the working
// folder (Revision makes absolute paths relative first). The result never
// starts with '-', so git cannot read it as an option.
func treePath(commit, p string) (string, error) {
	if strings.ContainsRune(p, 0) {
		return "", errors.New("the path holds a NUL byte")
	}
	if filepath.IsAbs(p) {
		return "", errors.New("an absolute path (give a path relative to the working folder)")
	}
	clean := filepath.ToSlash(filepath.Clean(p))
	if clean == "." {
		return commit + ":./", nil
	}
	return commit + ":./" + clean, nil
}

// gitTree is the folder at a revision, for redcap.LoadOptions.LoadTree:
// one recursive listing (git ls-tree -r -t) read up front, files read
// with git show when the walk asks for them.
type gitTree struct {
	ctx    context.Context
	g      Git
	commit string
	root   string // the folder, relative to g.Dir (slash-separated)
	dirs   map[string][]fs.DirEntry
}

// listTree lists the folder p at commit and every folder below it.
func (g Git) listTree(ctx context.Context, commit, p, shown string) (*gitTree, error) {
	spec, err := treePath(commit, p)
	if err != nil {
		return nil, err
	}
	out, tooLarge, err := g.run(ctx, 16<<20, "ls-tree", "-r", "-t", "-z", "--end-of-options", spec)
	if err != nil {
		return nil, err
	}
	if tooLarge {
		return nil, fmt.Errorf("the listing of %s is larger than 16 MiB", shown)
	}
	t := &gitTree{ctx: ctx, g: g, commit: commit, root: filepath.ToSlash(filepath.Clean(p)), dirs: map[string][]fs.DirEntry{".": nil}}
	for _, entry := range strings.Split(string(out), "\x00") {
		meta, name, ok := strings.Cut(entry, "\t")
		if !ok {
			continue
		}
		parts := strings.Fields(meta)
		if len(parts) != 3 {
			continue
		}
		dir, base := path.Split(name)
		dir = strings.TrimSuffix(dir, "/")
		if dir == "" {
			dir = "."
		}
		mode := gitMode(parts[0], parts[1])
		if mode.IsDir() {
			if _, ok := t.dirs[name]; !ok {
				t.dirs[name] = nil
			}
		}
		t.dirs[dir] = append(t.dirs[dir], gitEntry{name: base, mode: mode})
	}
	return t, nil
}

// gitMode is the file mode of a tree entry: a folder, a regular file, a
// symbolic link; anything else (a submodule) is irregular.
func gitMode(mode, kind string) fs.FileMode {
	switch {
	case kind == "tree":
		return fs.ModeDir
	case kind == "blob" && (mode == "100644" || mode == "100755"):
		return 0
	case kind == "blob" && mode == "120000":
		return fs.ModeSymlink
	}
	return fs.ModeIrregular
}

func (t *gitTree) ReadDir(dir string) ([]fs.DirEntry, error) {
	entries, ok := t.dirs[dir]
	if !ok {
		return nil, &fs.PathError{Op: "readdir", Path: dir, Err: fs.ErrNotExist}
	}
	return entries, nil
}

func (t *gitTree) ReadFile(name string) ([]byte, bool, error) {
	return t.g.show(t.ctx, t.commit, path.Join(t.root, name))
}

// gitEntry is one entry of a folder at the revision.
type gitEntry struct {
	name string
	mode fs.FileMode
}

func (e gitEntry) Name() string               { return e.name }
func (e gitEntry) IsDir() bool                { return e.mode.IsDir() }
func (e gitEntry) Type() fs.FileMode          { return e.mode.Type() }
func (e gitEntry) Info() (fs.FileInfo, error) { return nil, errors.ErrUnsupported }

// show reads the file p at commit with git show (no text conversion: its
// program would come from the repository's config), at most
// redcap.MaxFileBytes; tooLarge reports a longer file.
func (g Git) show(ctx context.Context, commit, p string) (data []byte, tooLarge bool, err error) {
	spec, err := treePath(commit, p)
	if err != nil {
		return nil, false, err
	}
	return g.run(ctx, redcap.MaxFileBytes, "show", "--no-textconv", "--end-of-options", spec)
}
