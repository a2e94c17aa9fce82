package sandbox

import (
	"regexp"
	"strings"

	"github.com/rcolpipe/rcolpipe/internal/lazyre"
)

// ValidationType is one row of REDCap's redcap_validation_types table, as
// content=fieldValidation exports it.
type ValidationType struct {
	Name string `json:"validation_type"`
	// Regex is the pattern for text values, without the JavaScript slashes.
	Regex string `json:"regex"`
	// Visible types are listed in REDCap's error message; hidden ones are
	// accepted all the same.
	Visible bool `json:"visible,omitempty"`
}

// The sandbox's own patterns for the 39 types a REDCap install ships with
// (docs/redcap.md#validation-types); written for this emulator, not taken from
// REDCap.
const (
	reDMY   = `(0[1-9]|[12][0-9]|3[01])-(0[1-9]|1[0-2])-[0-9]{4}`
	reMDY   = `(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])-[0-9]{4}`
	reYMD   = `[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])`
	reHM    = `([01][0-9]|2[0-3]):[0-5][0-9]`
	reHMS   = reHM + `:[0-5][0-9]`
	reNumDP = `-?[0-9]+\.[0-9]{`
	reNumCD = `-?[0-9]+,[0-9]{`
)

func defaultValidationTypes() []ValidationType {
	v := func(name, re string) ValidationType {
		return ValidationType{Name: name, Regex: "^" + re + "$", Visible: true}
	}
	h := func(name, re string) ValidationType { return ValidationType{Name: name, Regex: "^" + re + "$"} }
	return []ValidationType{
		v("date_dmy", reDMY),
		v("date_mdy", reMDY),
		v("date_ymd", reYMD),
		v("datetime_dmy", reDMY+" "+reHM),
		v("datetime_mdy", reMDY+" "+reHM),
		v("datetime_ymd", reYMD+" "+reHM),
		v("datetime_seconds_dmy", reDMY+" "+reHMS),
		v("datetime_seconds_mdy", reMDY+" "+reHMS),
		v("datetime_seconds_ymd", reYMD+" "+reHMS),
		v("email", `[^\s@]+@[^\s@]+\.[^\s@]+`),
		v("integer", `[-+]?[0-9]+`),
		v("number", `[-+]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?`),
		v("phone", `\(?[2-9][0-9]{2}\)?[-. ]?[0-9]{3}[-. ]?[0-9]{4}(\s*(x|ext\.?)\s*[0-9]+)?`),
		v("time", `([0-9]|[01][0-9]|2[0-3]):[0-5][0-9]`), // REDCap's own tests use "6:00"
		v("time_hh_mm_ss", reHMS),
		v("zipcode", `[0-9]{5}(-[0-9]{4})?`),
		h("alpha_only", `[a-zA-Z]+`),
		h("mrn_10d", `[0-9]{10}`),
		h("mrn_generic", `[a-zA-Z0-9_-]+`),
		h("number_1dp", reNumDP+`1}`),
		h("number_2dp", reNumDP+`2}`),
		h("number_3dp", reNumDP+`3}`),
		h("number_4dp", reNumDP+`4}`),
		h("number_comma_decimal", `[-+]?[0-9]+(,[0-9]+)?`),
		h("number_1dp_comma_decimal", reNumCD+`1}`),
		h("number_2dp_comma_decimal", reNumCD+`2}`),
		h("number_3dp_comma_decimal", reNumCD+`3}`),
		h("number_4dp_comma_decimal", reNumCD+`4}`),
		h("phone_australia", `(\(0[2-8]\)|0[2-8])\s*[0-9]{4}\s*[0-9]{4}`),
		h("phone_uk", `(\+44\s?|0)([0-9]\s?){9,10}`),
		h("phone_france", `(\+33\s?|0)[1-9](\s?[0-9]{2}){4}`),
		h("postalcode_australia", `[0-9]{4}`),
		h("postalcode_canada", `[A-Za-z][0-9][A-Za-z]\s?[0-9][A-Za-z][0-9]`),
		h("postalcode_uk", `[A-Za-z]{1,2}[0-9][A-Za-z0-9]?\s?[0-9][A-Za-z]{2}`),
		h("postalcode_french", `[0-9]{5}`),
		h("postalcode_germany", `[0-9]{5}`),
		h("ssn", `[0-9]{3}-[0-9]{2}-[0-9]{4}`),
		h("time_mm_ss", `[0-5][0-9]:[0-5][0-9]`),
		h("vmrn", `[0-9]{4,9}`),
	}
}

// validationTable is the accepted validation types with compiled patterns.
type validationTable struct {
	types   []ValidationType
	byName  map[string]*regexp.Regexp
	visible []string
}

func newValidationTable(extra []ValidationType) *validationTable {
	t := &validationTable{byName: map[string]*regexp.Regexp{}}
	for _, vt := range append(defaultValidationTypes(), extra...) {
		re, err := regexp.Compile(vt.Regex)
		if err != nil {
			// An unusable pattern (from a state file) accepts anything,
			// as REDCap's PHP check would error out rather than reject.
			re = regexp.MustCompile(``)
		}
		if _, dup := t.byName[vt.Name]; dup {
			continue
		}
		t.types = append(t.types, vt)
		t.byName[vt.Name] = re
		if vt.Visible {
			t.visible = append(t.visible, vt.Name)
		}
	}
	return t
}

// isNumberType reports whether any numeric min/max is accepted for t.
func isNumberType(t string) bool {
	return t == "integer" || strings.HasPrefix(t, "number")
}

func isDateType(t string) bool {
	return strings.HasPrefix(t, "date_") || strings.HasPrefix(t, "datetime_")
}

var phpNumeric = lazyre.New(`^\s*[-+]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?$`)

// isNumeric mirrors PHP's is_numeric for the strings that matter here.
func isNumeric(s string) bool { return phpNumeric.MatchString(s) }
