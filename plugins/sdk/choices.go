package sdk

import (
	"fmt"
	"strings"
)

// Choice is one option of a radio, dropdown or checkbox field.
type Choice struct {
	Code  string
	Label string
}

// ParseChoices reads REDCap's choices column, "1, Yes | 2, No": options
// separated by "|", each a code, a comma, and a label (which may contain
// commas). Blank options (a trailing "|") are skipped. An option without a
// comma is an error: REDCap would take the whole text as the code.
func ParseChoices(s string) ([]Choice, error) {
	var out []Choice
	for i, part := range strings.Split(s, "|") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		code, label, ok := strings.Cut(part, ",")
		if !ok {
			return nil, fmt.Errorf("choice %d %q has no comma between code and label", i+1, part)
		}
		out = append(out, Choice{Code: strings.TrimSpace(code), Label: strings.TrimSpace(label)})
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
