package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/rcolpipe/rcolpipe/pipeline"
	"github.com/rcolpipe/rcolpipe/pipeline/report"
	"github.com/rcolpipe/rcolpipe/plugins/host"
	"github.com/rcolpipe/rcolpipe/redcap"
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
means csv. -o - (the default) is stdout. -o FILE is written as convert writes it:
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
		},
		Action: func(c *cli.Context) error { return runTransform(c, e, stages.values) },
	}
}

// parseStageFlag reads one --stage 'NAME[:JSON]'.
func parseStageFlag(v string) (pipeline.StageConfig, error) {
	name, cfg, hasCfg := strings.Cut(v, ":")
	name = strings.TrimSpace(name)
	if name == "" {
		return pipeline.StageConfig{}, fmt.Errorf("--stage %q: want NAME or NAME:JSON", v)
	}
	st := pipeline.StageConfig{Name: filepath.Base(name), Plugin: name, Config: json.RawMessage("{}")}
	if hasCfg {
		raw := bytes.TrimSpace([]byte(cfg))
		var obj map[string]any
		if err := json.Unmarshal(raw, &obj); err != nil || obj == nil {
			msg := "not a JSON object"
			if err != nil {
				msg = err.Error()
			}
			return pipeline.StageConfig{}, fmt.Errorf("--stage %s: the config after ':' must be a JSON object, e.g. '%s:{\"key\":\"value\"}': %s", name, name, msg)
		}
		st.Config = json.RawMessage(raw)
	}
	if host.IsPath(name) {
		// A path on the command line is relative to the working directory,
		// not to the pipeline file's folder.
		abs, err := filepath.Abs(name)
		if err != nil {
			return pipeline.StageConfig{}, fmt.Errorf("--stage %s: %w", name, err)
		}
		st.Plugin = abs
	}
	return st, nil
}

// uniqueStageNames gives command-line stages names that differ from the
// file's and from each other ("prefix", "prefix-2").
func uniqueStageNames(stages []pipeline.StageConfig, from int) {
	used := map[string]bool{}
	for i := range stages[:from] {
		used[stages[i].Name] = true
	}
	for i := from; i < len(stages); i++ {
		base, name := stages[i].Name, stages[i].Name
		for n := 2; used[name]; n++ {
			name = fmt.Sprintf("%s-%d", base, n)
		}
		used[name] = true
		stages[i].Name = name
	}
}

func runTransform(c *cli.Context, e *env, stageValues []string) error {
	format := c.String("to")
	out := c.String("output")
	if out == "" {
		return usageError("transform: -o is empty; give a file or - for stdout")
	}
	if format == "" {
		format = "json"
		if strings.EqualFold(filepath.Ext(out), ".csv") {
			format = "csv"
		}
	}
	write, ok := convertWriter(format)
	if !ok {
		return usageError("transform: --to %q: want json, csv or redcap-csv", format)
	}
	spec, err := loadPipelineSpec("transform", c.String("config"), stageValues, c.Args().Slice(), c.Bool("strict"))
	if err != nil {
		return err
	}
	if err := checkOutput("transform", out); err != nil {
		return err
	}
	spec.allowProjectPlugins = c.Bool(flagAllowProjectPlugins)
	if out != "-" {
		if in := inputNamed(out, spec.inputs); in != "" {
			return usageError("transform: refusing to overwrite %s, which is one of the inputs", in)
		}
	}

	ctx, stop := host.WithSignals(c.Context)
	defer stop()
	res, err := executePipeline(ctx, e, "transform", spec)
	if err != nil {
		return err
	}
	result := res.Result
	if err := writeDictionary(e, "transform", out, res.Loaded.Files, write, result); err != nil {
		return err
	}
	if out != "-" {
		e.log.Info().Msgf("wrote %d fields in %d forms to %s (%s) after %d stage(s)", result.Len(), len(result.Forms()), out, format, len(spec.stages))
	}
	return nil
}

// printTransformReport writes the findings as the text report to stderr
// (stdout may carry the dictionary). Findings of a transform stage say
// which stage reported them.
func printTransformReport(e *env, d *redcap.Dictionary, all redcap.Diagnostics) error {
	if len(all) == 0 {
		return nil
	}
	shown := make(redcap.Diagnostics, len(all))
	for i, x := range all {
		if x.Stage != "" && x.Stage != pipeline.StageValidate && x.Stage != "load" {
			x.Message = "[" + x.Stage + "] " + x.Message
		}
		shown[i] = x
	}
	out, err := report.New("text", report.Options{Color: false, ToolVersion: version})
	if err != nil {
		return err
	}
	return out.Output(e.stderr, report.Result{Diagnostics: shown, Files: reportFiles(d.Files, shown), Fields: d.Len()})
}
