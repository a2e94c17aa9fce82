package main

import (
	"io"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/rcolpipe/rcolpipe/dictfmt"
	"github.com/rcolpipe/rcolpipe/output"
	"github.com/rcolpipe/rcolpipe/pipeline"
	"github.com/rcolpipe/rcolpipe/plugins/host"
)

// stageFlags collects repeated --stage values. It is a cli.Generic, not a
// StringSlice, because urfave/cli splits slice values at commas and a
// stage's JSON config is full of them. The flag has no alias: urfave/cli
// copies a value to a flag's aliases by calling Set again, which would
// add every stage twice.
type stageFlags struct{ values []string }

func (s *stageFlags) Set(v string) error { s.values = append(s.values, v); return nil }
func (s *stageFlags) String() string     { return strings.Join(s.values, " ") }

func transformCommand(e *env) *cli.Command {
	stages := &stageFlags{}
	return &cli.Command{
		Name:      "transform",
		Usage:     "run dictionaries through the pipeline's transform plugins and write the result",
		ArgsUsage: "[INPUT...]",
		Description: `transform loads the INPUTs (or the pipeline file's inputs), validates them, runs
each stage of the pipeline file and then each --stage in order, validates again
after every stage, and writes the resulting dictionary. A stage that breaks, reports
an error, or returns a dictionary with new validation errors stops the run with one
message naming the stage; nothing is written then.

-c FILE reads a pipeline file (see docs/pipeline.md): inputs, validate options,
stages. INPUTs on the command line replace the file's inputs.

--stage 'NAME[:JSON]' adds a stage after the file's: NAME is a bundled plugin
(` + "`rcolpipe plugins list`" + `), a plugin on the search path, or a path to a plugin
executable; JSON is its config, an object. Quote it for the shell. Repeatable.

The result is JSON (API keys, columns A..R) unless --to says csv (API keys) or
redcap-csv (the Data Dictionary page's headers, with BOM); a -o ending in .csv
means csv, and without --to it keeps the shape of the inputs when they are all CSV
of one shape (delimiter, byte-order mark, header style, line ends). -o - (the default) is stdout. -o FILE is written as convert writes it:
through a temporary file next to it, renamed when complete; a symbolic link is
written through to its file, a device or FIFO such as /dev/null as it is, and a
folder is refused. Findings go to stderr as a text report;
a stage's own findings are marked with its name, and problems found while reading
the inputs are in the same report.

` + inputsHelp + `

Examples:
   rcolpipe transform --stage 'prefix:{"prefix":"sf_","forms":["sf12"]}' sf12.json
   rcolpipe transform --stage 'prefix:{"rename":{"dob":"birth_date"}}' -o out.csv instruments/
   rcolpipe transform -c rcolpipe.yaml -o build/dictionary.json
   rcolpipe transform --stage 'prefix:{"rename":{"dob":"birth_date"}}' -o out.csv excel.csv
   cat phq9.json | rcolpipe transform --stage prefix:'{"prefix":"p_"}' -
   rcolpipe transform -c rcolpipe.yaml --stage 'conventions:{"identifiers":{},"fix":true}' --to redcap-csv -o upload.csv

Exit codes: 0 the dictionary was written (warnings allowed unless --strict or the
file's validate.strict); 1 the input has errors or a stage failed; 2 a wrong command
line or pipeline file (unknown flag, bad --stage, invalid rcolpipe.yaml).`,
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "config", Aliases: []string{"c"}, Usage: "pipeline `FILE` (rcolpipe.yaml)"},
			&cli.GenericFlag{Name: "stage", Value: stages, Usage: "add a stage `'NAME[:JSON]'` after the file's (repeatable)"},
			&cli.StringFlag{Name: "output", Aliases: []string{"o"}, Value: "-", Usage: "output `FILE`, or - for stdout"},
			&cli.StringFlag{Name: "to", Aliases: []string{"t"}, Usage: "output format: json (default), csv or redcap-csv"},
			&cli.BoolFlag{Name: "strict", Usage: "fail (exit 1, nothing written) on warnings too"},
			allowProjectPluginsFlag(),
			excludeFlag(),
		},
		Action: func(c *cli.Context) error { return runTransform(c, e, stages.values) },
	}
}

func runTransform(c *cli.Context, e *env, stageValues []string) error {
	out, err := output.NewDictionaryOutput(c.String("output"), c.String("to"), "json", "json")
	if err != nil {
		return usageError("transform: %v", err)
	}
	req := withInputOptions(c, e, pipeline.Request{ConfigPath: c.String("config"), StageValues: stageValues, Inputs: c.Args().Slice(), Strict: c.Bool("strict")})
	// The start of standard input tells the CSV shape to keep (below).
	stdinHead := &dictfmt.HeadBuffer{Max: 64 << 10}
	if req.Stdin != nil {
		req.Stdin = io.TeeReader(req.Stdin, stdinHead)
	}
	spec, err := newSpec("transform", req)
	if err != nil {
		return err
	}
	if err := out.Overwrites(spec.Inputs); err != nil {
		return usageError("transform: %v", err)
	}

	ctx, stop := host.WithSignals(c.Context)
	defer stop()
	res, err := runStages(ctx, e, "transform", spec, c.Bool(flagAllowProjectPlugins))
	if err != nil {
		return err
	}
	result := res.Dictionary
	if err := out.Overwrites(res.Loaded.Files); err != nil {
		return usageError("transform: %v", err)
	}
	if err := out.WriteLikeInputs(e.stdout, result, res.Loaded.Files, stdinHead.Bytes()); err != nil {
		return inputError("transform: %v", err)
	}
	if out.Path != "-" {
		e.log.Info().Msgf("wrote %d fields in %d forms to %s (%s) after %d stage(s)", result.Len(), len(result.Forms()), out.Path, out.Format, len(spec.Stages))
	}
	return nil
}
