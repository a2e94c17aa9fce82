package rules

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/rcolpipe/rcolpipe/internal/lazyre"
	"github.com/rcolpipe/rcolpipe/redcap"
)

// defaultValidationTypes are the validation types of a default REDCap
// installation (redcap.DefaultValidationTypes), for suggestions. Read only.
var defaultValidationTypes = redcap.DefaultValidationTypes()

// family groups validation types whose min/max share a format.
type family int

const (
	famNone family = iota // no format check (site-defined or rarely bounded types)
	famDate
	famDatetime
	famDatetimeSeconds
	famTimeHM
	famTimeHMS
	famTimeMS
	famInteger
	famNumber
	famNumberComma
	famPattern // checked with a regular expression from patternTypes
)

var (
	reYMD       = lazyre.New(`^(\d{4})-(\d{2})-(\d{2})$`)
	reYMDHM     = lazyre.New(`^(\d{4})-(\d{2})-(\d{2}) (\d{1,2}):(\d{2})$`)
	reYMDHMS    = lazyre.New(`^(\d{4})-(\d{2})-(\d{2}) (\d{1,2}):(\d{2}):(\d{2})$`)
	reSlashDate = lazyre.New(`^(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?)?$`)
	// REDCap's time formats accept a one-digit hour (6:00).
	reTimeHM     = lazyre.New(`^([01]?\d|2[0-3]):[0-5]\d$`)
	reTimeHMS    = lazyre.New(`^([01]?\d|2[0-3]):[0-5]\d:[0-5]\d$`)
	reTimeMS     = lazyre.New(`^[0-5]\d:[0-5]\d$`)
	reInteger    = lazyre.New(`^[-+]?\d+$`)
	reNumber     = lazyre.New(`^[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?$`)
	reNumComma   = lazyre.New(`^[-+]?(?:\d+(?:[.,]\d*)?|[.,]\d+)$`)
	rePipedField = lazyre.New(`^\[[^\[\]]+\](?:\[[^\[\]]+\])*$`)
)

// patternTypes are validation types checked with one regular expression.
var patternTypes = map[string]*lazyre.Regexp{
	"email":      lazyre.New(`^[^@\s]+@[^@\s]+\.[^@\s]+$`),
	"phone":      lazyre.New(`^\(?[2-9]\d{2}\)?[\s.-]?\d{3}[\s.-]?\d{4}$`),
	"zipcode":    lazyre.New(`^\d{5}(?:-\d{4})?$`),
	"alpha_only": lazyre.New(`^[A-Za-z]+$`),
	"mrn_10d":    lazyre.New(`^\d{10}$`),
	"ssn":        lazyre.New(`^\d{3}-\d{2}-\d{4}$`),
}

// familyOf returns the min/max format family of validation type t.
func familyOf(t string) family {
	switch {
	case strings.HasPrefix(t, "date_"):
		return famDate
	case strings.HasPrefix(t, "datetime_seconds_"):
		return famDatetimeSeconds
	case strings.HasPrefix(t, "datetime_"):
		return famDatetime
	case t == "time":
		return famTimeHM
	case t == "time_hh_mm_ss":
		return famTimeHMS
	case t == "time_mm_ss":
		return famTimeMS
	case t == "integer":
		return famInteger
	case strings.HasPrefix(t, "number") && strings.HasSuffix(t, "comma_decimal"):
		return famNumberComma
	case t == "number" || strings.HasPrefix(t, "number_") && strings.HasSuffix(t, "dp"):
		return famNumber
	case patternTypes[t] != nil:
		return famPattern
	}
	return famNone
}

