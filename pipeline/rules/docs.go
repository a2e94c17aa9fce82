package rules

import (
	"bytes"
	"fmt"
	"strings"
)

// docs/rules.md is generated from the rule table; TestDocsUpToDate fails when
// it is out of date. Regenerate it with:
//
//go:generate go test -run TestDocsUpToDate -update .

// Markdown renders rules (what `rcolpipe rules` lists) as docs/rules.md: a summary table, then one section
// per rule with its severity and doc.
func Markdown(rules []Rule) []byte {
	var b bytes.Buffer
	b.WriteString("# Validation rules\n\n")
	b.WriteString("<!-- Generated from the rule tables (pipeline/rules/catalogue.go, redcap.ReaderChecks,\n")
	b.WriteString("     the x-code rules of schemas/row.schema.json); do not edit.\n")
	b.WriteString("     Regenerate with: go generate ./pipeline/rules -->\n\n")
	b.WriteString("Every finding of `rcolpipe validate` has one of these codes. The severity is the default;\n")
	b.WriteString("change it with `--rule CODE=error|warning|info|off` or in the pipeline file.\n")
	b.WriteString("`rcolpipe rules` prints the same table.\n\n")
	b.WriteString("Codes: RC1xx field names and the record ID, RC2xx form names, RC3xx field types and choices,\n")
	b.WriteString("RC4xx calculations and branching logic, RC5xx validation types, min/max and sliders,\n")
	b.WriteString("RC6xx flags, layout and matrix groups, RC7xx annotations, text and encoding,\n")
	b.WriteString("RC8xx the dictionary as a whole, RC9xx the project structure (arms, events, instrument\n")
	b.WriteString("designations, repeating instruments and events; logic naming events), RDnnn the readers (loading and stacking files),\n")
	b.WriteString("RSnnn the embedded row schema, evaluated only alongside user schemas: every cell it would\n")
	b.WriteString("report, a Go rule reports too, and the Go rule's finding is the one shown.\n\n")
	b.WriteString("| code | severity | title |\n|---|---|---|\n")
	for _, r := range rules {
		fmt.Fprintf(&b, "| [%s](#%s) | %s | %s |\n", r.Code, strings.ToLower(r.Code), r.Severity, escapeCell(r.Title))
	}
	for _, r := range rules {
		fmt.Fprintf(&b, "\n## %s\n\n**%s** (default severity: %s)\n\n%s\n", r.Code, r.Title, r.Severity, strings.TrimSpace(r.Doc))
	}
	return b.Bytes()
}

// escapeCell keeps a table cell on one row.
func escapeCell(s string) string {
	return strings.ReplaceAll(s, "|", `\|`)
}
