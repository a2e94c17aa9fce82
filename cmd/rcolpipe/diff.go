package main

import (
	_ "embed"

	"github.com/urfave/cli/v2"

	"github.com/rcolpipe/rcolpipe/dictdiff"
	"github.com/rcolpipe/rcolpipe/output"
	"github.com/rcolpipe/rcolpipe/plugins/host"
)

const flagBase = "base"

const diffUsage = "compare two dictionaries offline, inputs with a git revision, or inputs with a REDCap project"

// diffHelpText is diff's --help prose (a text file: it is prose, not code).
//
//go:embed diff_help.txt
var diffHelpText string

var diffHelp = diffHelpText + "\n" + inputsHelp + "\n\n" + exitCodesHelp

// diffFlags are upload's first flags (for a diff against a project) and
// --base; --format names the offline formats too.
func diffFlags(stages *stageFlags) []cli.Flag {
	fs := uploadFlags(stages, false)
	for i, f := range fs {
		if sf, ok := f.(*cli.StringFlag); ok && sf.Name == "format" {
			fs[i] = &cli.StringFlag{Name: "format", Value: output.FormatText,
				Usage: "report format: text or json; offline (OLD NEW, --base) also markdown or html"}
		}
	}
	return append(fs, &cli.StringFlag{Name: flagBase, Usage: "compare the INPUTs with their content at this git `REV`ision (commit, branch, tag)"})
}

// runDiff picks the form of diff from the command line (see diffHelp).
func runDiff(c *cli.Context, e *env, stageValues []string) error {
	args := c.Args().Slice()
	base := c.String(flagBase)
	project := c.String("config") != "" || urlOnCommandLine(c, e)
	switch {
	case base != "" && project:
		return usageError("diff: --base compares with a git revision, --url and -c with a REDCap project; give one of them")
	case base != "" && len(args) == 0:
		return usageError("diff --base %s: name the INPUTs to compare (e.g. rcolpipe diff --base %s instruments/)", base, base)
	case base != "":
		if err := dictdiff.CheckRevision(base); err != nil {
			return usageError("diff --base: %v", err)
		}
		return runOfflineDiff(c, e, dictdiff.Request{Base: base, Inputs: args})
	case !project && len(args) == 2:
		if e.getenv("RC_API_URL") != "" {
			e.log.Warn().Msg("diff OLD NEW compares the two inputs offline although RC_API_URL is set; pass --url to compare stacked inputs with the project")
		}
		return runOfflineDiff(c, e, dictdiff.Request{Old: args[0], New: args[1]})
	case !project && c.String(flagURL) == "":
		return usageError("diff: give OLD NEW (two files or folders) to compare offline, --base REV INPUT... to compare with a git revision, or --url (or RC_API_URL, or -c) to compare with a REDCap project")
	}
	if f := c.String("format"); f == output.FormatMarkdown || f == output.FormatHTML {
		return usageError("diff: --format %s is for the offline forms (OLD NEW, --base); a diff against a project writes text or json", f)
	}
	return runUpload(c, e, "diff", stageValues, args, true)
}

// urlOnCommandLine tells --url given on the command line from RC_API_URL
// in the environment (urfave/cli reports both as set): a value that
// differs from the environment's came from the command line.
func urlOnCommandLine(c *cli.Context, e *env) bool {
	u := c.String(flagURL)
	return u != "" && u != e.getenv("RC_API_URL")
}

// runOfflineDiff compares two dictionaries (or inputs with a revision)
// and writes the report.
func runOfflineDiff(c *cli.Context, e *env, req dictdiff.Request) error {
	format := c.String("format")
	if err := output.CheckDiffFormat(format); err != nil {
		return usageError("diff: %v", err)
	}
	for _, name := range []string{"stage", "replace-all", "strict", flagAllowProjectPlugins, flagTokenFile, flagPlanOut, flagDraftFile, "allow-delete", "allow-critical"} {
		if c.IsSet(name) {
			return usageError("diff: --%s applies to a diff against a REDCap project (--url or -c), not to an offline diff", name)
		}
	}
	opts, err := loadOptions(c, e, "diff")
	if err != nil {
		return err
	}
	req.Load.Exclude = opts.Exclude
	ctx, stop := host.WithSignals(c.Context)
	defer stop()
	req.Git = dictdiff.Git{Getenv: e.getenv}
	rep, diags, err := dictdiff.Run(ctx, req)
	output.LogDiagnostics(e.log, diags)
	if err != nil {
		return inputError("diff: %v", err)
	}
	if err := output.WriteDiffReport(e.stdout, rep, format); err != nil {
		return inputError("diff: writing the report: %v", err)
	}
	return nil
}
