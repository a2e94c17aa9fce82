package host

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
)

// EnvPluginPath lists extra plugin directories, separated like PATH.
const EnvPluginPath = "RCOLPIPE_PLUGIN_PATH"

// LocalPluginDir is the project's own plugin directory, relative to the
// working directory. It comes with the checkout, which may not be the
// user's own: a plugin found there runs only when the lock file pins it or
// the user allows project plugins (see Resolver.AllowProjectLocal).
const LocalPluginDir = ".rcolpipe/plugins"

// AllowProjectFlag is the command-line flag that lets plugins found in
// LocalPluginDir run without a pin in the lock file.
const AllowProjectFlag = "--allow-project-plugins"

// isProjectLocal reports whether a search path entry is the project-local
// plugin directory.
func isProjectLocal(dir string) bool {
	return filepath.Clean(dir) == filepath.Clean(LocalPluginDir)
}

// SearchPath returns where plugins are looked for by name, in order:
// $RCOLPIPE_PLUGIN_PATH, ./.rcolpipe/plugins, then the user's plugin
// directory (UserPluginDir). getenv is os.Getenv or a test's stand-in.
func SearchPath(getenv func(string) string) []string {
	var dirs []string
	for _, d := range filepath.SplitList(getenv(EnvPluginPath)) {
		if d != "" {
			dirs = append(dirs, d)
		}
	}
	dirs = append(dirs, LocalPluginDir)
	if d := UserPluginDir(getenv); d != "" {
		dirs = append(dirs, d)
	}
	return dirs
}

// UserPluginDir is the user's own plugin directory: on Linux and other
// Unix systems $XDG_DATA_HOME/rcolpipe/plugins (default
// ~/.local/share/rcolpipe/plugins), on macOS ~/Library/Application
// Support/rcolpipe/plugins, on Windows %AppData%\rcolpipe\plugins. It is ""
// when no home directory is known.
func UserPluginDir(getenv func(string) string) string {
	switch runtime.GOOS {
	case "windows":
		if d := getenv("AppData"); d != "" {
			return filepath.Join(d, "rcolpipe", "plugins")
		}
		return ""
	case "darwin", "ios":
		if h := getenv("HOME"); h != "" {
			return filepath.Join(h, "Library", "Application Support", "rcolpipe", "plugins")
		}
		return ""
	}
	if d := getenv("XDG_DATA_HOME"); d != "" && filepath.IsAbs(d) {
		return filepath.Join(d, "rcolpipe", "plugins")
	}
	if h := getenv("HOME"); h != "" {
		return filepath.Join(h, ".local", "share", "rcolpipe", "plugins")
	}
	return ""
}

// IsPath reports whether a plugin reference is a path (it contains a
// path separator) rather than a name to look up.
func IsPath(ref string) bool {
	return strings.ContainsRune(ref, '/') || strings.ContainsRune(ref, filepath.Separator)
}

// Resolved is a plugin reference turned into something to run.
type Resolved struct {
	// Ref is the reference as written in the pipeline.
	Ref string
	// Path is the executable's absolute path.
	Path string
	// Args are the arguments after the executable (bundled: "__plugin NAME").
	Args []string
	// Bundled is true when the plugin is served by rcolpipe itself.
	Bundled bool
	// ProjectLocal is true when the name was found in LocalPluginDir.
	ProjectLocal bool
	// Warning, when set, says that a project-local plugin and an installed
	// one share the name, and which of them runs.
	Warning string
}

// ProjectLocalError is the refusal of a plugin that is found only in the
// project-local directory, neither pinned nor allowed.
type ProjectLocalError struct {
	Ref  string
	Path string
}

func (e *ProjectLocalError) Error() string {
	return fmt.Sprintf("%q is found only in the project folder, at %s, which came with the checkout, and %s does not pin it",
		e.Ref, e.Path, LockFileName)
}

// ServeCommand is the hidden subcommand through which the rcolpipe binary
// serves a bundled plugin: `rcolpipe __plugin NAME`.
const ServeCommand = "__plugin"

// Resolver finds plugins.
type Resolver struct {
	// SearchPath is where names are looked up (see SearchPath); relative
	// entries are taken from BaseDir.
	SearchPath []string
	// Bundled lists the names rcolpipe serves itself. A bundled name wins
	// over a binary of the same name on the search path, so a stray file
	// cannot replace a bundled plugin.
	Bundled []string
	// SelfExe is rcolpipe's own executable (os.Executable).
	SelfExe string
	// BaseDir is the directory relative paths are taken from (the pipeline
	// file's folder); "" is the working directory.
	BaseDir string
	// AllowProjectLocal lets a name found in LocalPluginDir run unpinned:
	// the user said so on the command line (never the pipeline file, which
	// comes with the same checkout).
	AllowProjectLocal bool
	// Lock, when set, lets a name found in LocalPluginDir run when the lock
	// pins that name with the file's current SHA-256.
	Lock *Lock
}

