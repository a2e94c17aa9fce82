package main

import (
	"fmt"
	"io"
	"runtime/debug"
	"strings"

	"github.com/urfave/cli/v2"
)

// versionFlag replaces urfave/cli's, whose printer is a package variable
// and prints only the version.
func versionFlag() cli.Flag {
	return &cli.BoolFlag{Name: "version", Aliases: []string{"v"}, Usage: "print the version, the commit and the Go version it was built with"}
}

// writeVersion prints what `rcolpipe --version` says. The build info is
// read when asked for, not at start-up.
func writeVersion(w io.Writer) error {
	bi, _ := debug.ReadBuildInfo()
	_, err := io.WriteString(w, formatVersion(version, bi))
	return err
}

// formatVersion: the version (set with -ldflags "-X main.version=…", else
// the module version go install recorded), the VCS commit and time that
// go build recorded from the checkout ("+modified" for uncommitted
// changes), and the Go version.
func formatVersion(ldflagsVersion string, bi *debug.BuildInfo) string {
	v, commit, when, goVersion := ldflagsVersion, "unknown", "", "unknown"
	if bi != nil {
		goVersion = bi.GoVersion
		if mv := bi.Main.Version; mv != "" && mv != "(devel)" && ldflagsVersion == defaultVersion {
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
