package redcap

// This file is the one home of REDCap's tables that rcolpipe relies on:
// reserved field names, field types, validation types and their legacy
// names. The validator (pipeline/rules), the metadata client (redcap/api),
// the bundled plugins and `inspect` read them from here; a test
// (TestFactsDefinedOnce) fails when one of them is written out anywhere
// else. The sandbox uses them too; it keeps a copy only of the validation
// types, with patterns, as the server's own table (its package doc says why).
// Source: REDCap 15.7.6, as described in docs/redcap.md.

// reservedFieldNameList are the field names REDCap refuses
// (Project::$reserved_field_names), in REDCap's order.
var reservedFieldNameList = [...]string{
	"redcap_event_name", "redcap_csrf_token", "redcap_survey_timestamp",
	"redcap_survey_identifier", "redcap_survey_return_code",
	"redcap_data_access_group", "hidden_edit_flag", "instance",
	"redcap_repeat_instance", "redcap_repeat_instrument", "submit",
	"new", "return", "continue", "case", "switch",
	"class", "enum", "catch", "throw", "document",
	"super", "focus", "elements", "action", "event_id",
	"target", "field_label",
}

var reservedFieldNames = func() map[string]bool {
	m := make(map[string]bool, len(reservedFieldNameList))
	for _, n := range reservedFieldNameList {
		m[n] = true
	}
	return m
}()

// IsReservedFieldName reports whether REDCap refuses name as a field name
// in every project. Besides these, REDCap refuses <form>_complete for a form
// of the dictionary and <form>_timestamp and <form>_return_code for a form
// already in the project (FormReservedSuffixes).
func IsReservedFieldName(name string) bool { return reservedFieldNames[name] }

// ReservedFieldNames returns the names IsReservedFieldName accepts, in
// REDCap's order; a new slice each call.
func ReservedFieldNames() []string { return append([]string(nil), reservedFieldNameList[:]...) }

// FormCompleteSuffix makes the status field REDCap adds after each form's
// last field: <form>_complete. No field may take that name.
const FormCompleteSuffix = "_complete"

// FormReservedSuffixes make the names REDCap reserves for every form that is
// in the project: <form>_timestamp and <form>_return_code.
var FormReservedSuffixes = [...]string{"_timestamp", "_return_code"}

// fieldTypes are the types REDCap accepts in column D (case-sensitive; sql
// only from administrators, advcheckbox undocumented).
var fieldTypes = map[string]bool{
	"text": true, "notes": true, "radio": true, "dropdown": true, "calc": true, "file": true,
	"checkbox": true, "yesno": true, "truefalse": true, "descriptive": true, "slider": true,
	"sql": true, "advcheckbox": true,
}

// IsFieldType reports whether REDCap accepts t, as written, as a field type
// (legacy names excluded: see LegacyFieldType).
func IsFieldType(t string) bool { return fieldTypes[t] }

// LegacyFieldType returns the type REDCap silently stores for an old type
// name it still accepts (select → dropdown, textarea → notes), and whether
// t is one.
func LegacyFieldType(t string) (string, bool) {
	// A switch, not a map: the validator calls this several times per row.
	switch t {
	case "select":
		return "dropdown", true
	case "textarea":
		return "notes", true
	}
	return "", false
}

// StoredFieldType is the type REDCap stores for t: t with a legacy name
// mapped, anything else unchanged.
func StoredFieldType(t string) string {
	if s, ok := LegacyFieldType(t); ok {
		return s
	}
	return t
}

// ClearsChoices reports whether REDCap empties column F (choices) of a field
// of stored type t on import.
func ClearsChoices(t string) bool {
	switch t {
	case "notes", "file", "yesno", "truefalse", "descriptive":
		return true
	}
	return false
}

// HasCodedChoices reports whether column F of a field of stored type t holds
// "code, label" options: radio, dropdown and checkbox.
func HasCodedChoices(t string) bool {
	switch t {
	case "radio", "dropdown", "checkbox":
		return true
	}
	return false
}

// IsYesNoLike reports whether a field of type t stores 1 or 0 without
// column F choices: yesno and truefalse.
func IsYesNoLike(t string) bool {
	return t == "yesno" || t == "truefalse"
}

// IsMultipleChoice reports whether REDCap treats a field of stored type t as
// multiple choice, whose column F must not be empty: the HasCodedChoices
// types, sql (column F holds the query) and advcheckbox.
func IsMultipleChoice(t string) bool {
	return HasCodedChoices(t) || t == "sql" || t == "advcheckbox"
}

// defaultValidationTypes are the 39 rows of redcap_validation_types in a
// default REDCap installation (visible and hidden), in the table's order.
var defaultValidationTypes = [...]string{
	"date_dmy", "date_mdy", "date_ymd", "datetime_dmy", "datetime_mdy", "datetime_ymd",
	"datetime_seconds_dmy", "datetime_seconds_mdy", "datetime_seconds_ymd", "email", "integer",
	"number", "phone", "time", "time_hh_mm_ss", "zipcode",
	"alpha_only", "mrn_10d", "mrn_generic", "number_1dp", "number_2dp", "number_3dp", "number_4dp",
	"number_comma_decimal", "number_1dp_comma_decimal", "number_2dp_comma_decimal",
	"number_3dp_comma_decimal", "number_4dp_comma_decimal", "phone_australia", "phone_uk",
	"phone_france", "postalcode_australia", "postalcode_canada", "postalcode_uk",
	"postalcode_french", "postalcode_germany", "ssn", "time_mm_ss", "vmrn",
}

// DefaultValidationTypes returns the validation types of a default REDCap
// installation (a site may add more), in the table's order; a new slice
// each call.
func DefaultValidationTypes() []string {
	return append([]string(nil), defaultValidationTypes[:]...)
}

// LegacyValidation returns the validation type REDCap stores for an old
// name it still accepts on text fields (int → integer, float → number,
// date/datetime/datetime_seconds → *_ymd), and whether v (lower case) is one.
func LegacyValidation(v string) (string, bool) {
	switch v {
	case "int":
		return "integer", true
	case "float":
		return "number", true
	case "date", "datetime", "datetime_seconds":
		return v + "_ymd", true
	}
	return "", false
}