// formatName describes what a family's bounds look like, for messages.
var formatName = map[family]string{
	famDate:            "Y-M-D, e.g. 2020-01-31",
	famDatetime:        "Y-M-D H:M, e.g. 2020-01-31 14:05",
	famDatetimeSeconds: "Y-M-D H:M:S, e.g. 2020-01-31 14:05:00",
	famTimeHM:          "HH:MM, e.g. 08:30",
	famTimeHMS:         "HH:MM:SS, e.g. 08:30:00",
	famTimeMS:          "MM:SS, e.g. 04:30",
	famInteger:         "a whole number, e.g. 120",
	famNumber:          "a number, e.g. 37.5",
	famNumberComma:     "a number, e.g. 37,5 or 37.5",
}

// validDate reports whether y-m-d is a calendar date.
func validDate(y, m, d int) bool {
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	return t.Year() == y && int(t.Month()) == m && t.Day() == d
}

func atoi(s string) int { n, _ := strconv.Atoi(s); return n }

// checkYMD checks a Y-M-D[ H:M[:S]] value matched by re.
func checkYMD(re *lazyre.Regexp, v string) bool {
	m := re.FindStringSubmatch(v)
	if m == nil || !validDate(atoi(m[1]), atoi(m[2]), atoi(m[3])) {
		return false
	}
	if len(m) > 4 && (atoi(m[4]) > 23 || atoi(m[5]) > 59) {
		return false
	}
	if len(m) > 6 && atoi(m[6]) > 59 {
		return false
	}
	return true
}

// slashDate re-reads a bound with '/' the way REDCap does: M/D/Y, two-digit
// years get "20" in front, seconds are added for datetime_seconds. It returns
// the value REDCap would store, or ok=false when REDCap cannot read it.
func slashDate(v string, fam family) (string, bool) {
	m := reSlashDate.FindStringSubmatch(strings.TrimSpace(v))
	if m == nil {
		return "", false
	}
	mo, d, y := atoi(m[1]), atoi(m[2]), m[3]
	if len(y) == 2 {
		y = "20" + y
	}
	if !validDate(atoi(y), mo, d) {
		return "", false
	}
	date := fmt.Sprintf("%s-%02d-%02d", y, mo, d)
	hasTime := m[4] != ""
	if hasTime && (atoi(m[4]) > 23 || atoi(m[5]) > 59 || m[6] != "" && atoi(m[6]) > 59) {
		return "", false
	}
	switch fam {
	case famDate:
		if hasTime {
			return "", false
		}
		return date, true
	case famDatetime:
		if !hasTime {
			return "", false
		}
		return fmt.Sprintf("%s %02d:%s", date, atoi(m[4]), m[5]), true
	case famDatetimeSeconds:
		if !hasTime {
			return "", false
		}
		sec := m[6]
		if sec == "" {
			sec = "00"
		}
		return fmt.Sprintf("%s %02d:%s:%s", date, atoi(m[4]), m[5], sec), true
	}
	return "", false
}

// boundFormatOK reports whether v is a valid bound for a type of family fam
// (type name t for pattern types).
func boundFormatOK(v string, fam family, t string) bool {
	switch fam {
	case famDate:
		return checkYMD(reYMD, v)
	case famDatetime:
		return checkYMD(reYMDHM, v)
	case famDatetimeSeconds:
		return checkYMD(reYMDHMS, v)
	case famTimeHM:
		return reTimeHM.MatchString(v)
	case famTimeHMS:
		return reTimeHMS.MatchString(v)
	case famTimeMS:
		return reTimeMS.MatchString(v)
	case famInteger:
		return reInteger.MatchString(v)
	case famNumber:
		return reNumber.MatchString(v)
	case famNumberComma:
		return reNumComma.MatchString(v) || reNumber.MatchString(v)
	case famPattern:
		return patternTypes[t].MatchString(v)
	}
	return true
}

// isSpecialBound reports whether v is one of the bounds REDCap accepts for
// every type: today, now, or a piped [field].
func isSpecialBound(v string) bool {
	return v == "today" || v == "now" || rePipedField.MatchString(v)
}

