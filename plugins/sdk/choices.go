package sdk

import (
	"fmt"
	"strings"

	"github.com/rcolpipe/rcolpipe/redcap"
)

// Choice is one option of a radio, dropdown or checkbox field.
type Choice struct {
	Code  string
	Label string
}

// ParseChoices reads REDCap's choices column, "1, Yes | 2, No", as REDCap
// does (redcap.SplitChoices): options separated by "|" or a line break,
// each a code, a comma, and a label (which may contain commas). Blank
// options (a trailing "|") are skipped. An option without a comma is an
// error: REDCap would take the whole text as the code.
func ParseChoices(s string) ([]Choice, error) {
	cs := redcap.SplitChoices(s)
	out := make([]Choice, 0, len(cs))
	for i, c := range cs {
		if c.NoComma {
			return nil, fmt.Errorf("choice %d %q has no comma between code and label", i+1, c.Code)
		}
		out = append(out, Choice{Code: c.Code, Label: c.Label})
	}
	return out, nil
}

// FormatChoices writes choices the way REDCap does: "1, Yes | 2, No".
func FormatChoices(cs []Choice) string {
	parts := make([]string, len(cs))
	for i, c := range cs {
		parts[i] = c.Code + ", " + c.Label
	}
	return strings.Join(parts, " | ")
}
