package rules

import (
	"fmt"
	"strings"

	"github.com/rcolpipe/rcolpipe/internal/lazyre"
	"github.com/rcolpipe/rcolpipe/redcap"
)

// phpNumeric matches what PHP's is_numeric accepts (after trimming).
var phpNumeric = lazyre.New(`^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$`)

// effectiveType is the type REDCap stores for t (legacy names mapped).
func effectiveType(t string) string { return redcap.StoredFieldType(t) }

// isLegacyType reports whether t is an old type name REDCap maps.
func isLegacyType(t string) bool {
	_, ok := redcap.LegacyFieldType(t)
	return ok
}

// isChoiceType reports whether column F of type t holds `code, label` choices.
func isChoiceType(t string) bool { return redcap.HasCodedChoices(effectiveType(t)) }

// choice is one parsed option of column F.
type choice struct {
	code, label string
	// noComma marks a legacy choice whose text is both code and label.
	noComma bool
	// empty marks an empty piece (leading, trailing or doubled '|').
	empty bool
}

// parseChoices reads column F as REDCap does (redcap.SplitChoices), with a
// first empty marker when it has an empty piece.
func parseChoices(s string) []choice {
	if strings.TrimSpace(s) == "" {
		return nil
	}
	cs := redcap.SplitChoices(s)
	out := make([]choice, 0, len(cs)+1)
	if redcap.HasEmptyChoice(s) {
		out = append(out, choice{empty: true})
	}
	for _, c := range cs {
		out = append(out, choice{code: c.Code, label: c.Label, noComma: c.NoComma})
	}
	return out
}

// isCodeByte reports whether b may appear in a choice code that is not a
// number: [a-zA-Z0-9._-].
func isCodeByte(b byte) bool {
	return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || b == '_' || b == '.' || b == '-'
}

// validCode reports whether REDCap accepts code as a choice code: made of
// code bytes, or a number as PHP reads it.
func validCode(code string) bool {
	if code == "" {
		return false
	}
	plain := true
	for i := 0; i < len(code) && plain; i++ {
		plain = isCodeByte(code[i])
	}
	return plain || phpNumeric.MatchString(code)
}

// suggestCode is REDCap's suggestion for a bad code: spaces as '_', other
// characters dropped.
func suggestCode(code string) string {
	var b strings.Builder
	for i := 0; i < len(code); i++ {
		switch ch := code[i]; {
		case ch == ' ':
			b.WriteByte('_')
		case isCodeByte(ch):
			b.WriteByte(ch)
		}
	}
	return b.String()
}

