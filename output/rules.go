package output

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/rcolpipe/rcolpipe/pipeline/rules"
)

// WriteRules writes the rules: [{"code","severity","title","doc"}, ...]
// (json), the full entry of each rule (text, docs true: rules named on the
// command line), or one aligned line per rule (text).
func WriteRules(w io.Writer, list []rules.Rule, format string, docs bool) error {
	var err error
	switch {
	case format == FormatJSON:
		if list == nil {
			list = []rules.Rule{}
		}
		err = writeJSON(w, list, true)
	case docs:
		err = writeRuleDocs(w, list)
	default:
		err = writeRulesTable(w, list)
	}
	if err != nil {
		return fmt.Errorf("write rules: %w", err)
	}
	return nil
}

func writeRulesTable(w io.Writer, list []rules.Rule) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "CODE\tSEVERITY\tTITLE")
	for _, r := range list {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", r.Code, r.Severity, r.Title)
	}
	return tw.Flush()
}

func writeRuleDocs(w io.Writer, list []rules.Rule) error {
	for i, r := range list {
		if i > 0 {
			fmt.Fprintln(w)
		}
		if _, err := fmt.Fprintf(w, "%s  %s  %s\n\n%s\n", r.Code, r.Severity, r.Title, strings.TrimSpace(r.Doc)); err != nil {
			return err
		}
	}
	return nil
}