// resolveValidation returns the type REDCap would store for the text field
// validation h, after lowercasing and legacy mapping.
func resolveValidation(h string) string {
	l := strings.ToLower(strings.TrimSpace(h))
	if n, ok := redcap.LegacyValidation(l); ok {
		return n
	}
	return l
}

// isLegacyValidation reports whether h, trimmed and lowercased, is an old
// validation name REDCap maps.
func isLegacyValidation(h string) bool {
	_, ok := redcap.LegacyValidation(strings.ToLower(strings.TrimSpace(h)))
	return ok
}

// validation checks columns H, I, J: the RC5xx rules.
func (c *checker) validation() {
	for i := range c.d.Fields {
		f := &c.d.Fields[i]
		h := f.Validation
		et := effectiveType(f.FieldType)
		hasH := strings.TrimSpace(h) != ""
		hasBounds := strings.TrimSpace(f.ValidationMin) != "" || strings.TrimSpace(f.ValidationMax) != ""
		switch et {
		case "slider":
			if hasH && h != "number" {
				c.emitf(i, redcap.ColValidation, codeSliderShowNumb, "Write 'number' to show the slider's value, or leave column H empty.",
					"On a slider, column H may only be 'number' (show the value); REDCap silently blanks %s.", quote(h))
			}
			for _, b := range []struct {
				col redcap.Column
				v   string
			}{{redcap.ColValidationMin, f.ValidationMin}, {redcap.ColValidationMax, f.ValidationMax}} {
				if v := strings.TrimSpace(b.v); v != "" && !reInteger.MatchString(v) {
					c.emitf(i, b.col, codeSliderInteger, "Use whole numbers, or leave it blank (0 and 100).",
						"The custom min/max value of a slider must be an integer (positive or negative) or a blank value: %s.", quote(b.v))
				}
			}
			continue
		case "text":
			// checked below
		default:
			if !hasH {
				continue
			}
			allowed := et == "dropdown" && h == "autocomplete" || et == "sql" && h == "autocomplete" || et == "file" && h == "signature"
			if !allowed {
				c.emitf(i, redcap.ColValidation, codeValWrongType, "Clear column H, or make the field a text field.",
					"Only 'text' field types may have validation. The following validation types should be removed from your data dictionary or else their field type should be changed to 'text': %s on a %s field.", quote(h), f.FieldType)
			}
			continue
		}
		if !hasH {
			if hasBounds {
				col := redcap.ColValidationMin
				if strings.TrimSpace(f.ValidationMin) == "" {
					col = redcap.ColValidationMax
				}
				c.emit(i, col, codeValMinNoType,
					"A field validation type is required in order to have a minimum or maximum validation value: this text field has none.",
					"Set a validation type (e.g. integer, date_ymd) or clear min/max.")
			}
			continue
		}
		t := resolveValidation(h)
		switch {
		case c.valTypes[t] && t == strings.TrimSpace(h):
			// as written
		case c.valTypes[t] && isLegacyValidation(h):
			c.emitf(i, redcap.ColValidation, codeValLegacy, fmt.Sprintf("Write %q.", t),
				"REDCap silently stores the legacy validation type %s as %q.", quote(h), t)
		case c.valTypes[t]:
			c.emitf(i, redcap.ColValidation, codeValUpper, fmt.Sprintf("Write %q.", t),
				"REDCap silently lowercases the validation type %s to %q.", quote(h), t)
		default:
			hint := "Use one of REDCap's validation types (e.g. integer, number, date_ymd, email), or list your server's extra types with --validation-types FILE."
			if near := nearest(t, defaultValidationTypes, c.cfg.ValidationTypes); near != "" {
				hint = fmt.Sprintf("Did you mean %q? If %q is a type your server adds, list it with --validation-types FILE.", near, t)
			}
			switch t {
			case "signature":
				hint = "'signature' is only valid on a file field: change the type to file or clear column H."
			case "autocomplete":
				hint = "'autocomplete' is only valid on a dropdown field: change the type to dropdown or clear column H."
			}
			c.emitf(i, redcap.ColValidation, codeValUnknown, hint,
				"The only valid validation types are ... and must all be lower-case. The following are invalid validation types in your data dictionary: %s.", quote(h))
			continue
		}
		c.bounds(i, t)
	}
}

