package host

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"

	"github.com/rcolpipe/rcolpipe/internal/outfile"
)

// LockFileName is the lock file's name, next to the pipeline file.
const LockFileName = "rcolpipe.lock"

// Lock pins the SHA-256 of each external plugin a pipeline uses. It is
// written once by `rcolpipe plugins lock`; every run then refuses a plugin
// whose file no longer has the pinned sum, so the expected sum never comes
// from the file about to run.
//
// Bundled plugins are recorded as bundled and not hashed: they are the
// rcolpipe binary itself, which the user already chose to run, and pinning
// it would break the lock at every rcolpipe upgrade.
type Lock struct {
	// Version is the lock file format (1).
	Version int `json:"version"`
	// Plugins maps each plugin to its entry: a name (bundled or on the
	// search path) as written in the pipeline, or a path relative to the
	// lock file's folder ("./bin/x").
	Plugins map[string]LockEntry `json:"plugins"`

	// dir is the folder of the lock file, which path keys are relative to.
	dir string
}

// LockEntry is one pinned plugin.
type LockEntry struct {
	// Path is where the plugin was found when the lock was written (for
	// people reading the file; a run hashes whatever the reference
	// resolves to now).
	Path string `json:"path,omitempty"`
	// SHA256 is the hex SHA-256 of the executable.
	SHA256 string `json:"sha256,omitempty"`
	// Bundled marks a plugin served by rcolpipe itself.
	Bundled bool `json:"bundled,omitempty"`
}

// ReadLock reads a lock file. A missing file is an error that matches
// fs.ErrNotExist.
func ReadLock(path string) (*Lock, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read lock file: %w", err)
	}
	l := Lock{dir: filepath.Dir(path)}
	if err := json.Unmarshal(data, &l); err != nil {
		return nil, fmt.Errorf("read lock file %s: %w", path, err)
	}
	if l.Version != 1 {
		return nil, fmt.Errorf("read lock file %s: version %d, want 1", path, l.Version)
	}
	for ref, e := range l.Plugins {
		if !e.Bundled && len(e.SHA256) != 64 {
			return nil, fmt.Errorf("read lock file %s: plugin %s has no valid sha256", path, ref)
		}
	}
	return &l, nil
}

// ReadLockIfExists reads path, or returns nil when there is no such file.
func ReadLockIfExists(path string) (*Lock, error) {
	l, err := ReadLock(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	return l, err
}

// Write writes the lock file (sorted keys, so it diffs well).
func (l *Lock) Write(path string) error {
	// Through outfile: a fixed temporary name ("rcolpipe.lock.tmp") let a
	// planted symbolic link redirect the write to any file.
	if err := outfile.WriteJSON(path, l, 0o644); err != nil {
		return fmt.Errorf("write lock file: %w", err)
	}
	return nil
}

// Refs returns the locked references in order.
func (l *Lock) Refs() []string {
	refs := make([]string, 0, len(l.Plugins))
	for r := range l.Plugins {
		refs = append(refs, r)
	}
	sort.Strings(refs)
	return refs
}

// LockFor resolves each reference and pins it. Path references are keyed
// relative to r.BaseDir, where the lock file goes. A name found in the
// project folder is pinned only as r allows (see Resolver.Resolve); the
// warnings are Resolve's, about names the project folder and an installed
// plugin share.
func LockFor(r *Resolver, refs []string) (*Lock, []string, error) {
	l := &Lock{Version: 1, Plugins: map[string]LockEntry{}, dir: r.BaseDir}
	var warnings []string
	for _, ref := range refs {
		res, err := r.Resolve(ref)
		var ple *ProjectLocalError
		if err != nil && !errors.As(err, &ple) {
			// A plugin that is not there is the pipeline file's mistake,
			// as when a run starts the stages.
			return nil, warnings, missingError("", ref, err)
		}
		if err != nil {
			return nil, warnings, err
		}
		if res.Warning != "" {
			warnings = append(warnings, res.Warning)
		}
		if res.Bundled {
			l.Plugins[ref] = LockEntry{Bundled: true}
			continue
		}
		sum, err := HashFile(res.Path)
		if err != nil {
			return nil, warnings, err
		}
		key := ref
		if IsPath(ref) {
			key = displayPath(r.BaseDir, res.Path)
		}
		l.Plugins[key] = LockEntry{Path: res.Path, SHA256: sum}
	}
	return l, warnings, nil
}

func displayPath(base, p string) string {
	if abs, err := filepath.Abs(base); err == nil {
		base = abs
	}
	if rel, err := filepath.Rel(base, p); err == nil && filepath.IsLocal(rel) {
		return "./" + filepath.ToSlash(rel)
	}
	return p
}

// entry finds the lock entry of a resolved plugin: by its reference, or,
// for a path, by any path key that names the same file.
func (l *Lock) entry(res Resolved) (LockEntry, bool) {
	if e, ok := l.Plugins[res.Ref]; ok {
		return e, true
	}
	if !IsPath(res.Ref) {
		return LockEntry{}, false
	}
	for key, e := range l.Plugins {
		if !IsPath(key) {
			continue
		}
		p := filepath.FromSlash(key)
		if !filepath.IsAbs(p) {
			p = filepath.Join(l.dir, p)
		}
		if a, err := filepath.Abs(p); err == nil && a == res.Path {
			return e, true
		}
	}
	return LockEntry{}, false
}

// pins reports whether the lock pins res as it is now: an entry for its
// reference with the file's current SHA-256.
func (l *Lock) pins(res Resolved) bool {
	e, ok := l.entry(res)
	if !ok || e.Bundled {
		return false
	}
	sum, err := HashFile(res.Path)
	return err == nil && sum == e.SHA256
}

// HashFile returns the hex SHA-256 of a file.
func HashFile(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", fmt.Errorf("hash %s: %w", path, err)
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", fmt.Errorf("hash %s: %w", path, err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// verify checks a resolved plugin against the lock.
func (l *Lock) verify(res Resolved, stage string) error {
	e, ok := l.entry(res)
	if !ok {
		return &Error{Kind: KindNotLocked, Stage: stage, Plugin: res.Ref,
			What: "is not in " + LockFileName,
			Hint: "run `rcolpipe plugins lock` to pin it"}
	}
	if res.Bundled {
		if !e.Bundled {
			return &Error{Kind: KindChecksum, Stage: stage, Plugin: res.Ref,
				What: LockFileName + " pins an external binary but the name now means the bundled plugin",
				Hint: hintRelock}
		}
		return nil
	}
	if e.Bundled {
		return &Error{Kind: KindChecksum, Stage: stage, Plugin: res.Ref,
			What: LockFileName + " pins the bundled plugin but the name now resolves to " + res.Path,
			Hint: hintRelock}
	}
	sum, err := HashFile(res.Path)
	if err != nil {
		return &Error{Kind: KindMissing, Stage: stage, Plugin: res.Ref, What: err.Error(), Err: err}
	}
	if sum != e.SHA256 {
		return &Error{Kind: KindChecksum, Stage: stage, Plugin: res.Ref,
			What: fmt.Sprintf("checksum mismatch: %s has SHA-256 %s but %s pins %s; the file changed after it was locked",
				res.Path, sum[:16]+"…", LockFileName, e.SHA256[:16]+"…"),
			Hint: hintRelock}
	}
	return nil
}
