package rules

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/rcolpipe/rcolpipe/redcap"
	"github.com/rcolpipe/rcolpipe/redcap/logic"
)

// Action tags in context (RC720-RC724) and the references in their
// arguments (RC420-RC422). REDCap checks neither at upload.

// tagFieldTypes are the field types (stored names) a tag works on; REDCap
// ignores the tag on other types. Tags not listed work on any type or were
// not checked.
var tagFieldTypes = map[string][]string{
	"CALCTEXT":       {"text"},
	"CALCDATE":       {"text"},
	"MAXCHECKED":     {"checkbox"},
	"NONEOFTHEABOVE": {"checkbox"},
	"HIDECHOICE":     {"radio", "dropdown", "checkbox"}, // and yes/no types
	"SHOWCHOICE":     {"radio", "dropdown", "checkbox"}, // and yes/no types
	"MAXCHOICE":      {"radio", "dropdown", "checkbox"},
	"CHARLIMIT":      {"text", "notes"},
	"WORDLIMIT":      {"text", "notes"},
	"PASSWORDMASK":   {"text"},
}

// tagArgForm is the argument a tag needs: '(' for @TAG(...), '=' for
// @TAG=value. Tags not listed take none or were not checked.
var tagArgForm = map[string]byte{
	"IF": '(', "CALCTEXT": '(', "CALCDATE": '(', "MAXCHOICE": '(',
	"DEFAULT": '=', "SETVALUE": '=', "PREFILL": '=', "PLACEHOLDER": '=',
	"CHARLIMIT": '=', "WORDLIMIT": '=', "MAXCHECKED": '=',
	"HIDECHOICE": '=', "SHOWCHOICE": '=', "NONEOFTHEABOVE": '=',
}

// tagArguments checks the tags of row i's annotation: field type, argument
// form, choice codes, nesting, and the references in the arguments.
func (c *checker) tagArguments(i int, reported map[string]bool) {
	f := &c.d.Fields[i]
	t := effectiveType(f.FieldType)
	const col = redcap.ColFieldAnnotation
	for _, u := range redcap.ActionTagUses(f.FieldAnnotation) {
		if !redcap.IsKnownActionTag(u.Name) {
			continue // RC701/RC702
		}
		tag := u.Name // "@" is added in messages only
		choiceTag := u.Name == "HIDECHOICE" || u.Name == "SHOWCHOICE"
		if types, ok := tagFieldTypes[u.Name]; ok && !slices.Contains(types, t) && !(choiceTag && redcap.IsYesNoLike(t)) {
			c.emitf(i, col, codeTagWrongType, fmt.Sprintf("Remove @%s, or use it on a %s field.", tag, strings.Join(types, " or ")),
				"@%s works on %s fields; REDCap ignores it on this %s field.", tag, strings.Join(types, ", "), f.FieldType)
		}
		if u.Name == "CALCDATE" && t == "text" && !hasDateValidation(f) {
			c.emitf(i, col, codeCalcDateNoDate, "Give the field a date or datetime validation (e.g. date_ymd).",
				"@CALCDATE needs a field with a date or datetime validation; this field has %s, so REDCap does not fill it.", validationOrNone(f))
		}
		if u.InIF && (u.Name == "CALCTEXT" || u.Name == "CALCDATE") {
			c.emitf(i, col, codeCalcInIF, fmt.Sprintf("Move @%s out of @IF: put the condition inside it, e.g. @CALCTEXT(if(cond, a, b)).", tag),
				"@%s stands inside @IF; REDCap does not evaluate calculated tags there.", tag)
		}
		want, hasForm := tagArgForm[u.Name]
		switch {
		case !hasForm:
			continue
		case u.Unclosed:
			c.emitf(i, col, codeTagMalformed, "Close the quote or parenthesis of the argument.",
				"The argument of @%s is never closed: %s.", tag, quote(f.FieldAnnotation[u.At:]))
			continue
		case u.Form != want:
			example := "@" + tag + "='value'"
			if want == '(' {
				example = "@" + tag + "(...)"
			}
			c.emitf(i, col, codeTagMalformed, "Write it as "+example+".",
				"@%s needs its argument written as %s; REDCap ignores it as written.", tag, example)
			continue
		}
		switch u.Name {
		case "IF":
			cond, n := redcap.TagArg(u.Arg, 0)
			if n != 3 {
				c.emitf(i, col, codeTagMalformed, "Write @IF(condition, tags if true, tags if false).",
					"@IF has %d argument(s); it takes a condition and two lists of tags.", n)
			}
			reported = c.tagLogic(i, place(col, "condition of @IF"), cond, reported)
		case "CALCTEXT":
			reported = c.tagLogic(i, place(col, "@CALCTEXT expression"), u.Arg, reported)
		case "CALCDATE":
			date, n := redcap.TagArg(u.Arg, 0)
			if n != 3 {
				c.emitf(i, col, codeTagMalformed, "Write @CALCDATE([date field], offset, 'unit').",
					"@CALCDATE has %d argument(s); it takes a date, an offset and a unit.", n)
				continue
			}
			reported = c.tagLogic(i, place(col, "date of @CALCDATE"), date, reported)
			unit, _ := redcap.TagArg(u.Arg, 2)
			if u := strings.Trim(strings.TrimSpace(unit), `'"`); !logic.IsDateUnit(u) {
				c.emitf(i, col, codeFuncUnit, "Use one of 'y', 'M', 'd', 'h', 'm', 's' (case-sensitive: 'M' is months, 'm' minutes).",
					"@CALCDATE has the unit %q, which REDCap does not know.", u)
			}
		case "DEFAULT", "SETVALUE", "PREFILL", "PLACEHOLDER":
			reported = c.piped(i, place(col, "@"+tag), u.Arg, reported)
		case "CHARLIMIT", "WORDLIMIT", "MAXCHECKED":
			if n, err := strconv.Atoi(strings.TrimSpace(u.Arg)); err != nil || n < 1 {
				c.emitf(i, col, codeTagMalformed, fmt.Sprintf("Write a whole number above 0, e.g. @%s=10.", tag),
					"@%s=%s is not a whole number above 0; REDCap ignores it.", tag, u.Arg)
			}
		case "HIDECHOICE", "SHOWCHOICE", "NONEOFTHEABOVE":
			c.tagCodes(i, tag, strings.Split(u.Arg, ","))
		}
	}
}

// tagCodes reports the codes of a tag's argument that row i's field lacks.
func (c *checker) tagCodes(i int, tag string, codes []string) {
	f := &c.d.Fields[i]
	have := map[string]bool{}
	switch t := effectiveType(f.FieldType); {
	case isChoiceType(t):
		for _, ch := range c.choices[i] {
			if !ch.empty {
				have[ch.code] = true
			}
		}
	case redcap.IsYesNoLike(t):
		have["1"], have["0"] = true, true
	default:
		return // RC720 says the tag does not apply
	}
	var missing []string
	for _, code := range codes {
		if code = strings.TrimSpace(code); code != "" && !have[code] {
			missing = append(missing, code)
		}
	}
	if len(missing) > 0 {
		c.emitf(i, redcap.ColFieldAnnotation, codeTagCode, "Use the codes of the field's choices (column F).",
			"@%s names code(s) %s, which this field does not have; REDCap ignores them.", tag, strings.Join(missing, ", "))
	}
}

func validationOrNone(f *redcap.Field) string {
	if v := strings.TrimSpace(f.Validation); v != "" {
		return "validation " + quote(v)
	}
	return "no validation"
}
