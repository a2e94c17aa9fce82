package main

import (
	"github.com/urfave/cli/v2"

	"github.com/rcolpipe/rcolpipe/output"
	"github.com/rcolpipe/rcolpipe/pipeline"
	"github.com/rcolpipe/rcolpipe/plugins/host"
	"github.com/rcolpipe/rcolpipe/redcap/api"
	"github.com/rcolpipe/rcolpipe/redcap/sandbox"
)

func runCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:      "run",
		Usage:     "run the whole pipeline of a pipeline file: validate, transform, check, back up, upload, verify",
		ArgsUsage: "PIPELINE_FILE",
		Description: `run does everything the pipeline file (rcolpipe.yaml, see docs/pipeline.md) says:
it loads its inputs, validates them, runs its transform stages, validates again,
checks the token's rights and the project's status, backs up the project's
dictionary, merges, shows the diff, imports, and exports again to verify.

When target.url is "sandbox", rcolpipe starts its own REDCap-compatible server on
a free loopback port for the run, with a demo project, and uploads there: the
example runs on a fresh clone with nothing else running.

   go run ./cmd/rcolpipe run examples/rcolpipe.yaml

For a real project, set target.url to your REDCap API URL (ending in /api/) and
put the token in .env as RC_API_KEY=... next to the pipeline file (or in the
working directory; the pipeline file's .env wins, the environment's RC_API_KEY
wins over both); run asks before importing unless --yes.

Examples:
   rcolpipe run examples/rcolpipe.yaml
   rcolpipe run --dry-run rcolpipe.yaml
   rcolpipe run --yes --backup-dir backups/ rcolpipe.yaml

` + exitCodesHelp,
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "backup-dir", Usage: "folder for the backup of the project's dictionary (default: ./rcolpipe-backups, or target.backup_dir)"},
			&cli.BoolFlag{Name: "replace-all", Usage: "send exactly the pipeline's result instead of merging it into the project's dictionary"},
			&cli.BoolFlag{Name: "allow-delete", Usage: "let the upload delete fields that are in the project but not in the upload"},
			&cli.BoolFlag{Name: "allow-critical", Usage: "let the upload make critical changes other than deletions (renames, type or validation changes, removed or recoded choice codes); migrate the data first"},
			&cli.BoolFlag{Name: "dry-run", Usage: "stop before the import: show the diff, change nothing"},
			&cli.BoolFlag{Name: "yes", Aliases: []string{"y"}, Usage: "do not ask for confirmation (needed when there is no terminal)"},
			&cli.StringFlag{Name: "format", Value: "text", Usage: "report format: text or json"},
			&cli.BoolFlag{Name: "strict", Usage: "stop on validation warnings too"},
			allowProjectPluginsFlag(),
			&cli.StringFlag{Name: flagTokenFile, Usage: "file holding the API token, when RC_API_KEY is neither in the environment nor in a .env (next to the pipeline file, or ./.env)"},
			&cli.StringFlag{Name: flagUsername, EnvVars: []string{"RC_USERNAME"}, Usage: "your REDCap user name, for the user-rights check"},
			&cli.BoolFlag{Name: flagDebugHTTP, Usage: "log every API request and response at debug level (the token is redacted)"},
			&cli.DurationFlag{Name: flagTimeout, Value: api.DefaultTimeout, Usage: "time limit of each API request"},
		},
		Action: func(c *cli.Context) error {
			if c.NArg() != 1 {
				return usageError("run: want exactly one pipeline file, e.g. rcolpipe run examples/rcolpipe.yaml")
			}
			format := c.String("format")
			if err := output.CheckFormat(format); err != nil {
				return usageError("run: %v", err)
			}
			spec, err := newSpec("run", pipeline.Request{ConfigPath: c.Args().First(), Strict: c.Bool("strict")})
			if err != nil {
				return err
			}
			if spec.Config.Target.URL == "" {
				return usageError("run: %s has no target.url: set it to your REDCap API URL, or to sandbox to try the pipeline locally", c.Args().First())
			}
			ctx, stop := host.WithSignals(c.Context)
			defer stop()
			opts := uploadOptions(c, e, spec.Config.Target, false)

			var client *api.Client
			if spec.Config.Target.URL == "sandbox" {
				cl, stopSandbox, err := sandbox.StartDemoClient(ctx, e.log)
				if err != nil {
					return inputError("run: %v", err)
				}
				defer stopSandbox()
				client = cl
				opts.Confirm = nil // a throwaway project: nothing to lose
			} else {
				cl, err := openTarget(e, targetSettingsFrom(c, &spec.Config.Target, c.Args().First()))
				if err != nil {
					return err
				}
				client = cl
			}
			res, err := runStages(ctx, e, "run", spec, c.Bool(flagAllowProjectPlugins))
			if err != nil {
				return jsonStagesFailed(e, format, res, err)
			}
			if format == output.FormatText {
				if err := output.WriteRunHeader(e.stdout, res, len(spec.Stages), client.URL()); err != nil {
					return inputError("run: %v", err)
				}
			}
			return uploadAndReport(ctx, e, "run", client, res.Dictionary, res.Diagnostics, opts, format, outFiles{})
		},
	}
}
