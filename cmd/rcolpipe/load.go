package main

import (
	"errors"
	"io/fs"
	"os"

	"github.com/rcolpipe/rcolpipe/output"
	"github.com/rcolpipe/rcolpipe/redcap"
)

// inputsHelp documents, for --help, what an INPUT (redcap.Load) may be.
const inputsHelp = `INPUT is a CSV file (REDCap download headers or API keys; delimiter , ; or tab),
a JSON array of rows (API keys), a REDCap instrument ZIP, or a folder (every .csv,
.tsv, .txt, .json and .zip file in it, in name order; names starting with "." or "_"
are skipped; symbolic links and special files in a folder are skipped with a
warning). Several inputs are stacked in order; a later input's copy of the
first input's record-ID field is dropped. Limits: 64 MiB per file, 1 MiB per
cell, 100,000 rows per file.`

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
func loadInputs(e *env, paths []string) (*redcap.Dictionary, redcap.Diagnostics, error) {
	d, diags, err := redcap.Load(paths...)
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
// "-" is standard input.
func checkInputsExist(cmd string, paths []string) error {
	for _, p := range paths {
		if p == "-" {
			continue
		}
		if _, err := os.Stat(p); errors.Is(err, fs.ErrNotExist) {
			return usageError("%s: %s: no such file or folder", cmd, p)
		}
	}
	return nil
}
