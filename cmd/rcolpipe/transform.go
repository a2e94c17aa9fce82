package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/rcolpipe/rcolpipe/pipeline"
	"github.com/rcolpipe/rcolpipe/pipeline/report"
	"github.com/rcolpipe/rcolpipe/plugins"
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
means csv. -o - (the default) is stdout. Findings go to stderr as a text report;
a stage's own findings are marked with its name.

` + loadInputsHelp + `

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
			&cli.GenericFlag{Name: "stage", Value: stages, Usage: "add a stage after the file's: `'NAME[:JSON]'` (repeatable)"},
			&cli.StringFlag{Name: "output", Aliases: []string{"o"}, Value: "-", Usage: "output `FILE`, or - for stdout"},
			&cli.StringFlag{Name: "to", Aliases: []string{"t"}, Usage: "output format: json (default), csv or redcap-csv"},
			&cli.BoolFlag{Name: "strict", Usage: "fail (exit 1, nothing written) on warnings too"},
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
	if plugins.IsPath(name) {
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

	// The pipeline file, if any.
	cfg := &pipeline.Config{Version: 1}
	if path := c.String("config"); path != "" {
		loaded, err := pipeline.LoadConfig(path)
		if err != nil {
			var ce *pipeline.ConfigError
			if errors.As(err, &ce) {
				fmt.Fprintln(e.stderr, ce.Error())
				return usageError("transform: %s is not a valid pipeline file (%d problem(s); docs/pipeline.md describes it)", path, len(ce.Problems))
			}
			return usageError("transform: %v", err)
		}
		cfg = loaded
	}
	stages := append([]pipeline.StageConfig(nil), cfg.Stages...)
	for _, v := range stageValues {
		st, err := parseStageFlag(v)
		if err != nil {
			return usageError("transform: %v", err)
		}
		stages = append(stages, st)
	}
	uniqueStageNames(stages, len(cfg.Stages))

	inputs := c.Args().Slice()
	if len(inputs) == 0 {
		inputs = cfg.Inputs
	}
	if len(inputs) == 0 {
		return usageError("transform: no INPUT given, and no pipeline file with inputs (-c FILE)")
	}
	for _, p := range inputs {
		if _, err := os.Stat(p); errors.Is(err, fs.ErrNotExist) {
			return usageError("transform: %s: no such file or folder", p)
		}
	}
	if out != "-" {
		if in := inputNamed(out, inputs); in != "" {
			return usageError("transform: refusing to overwrite %s, which is one of the inputs", in)
		}
	}

	// The validator of the run, from the file's validate section.
	vc := cfg.Validate
	var assume *redcap.Dictionary
	var loadDiags redcap.Diagnostics
	if len(vc.AssumeFields) > 0 {
		d, ds, err := redcap.Load(vc.AssumeFields...)
		if err != nil {
			return inputError("transform: validate.assume_fields: %v", err)
		}
		assume, loadDiags = d, append(loadDiags, ds...)
	}
	v, err := pipeline.NewValidator(pipeline.ValidateOptions{
		SchemaFiles: vc.Schemas, ValidationTypesFile: vc.ValidationTypes, AssumeFields: assume, Severities: vc.Rules,
	})
	if err != nil {
		return usageError("transform: %v", err)
	}
	if unknown := v.UnknownCodes(); len(unknown) > 0 {
		e.log.Debug().Strs("codes", unknown).Msg("validate.rules names codes that are not validation rules; they apply to plugin findings")
	}
	strict := c.Bool("strict") || vc.Strict

	// Start every plugin before any work: a missing or broken plugin fails
	// first, and nothing is left running when we return.
	ctx, stop := plugins.WithSignals(c.Context)
	defer stop()
	var lock *plugins.Lock
	baseDir := ""
	if c.String("config") != "" {
		baseDir = cfg.Dir()
		lock, err = plugins.ReadLockIfExists(filepath.Join(baseDir, plugins.LockFileName))
		if err != nil {
			return inputError("transform: %v", err)
		}
	}
	opts, err := pluginHostOptions(e, baseDir, lock)
	if err != nil {
		return inputError("transform: %v", err)
	}
	host, runStages, err := pipeline.StartPlugins(ctx, stages, opts)
	if err != nil {
		return inputError("transform: %v", err)
	}
	if host != nil {
		defer host.Close()
	}

	d, ds, err := redcap.Load(inputs...)
	if err != nil {
		return inputError("transform: %v", err)
	}
	loadDiags = pipeline.ApplySeverities(append(loadDiags, ds...), vc.Rules)
	for i := range loadDiags {
		loadDiags[i].Stage = "load"
	}

	var result *redcap.Dictionary
	var runDiags redcap.Diagnostics
	var runErr error
	if loadDiags.HasErrors() {
		runErr = fmt.Errorf("the input has %d error(s) while reading; no stage ran", loadDiags.Count(redcap.SeverityError))
	} else {
		r := &pipeline.Runner{Validator: v, Stages: runStages, Log: e.log, Severities: vc.Rules}
		result, runDiags, runErr = r.Run(ctx, d)
	}

	all := append(loadDiags, runDiags...)
	pipeline.SortDiagnostics(all, d.Files)
	if err := printTransformReport(e, d, all); err != nil {
		return inputError("transform: %v", err)
	}
	if runErr != nil {
		return inputError("transform: %v", runErr)
	}
	if strict && all.Count(redcap.SeverityWarning) > 0 {
		return inputError("transform: %d warning(s) and strict is on; nothing was written", all.Count(redcap.SeverityWarning))
	}

	if out == "-" {
		if err := write(e.stdout, result); err != nil {
			return inputError("transform: %v", err)
		}
		return nil
	}
	if in := inputNamed(out, d.Files); in != "" {
		return usageError("transform: refusing to overwrite %s, which is one of the inputs", in)
	}
	var buf bytes.Buffer
	if err := write(&buf, result); err != nil {
		return inputError("transform: %v", err)
	}
	if err := writeFileAtomic(out, buf.Bytes()); err != nil {
		return inputError("transform: %v", err)
	}
	e.log.Info().Msgf("wrote %d fields in %d forms to %s (%s) after %d stage(s)", result.Len(), len(result.Forms()), out, format, len(stages))
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
