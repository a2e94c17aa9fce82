package output

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
)

// The --format values of every command whose result is not a findings
// report (check, upload, diff, run, inspect, rules, plugins info).
const (
	FormatText = "text"
	FormatJSON = "json"
)

// Formats lists the --format values of the results that are not findings.
func Formats() []string { return []string{FormatText, FormatJSON} }

// CheckFormat returns an error naming the wanted values when format is not
// one of Formats.
func CheckFormat(format string) error {
	if slices.Contains(Formats(), format) {
		return nil
	}
	return fmt.Errorf("--format %q: want %s", format, strings.Join(Formats(), " or "))
}

// writeJSON writes v as indented JSON. escapeHTML keeps encoding/json's
// escaping of <, > and & (the formats that had it keep it, byte for byte).
func writeJSON(w io.Writer, v any, escapeHTML bool) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(escapeHTML)
	return enc.Encode(v)
}