// bounds checks min and max of text row i with validation type t.
func (c *checker) bounds(i int, t string) {
	f := &c.d.Fields[i]
	fam := familyOf(t)
	vals := [2]string{}
	okBoth := true
	for k, b := range []struct {
		col  redcap.Column
		v    string
		name string
	}{{redcap.ColValidationMin, f.ValidationMin, "minimum"}, {redcap.ColValidationMax, f.ValidationMax, "maximum"}} {
		v := strings.TrimSpace(b.v)
		if v == "" || isSpecialBound(v) {
			okBoth = false
			continue
		}
		if (fam == famDate || fam == famDatetime || fam == famDatetimeSeconds) && strings.Contains(v, "/") {
			stored, ok := slashDate(v, fam)
			if !ok {
				what := "date"
				if fam != famDate {
					what = "datetime"
				}
				c.emitf(i, b.col, codeValDateBad, "Write the "+b.name+" as "+formatName[fam]+".",
					"Invalid %s format. (NOTE: Dates must be imported here only in Y-M-D or M/D/Y format): REDCap cannot read the %s %s as M/D/Y.", what, b.name, quote(b.v))
				okBoth = false
				continue
			}
			msg := fmt.Sprintf("REDCap re-reads the %s %s as M/D/Y and stores %q.", b.name, quote(b.v), stored)
			if strings.HasSuffix(t, "_dmy") {
				msg += " The field shows D-M-Y: if you meant day/month, that is a different date."
			}
			c.emit(i, b.col, codeValDateMDY, msg, fmt.Sprintf("Write the %s as Y-M-D: %q (if that is the date you meant).", b.name, stored))
			vals[k] = stored
			continue
		}
		if !boundFormatOK(v, fam, t) {
			hint := "Write the " + b.name + " in the format of the validation type, or use today, now or a [field]."
			if fn, ok := formatName[fam]; ok {
				hint = "Write the " + b.name + " as " + fn + " (or today, now, a [field])."
			}
			c.emitf(i, b.col, codeValFormat, hint,
				"Format for the %s validation value is incorrect because it does not follow the expected format: %s is not a valid %s value.", b.name, quote(b.v), t)
			okBoth = false
			continue
		}
		vals[k] = padHour(v)
	}
	if okBoth && boundGreater(vals[0], vals[1], fam) {
		c.emitf(i, redcap.ColValidationMin, codeValMinMax, "Swap minimum and maximum.",
			"The minimum %q is greater than the maximum %q; no value can be in range.", vals[0], vals[1])
	}
}

// padHour zero-pads a one-digit hour ("6:00" → "06:00", "2020-01-01 6:00"
// → "2020-01-01 06:00") so that bounds compare as strings.
func padHour(v string) string {
	colon := strings.IndexByte(v, ':')
	if colon < 1 {
		return v
	}
	start := strings.LastIndexByte(v[:colon], ' ') + 1
	if colon-start == 1 {
		return v[:start] + "0" + v[start:]
	}
	return v
}

// boundGreater reports whether min > max for comparable families.
func boundGreater(lo, hi string, fam family) bool {
	switch fam {
	case famDate, famDatetime, famDatetimeSeconds, famTimeHM, famTimeHMS, famTimeMS:
		// Fixed-width, zero-padded forms compare as strings.
		return len(lo) == len(hi) && lo > hi
	case famInteger, famNumber, famNumberComma:
		a, err1 := strconv.ParseFloat(strings.Replace(lo, ",", ".", 1), 64)
		b, err2 := strconv.ParseFloat(strings.Replace(hi, ",", ".", 1), 64)
		return err1 == nil && err2 == nil && a > b
	}
	return false
}
