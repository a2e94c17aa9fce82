package logic

import "strings"

// functions is REDCap's function whitelist (LogicParser::$allowedFunctions,
// 15.7.6) plus the internal names REDCap itself rewrites logic into, which
// therefore also pass its check.
var functions = map[string]bool{
	"if": true, "datediff": true, "calcdate": true, "calctext": true,
	"round": true, "roundup": true, "rounddown": true, "sqrt": true,
	"abs": true, "min": true, "max": true, "mean": true, "median": true,
	"sum": true, "stdev": true, "mod": true, "log": true,
	"exponential": true, "pow": true, "isnumber": true, "isinteger": true,
	"year": true, "month": true, "day": true, "contains": true,
	"not_contain": true, "starts_with": true, "ends_with": true,
	"left": true, "right": true, "length": true, "mid": true, "find": true,
	"concat": true, "concat_ws": true, "upper": true, "lower": true,
	"trim": true, "replace_text": true, "isblankormissingcode": true,
	"isblanknotmissingcode": true, "hasmissingcode": true,
	"ismissingcode": true, "is_nan": true,
	// internal
	"logRC": true, "roundRC": true, "minRC": true, "maxRC": true,
	"powRC": true, "yearRC": true, "monthRC": true, "dayRC": true,
	"chkNull": true, "chkNullCompare": true, "is_nan_null": true,
}

// arity is the number of arguments of each function the evaluator (eval.go)
// and the JavaScript translation compute: min, max
// (-1: any number).
var arity = map[string][2]int{
	"if": {3, 3}, "datediff": {3, 5},
	"round": {1, 2}, "roundup": {1, 2}, "rounddown": {1, 2},
	"sqrt": {1, 1}, "abs": {1, 1}, "exponential": {1, 1}, "log": {1, 2},
	"mod": {2, 2}, "pow": {2, 2},
	"min": {1, -1}, "max": {1, -1}, "sum": {1, -1}, "mean": {1, -1},
	"median": {1, -1}, "stdev": {1, -1},
	"isnumber": {1, 1}, "isinteger": {1, 1}, "is_nan": {1, 1},
	"year": {1, 1}, "month": {1, 1}, "day": {1, 1},
	"contains": {2, 2}, "not_contain": {2, 2}, "starts_with": {2, 2}, "ends_with": {2, 2},
	"left": {2, 2}, "right": {2, 2}, "mid": {3, 3}, "length": {1, 1}, "find": {2, 2},
	"concat": {1, -1}, "concat_ws": {2, -1}, "upper": {1, 1}, "lower": {1, 1}, "trim": {1, 1},
	fnIsBlankOrMissingCode: {1, 1}, fnIsBlankNotMissingCode: {1, 1},
	"hasmissingcode": {1, 1}, "ismissingcode": {1, 1},
}

// The names of functions eval.go refers to by name outside the table.
const (
	fnIsBlankOrMissingCode  = "isblankormissingcode"
	fnIsBlankNotMissingCode = "isblanknotmissingcode"
)

// IsFunction reports whether name is a function REDCap allows in branching
// logic and calc equations. The match is case-sensitive: REDCap translates
// logic to JavaScript and PHP function names as written.
func IsFunction(name string) bool { return functions[name] }

// smartVariables are the Smart Variables REDCap accepts in brackets
// (Piping::getSpecialTagsInfo). Names with a parameter (survey-url:form)
// are listed without it.
var smartVariables = map[string]bool{
	"user-name": true, "user-fullname": true, "user-first-name": true,
	"user-last-name": true, "user-email": true,
	"user-dag-name": true, "user-dag-id": true, "user-dag-label": true,
	"user-role-id": true, "user-role-name": true, "user-role-label": true,
	"record-name": true, "record-dag-name": true, "record-dag-id": true,
	"record-dag-label": true,
	"is-form":          true, "is-survey": true,
	"instrument-name": true, "instrument-label": true,
	"event-id": true, "event-number": true, "event-name": true, "event-label": true,
	"previous-event-name": true, "previous-event-label": true,
	"next-event-name": true, "next-event-label": true,
	"first-event-name": true, "first-event-label": true,
	"last-event-name": true, "last-event-label": true,
	"arm-number": true, "arm-label": true,
	"previous-instance": true, "current-instance": true, "next-instance": true,
	"first-instance": true, "last-instance": true, "new-instance": true,
	"survey-url": true, "survey-link": true, "survey-queue-url": true,
	"survey-queue-link": true, "survey-return-code": true,
	"survey-access-code": true, "survey-title": true,
	"survey-date-completed": true, "survey-time-completed": true,
	"survey-date-started": true, "survey-time-started": true,
	"survey-duration": true, "survey-duration-completed": true,
	"form-url": true, "form-link": true,
	"aggregate-min": true, "aggregate-max": true, "aggregate-mean": true,
	"aggregate-median": true, "aggregate-sum": true, "aggregate-count": true,
	"aggregate-stdev": true, "aggregate-unique": true,
	"rand-number": true, "rand-time": true, "rand-utc-time": true,
	"project-id": true, "redcap-base-url": true, "redcap-version": true,
	"redcap-version-url": true, "survey-base-url": true,
	"data-table": true, "stats-table": true, "scatter-plot": true,
	"bar-chart": true, "line-chart": true, "pie-chart": true, "donut-chart": true,
	"calendar-url": true, "calendar-link": true,
}

