package output

import (
	"fmt"
	"io"
	"strings"

	"github.com/rcolpipe/rcolpipe/redcap/api"
	"github.com/rcolpipe/rcolpipe/upload"
)

// WriteCheck writes r as a table with advice under each failed row (text)
// or as one JSON object (json).
func WriteCheck(w io.Writer, r upload.CheckResult, format string) error {
	if format == FormatJSON {
		return writeJSON(w, r, true)
	}
	width := len("CHECK")
	for _, it := range r.Checks {
		width = max(width, len(it.Check))
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%-*s  %-7s  %s\n", width, "CHECK", "RESULT", "DETAIL")
	for _, it := range r.Checks {
		fmt.Fprintf(&b, "%-*s  %-7s  %s\n", width, it.Check, it.Result, it.Detail)
		if it.Advice != "" && it.Result != api.ResultOK {
			fmt.Fprintf(&b, "%-*s  %-7s  what to do: %s\n", width, "", "", it.Advice)
		}
	}
	failed, notRun := 0, 0
	for _, it := range r.Checks {
		switch {
		case it.Result == api.ResultFail:
			failed++
		case it.Required && it.Result != api.ResultOK:
			notRun++
		}
	}
	switch {
	case r.OK:
		b.WriteString("\nall required checks passed\n")
	case notRun > 0:
		fmt.Fprintf(&b, "\n%d check(s) failed; %d required check(s) could not run\n", failed, notRun)
	default:
		fmt.Fprintf(&b, "\n%d check(s) failed\n", failed)
	}
	_, err := io.WriteString(w, b.String())
	return err
}
