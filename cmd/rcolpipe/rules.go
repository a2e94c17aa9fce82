package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/urfave/cli/v2"

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
	if format != "text" && format != "json" {
		return usageError("rules --format %q: want text or json", format)
	}
	v, err := pipeline.NewValidator(pipeline.ValidateOptions{SchemaFiles: c.StringSlice("schema")})
	if err != nil {
		return inputError("rules --schema: %v", err)
	}
	all := v.Rules()
	list := all
	if c.Args().Len() > 0 {
		byCode := make(map[string]rules.Rule, len(all))
		for _, r := range all {
			byCode[r.Code] = r
		}
		list = nil
		for _, code := range c.Args().Slice() {
			r, ok := byCode[strings.ToUpper(strings.TrimSpace(code))]
			if !ok {
				return usageError("rules: no rule %q (run `rcolpipe rules` for the list)", code)
			}
			list = append(list, r)
		}
	}
	if format == "json" {
		return writeRulesJSON(e.stdout, list)
	}
	if c.Args().Len() > 0 {
		return writeRuleDocs(e.stdout, list)
	}
	return writeRulesTable(e.stdout, list)
}

// writeRulesJSON writes [{"code","severity","title","doc"}, ...].
func writeRulesJSON(w io.Writer, list []rules.Rule) error {
	if list == nil {
		list = []rules.Rule{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(list); err != nil {
		return fmt.Errorf("write rules: %w", err)
	}
	return nil
}

// writeRulesTable writes one aligned line per rule.
func writeRulesTable(w io.Writer, list []rules.Rule) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "CODE\tSEVERITY\tTITLE")
	for _, r := range list {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", r.Code, r.Severity, r.Title)
	}
	if err := tw.Flush(); err != nil {
		return fmt.Errorf("write rules: %w", err)
	}
	return nil
}

// writeRuleDocs writes the full entry of each rule.
func writeRuleDocs(w io.Writer, list []rules.Rule) error {
	for i, r := range list {
		if i > 0 {
			fmt.Fprintln(w)
		}
		if _, err := fmt.Fprintf(w, "%s  %s  %s\n\n%s\n", r.Code, r.Severity, r.Title, strings.TrimSpace(r.Doc)); err != nil {
			return fmt.Errorf("write rules: %w", err)
		}
	}
	return nil
}
