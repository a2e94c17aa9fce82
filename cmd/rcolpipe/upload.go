package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/rcolpipe/rcolpipe/pipeline"
	"github.com/rcolpipe/rcolpipe/plugins/host"
	"github.com/rcolpipe/rcolpipe/redcap"
	"github.com/rcolpipe/rcolpipe/redcap/api"
)

// uploadFlags are the flags of upload (diff takes the first few).
func uploadFlags(stages *stageFlags, withWrites bool) []cli.Flag {
	fs := []cli.Flag{
		configFlag(),
		&cli.GenericFlag{Name: "stage", Value: stages, Usage: "add a transform stage after the file's: `'NAME[:JSON]'` (repeatable)"},
		&cli.BoolFlag{Name: "replace-all", Usage: "send exactly the input instead of merging it into the project's dictionary"},
		&cli.StringFlag{Name: "format", Value: "text", Usage: "report format: text or json"},
		&cli.BoolFlag{Name: "strict", Usage: "stop on validation warnings too"},
		allowProjectPluginsFlag(),
	}
	if withWrites {
		fs = append(fs,
			&cli.StringFlag{Name: "backup-dir", Usage: "folder for the backup of the project's dictionary (default: ./rcolpipe-backups, or target.backup_dir)"},
			&cli.BoolFlag{Name: "allow-delete", Usage: "let the upload delete fields that are in the project but not in the upload"},
			&cli.BoolFlag{Name: "dry-run", Usage: "stop before the import: show the diff, change nothing"},
			&cli.BoolFlag{Name: "yes", Aliases: []string{"y"}, Usage: "do not ask for confirmation (needed when there is no terminal)"},
		)
	}
	return append(fs, targetFlags()...)
}

func uploadCommand(e *env) *cli.Command {
	stages := &stageFlags{}
	return &cli.Command{
		Name:      "upload",
		Usage:     "validate, transform and upload dictionaries to a REDCap project, keeping what is there",
		ArgsUsage: "[INPUT...]",
		Description: `upload runs the whole pipeline and puts the result into a REDCap project:

   load → validate → stages → validate → preflight (token, rights, project status)
   → export the project's dictionary to a backup file → merge → diff
   → refuse deletions unless --allow-delete → confirm → import → export again and verify

REDCap's metadata import replaces the WHOLE dictionary. rcolpipe therefore merges:
the forms you upload replace the same forms in the project, new forms are appended,
every other form stays as it is, and the project's record-ID field stays first.
--replace-all sends exactly the input instead (with --allow-delete if that removes
fields). An empty dictionary is never sent.

Before anything changes, the project's dictionary is saved as
rcolpipe-backups/project-ID-TIME.json (--backup-dir); when it cannot be written,
the upload stops and nothing is sent. To restore it:
   rcolpipe upload --replace-all --allow-delete rcolpipe-backups/project-12-20261128T101500Z.json

On a terminal, upload shows the diff and asks before importing; without a terminal
it stops unless --yes is given. --dry-run stops after the diff and writes nothing.

The token comes from RC_API_KEY (environment, then ./.env), then --token-file; it is
never printed or logged. INPUTs replace the inputs of the pipeline file (-c).

Examples:
   rcolpipe upload --url https://redcap.example.org/redcap/api/ --dry-run phq9.csv
   rcolpipe upload -c rcolpipe.yaml --yes
   rcolpipe upload -c rcolpipe.yaml --stage 'prefix:{"prefix":"sl_","forms":["sleep"]}' sleep.json

` + exitCodesHelp,
		Flags: uploadFlags(stages, true),
		Action: func(c *cli.Context) error {
			return runUpload(c, e, "upload", stages.values, c.Args().Slice(), false)
		},
	}
}

func diffCommand(e *env) *cli.Command {
	stages := &stageFlags{}
	return &cli.Command{
		Name:      "diff",
		Usage:     "show what an upload would change in a REDCap project, without changing it",
		ArgsUsage: "[INPUT...]",
		Description: `diff runs the same steps as upload up to the diff (load, validate, stages,
preflight, export, merge) and prints the forms and fields that would be added,
removed or changed, column by column. It writes nothing and imports nothing.

Examples:
   rcolpipe diff --url https://redcap.example.org/redcap/api/ sleep.json
   rcolpipe diff -c rcolpipe.yaml --format json

` + exitCodesHelp,
		Flags: uploadFlags(stages, false),
		Action: func(c *cli.Context) error {
			return runUpload(c, e, "diff", stages.values, c.Args().Slice(), true)
		},
	}
}

// runUpload is upload and diff (dryRun forces --dry-run).
func runUpload(c *cli.Context, e *env, cmd string, stageValues, args []string, dryRun bool) error {
	format := c.String("format")
	if format != "text" && format != "json" {
		return usageError("%s: --format %q: want text or json", cmd, format)
	}
	spec, err := loadPipelineSpec(cmd, c.String("config"), stageValues, args, c.Bool("strict"))
	if err != nil {
		return err
	}
	spec.allowProjectPlugins = c.Bool(flagAllowProjectPlugins)
	settings := targetSettingsFrom(c, &spec.cfg.Target)
	opts := uploadOptions(c, e, spec.cfg.Target, dryRun)
	ctx, stop := host.WithSignals(c.Context)
	defer stop()
	t, err := openTarget(e, settings)
	if err != nil {
		return err
	}
	res, err := executePipeline(ctx, e, cmd, spec)
	if err != nil {
		return err
	}
	return uploadAndReport(ctx, e, cmd, t.Client, res, opts, format)
}