// Resolve finds one plugin: a path (anything with a slash) is taken as it
// is, relative to BaseDir; a bundled name runs SelfExe; any other name is
// the first executable file of that name on the search path, where one in
// LocalPluginDir counts only when it is pinned or allowed. Otherwise the
// next one of that name on the path runs, with a Warning; if there is
// none, the error is a *ProjectLocalError.
func (r *Resolver) Resolve(ref string) (Resolved, error) {
	if ref == "" {
		return Resolved{}, errors.New("no plugin named")
	}
	if IsPath(ref) {
		p := r.abs(ref)
		if err := checkExecutable(p); err != nil {
			return Resolved{}, err
		}
		return Resolved{Ref: ref, Path: p}, nil
	}
	if slices.Contains(r.Bundled, ref) {
		if r.SelfExe == "" {
			return Resolved{}, fmt.Errorf("bundled plugin %s: rcolpipe's own executable is unknown", ref)
		}
		return Resolved{Ref: ref, Path: r.SelfExe, Args: []string{ServeCommand, ref}, Bundled: true}, nil
	}
	var tried []string
	var ignored string // a project-local plugin that may not run
	for i, dir := range r.SearchPath {
		local := isProjectLocal(dir)
		for _, name := range exeNames(ref) {
			p := r.abs(filepath.Join(dir, name))
			tried = append(tried, p)
			if checkExecutable(p) != nil {
				continue
			}
			if !local {
				res := Resolved{Ref: ref, Path: p}
				if ignored != "" {
					res.Warning = fmt.Sprintf("the project-local plugin %s is not run: %s does not pin it and %s is not given; running the installed %s instead",
						ignored, LockFileName, AllowProjectFlag, p)
				}
				return res, nil
			}
			if ignored != "" {
				continue // "x.exe" and "x" both there: the first one decides
			}
			res := Resolved{Ref: ref, Path: p, ProjectLocal: true}
			if !r.projectLocalAllowed(res) {
				ignored = p
				continue
			}
			if installed := r.installedAfter(ref, i+1); installed != "" {
				res.Warning = fmt.Sprintf("the project-local plugin %s shadows the installed %s", p, installed)
			}
			return res, nil
		}
	}
	if ignored != "" {
		return Resolved{}, &ProjectLocalError{Ref: ref, Path: ignored}
	}
	return Resolved{}, fmt.Errorf("no plugin %q: it is not bundled (bundled: %s) and no executable of that name is in %s",
		ref, strings.Join(r.Bundled, ", "), strings.Join(tried, ", "))
}

// projectLocalAllowed says whether a plugin found in LocalPluginDir may run.
func (r *Resolver) projectLocalAllowed(res Resolved) bool {
	return r.AllowProjectLocal || (r.Lock != nil && r.Lock.pins(res))
}

// installedAfter returns the first executable named ref in the search
// path from entry i on, outside LocalPluginDir, or "".
func (r *Resolver) installedAfter(ref string, i int) string {
	for _, dir := range r.SearchPath[i:] {
		if isProjectLocal(dir) {
			continue
		}
		for _, name := range exeNames(ref) {
			if p := r.abs(filepath.Join(dir, name)); checkExecutable(p) == nil {
				return p
			}
		}
	}
	return ""
}

func (r *Resolver) abs(p string) string {
	if !filepath.IsAbs(p) && r.BaseDir != "" {
		p = filepath.Join(r.BaseDir, p)
	}
	if a, err := filepath.Abs(p); err == nil {
		return a
	}
	return p
}

func exeNames(name string) []string {
	if runtime.GOOS == "windows" {
		return []string{name + ".exe", name}
	}
	return []string{name}
}

func checkExecutable(p string) error {
	st, err := os.Stat(p)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("no plugin at %s", p)
		}
		return fmt.Errorf("plugin %s: %w", p, err)
	}
	if st.IsDir() {
		return fmt.Errorf("plugin %s is a directory, not an executable", p)
	}
	if runtime.GOOS != "windows" && st.Mode().Perm()&0o111 == 0 {
		return fmt.Errorf("plugin %s is not executable (chmod +x it)", p)
	}
	return nil
}

// Found is an executable on the search path.
type Found struct {
	// Name is what a pipeline calls it: the file name without ".exe".
	Name string
	// Path is the search path directory joined with the file name.
	Path string
	// ShadowedBy says what a pipeline naming Name runs instead: "the
	// bundled plugin", "an earlier one" (on the search path), "the
	// project-local one, when allowed", or "".
	ShadowedBy string
	// ProjectLocal is true for a plugin in LocalPluginDir, which runs
	// only when pinned or allowed.
	ProjectLocal bool
}

// Installed lists the executables in r.SearchPath in the order Resolve
// looks at them; a directory that cannot be read is skipped.
func (r *Resolver) Installed() []Found {
	var out []Found
	// seen maps a name to whether its first occurrence was project-local.
	seen := map[string]bool{}
	for _, dir := range r.SearchPath {
		ents, err := os.ReadDir(dir)
		if err != nil {
			continue
		}
		local := isProjectLocal(dir)
		for _, ent := range ents {
			p := filepath.Join(dir, ent.Name())
			if checkExecutable(p) != nil {
				continue
			}
			f := Found{Name: strings.TrimSuffix(ent.Name(), ".exe"), Path: p, ProjectLocal: local}
			firstLocal, dup := seen[f.Name]
			switch {
			case slices.Contains(r.Bundled, f.Name):
				f.ShadowedBy = "the bundled plugin"
			case dup && firstLocal && !local:
				f.ShadowedBy = "the project-local one, when that is allowed"
			case dup:
				f.ShadowedBy = "an earlier one"
			}
			if !dup {
				seen[f.Name] = local
			}
			out = append(out, f)
		}
	}
	return out
}