// typesAndChoices checks columns D and F: the RC3xx rules.
func (c *checker) typesAndChoices() {
	for i := range c.d.Fields {
		f := &c.d.Fields[i]
		t := f.FieldType
		switch {
		case strings.TrimSpace(t) == "":
			c.emit(i, redcap.ColFieldType, codeTypeMissing,
				"Each row MUST have a field type, but this row has none.",
				"Fill in the field type (column D), e.g. text.")
		case isLegacyType(t):
			c.emitf(i, redcap.ColFieldType, codeTypeLegacy, fmt.Sprintf("Write %q.", effectiveType(t)),
				"REDCap silently stores the legacy field type %q as %q.", t, effectiveType(t))
		case !redcap.IsFieldType(t):
			hint := "Use one of text, notes, radio, dropdown, calc, file, checkbox, yesno, truefalse, descriptive, slider; dates and numbers are text fields with a validation type."
			if l := strings.ToLower(strings.TrimSpace(t)); redcap.IsFieldType(l) || isLegacyType(l) {
				hint = fmt.Sprintf("Field types are case-sensitive: write %q.", effectiveType(l))
			}
			c.emitf(i, redcap.ColFieldType, codeTypeInvalid, hint,
				"The only valid field types are text, notes, radio, dropdown, calc, file, checkbox, yesno, truefalse, descriptive, slider and must all be lower-case: %s is invalid.", quote(t))
		case t == "sql":
			c.emit(i, redcap.ColFieldType, codeTypeSQL,
				"For security purposes, 'sql' field types can ONLY be added or modified by REDCap administrators: the upload fails for other users.",
				"Have a REDCap administrator upload this dictionary, or use a dropdown field instead.")
		case t == "advcheckbox":
			c.emit(i, redcap.ColFieldType, codeTypeAdvCheckbox,
				"advcheckbox is a hidden REDCap type: its choices become '0, Unchecked | 1, Checked'.",
				"Use checkbox or yesno unless you need exactly this.")
		}
		et := effectiveType(t)
		switch {
		case isChoiceType(t):
			c.checkChoices(i, et)
		case et == "sql" && strings.TrimSpace(f.Choices) == "":
			c.emit(i, redcap.ColChoices, codeChoicesMissing,
				"Each multiple choice field (radio, drop-down, checkbox, etc.) must have choices listed in column F: this sql field has no query.",
				"Write the SQL query in column F.")
		case redcap.ClearsChoices(et) && strings.TrimSpace(f.Choices) != "":
			c.emitf(i, redcap.ColChoices, codeChoicesDropped,
				"Clear column F, or use a radio/dropdown field if you need your own choices.",
				"REDCap silently clears column F of a %s field: %s is dropped.", et, quote(f.Choices))
		}
	}
}

// checkChoices checks column F of a radio, dropdown or checkbox row.
func (c *checker) checkChoices(i int, et string) {
	chs := c.choices[i]
	real := 0
	var noComma []string
	for k, ch := range chs {
		if ch.empty {
			c.emit(i, redcap.ColChoices, codeChoiceEmpty,
				"Choices should not contain a leading or trailing '|' symbol: REDCap drops the empty choice.",
				"Remove the extra '|'.")
			continue
		}
		real++
		if ch.noComma {
			noComma = append(noComma, quote(ch.code))
		}
		if !validCode(ch.code) {
			sugg := suggestCode(ch.code)
			hint := "Use a code of letters, digits, '_', '.' or '-', or a number; write each choice as 'code, label'."
			if sugg != "" {
				hint = fmt.Sprintf("Replace the code with %q; write each choice as 'code, label'.", sugg)
			}
			c.emitf(i, redcap.ColChoices, codeChoiceCode, hint,
				"Multiple choice fields can only have coded values (in the choices in column F) that are numeric or alpha-numeric (lower case or upper case, with or without underscores), thus they cannot have codings that contain spaces or other characters: %s.", quote(ch.code))
		}
		// Choice lists are short: a scan is cheaper than a map per row.
		for _, prev := range chs[:k] {
			if !prev.empty && prev.code == ch.code {
				c.emitf(i, redcap.ColChoices, codeChoiceDuplicate, "Give every choice its own code.",
					"Multiple choice fields have been found where a coded value is duplicated in the choices column (F): code %q.", ch.code)
				break
			}
		}
	}
	if real == 0 {
		c.emitf(i, redcap.ColChoices, codeChoicesMissing, "List the choices in column F as '1, Yes | 0, No'.",
			"Each multiple choice field (radio, drop-down, checkbox, etc.) must have choices listed in column F: this %s field has none.", et)
		return
	}
	if len(noComma) > 0 {
		c.emitf(i, redcap.ColChoices, codeChoiceNoComma, "Write every choice as 'code, label', e.g. '1, Yes | 0, No'.",
			"Choices without a comma use their whole text as code and label: %s.", strings.Join(noComma, ", "))
	}
	if real == 1 && (et == "radio" || et == "dropdown") {
		c.emitf(i, redcap.ColChoices, codeChoiceSingle, "Add the other options, or use a checkbox or yesno field.",
			"This %s field has a single choice; once chosen it cannot be unselected.", et)
	}
}
