package output

import (
	"io"

	"github.com/rcolpipe/rcolpipe/redcap"
)

// DictionaryFormats are the --to values of convert, transform and export.
func DictionaryFormats() []string { return []string{"json", "csv", "redcap-csv"} }

// DictionaryWriter returns the writer of a dictionary format: json (API
// keys, columns A..R), csv (API keys as header) or redcap-csv (the Data
// Dictionary page's headers, with BOM).
func DictionaryWriter(format string) (func(io.Writer, *redcap.Dictionary) error, bool) {
	switch format {
	case "json":
		return redcap.WriteJSON, true
	case "csv":
		return func(w io.Writer, d *redcap.Dictionary) error { return redcap.WriteCSV(w, d, redcap.HeaderAPI) }, true
	case "redcap-csv":
		return func(w io.Writer, d *redcap.Dictionary) error { return redcap.WriteCSV(w, d, redcap.HeaderDownload) }, true
	}
	return nil, false
}
