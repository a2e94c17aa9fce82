package dictdiff

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"sort"
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

// object is one entry of a tree at the revision.
type object struct {
	mode, kind, name string
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

// listTree lists the blobs of the folder p at commit, like the entries
// redcap.Load reads of a folder: dictionary file names only, in name
// order, not recursing; links and other entries that are not plain files
// are skipped with a warning.
func (g Git) listTree(ctx context.Context, commit, p, shown string) ([]object, redcap.Diagnostics, error) {
	spec, err := treePath(commit, p)
	if err != nil {
		return nil, nil, err
	}
	out, tooLarge, err := g.run(ctx, 16<<20, "ls-tree", "-z", "--end-of-options", spec)
	if err != nil {
		return nil, nil, err
	}
	if tooLarge {
		return nil, nil, fmt.Errorf("the listing of %s is larger than 16 MiB", shown)
	}
	var objs []object
	var diags redcap.Diagnostics
	for _, entry := range strings.Split(string(out), "\x00") {
		meta, name, ok := strings.Cut(entry, "\t")
		if !ok {
			continue
		}
		parts := strings.Fields(meta)
		if len(parts) != 3 || !redcap.IsDictionaryFileName(name) {
			continue
		}
		o := object{mode: parts[0], kind: parts[1], name: path.Join(filepath.ToSlash(filepath.Clean(p)), name)}
		switch {
		case o.kind == "tree":
		case o.kind != "blob" || (o.mode != "100644" && o.mode != "100755"):
			diags = append(diags, redcap.Diagnostic{Severity: redcap.SeverityWarning, Code: redcap.CodeSkippedEntry,
				File: shown + "/" + redcap.Printable(name), Stage: redcap.StageLoad,
				Message: fmt.Sprintf("skipped: mode %s at the revision (a link or submodule, not a plain file)", o.mode),
				Hint:    "links in a folder are not read; name a file on the command line to read it"})
		default:
			objs = append(objs, o)
		}
	}
	sort.Slice(objs, func(i, j int) bool { return objs[i].name < objs[j].name })
	return objs, diags, nil
}

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
