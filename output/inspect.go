package output

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/rcolpipe/rcolpipe/pipeline"
)

// WriteInspect writes r as aligned lines (text) or one JSON object (json).
func WriteInspect(w io.Writer, r pipeline.Inspection, format string) error {
	if format == FormatJSON {
		return writeJSON(w, r, false)
	}
	return writeInspectText(w, r)
}

// writeInspectText prints the report for people.
func writeInspectText(w io.Writer, r pipeline.Inspection) error {
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
