package main

import (
	"context"
	"errors"

	"github.com/urfave/cli/v2"

	"github.com/rcolpipe/rcolpipe/output"
	"github.com/rcolpipe/rcolpipe/pipeline"
	"github.com/rcolpipe/rcolpipe/plugins/host"
	"github.com/rcolpipe/rcolpipe/redcap"
	"github.com/rcolpipe/rcolpipe/redcap/api"
	"github.com/rcolpipe/rcolpipe/upload"
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
		excludeFlag(),
		&cli.BoolFlag{Name: "allow-delete", Usage: "let the upload delete fields that are in the project but not in the upload"},
		&cli.BoolFlag{Name: "allow-critical", Usage: "let the upload make critical changes other than deletions (renames, type or validation changes, removed or recoded choice codes); migrate the data first"},
		&cli.StringFlag{Name: flagDraftFile, Usage: "write the whole merged dictionary to `FILE.csv` in REDCap's Data Dictionary format, for Draft Mode (projects in Production), and import nothing"},
	}
	if !withWrites {
		fs = append(fs, &cli.StringFlag{Name: flagPlanOut, Usage: "write what the upload would send, tied to the project as it is now, to `FILE` (apply it with upload --plan)"})
	}
	if withWrites {
		fs = append(fs,
			&cli.StringFlag{Name: flagPlan, Usage: "send exactly what `FILE` (from diff --plan-out) says, if the project has not changed since; takes no INPUT"},
			&cli.StringFlag{Name: "backup-dir", Usage: "folder for the backup of the project's dictionary (default: ./rcolpipe-backups, or target.backup_dir)"},
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
   → refuse deletions unless --allow-delete, other critical changes unless
   --allow-critical → back up → confirm → import → export again and verify

REDCap's metadata import replaces the WHOLE dictionary. rcolpipe therefore merges:
the forms you upload replace the same forms in the project, new forms are appended,
every other form stays as it is, and the project's record-ID field stays first.
--replace-all sends exactly the input instead (with --allow-delete if that removes
fields). An empty dictionary is never sent.

Critical changes are those REDCap's Draft Mode marks critical, because in a project
with records they lose data or change what stored values mean: a deleted field or
form (needs --allow-delete), and, needing --allow-critical: a rename (same form, type,
label and choices, new name: REDCap deletes the old field with its data), a type
change (except radio <-> dropdown), a validation added to or changed on a text
field, a removed
choice code, and a choice code that now carries another code's old label (codes
swapped). Without the flag the upload stops with exit 1 before anything is sent and
lists each change. Label edits, new choices and reordered choices are not critical.

Once the upload passed these checks, the project's dictionary is saved as
rcolpipe-backups/project-ID-TIME.json (--backup-dir); when it cannot be written,
the upload stops and nothing is sent. To restore it:
   rcolpipe upload --replace-all --allow-delete rcolpipe-backups/project-12-20261128T101500Z.json

When the token may export records, each critical change says how many records
hold data it affects (values of a removed or recoded code, values of a field whose
type changes, data in a deleted or renamed field); when the records cannot be read
the report says so.

On a terminal, upload shows the diff, critical changes last, and asks before
importing; the question goes to the terminal (or stderr), never to stdout, so
"> log.txt" does not hide it. Ctrl-C at the question cancels: exit 1, nothing sent.
Without a terminal it stops unless --yes is given. --dry-run stops after the diff
and writes nothing.

Plans: rcolpipe diff --plan-out plan.json writes what the upload would send and a
fingerprint of the project as it was; upload --plan plan.json (no INPUT) sends
exactly that, and refuses with exit 1 if the project's dictionary changed since.
With structure files the plan carries the structure changes too, and refuses once
the project's arms, events, designations or repeating settings changed.

Projects in Production take no dictionary through the API: upload stops there and
advises --draft-file FILE.csv, which writes the WHOLE merged dictionary in REDCap's
Data Dictionary format and imports nothing. Upload that file in Draft Mode on the
project's Data Dictionary page; never a file with only your instruments, which
would replace the whole dictionary.

The token comes from RC_API_KEY (the environment, then .env next to the -c pipeline
file, then ./.env), then --token-file; it is never printed or logged. INPUTs replace
the inputs of the pipeline file (-c); - reads one from standard input, and then
the confirmation cannot be read from it: give --yes.

Examples:
   rcolpipe upload --url https://redcap.example.org/redcap/api/ --dry-run phq9.csv
   rcolpipe upload -c rcolpipe.yaml --yes
   rcolpipe upload -c rcolpipe.yaml --exclude 'drafts' --dry-run instruments/
   rcolpipe upload -c rcolpipe.yaml --stage 'prefix:{"prefix":"sl_","forms":["sleep"]}' sleep.json
   rcolpipe upload --url https://redcap.example.org/redcap/api/ --plan plan.json --yes
   rcolpipe upload --url https://redcap.example.org/redcap/api/ --draft-file draft.csv phq9.csv

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
		Name:        "diff",
		Usage:       diffUsage,
		ArgsUsage:   "OLD NEW | --base REV INPUT... | --url URL [INPUT...]",
		Description: diffHelp,
		Flags:       diffFlags(stages),
		Action: func(c *cli.Context) error {
			return runDiff(c, e, stages.values)
		},
	}
}

