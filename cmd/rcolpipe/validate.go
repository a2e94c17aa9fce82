package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/rcolpipe/rcolpipe/output"
	"github.com/rcolpipe/rcolpipe/pipeline"
	"github.com/rcolpipe/rcolpipe/redcap"
)

func validateCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:      "validate",
		Usage:     "check dictionaries against REDCap's rules and your own schemas",
		ArgsUsage: "INPUT...",
		Description: `validate reads the INPUTs (CSV, JSON, instrument ZIPs or folders), stacks them in
the order given, and reports everything REDCap would reject or silently change,
plus the conventions in your --schema files. Each finding has a rule code;
` + "`rcolpipe rules`" + ` lists them.

A --schema file is a JSON Schema (draft 2020-12) of ONE row, applied to every row.
A rule in it may carry "x-code", "x-message" (placeholders {value} {field}
{column} {form} {type}), "x-hint" and "x-severity" (error, warning, info).
See examples/schemas/.

` + inputsHelp + `

Examples:
   rcolpipe validate instruments/
   rcolpipe validate --strict demographics.csv phq9.csv
   rcolpipe validate --format sarif instruments/ > rcolpipe.sarif
   rcolpipe validate --format github --schema conventions/field-notes.json instruments/
   rcolpipe validate --assume-fields project.json --rule RC109=off new_instrument.csv
   rcolpipe validate --validation-types site-types.txt instruments/

Exit codes: 0 no errors (with --strict: no warnings either), 1 findings that
fail the run, 2 a wrong command line (unknown format, bad --rule, no INPUT).`,
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "format", Aliases: []string{"f"}, Value: "text",
				Usage: "report format: " + strings.Join(output.FindingFormats(), ", ")},
			&cli.StringSliceFlag{Name: "schema", Usage: "JSON Schema `FILE` applied to every row (repeatable)"},
			&cli.StringFlag{Name: "validation-types", Usage: "`FILE` listing your server's extra validation types, one per line (# comments)"},
			&cli.BoolFlag{Name: "strict", Usage: "fail (exit 1) on warnings too"},
			&cli.StringSliceFlag{Name: "assume-fields", Usage: "dictionary `FILE` whose fields already exist in the target project (repeatable)"},
			&cli.StringSliceFlag{Name: "rule", Usage: "change a rule's severity: `CODE=error|warning|info|off` (repeatable)"},
		},
		Action: func(c *cli.Context) error { return runValidate(c, e) },
	}
}

func runValidate(c *cli.Context, e *env) error {
	inputs := c.Args().Slice()
	if len(inputs) == 0 {
		return usageError("validate: no INPUT given (files, folders or instrument ZIPs)")
	}
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
	})
	if err != nil {
		return usageError("validate --format: %v", err)
	}
	severities, err := parseRuleFlags(c.StringSlice("rule"))
	if err != nil {
		return usageError("validate --rule: %v", err)
	}
	for _, p := range append(append([]string(nil), inputs...), c.StringSlice("assume-fields")...) {
		if _, err := os.Stat(p); errors.Is(err, fs.ErrNotExist) {
			return usageError("validate: %s: no such file or folder", p)
		}
	}

	var loadDiags redcap.Diagnostics
	var assume *redcap.Dictionary
	if paths := c.StringSlice("assume-fields"); len(paths) > 0 {
		d, ds, err := redcap.Load(paths...)
		if err != nil {
			return inputError("validate --assume-fields: %v", err)
		}
		assume = d
		loadDiags = append(loadDiags, ds...)
	}

	v, err := pipeline.NewValidator(pipeline.ValidateOptions{
		SchemaFiles:         c.StringSlice("schema"),
		ValidationTypesFile: c.String("validation-types"),
		AssumeFields:        assume,
		Severities:          severities,
	})
	if err != nil {
		return usageError("validate: %v", err)
	}
	if unknown := v.UnknownCodes(); len(unknown) > 0 {
		return usageError("validate --rule: unknown rule code %s (`rcolpipe rules` lists them)", strings.Join(unknown, ", "))
	}

	d, ds, err := redcap.Load(inputs...)
	if err != nil {
		return inputError("validate: %v", err)
	}
	loadDiags = append(loadDiags, ds...)
	all := append(pipeline.ApplySeverities(loadDiags, severities), v.Validate(d)...)
	pipeline.SortDiagnostics(all, d.Files)

	res := output.Findings{Diagnostics: all, Files: reportFiles(d.Files, all), Fields: d.Len()}
	for _, r := range v.Rules() {
		res.Rules = append(res.Rules, output.RuleInfo{Code: r.Code, Severity: r.Severity, Title: r.Title, Doc: r.Doc})
	}
	if err := out.Output(e.stdout, res); err != nil {
		return inputError("validate: write report: %w", err)
	}
	errs, warns := all.Count(redcap.SeverityError), all.Count(redcap.SeverityWarning)
	e.log.Debug().Int("errors", errs).Int("warnings", warns).Int("fields", d.Len()).Msg("validated")
	if errs > 0 || (strict && warns > 0) {
		return silentExit(exitInvalid)
	}
	return nil
}

// parseRuleFlags reads --rule CODE=SEVERITY values.
func parseRuleFlags(values []string) (map[string]redcap.Severity, error) {
	if len(values) == 0 {
		return nil, nil
	}
	out := make(map[string]redcap.Severity, len(values))
	for _, v := range values {
		code, sev, ok := strings.Cut(v, "=")
		code = strings.TrimSpace(code)
		if !ok || code == "" {
			return nil, fmt.Errorf("%q: want CODE=error|warning|info|off", v)
		}
		s, err := redcap.ParseSeverity(sev)
		if err != nil {
			return nil, fmt.Errorf("%s: %v", code, err)
		}
		out[code] = s
	}
	return out, nil
}

// reportFiles lists the files a report covers: those the dictionary was
// read from, then any other file a finding names (a file that could not be
// read contributes no fields but is still a file of the run).
func reportFiles(files []string, ds redcap.Diagnostics) []string {
	seen := map[string]bool{}
	var out []string
	for _, f := range files {
		if !seen[f] {
			seen[f] = true
			out = append(out, f)
		}
	}
	for _, d := range ds {
		archive, _, _ := redcap.ZIPMember(d.File)
		if d.File != "" && !seen[d.File] && !seen[archive] {
			seen[d.File] = true
			out = append(out, d.File)
		}
	}
	return out
}
