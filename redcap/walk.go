package redcap

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"path/filepath"
	"slices"
	"strings"
)

// CodeNotDictionary: a file met in a folder is not read because its name
// is not a dictionary's (an info: RD2nn). RD220, clear of reader codes
// added on other branches at the same time.
const CodeNotDictionary = "RD220"

// Limits of a folder walk, like those of limits.go far above a real
// instrument library (rcol has a few hundred files two levels deep), and
// low enough that naming the wrong folder (a home folder, /) is refused
// quickly instead of reading the disk.
const (
	// MaxWalkDepth caps how many folders deep a folder input is read.
	MaxWalkDepth = 32
	// MaxWalkEntries caps the entries (files and folders, skipped ones
	// included) listed in one folder input.
	MaxWalkEntries = 100_000
)

// StdinName names standard input ("-") in origins and diagnostics.
const StdinName = "<stdin>"

// LoadOptions say where "-" reads from and which folder entries are left
// out. The zero value is Load's: no standard input, nothing excluded.
type LoadOptions struct {
	// Stdin is read for the input "-" (at most MaxFileBytes of it; the
	// format is sniffed from the content). nil refuses "-".
	Stdin io.Reader
	// Exclude are globs (path.Match syntax) matched against the path of
	// each folder entry relative to the folder input, with / separators. A
	// pattern without a / also matches an entry's name at any depth. An
	// excluded folder is not entered.
	Exclude []string
}

// CheckExclude returns an error naming the first malformed pattern.
func CheckExclude(patterns []string) error {
	for _, p := range patterns {
		if _, err := path.Match(p, ""); err != nil {
			return fmt.Errorf("--exclude %q: %w (patterns use * ? [a-z], matched against the path relative to the folder)", p, err)
		}
	}
	return nil
}

// excluded reports whether the entry at rel (relative, slash-separated)
// matches a pattern of o.Exclude.
func (o LoadOptions) excluded(rel string) bool {
	for _, p := range o.Exclude {
		p = strings.TrimSuffix(strings.TrimPrefix(p, "./"), "/")
		if ok, _ := path.Match(p, rel); ok {
			return true
		}
		if !strings.Contains(p, "/") {
			if ok, _ := path.Match(p, path.Base(rel)); ok {
				return true
			}
		}
	}
	return false
}

// Load is redcap.Load with these options.
func (o LoadOptions) Load(paths ...string) (*Dictionary, Diagnostics, error) {
	return load(paths, &Structure{}, o)
}

// LoadWithStructure is redcap.LoadWithStructure with these options.
func (o LoadOptions) LoadWithStructure(paths ...string) (*Dictionary, *Structure, Diagnostics, error) {
	st := &Structure{}
	d, diags, err := load(paths, st, o)
	return d, st, diags, err
}

// readStdin reads standard input, at most MaxFileBytes of it.
func (o LoadOptions) readStdin() (data []byte, tooLarge bool, err error) {
	if o.Stdin == nil {
		return nil, false, errors.New("standard input (-) cannot be read here")
	}
	data, err = io.ReadAll(io.LimitReader(o.Stdin, MaxFileBytes+1))
	if err != nil {
		return nil, false, fmt.Errorf("read standard input: %w", err)
	}
	if len(data) > MaxFileBytes {
		return nil, true, nil
	}
	return data, false, nil
}

// isDictionaryName reports whether a folder's file of this name is read.
func isDictionaryName(name string) bool {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".csv", ".tsv", ".txt", ".json", ".zip":
		return true
	}
	return false
}

// Tree is a folder that is not on disk, such as a folder at a git
// revision. LoadTree reads it with the rules of a folder walk on disk.
type Tree interface {
	// ReadDir lists the folder dir: "." is the tree's root, other paths
	// are slash-separated and relative to it. An entry's Type says what it
	// is; a link (fs.ModeSymlink) is never followed.
	ReadDir(dir string) ([]fs.DirEntry, error)
	// ReadFile reads the file name (a path as ReadDir's), at most
	// MaxFileBytes of it; tooLarge reports a longer one.
	ReadFile(name string) (data []byte, tooLarge bool, err error)
}

// walker lists the dictionary files under one folder input: on disk, or
// in a Tree (then root is "." and diagnostics name paths under shown).
type walker struct {
	opts       LoadOptions
	tree       Tree
	shown      string
	root       string
	maxDepth   int
	maxEntries int
	entries    int
	files      []string
	diags      Diagnostics
}

// errWalkLimit stops a walk that met a limit (its diagnostic is recorded).
var errWalkLimit = errors.New("walk limit")

// dictionaryFiles lists the dictionary files of a folder and of the
// folders in it, depth first in name order. Names starting with "." or "_"
// (hidden files and folders, indexes such as rcol's _index.json) and
// excluded entries are passed over silently; every other entry that is not
// read is listed once: a symbolic link (never followed) or special file,
// or a name with control characters as a warning (CodeSkippedEntry), a
// file without a dictionary's extension as an info (CodeNotDictionary).
// Past MaxWalkDepth or MaxWalkEntries the folder is refused with an error
// (CodeTooLarge) and nothing of it is read.
func (o LoadOptions) dictionaryFiles(dir string) (files []string, diags Diagnostics, err error) {
	w := &walker{opts: o, root: dir, maxDepth: MaxWalkDepth, maxEntries: MaxWalkEntries}
	return w.run()
}