// runUpload is upload and diff (dryRun forces --dry-run).
func runUpload(c *cli.Context, e *env, cmd string, stageValues, args []string, dryRun bool) error {
	format := c.String("format")
	if err := output.CheckFormat(format); err != nil {
		return usageError("%s: %v", cmd, err)
	}
	spec := pipeline.Spec{Config: &pipeline.Config{}}
	if c.String(flagPlan) == "" {
		var err error
		if spec, err = newSpec(cmd, withInputOptions(c, e, pipeline.Request{ConfigPath: c.String("config"), StageValues: stageValues, Inputs: args, Strict: c.Bool("strict")})); err != nil {
			return err
		}
	} else if tc, err := loadTargetConfig(c); err != nil {
		return err
	} else if tc != nil {
		// A plan replaces the pipeline's inputs and stages; the file
		// still names the target.
		spec.Config.Target = *tc
	}
	settings := targetSettingsFrom(c, &spec.Config.Target, c.String("config"))
	opts := uploadOptions(c, e, spec.Config.Target, dryRun)
	ctx, stop := host.WithSignals(c.Context)
	defer stop()
	files, err := planAndDraftFlags(c, cmd, args, &opts)
	if err != nil {
		return err
	}
	client, err := openTarget(e, settings)
	if err != nil {
		return err
	}
	var d *redcap.Dictionary
	var findings redcap.Diagnostics
	if opts.Plan != nil {
		d = opts.Plan.Dict()
	} else {
		res, err := runStages(ctx, e, cmd, spec, c.Bool(flagAllowProjectPlugins))
		if err != nil {
			return jsonStagesFailed(e, format, res, err)
		}
		d, findings = res.Dictionary, res.Diagnostics
		opts.Structure, opts.Designate = res.Structure, spec.Config.Structure.Designate
	}
	return uploadAndReport(ctx, e, cmd, client, d, findings, opts, format, files)
}

// uploadOptions reads the upload flags over the pipeline file's target.
func uploadOptions(c *cli.Context, e *env, tc pipeline.TargetConfig, dryRun bool) upload.Options {
	opts := upload.Options{
		BackupDir:     tc.BackupDir,
		ReplaceAll:    c.Bool("replace-all") || tc.ReplaceAll,
		AllowDelete:   c.Bool("allow-delete") || tc.AllowDelete,
		AllowCritical: c.Bool("allow-critical") || tc.AllowCritical,
		DryRun:        dryRun || c.Bool("dry-run"),
		Username:      c.String(flagUsername),
		Log:           e.log,
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

// jsonStagesFailed writes, for --format json, the report of a run that
// stopped before the upload (the input's findings and the error), so that
// stdout is one JSON object either way; it returns err.
func jsonStagesFailed(e *env, format string, res *pipeline.Result, err error) error {
	if format != output.FormatJSON || res == nil {
		return err
	}
	if werr := output.WriteUploadReport(e.stdout, nil, err, format, res.Diagnostics); werr != nil {
		return inputError("%v", werr)
	}
	return err
}

// uploadAndReport uploads d and writes what happened, with the input's
// findings in the json report.
func uploadAndReport(ctx context.Context, e *env, cmd string, client *api.Client, d *redcap.Dictionary, findings redcap.Diagnostics, opts upload.Options, format string, files outFiles) error {
	rep, err := upload.Upload(ctx, client, d, opts)
	if err == nil {
		err = rep.WriteFiles(client.URL(), files.plan, files.draft)
	}
	if werr := output.WriteUploadReport(e.stdout, rep, err, format, findings); werr != nil {
		return inputError("%s: %v", cmd, werr)
	}
	if err != nil {
		if errors.Is(err, upload.ErrDeclined) || errors.Is(err, output.ErrInterrupted) {
			return inputError("%s: %v", cmd, err)
		}
		if adv := api.Advice(err); adv != "" {
			return inputError("%s: %v\nwhat to do: %s", cmd, err, adv)
		}
		return inputError("%s: %v", cmd, err)
	}
	return nil
}
