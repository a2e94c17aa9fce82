package dictdiff

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/rcolpipe/rcolpipe/redcap"
)

// Side is one side of a comparison: the stacked dictionary, what reading
// it found, and notes for the reader (a file that is only on one side).
type Side struct {
	Name  string
	Dict  *redcap.Dictionary
	Diags redcap.Diagnostics
	Notes []string
}

// LoadFiles reads files and folders from disk, as opts.Load does.
func LoadFiles(opts redcap.LoadOptions, paths ...string) (Side, error) {
	d, diags, err := opts.Load(paths...)
	if err != nil {
		return Side{}, fmt.Errorf("%w (check the path; diff takes OLD NEW, each a dictionary file or a folder)", err)
	}
	return Side{Name: displayPaths(paths), Dict: d, Diags: diags}, nil
}

func displayPaths(paths []string) string {
	names := make([]string, len(paths))
	for i, p := range paths {
		names[i] = redcap.Printable(p)
	}
	return strings.Join(names, " ")
}

// Revision is the pair of sides a pull request review compares: inputs as
// they are at a git revision (old) and in the working tree (new). A file or
// folder that is on one side only is read as empty on the other, with a
// note (the change adds or deletes it); one that is on neither is an error.
// Both sides read folders with the same walk and opts.Exclude.
func (g Git) Revision(ctx context.Context, rev string, inputs []string, opts redcap.LoadOptions) (old, new Side, err error) {
	commit, err := g.resolve(ctx, rev)
	if err != nil {
		return old, new, fmt.Errorf("--base %s: %w%s", redcap.Printable(rev), err, gitHint(err))
	}
	old.Name = redcap.Printable(rev) + ":" + displayPaths(inputs)
	new.Name = displayPaths(inputs)
	var oldDicts, newDicts []*redcap.Dictionary
	for _, p := range inputs {
		p, err := g.relative(p)
		if err != nil {
			return old, new, err
		}
		shown := redcap.Printable(rev) + ":" + redcap.Printable(filepath.ToSlash(p))
		obj, err := g.lookup(ctx, commit, p)
		if err != nil {
			return old, new, fmt.Errorf("%s: %w%s", shown, err, gitHint(err))
		}
		onDisk, err := exists(g.path(p))
		if err != nil {
			return old, new, fmt.Errorf("%s: %w", redcap.Printable(p), err)
		}
		switch {
		case obj.kind == "" && !onDisk:
			return old, new, fmt.Errorf("%s: not in the working tree and not at %s (check the path; it is relative to the working folder)", redcap.Printable(p), redcap.Printable(rev))
		case obj.kind == "":
			old.Notes = append(old.Notes, fmt.Sprintf("%s is not at %s: compared as empty (the change adds it)", redcap.Printable(p), redcap.Printable(rev)))
		case obj.kind != "blob" && obj.kind != "tree":
			return old, new, fmt.Errorf("%s: a %s, not a file or folder", shown, obj.kind)
		default:
			d, diags, err := g.readAt(ctx, commit, obj, p, shown, opts)
			old.Diags = append(old.Diags, diags...)
			if err != nil {
				return old, new, err
			}
			oldDicts = append(oldDicts, d)
		}
		if !onDisk {
			new.Notes = append(new.Notes, fmt.Sprintf("%s is not in the working tree: compared as empty (the change deletes it)", redcap.Printable(p)))
			continue
		}
		d, diags, err := opts.Load(g.path(p))
		new.Diags = append(new.Diags, diags...)
		if err != nil {
			return old, new, err
		}
		newDicts = append(newDicts, d)
	}
	var ds redcap.Diagnostics
	old.Dict, ds = redcap.Stack(oldDicts...)
	old.Diags = append(old.Diags, ds...)
	new.Dict, ds = redcap.Stack(newDicts...)
	new.Diags = append(new.Diags, ds...)
	return old, new, nil
}

// readAt reads the file or folder p at commit as redcap.Load reads it in
// the working tree (a folder with the same walk, opts.Exclude applied).
func (g Git) readAt(ctx context.Context, commit string, obj object, p, shown string, opts redcap.LoadOptions) (*redcap.Dictionary, redcap.Diagnostics, error) {
	if obj.kind == "tree" {
		t, err := g.listTree(ctx, commit, p, shown)
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %w", shown, err)
		}
		return opts.LoadTree(t, shown)
	}
	data, tooLarge, err := g.show(ctx, commit, p)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", shown, err)
	}
	if tooLarge {
		return &redcap.Dictionary{Files: []string{shown}}, redcap.Diagnostics{{Severity: redcap.SeverityError, Code: redcap.CodeTooLarge, File: shown, Stage: redcap.StageLoad,
			Message: "file is larger than the limit for one input (64 MiB); REDCap dictionaries are far smaller",
			Hint:    "check that this is a REDCap data dictionary"}}, nil
	}
	d, diags := redcap.ReadInputBytes(shown, data)
	return d, diags, nil
}

// relative makes an absolute input relative to the working folder, for
// git's COMMIT:./path.
func (g Git) relative(p string) (string, error) {
	if !filepath.IsAbs(p) {
		return p, nil
	}
	base := g.Dir
	if base == "" || !filepath.IsAbs(base) {
		wd, err := os.Getwd()
		if err != nil {
			return "", fmt.Errorf("working folder: %w", err)
		}
		base = filepath.Join(wd, base)
	}
	rel, err := filepath.Rel(base, p)
	if err != nil {
		return "", fmt.Errorf("%s: %w (give a path inside the repository)", redcap.Printable(p), err)
	}
	return rel, nil
}

// path is p as the process sees it (relative paths are relative to g.Dir).
func (g Git) path(p string) string {
	if g.Dir == "" || filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(g.Dir, p)
}

func exists(p string) (bool, error) {
	_, err := os.Stat(p)
	switch {
	case err == nil:
		return true, nil
	case errors.Is(err, fs.ErrNotExist):
		return false, nil
	}
	return false, err
}

// gitHint says what to do about the usual git failures.
func gitHint(err error) string {
	msg := err.Error()
	switch {
	case errors.Is(err, errGitMissing):
		return ""
	case strings.Contains(msg, "is not a commit"):
		return "; in CI, fetch it first (actions/checkout with fetch-depth: 0, or git fetch origin BRANCH)"
	case strings.Contains(msg, "not a git repository"):
		return "; run rcolpipe in the repository's checkout"
	case strings.Contains(msg, "dubious ownership"):
		return "; the repository belongs to another user, and rcolpipe runs git without your global config: run as the repository's owner"
	case strings.Contains(msg, "outside repository"):
		return "; the INPUTs must be inside the repository"
	case strings.Contains(msg, "lazy fetch"), strings.Contains(msg, "promisor remote"):
		return "; this partial clone lacks the file at that revision, and rcolpipe's git fetches nothing (the remote's program would come from the repository's config): fetch it first (git fetch, or a clone without --filter)"
	}
	return ""
}