func (w *walker) run() ([]string, Diagnostics, error) {
	err := w.visit(w.root, "", 0)
	if errors.Is(err, errWalkLimit) {
		return nil, w.diags, nil
	}
	return w.files, w.diags, err
}

// join is the path of the entry name in dir.
func (w *walker) join(dir, name string) string {
	if w.tree != nil {
		return path.Join(dir, name)
	}
	return filepath.Join(dir, name)
}

// display is how diagnostics name the path p of the walk.
func (w *walker) display(p string) string {
	switch {
	case w.tree == nil:
		return p
	case p == ".":
		return w.shown
	}
	return w.shown + "/" + p
}

func (w *walker) skip(file, msg string) {
	w.diags = append(w.diags, Diagnostic{Severity: SeverityWarning, Code: CodeSkippedEntry, File: w.display(file), Stage: StageLoad,
		Message: msg, Hint: "links and special files in a folder are not read; name a file on the command line to read it"})
}

func (w *walker) visit(dir, rel string, depth int) error {
	entries, err := w.list(dir)
	if err != nil {
		return err
	}
	for _, e := range entries {
		name := e.Name()
		if strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") {
			continue
		}
		if !printableName(name) {
			w.skip(dir, fmt.Sprintf("skipped the entry %s: its name holds control characters or is not UTF-8", excerpt(name)))
			continue
		}
		entryRel := path.Join(rel, name)
		if w.opts.excluded(entryRel) {
			continue
		}
		full := w.join(dir, name)
		t := e.Type() // from the folder listing: a link is not followed
		switch {
		case t&fs.ModeSymlink != 0:
			w.skip(full, "skipped: a symbolic link (links in a folder are not followed)")
		case t.IsDir():
			if depth+1 > w.maxDepth {
				w.diags = append(w.diags, Diagnostic{Severity: SeverityError, Code: CodeTooLarge, File: w.display(w.root), Stage: StageLoad,
					Message: fmt.Sprintf("folders nest deeper than %d levels (at %s); the folder is not read", w.maxDepth, excerpt(entryRel)),
					Hint:    "name the folder that holds the dictionaries, or leave the deep part out with --exclude"})
				return errWalkLimit
			}
			if err := w.visit(full, entryRel, depth+1); err != nil {
				return err
			}
		case !t.IsRegular():
			w.skip(full, fmt.Sprintf("skipped: %s, not a regular file", fileKind(t)))
		case isDictionaryName(name):
			w.files = append(w.files, full)
		default:
			w.diags = append(w.diags, Diagnostic{Severity: SeverityInfo, Code: CodeNotDictionary, File: w.display(full), Stage: StageLoad,
				Message: "skipped: not a dictionary file (in a folder, .csv, .tsv, .txt, .json and .zip files are read)",
				Hint:    notDictionaryHint(name)})
		}
	}
	return nil
}

func notDictionaryHint(name string) string {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".xlsx", ".xls", ".ods":
		return "a spreadsheet is read once saved as CSV"
	}
	return "leave it out with --exclude to silence this"
}

// list reads a folder's entries in name order, counting them against the
// walk's limit.
func (w *walker) list(dir string) ([]fs.DirEntry, error) {
	var all []fs.DirEntry
	var err error
	if w.tree != nil {
		all, err = w.tree.ReadDir(dir)
	} else {
		all, err = w.listDisk(dir, w.maxEntries-w.entries+1)
	}
	if err != nil {
		return nil, err
	}
	w.entries += len(all)
	if w.entries > w.maxEntries {
		w.diags = append(w.diags, Diagnostic{Severity: SeverityError, Code: CodeTooLarge, File: w.display(w.root), Stage: StageLoad,
			Message: fmt.Sprintf("folder holds more than %d entries; it is not read", w.maxEntries),
			Hint:    "name the folder that holds the dictionaries, or leave parts out with --exclude"})
		return nil, errWalkLimit
	}
	slices.SortFunc(all, func(a, b fs.DirEntry) int { return strings.Compare(a.Name(), b.Name()) })
	return all, nil
}

// listDisk reads the entries of a folder on disk, stopping once it has
// more than limit. The folder is opened without following a link, so that
// a folder replaced by a link after its parent was listed is not entered.
func (w *walker) listDisk(dir string, limit int) ([]fs.DirEntry, error) {
	f, err := openInput(dir, dir == w.root)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var all []fs.DirEntry
	for len(all) < limit {
		batch, err := f.ReadDir(1000)
		all = append(all, batch...)
		if errors.Is(err, io.EOF) || (err == nil && len(batch) == 0) {
			break
		}
		if err != nil {
			return nil, err
		}
	}
	return all, nil
}
