package main

import (
	"errors"

	"github.com/urfave/cli/v2"

	"github.com/rcolpipe/rcolpipe/dictfmt"
	"github.com/rcolpipe/rcolpipe/output"
)

func fmtCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:      "fmt",
		Usage:     "rewrite dictionaries in a canonical form, for clean git diffs",
		ArgsUsage: "INPUT...",
		Description: `fmt rewrites each CSV or JSON dictionary in a canonical form without changing
what it means: every cell trimmed, choices as "code, label | code, label", the
identifier and required flags as "y", REDCap's 18 columns in REDCap's order,
quotes only where needed. Each file keeps its own format: JSON stays JSON, a CSV
keeps its delimiter, byte-order mark, header style (API keys or the Data
Dictionary page's headers) and line ends. A folder INPUT formats the dictionary
files in it and in the folders below it (--exclude GLOB leaves some out, as in
validate). Instrument ZIPs and structure files (arms.csv, events.csv, ...) are
left alone. - reads standard input and writes its
canonical form to stdout (with --check: exit 1 when it would change).

Without -w, fmt prints a diff of each file that would change. -w writes the
files (through a temporary file renamed into place). --check prints the names
of the files that would change and exits 1 if there are any (for CI).
Running fmt on its own output changes nothing.

Examples:
   rcolpipe fmt instruments/
   rcolpipe fmt -w instruments/phq9.csv
   rcolpipe fmt --check instruments/      # in CI
   rcolpipe fmt --check --exclude 'drafts' instruments/
   rcolpipe fmt - < phq9.csv > phq9.fmt.csv

Exit codes: 0 done (with --check: nothing would change), 1 a file cannot be
read as a dictionary, or with --check a file would change; 2 a wrong command
line (no INPUT, an INPUT that does not exist).`,
		Flags: []cli.Flag{
			&cli.BoolFlag{Name: "write", Aliases: []string{"w"}, Usage: "write the canonical form to the files"},
			&cli.BoolFlag{Name: "check", Usage: "list the files that would change; exit 1 if any"},
			excludeFlag(),
		},
		Action: func(c *cli.Context) error { return runFmt(c, e) },
	}
}

func runFmt(c *cli.Context, e *env) error {
	paths := c.Args().Slice()
	if len(paths) == 0 {
		return usageError("fmt: missing INPUT (a dictionary file or a folder)")
	}
	if err := checkInputsExist("fmt", paths); err != nil {
		return err
	}
	opts, err := loadOptions(c, e, "fmt")
	if err != nil {
		return err
	}
	req := dictfmt.Request{Paths: paths, Load: opts, Check: c.Bool("check"), Write: c.Bool("write")}
	res, err := dictfmt.Run(req, output.FmtReport{Stdout: e.stdout, Stderr: e.stderr, Log: e.log, Check: req.Check})
	switch {
	case errors.Is(err, dictfmt.ErrWriteStdin):
		return usageError("fmt: %v", err)
	case errors.Is(err, dictfmt.ErrReported):
		return silentExit(exitInvalid)
	case err != nil:
		return inputError("fmt: %w", err)
	case res.Failed > 0 || (req.Check && res.Changed > 0):
		return silentExit(exitInvalid)
	}
	return nil
}
