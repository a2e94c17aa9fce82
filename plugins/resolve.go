package plugins

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
// working directory.
const LocalPluginDir = ".rcolpipe/plugins"

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
}

// Resolve finds one plugin: a path (anything with a slash) is taken as it
// is, relative to BaseDir; a bundled name runs SelfExe; any other name is
// the first executable file of that name on the search path.
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
	for _, dir := range r.SearchPath {
		for _, name := range exeNames(ref) {
			p := r.abs(filepath.Join(dir, name))
			tried = append(tried, p)
			if checkExecutable(p) == nil {
				return Resolved{Ref: ref, Path: p}, nil
			}
		}
	}
	return Resolved{}, fmt.Errorf("no plugin %q: it is not bundled (bundled: %s) and no executable of that name is in %s",
		ref, strings.Join(r.Bundled, ", "), strings.Join(tried, ", "))
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
	// bundled plugin", "an earlier one" (on the search path), or "".
	ShadowedBy string
}

// Installed lists the executables in r.SearchPath in the order Resolve
// looks at them; a directory that cannot be read is skipped.
func (r *Resolver) Installed() []Found {
	var out []Found
	seen := map[string]bool{}
	for _, dir := range r.SearchPath {
		ents, err := os.ReadDir(dir)
		if err != nil {
			continue
		}
		for _, ent := range ents {
			p := filepath.Join(dir, ent.Name())
			if checkExecutable(p) != nil {
				continue
			}
			f := Found{Name: strings.TrimSuffix(ent.Name(), ".exe"), Path: p}
			if seen[f.Name] {
				f.ShadowedBy = "an earlier one"
			} else if slices.Contains(r.Bundled, f.Name) {
				f.ShadowedBy = "the bundled plugin"
			}
			seen[f.Name] = true
			out = append(out, f)
		}
	}
	return out
}
