package output

import (
	"fmt"
	"runtime/debug"
	"strings"
)

// Version is what `rcolpipe --version` says: the version (set with
// -ldflags "-X main.version=…"; when that is still devVersion, the module
// version go install recorded), the VCS commit and time that
// go build recorded from the checkout ("+modified" for uncommitted
// changes), and the Go version.
func Version(ldflagsVersion, devVersion string, bi *debug.BuildInfo) string {
	v, commit, when, goVersion := ldflagsVersion, "unknown", "", "unknown"
	if bi != nil {
		goVersion = bi.GoVersion
		if mv := bi.Main.Version; mv != "" && mv != "(devel)" && ldflagsVersion == devVersion {
			v = mv
		}
		modified := false
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				commit = s.Value
			case "vcs.time":
				when = s.Value
			case "vcs.modified":
				modified = s.Value == "true"
			}
		}
		if modified && commit != "unknown" {
			commit += "+modified"
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "rcolpipe version %s\n", v)
	fmt.Fprintf(&b, "commit: %s", commit)
	if when != "" {
		fmt.Fprintf(&b, " (%s)", when)
	}
	fmt.Fprintf(&b, "\ngo: %s\n", goVersion)
	return b.String()
}
