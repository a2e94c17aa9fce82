package redcap

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
)

// HeaderStyle chooses the header row of WriteCSV.
type HeaderStyle int

const (
	// HeaderAPI writes the API keys (field_name, form_name, ...), what
	// REDCap's API exports and imports. No byte-order mark.
	HeaderAPI HeaderStyle = iota
	// HeaderDownload writes the headers of REDCap's Data Dictionary page
	// ("Variable / Field Name", ...), with a UTF-8 byte-order mark as
	// REDCap's download has, so that Excel reads umlauts correctly.
	HeaderDownload
)

// WriteJSON writes the dictionary as REDCap's API does: an array of row
// objects with the 18 API keys in column order (A..R), every value a
// string, UTF-8 without a byte-order mark, indented by two spaces, ending
// with a newline. HTML in labels is written as is, not as \u003c escapes.
func WriteJSON(w io.Writer, d *Dictionary) error {
	fields := d.Fields
	if fields == nil {
		fields = []Field{} // "[]", never "null"
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(fields); err != nil {
		return fmt.Errorf("write JSON: %w", err)
	}
	return nil
}

// WriteCSV writes the dictionary as comma-separated values with the given
// header row, the 18 columns in REDCap's order, LF line ends, and cells
// quoted only where needed. Line breaks inside cells are written as they
// are.
func WriteCSV(w io.Writer, d *Dictionary, style HeaderStyle) error {
	bw := bufio.NewWriter(w)
	if style == HeaderDownload {
		if _, err := bw.WriteString("\uFEFF"); err != nil {
			return fmt.Errorf("write CSV: %w", err)
		}
	}
	cw := csv.NewWriter(bw)
	row := make([]string, NumColumns)
	for i, c := range Columns {
		if style == HeaderDownload {
			row[i] = c.Header
		} else {
			row[i] = c.Key
		}
	}
	if err := cw.Write(row); err != nil {
		return fmt.Errorf("write CSV header: %w", err)
	}
	for i := range d.Fields {
		v := d.Fields[i].Values()
		if err := cw.Write(v[:]); err != nil {
			return fmt.Errorf("write CSV row %d: %w", i+1, err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("write CSV: %w", err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write CSV: %w", err)
	}
	return nil
}
