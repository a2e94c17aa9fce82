package main

import (
	"github.com/urfave/cli/v2"

	"github.com/rcolpipe/rcolpipe/output"
	"github.com/rcolpipe/rcolpipe/pipeline"
	"github.com/rcolpipe/rcolpipe/pipeline/rules"
)

func rulesCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:      "rules",
		Usage:     "list the validation rules: code, default severity, title",
		ArgsUsage: "[CODE...]",
		Description: `rules prints every rule validate knows: the Go rules (RC codes), the checks
of the readers (RD codes) and the rules of the embedded row schema (RS codes,
evaluated only alongside --schema files, whose schemas may $ref it), plus the
x-code rules of any --schema files, each with its default severity and
title. With CODEs it prints only those rules, each with its full documentation
(what REDCap does, an example, the fix). docs/rules.md is generated from the
same table.

Change a rule's severity with validate --rule CODE=error|warning|info|off.

Examples:
   rcolpipe rules
   rcolpipe rules RC102 RC507
   rcolpipe rules --format json > rules.json
   rcolpipe rules --schema conventions/field-notes.json`,
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "format", Aliases: []string{"f"}, Value: "text", Usage: "output format: text or json"},
			&cli.StringSliceFlag{Name: "schema", Usage: "also list the x-code rules of JSON Schema `FILE` (repeatable)"},
		},
		Action: func(c *cli.Context) error { return runRules(c, e) },
	}
}

func runRules(c *cli.Context, e *env) error {
	format := c.String("format")
	if err := output.CheckFormat(format); err != nil {
		return usageError("rules %v", err)
	}
	v, err := pipeline.NewValidator(pipeline.ValidateOptions{SchemaFiles: c.StringSlice("schema")})
	if err != nil {
		return inputError("rules --schema: %v", err)
	}
	list := v.Rules()
	if c.Args().Len() > 0 {
		if list, err = rules.Select(list, c.Args().Slice()); err != nil {
			return usageError("rules: %v (run `rcolpipe rules` for the list)", err)
		}
	}
	return output.WriteRules(e.stdout, list, format, c.Args().Len() > 0)
}
