package main

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/rcolpipe/rcolpipe/redcap"
	"github.com/urfave/cli/v2"
)

// inspectReport is what `inspect` shows; its JSON form is the --format json
// output.
type inspectReport struct {
	Files    int         `json:"files"`
	Fields   int         `json:"fields"`
	Forms    []formCount `json:"forms"`
	RecordID string      `json:"record_id"`
	// FieldTypes counts fields per field_type.
	FieldTypes map[string]int `json:"field_types"`
	// BranchingLogic counts fields with branching logic.
	BranchingLogic int `json:"branching_logic"`
	// CalcFields counts fields of type calc.
	CalcFields int `json:"calc_fields"`
	// MatrixGroups counts distinct matrix group names.
	MatrixGroups   int `json:"matrix_groups"`
	SectionHeaders int `json:"section_headers"`
	Required       int `json:"required"`
	Identifiers    int `json:"identifiers"`
	// ActionTags counts, per action tag, the fields whose annotation uses it.
	ActionTags map[string]int `json:"action_tags"`
	// FieldsWithActionTags counts fields with at least one action tag.
	FieldsWithActionTags int `json:"fields_with_action_tags"`
}

type formCount struct {
	Name   string `json:"name"`
	Fields int    `json:"fields"`
}

func inspectDictionary(d *redcap.Dictionary) inspectReport {
	r := inspectReport{
		Files:      len(d.Files),
		Fields:     d.Len(),
		Forms:      []formCount{},
		RecordID:   d.RecordID(),
		FieldTypes: map[string]int{},
		ActionTags: map[string]int{},
	}
	formIdx := map[string]int{}
	groups := map[string]bool{}
	for i := range d.Fields {
		f := &d.Fields[i]
		k, ok := formIdx[f.FormName]
		if !ok {
			k = len(r.Forms)
			formIdx[f.FormName] = k
			r.Forms = append(r.Forms, formCount{Name: f.FormName})
		}
		r.Forms[k].Fields++
		r.FieldTypes[f.FieldType]++
		if strings.TrimSpace(f.BranchingLogic) != "" {
			r.BranchingLogic++
		}
		if f.FieldType == "calc" {
			r.CalcFields++
		}
		if g := strings.TrimSpace(f.MatrixGroupName); g != "" {
			groups[g] = true
		}
		if strings.TrimSpace(f.SectionHeader) != "" {
			r.SectionHeaders++
		}
		if f.RequiredField == "y" {
			r.Required++
		}
		if f.Identifier == "y" {
			r.Identifiers++
		}
		tags := map[string]bool{}
		for _, t := range redcap.ActionTags(f.FieldAnnotation) {
			tags["@"+t] = true
		}
		for t := range tags {
			r.ActionTags[t]++
		}
		if len(tags) > 0 {
			r.FieldsWithActionTags++
		}
	}
	r.MatrixGroups = len(groups)
	return r
}

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
		},
		Action: func(c *cli.Context) error {
			paths := c.Args().Slice()
			if len(paths) == 0 {
				return usageError("inspect: missing INPUT (a file, folder or instrument ZIP)")
			}
			format := c.String("format")
			if format != "text" && format != "json" {
				return usageError("inspect: --format %q: want text or json", format)
			}
			d, _, err := loadInputs(e, paths)
			if err != nil {
				return err
			}
			r := inspectDictionary(d)
			if format == "json" {
				enc := json.NewEncoder(e.stdout)
				enc.SetIndent("", "  ")
				enc.SetEscapeHTML(false)
				if err := enc.Encode(r); err != nil {
					return inputError("inspect: %v", err)
				}
				return nil
			}
			if err := writeInspectText(e.stdout, r); err != nil {
				return inputError("inspect: %v", err)
			}
			return nil
		},
	}
}

// writeInspectText prints the report for people.
func writeInspectText(w io.Writer, r inspectReport) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "files:\t%d\n", r.Files)
	fmt.Fprintf(tw, "fields:\t%d\n", r.Fields)
	fmt.Fprintf(tw, "forms:\t%d\n", len(r.Forms))
	fmt.Fprintf(tw, "record ID:\t%s\n", r.RecordID)
	fmt.Fprintln(tw)
	fmt.Fprintln(tw, "FORM\tFIELDS")
	for _, f := range r.Forms {
		name := f.Name
		if name == "" {
			name = "(no form name)"
		}
		fmt.Fprintf(tw, "%s\t%d\n", name, f.Fields)
	}
	fmt.Fprintln(tw)
	fmt.Fprintf(tw, "field types:\t%s\n", countList(r.FieldTypes))
	fmt.Fprintf(tw, "fields with branching logic:\t%d\n", r.BranchingLogic)
	fmt.Fprintf(tw, "calc fields:\t%d\n", r.CalcFields)
	fmt.Fprintf(tw, "matrix groups:\t%d\n", r.MatrixGroups)
	fmt.Fprintf(tw, "section headers:\t%d\n", r.SectionHeaders)
	fmt.Fprintf(tw, "required fields:\t%d\n", r.Required)
	fmt.Fprintf(tw, "identifier fields:\t%d\n", r.Identifiers)
	fmt.Fprintf(tw, "fields with action tags:\t%d", r.FieldsWithActionTags)
	if len(r.ActionTags) > 0 {
		fmt.Fprintf(tw, " (%s)", countList(r.ActionTags))
	}
	fmt.Fprintln(tw)
	return tw.Flush()
}

// countList renders "text 20, radio 10" by count, then name.
func countList(m map[string]int) string {
	if len(m) == 0 {
		return "none"
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if m[keys[i]] != m[keys[j]] {
			return m[keys[i]] > m[keys[j]]
		}
		return keys[i] < keys[j]
	})
	parts := make([]string, len(keys))
	for i, k := range keys {
		name := k
		if name == "" {
			name = "(empty)"
		}
		parts[i] = fmt.Sprintf("%s %d", name, m[k])
	}
	return strings.Join(parts, ", ")
}