// IsSmartVariable reports whether name (without brackets or parameters,
// e.g. "record-name" or "survey-url") is a Smart Variable REDCap knows.
// MyCap variables are matched by their "mycap-" prefix.
func IsSmartVariable(name string) bool {
	return smartVariables[name] || (strings.HasPrefix(name, "mycap-") && len(name) > len("mycap-"))
}

// fieldParamSmartVariables take a field name (or a comma-separated list of
// field names) as their first parameter: [aggregate-mean:age]. Rename and
// Refs treat those names as field references.
var fieldParamSmartVariables = map[string]bool{
	"aggregate-min": true, "aggregate-max": true, "aggregate-mean": true,
	"aggregate-median": true, "aggregate-sum": true, "aggregate-count": true,
	"aggregate-stdev": true, "aggregate-unique": true,
	"stats-table": true, "scatter-plot": true, "bar-chart": true,
	"line-chart": true, "pie-chart": true, "donut-chart": true,
}

// instanceNames are the Smart Variables that may stand in the instance
// position of [field][instance].
var instanceNames = map[string]bool{
	"previous-instance": true, "current-instance": true, "next-instance": true,
	"first-instance": true, "last-instance": true, "new-instance": true,
}

// isEventQualifier reports whether a smart name may stand in the event
// position of [event][field]: [previous-event-name][age].
func isEventQualifier(name string) bool {
	return strings.HasSuffix(name, "event-name") && smartVariables[name]
}

// Arity is how many arguments a function takes: Min to Max, Max -1 for any
// number.
type Arity struct{ Min, Max int }

// functionArity gives the argument counts of the documented functions
// (REDCap's "Special functions" help, 15.7.6). The internal names REDCap
// rewrites logic into are not listed: nobody writes them.
var functionArity = map[string]Arity{
	"if": {3, 3}, "datediff": {3, 5}, "calcdate": {3, 3}, "calctext": {1, 1},
	"round": {1, 2}, "roundup": {1, 2}, "rounddown": {1, 2}, "sqrt": {1, 1},
	"abs": {1, 1}, "min": {1, -1}, "max": {1, -1}, "mean": {1, -1}, "median": {1, -1},
	"sum": {1, -1}, "stdev": {1, -1}, "mod": {2, 2}, "log": {1, 2},
	"exponential": {1, 1}, "pow": {2, 2}, "isnumber": {1, 1}, "isinteger": {1, 1},
	"year": {1, 1}, "month": {1, 1}, "day": {1, 1}, "contains": {2, 2},
	"not_contain": {2, 2}, "starts_with": {2, 2}, "ends_with": {2, 2},
	"left": {2, 2}, "right": {2, 2}, "length": {1, 1}, "mid": {3, 3}, "find": {2, 2},
	"concat": {1, -1}, "concat_ws": {2, -1}, "upper": {1, 1}, "lower": {1, 1},
	"trim": {1, 1}, "replace_text": {3, 3}, "isblankormissingcode": {1, 1},
	"isblanknotmissingcode": {1, 1}, "hasmissingcode": {1, 1},
	"ismissingcode": {1, 1}, "is_nan": {1, 1},
}

// FunctionArity returns how many arguments the function name takes, and
// whether rcolpipe knows it (the internal names are not known).
func FunctionArity(name string) (Arity, bool) {
	a, ok := functionArity[name]
	return a, ok
}

// dateUnits are the units of datediff and calcdate with their length in
// seconds: years, months, days, hours, minutes, seconds (case-sensitive:
// "M" months, "m" minutes; a year and a month are REDCap's averages).
var dateUnits = map[string]float64{"y": 365.2425 * 86400, "M": 30.44 * 86400, "d": 86400, "h": 3600, "m": 60, "s": 1}

// IsDateUnit reports whether u is a unit datediff and calcdate accept.
func IsDateUnit(u string) bool { _, ok := dateUnits[u]; return ok }
