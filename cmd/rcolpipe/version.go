package main

import (
	"io"
	"runtime/debug"

	"github.com/urfave/cli/v2"

	"github.com/rcolpipe/rcolpipe/output"
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
	_, err := io.WriteString(w, output.Version(version, defaultVersion, bi))
	return err
}
