package main

import (
	"fmt"

	"github.com/urfave/cli/v2"

	"github.com/rcolpipe/rcolpipe/pipeline"
	"github.com/rcolpipe/rcolpipe/preview"
)

func previewCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:        "preview",
		Usage:       "write the forms as one HTML page a reviewer can click through",
		ArgsUsage:   "INPUT...",
		Description: preview.Help + "\n\n" + inputsHelp + "\n\n" + preview.HelpExamples,
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "output", Aliases: []string{"o"}, Required: true, Usage: "the HTML `FILE` to write"},
			&cli.StringSliceFlag{Name: "base", Usage: "the earlier version: dictionary `OLD` (file or folder; repeatable, stacked) to highlight changes against"},
			&cli.StringFlag{Name: "config", Aliases: []string{"c"}, Usage: "pipeline `FILE` (rcolpipe.yaml): its inputs and validate section"},
			&cli.StringFlag{Name: "title", Usage: "the page's `TITLE` (default \"Form preview\")"},
			&cli.StringSliceFlag{Name: "schema", Usage: "JSON Schema `FILE` applied to every row (repeatable)"},
			&cli.StringSliceFlag{Name: "assume-fields", Usage: "dictionary `FILE` whose fields already exist in the target project (repeatable)"},
			excludeFlag(),
		},
		Action: func(c *cli.Context) error { return runPreview(c, e) },
	}
}

func runPreview(c *cli.Context, e *env) error {
	spec, err := newSpec("preview", withInputOptions(c, e, pipeline.Request{
		ConfigPath: c.String("config"), Inputs: c.Args().Slice(),
		Schemas: c.StringSlice("schema"), AssumeFields: c.StringSlice("assume-fields"),
	}))
	if err != nil {
		return err
	}
	sum, err := preview.Write(c.Context, spec, preview.Options{
		Out: c.String("output"), Base: c.StringSlice("base"), Title: c.String("title"),
	})
	if err != nil {
		return pipelineError("preview", err)
	}
	fmt.Fprintf(e.stderr, "wrote %s: %d forms, %d fields, %d findings", c.String("output"), sum.Forms, sum.Fields, sum.Findings)
	if len(c.StringSlice("base")) > 0 {
		fmt.Fprintf(e.stderr, ", %d changes", sum.Changes)
	}
	fmt.Fprintln(e.stderr)
	return nil
}
