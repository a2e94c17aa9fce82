package main

import (
	"github.com/urfave/cli/v2"

	"github.com/rcolpipe/rcolpipe/output"
	"github.com/rcolpipe/rcolpipe/pipeline"
	"github.com/rcolpipe/rcolpipe/redcap"
)

// inputsHelp documents, for --help, what an INPUT (redcap.Load) may be.
const inputsHelp = `INPUT is a CSV file (REDCap download headers or API keys; delimiter , ; or tab),
a JSON array of rows (API keys), a REDCap instrument ZIP, - for standard input
(CSV, JSON or ZIP, told apart by the content), or a folder: its .csv, .tsv, .txt,
.json and .zip files and those of the folders in it, in path order. In a folder,
names starting with "." or "_" are passed over (hidden files and folders, _index.json),
and so is what --exclude GLOB matches (the path relative to the folder, e.g.
drafts/*.csv; a pattern without / matches a name at any depth, e.g. '*.bak.csv');
other files are listed once as skipped (RD220); symbolic links (never followed) and
special files are skipped with a warning (RD105). Several inputs are stacked in
order; a later input's copy of the first input's record-ID field is dropped.
Limits: 64 MiB per file and for standard input, 1 MiB per cell, 100,000 rows per
file, folders 32 levels deep with 100,000 entries.`

// loadInputsHelp adds, for the commands that use loadInputs, where reader
// diagnostics go.
const loadInputsHelp = inputsHelp + `

Problems found while reading go to stderr as log lines "file:line: severity code:
message" (errors, warnings and infos at the matching log level; --log-level error
hides the rest). Any error stops the command with exit code 1.`

// loadInputs reads and stacks the inputs (files, folders, instrument ZIPs)
// and logs the reader's diagnostics (output.LogDiagnostics). It returns an exit-1
// error when a path cannot be read or any diagnostic is an error; the
// diagnostics are returned as well, for a command that reports them again.
// paths must not be empty (commands check their arguments first).
func loadInputs(e *env, opts redcap.LoadOptions, paths []string) (*redcap.Dictionary, redcap.Diagnostics, error) {
	d, diags, err := opts.Load(paths...)
	if err != nil {
		return nil, diags, inputError("%v", err)
	}
	output.LogDiagnostics(e.log, diags)
	if n := diags.Count(redcap.SeverityError); n > 0 {
		return nil, diags, inputError("the input has %d error(s); nothing was done", n)
	}
	return d, diags, nil
}

// checkInputsExist refuses, as a wrong command line (exit 2), an INPUT that
// does not exist, before anything is read: the same answer every command
// gives (pipeline.NewSpec does it for the commands that run the pipeline).
// "-" is standard input, which can be named once.
func checkInputsExist(cmd string, paths []string) error {
	if err := redcap.CheckInputsExist(paths); err != nil {
		return usageError("%s: %v", cmd, err)
	}
	return nil
}

// excludeFlag is --exclude of every command that reads inputs.
func excludeFlag() cli.Flag {
	return &cli.StringSliceFlag{Name: "exclude", Usage: "in folder inputs, leave out what `GLOB` matches: the path relative to the folder, or a name at any depth when it has no / (repeatable)"}
}

// loadOptions are the command line's --exclude and standard input for "-";
// a malformed pattern is a wrong command line.
func loadOptions(c *cli.Context, e *env, cmd string) (redcap.LoadOptions, error) {
	exclude := c.StringSlice("exclude")
	if err := redcap.CheckExclude(exclude); err != nil {
		return redcap.LoadOptions{}, usageError("%s: %v", cmd, err)
	}
	return redcap.LoadOptions{Stdin: e.stdin, Exclude: exclude}, nil
}

// withInputOptions adds standard input and --exclude to a run's request.
func withInputOptions(c *cli.Context, e *env, req pipeline.Request) pipeline.Request {
	req.Stdin, req.Exclude = e.stdin, c.StringSlice("exclude")
	return req
}
