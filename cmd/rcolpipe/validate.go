package main

import (
	"errors"
	"os"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/rcolpipe/rcolpipe/internal/progress"
	"github.com/rcolpipe/rcolpipe/output"
	"github.com/rcolpipe/rcolpipe/pipeline"
	"github.com/rcolpipe/rcolpipe/redcap"
)

func validateCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:      "validate",
		Usage:     "check dictionaries against REDCap's rules and your own schemas",
		ArgsUsage: "[INPUT...]",
		Description: `validate reads the INPUTs (CSV, JSON, instrument ZIPs or folders), stacks them in
the order given, and reports everything REDCap would reject or silently change,
plus the conventions in your --schema files. Each finding has a rule code;
` + "`rcolpipe rules`" + ` lists them.

A --schema file is a JSON Schema (draft 2020-12) of ONE row, applied to every row.
A rule in it may carry "x-code", "x-message" (placeholders {value} {field}
{column} {form} {type}), "x-hint" and "x-severity" (error, warning, info).
See examples/schemas/.

-c FILE reads a pipeline file (see docs/pipeline.md): its inputs and its validate
section (schemas, validation_types, assume_fields, rules, strict); its stages do
not run. INPUTs on the command line replace the file's inputs; --schema and
--assume-fields add to the file's, --validation-types and --rule replace them.

` + inputsHelp + `

Examples:
   rcolpipe validate instruments/
   rcolpipe validate --strict demographics.csv phq9.csv
   rcolpipe validate --format sarif instruments/ > rcolpipe.sarif
   rcolpipe validate --format github --schema conventions/field-notes.json instruments/
   rcolpipe validate --assume-fields project.json --rule RC109=off new_instrument.csv
   rcolpipe validate --validation-types site-types.txt instruments/
   rcolpipe validate -c rcolpipe.yaml --format github
   rcolpipe validate --exclude 'drafts' --exclude '*.bak.csv' instruments/
   rcolpipe export --url https://redcap.example.org/redcap/api/ | rcolpipe validate -

The text report lists errors first; a rule that fires more than three times in
a file is one line with the count and the first fields (--verbose lists them
all), and a count per rule ends the report. When stderr is a terminal and the
report is text, a long run (20,000 fields or more, or over a second) shows its
progress on one line of stderr, cleared when it ends.

Exit codes: 0 no errors (with --strict: no warnings either), 1 findings that
fail the run, 2 a wrong command line or pipeline file (unknown format, bad --rule, no INPUT).`,
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "config", Aliases: []string{"c"}, Usage: "pipeline `FILE` (rcolpipe.yaml): its inputs and validate section; flags add to it"},
			&cli.StringFlag{Name: "format", Aliases: []string{"f"}, Value: "text",
				Usage: "report format: " + strings.Join(output.FindingFormats(), ", ")},
			&cli.StringSliceFlag{Name: "schema", Usage: "JSON Schema `FILE` applied to every row (repeatable)"},
			&cli.StringFlag{Name: "validation-types", Usage: "`FILE` listing your server's extra validation types, one per line (# comments)"},
			&cli.BoolFlag{Name: "strict", Usage: "fail (exit 1) on warnings too"},
			&cli.StringSliceFlag{Name: "assume-fields", Usage: "dictionary `FILE` whose fields already exist in the target project (repeatable)"},
			&cli.StringSliceFlag{Name: "rule", Usage: "change a rule's severity: `CODE=error|warning|info|off` (repeatable)"},
			&cli.StringFlag{Name: "min-severity", Value: "info", Usage: "report only findings of at least this `SEVERITY` (error, warning, info); the exit code still counts all"},
			&cli.BoolFlag{Name: "verbose", Aliases: []string{"v"}, Usage: "text: list every finding (many of one rule in one file are otherwise one line with the count)"},
			&cli.BoolFlag{Name: "quiet", Aliases: []string{"q"}, Usage: "text: print only the summary line"},
			excludeFlag(),
		},
		Action: func(c *cli.Context) error { return runValidate(c, e) },
	}
}

func runValidate(c *cli.Context, e *env) error {
	strict := c.Bool("strict")
	// Annotations and code scanning resolve paths against the repository.
	base := e.getenv("GITHUB_WORKSPACE")
	if base == "" {
		base, _ = os.Getwd()
	}
	out, err := output.NewFindingsWriter(c.String("format"), output.Options{
		Color:       e.stdoutIsTerminal && e.getenv("NO_COLOR") == "",
		Strict:      strict,
		ToolVersion: version,
		BaseDir:     base,
		Verbose:     c.Bool("verbose"),
		Quiet:       c.Bool("quiet"),
	})
	if err != nil {
		return usageError("validate --format: %v", err)
	}
	minSeverity, err := redcap.ParseSeverity(c.String("min-severity"))
	if err != nil || minSeverity == redcap.SeverityOff {
		return usageError("validate --min-severity: want error, warning or info, not %q", c.String("min-severity"))
	}
	severities, err := pipeline.ParseSeverities(c.StringSlice("rule"))
	if err != nil {
		return usageError("validate --rule: %v", err)
	}
	spec, err := newSpec("validate", withInputOptions(c, e, pipeline.Request{
		ConfigPath: c.String("config"), Inputs: c.Args().Slice(), Strict: strict,
		Schemas: c.StringSlice("schema"), ValidationTypes: c.String("validation-types"),
		AssumeFields: c.StringSlice("assume-fields"), Severities: severities,
	}))
	if err != nil {
		return err
	}
	spec.CheckOnly = true
	// A long run shows what it does on stderr, if a person watches it there.
	line := progress.Start(e.stderr, e.stderrIsTerminal && c.String("format") == "text")
	spec.Progress = line.Step
	res, err := pipeline.Run(c.Context, spec)
	line.Stop()
	var pe *pipeline.Error
	if err != nil && !(errors.As(err, &pe) && pe.Kind == pipeline.KindFindings) {
		return pipelineError("validate", err)
	}
	if werr := out.Output(e.stdout, output.PipelineFindings(res).AtLeast(minSeverity)); werr != nil {
		return inputError("validate: write report: %w", werr)
	}
	e.log.Debug().Int("errors", res.Diagnostics.Count(redcap.SeverityError)).
		Int("warnings", res.Diagnostics.Count(redcap.SeverityWarning)).Int("fields", res.Loaded.Len()).Msg("validated")
	if err != nil {
		return silentExit(exitInvalid) // the report says why
	}
	return nil
}
