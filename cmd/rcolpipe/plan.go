package main

// The files diff and upload write besides their report: the plan
// (diff --plan-out, applied by upload --plan) and the draft dictionary
// for projects in Production (--draft-file).

import (
	"github.com/urfave/cli/v2"

	"github.com/rcolpipe/rcolpipe/upload"
)

// Flag names of plans and drafts.
const (
	flagPlanOut   = "plan-out"
	flagPlan      = "plan"
	flagDraftFile = "draft-file"
)

// outFiles are the files to write once the upload (a dry run) succeeded.
type outFiles struct {
	plan, draft string
}

// planAndDraftFlags reads --plan, --plan-out and --draft-file into opts:
// a plan replaces the inputs (none may be given) and is sent as it is;
// a draft file makes the run a dry run that a project in Production
// passes.
func planAndDraftFlags(c *cli.Context, cmd string, args []string, opts *upload.Options) (outFiles, error) {
	files := outFiles{plan: c.String(flagPlanOut), draft: c.String(flagDraftFile)}
	if path := c.String(flagPlan); path != "" {
		if len(args) > 0 {
			return files, usageError("%s: --plan sends the plan's dictionary; give no INPUT (got %s)", cmd, args[0])
		}
		if files.draft != "" {
			return files, usageError("%s: --plan and --draft-file do not go together: a plan is for a project in Development", cmd)
		}
		p, err := upload.ReadPlan(path)
		if err != nil {
			return files, inputError("%s: %v", cmd, err)
		}
		opts.Plan, opts.ReplaceAll = p, true
	}
	if files.draft != "" {
		opts.DraftOnly, opts.DryRun, opts.Confirm = true, true, nil
	}
	return files, nil
}
