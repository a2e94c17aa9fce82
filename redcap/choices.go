package redcap

import "strings"

// Choice is one option of column F of a radio, dropdown or checkbox field.
type Choice struct {
	Code, Label string
	// NoComma marks an option written without a comma: REDCap takes its
	// whole text as both code and label.
	NoComma bool
}

// SplitChoices splits column F as REDCap does: at '|' or a line break,
// each piece trimmed, empty pieces skipped, each piece cut at its first
// comma into code and label (both trimmed; the label may hold commas).
// This is the one reading of column F; the validator, the sandbox, the
// metadata client and the plugin SDK use it.
func SplitChoices(s string) []Choice {
	var out []Choice
	for _, p := range strings.FieldsFunc(s, isChoiceSeparator) {
		p = strings.TrimSpace(p)
		if p == "" {
			continue
		}
		code, label, ok := strings.Cut(p, ",")
		if !ok {
			out = append(out, Choice{Code: p, Label: p, NoComma: true})
			continue
		}
		out = append(out, Choice{Code: strings.TrimSpace(code), Label: strings.TrimSpace(label)})
	}
	return out
}

// HasEmptyChoice reports whether column F s has an empty piece: a leading,
// trailing or doubled '|' (or line break). REDCap drops it.
func HasEmptyChoice(s string) bool {
	for {
		i := strings.IndexFunc(s, isChoiceSeparator)
		if i < 0 {
			return strings.TrimSpace(s) == ""
		}
		if strings.TrimSpace(s[:i]) == "" {
			return true
		}
		s = s[i+1:]
	}
}

func isChoiceSeparator(r rune) bool { return r == '|' || r == '\n' }