// uploadOptions reads the upload flags over the pipeline file's target.
func uploadOptions(c *cli.Context, e *env, tc pipeline.TargetConfig, dryRun bool) pipeline.UploadOptions {
	opts := pipeline.UploadOptions{
		BackupDir:   tc.BackupDir,
		ReplaceAll:  c.Bool("replace-all") || tc.ReplaceAll,
		AllowDelete: c.Bool("allow-delete") || tc.AllowDelete,
		DryRun:      dryRun || c.Bool("dry-run"),
		Username:    c.String(flagUsername),
		Log:         e.log,
	}
	if opts.Username == "" {
		opts.Username = tc.Username
	}
	if d := c.String("backup-dir"); d != "" {
		opts.BackupDir = d
	}
	if !c.Bool("yes") {
		opts.Confirm = confirmer(e)
	}
	return opts
}

// confirmer asks on the terminal; without one it refuses, because nobody
// has seen the diff.
func confirmer(e *env) func(redcap.Diff) (bool, error) {
	return func(d redcap.Diff) (bool, error) {
		if !e.stdinIsTerminal {
			return false, errors.New("no terminal to confirm the upload on: read the diff (on stdout), then run again with --yes (or --dry-run to only look)")
		}
		if err := d.WriteText(e.stdout); err != nil {
			return false, err
		}
		fmt.Fprint(e.stdout, "Import this into the REDCap project? [y/N] ")
		e.flush() // the redactor may hold back a tail; the user must see the question
		line, err := bufio.NewReader(e.stdin).ReadString('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return false, fmt.Errorf("read the answer: %w", err)
		}
		answer := strings.ToLower(strings.TrimSpace(line))
		return answer == "y" || answer == "yes", nil
	}
}

// uploadAndReport uploads res.Result and prints what happened.
func uploadAndReport(ctx context.Context, e *env, cmd string, client *api.Client, res *pipelineResult, opts pipeline.UploadOptions, format string) error {
	rep, err := pipeline.Upload(ctx, client, res.Result, opts)
	if format == "json" {
		if jerr := writeUploadJSON(e.stdout, rep, err); jerr != nil {
			return inputError("%s: %v", cmd, jerr)
		}
	} else if rep != nil {
		if werr := writeUploadText(e.stdout, rep, err); werr != nil {
			return inputError("%s: %v", cmd, werr)
		}
	}
	if err != nil {
		var de *api.DictionaryErrors
		if errors.As(err, &de) && format == "text" {
			fmt.Fprintf(e.stdout, "REDCap refused the dictionary (%d problem(s)):\n", len(de.Problems))
			for _, p := range de.Problems {
				fmt.Fprintf(e.stdout, "  - %s\n", p)
			}
		}
		if errors.Is(err, pipeline.ErrDeclined) {
			return inputError("%s: %v", cmd, err)
		}
		if adv := api.Advice(err); adv != "" {
			return inputError("%s: %v\nwhat to do: %s", cmd, err, adv)
		}
		return inputError("%s: %v", cmd, err)
	}
	return nil
}

func writeUploadJSON(w io.Writer, rep *pipeline.UploadReport, err error) error {
	out := struct {
		*pipeline.UploadReport
		Error string `json:"error,omitempty"`
	}{UploadReport: rep}
	if rep == nil {
		out.UploadReport = &pipeline.UploadReport{}
	}
	if err != nil {
		out.Error = err.Error()
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

// writeUploadText prints the upload step by step.
func writeUploadText(w io.Writer, rep *pipeline.UploadReport, uploadErr error) error {
	var b strings.Builder
	line := func(step, format string, args ...any) {
		fmt.Fprintf(&b, "%-9s %s\n", step, fmt.Sprintf(format, args...))
	}
	if len(rep.Preflight.Items) > 0 {
		if err := writeCheckReport(&b, checkReport{OK: rep.Preflight.OK(), URL: rep.Preflight.URL, Checks: rep.Preflight.Items}, "text"); err != nil {
			return err
		}
		b.WriteString("\n")
		if !rep.Preflight.OK() {
			_, err := io.WriteString(w, b.String())
			return err
		}
	}
	if rep.BackupPath != "" {
		line("backup", "%s (the project's dictionary before the upload; restore: rcolpipe upload --replace-all --allow-delete %s)", rep.BackupPath, rep.BackupPath)
	}
	if rep.Sent != nil {
		line("merge", "forms replaced: %s; added: %s; kept: %s", list(rep.Replaced), list(rep.Added), list(rep.Kept))
	}
	for _, n := range rep.Notes {
		line("", "%s", n.String())
	}
	if rep.Sent != nil {
		b.WriteString("diff\n")
		var db strings.Builder
		if err := rep.Diff.WriteText(&db); err != nil {
			return err
		}
		for _, l := range strings.Split(strings.TrimRight(db.String(), "\n"), "\n") {
			b.WriteString("  " + l + "\n")
		}
	}
	for _, wn := range rep.Warnings {
		line("note", "%s", wn)
	}
	switch {
	case uploadErr != nil:
	case rep.DryRun:
		line("dry-run", "stopped before the import; nothing was changed")
	case rep.Imported > 0:
		line("import", "REDCap imported %d fields", rep.Imported)
		line("verify", "ok: the project's dictionary now matches what was sent")
	case rep.Verified:
		line("import", "nothing to do: the project already holds this dictionary")
	}
	if len(rep.Steps) > 0 {
		var parts []string
		for _, s := range rep.Steps {
			parts = append(parts, fmt.Sprintf("%s %s", s.Step, s.Took.Round(100_000)))
		}
		line("timing", "%s", strings.Join(parts, ", "))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func list(xs []string) string {
	if len(xs) == 0 {
		return "-"
	}
	return strings.Join(xs, ", ")
}
