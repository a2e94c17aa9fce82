package api

import "fmt"

// ImpossibleExportError is a dictionary export that no REDCap project can
// give: an empty one (every project has its record-ID field), or one whose
// first field is not the project's record ID. It comes from a proxy, a
// cache or a server fault, and must not be taken as the project's
// dictionary: merged with it, an upload would delete what it leaves out.
type ImpossibleExportError struct {
	Reason string
}

func (e *ImpossibleExportError) Error() string {
	return "the server's dictionary export cannot be the project's: " + e.Reason
}

// Advice says what to do.
func (e *ImpossibleExportError) Advice() string {
	return "Nothing was changed. See what the server answers with rcolpipe export --debug-http, and try again later; " +
		"if it persists, ask your REDCap administrator (a proxy or cache in front of REDCap may be answering)."
}

// checkPlausible refuses an export of the whole dictionary with no field.
func checkPlausible(n int) error {
	if n == 0 {
		return &ImpossibleExportError{Reason: fmt.Sprintf("it has %d fields, and a REDCap project always has at least its record-ID field", n)}
	}
	return nil
}
