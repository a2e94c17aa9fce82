package main

import (
	"github.com/urfave/cli/v2"

	"github.com/rcolpipe/rcolpipe/output"
	"github.com/rcolpipe/rcolpipe/pipeline"
)

func inspectCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:      "inspect",
		Usage:     "show what a dictionary holds: forms, field types, logic, calc fields, matrix groups, action tags",
		ArgsUsage: "INPUT...",
		Description: `Reads every INPUT, stacks them in order, and prints a summary: the forms in
order with their field counts, the field types, and how many fields have
branching logic, are calculated, belong to matrix groups, or use action tags.

--format json prints one object:
   {"files":N,"fields":N,"forms":[{"name":"...","fields":N},...],"record_id":"...",
    "field_types":{"text":N,...},"branching_logic":N,"calc_fields":N,
    "matrix_groups":N,"section_headers":N,"required":N,"identifiers":N,
    "action_tags":{"@HIDDEN":N,...},"fields_with_action_tags":N}
(action_tags counts the fields that use each tag).

` + loadInputsHelp + `

Examples:
   rcolpipe inspect dictionary.csv
   rcolpipe inspect --format json instruments/ | jq '.forms[].name'
   rcolpipe inspect rcol/fal.json rcol/ehi.json tlfb.zip

` + exitCodesHelp,
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "format", Aliases: []string{"f"}, Value: "text", Usage: "output format: text or json"},
			excludeFlag(),
		},
		Action: func(c *cli.Context) error {
			paths := c.Args().Slice()
			if len(paths) == 0 {
				return usageError("inspect: missing INPUT (a file, folder or instrument ZIP)")
			}
			format := c.String("format")
			if err := output.CheckFormat(format); err != nil {
				return usageError("inspect: %v", err)
			}
			if err := checkInputsExist("inspect", paths); err != nil {
				return err
			}
			opts, err := loadOptions(c, e, "inspect")
			if err != nil {
				return err
			}
			d, _, err := loadInputs(e, opts, paths)
			if err != nil {
				return err
			}
			if err := output.WriteInspect(e.stdout, pipeline.Inspect(d), format); err != nil {
				return inputError("inspect: %v", err)
			}
			return nil
		},
	}
}
