package redcap

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"unicode/utf8"
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
// with a newline. Strings are escaped as encoding/json does without HTML
// escaping (TestWriteJSONMatchesEncodingJSON checks it); written by hand
// because encoding/json's indenting pass made it the slowest step.
func WriteJSON(w io.Writer, d *Dictionary) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	if len(d.Fields) == 0 {
		bw.WriteString("[]\n")
	} else {
		buf := make([]byte, 0, 1024)
		bw.WriteString("[\n")
		for i := range d.Fields {
			buf = append(buf[:0], "  {\n"...)
			f := &d.Fields[i]
			for c := Column(0); c < NumColumns; c++ {
				buf = append(buf, "    \""...)
				buf = append(buf, Columns[c].Key...)
				buf = append(buf, "\": "...)
				buf = appendJSONString(buf, f.Get(c))
				if c < NumColumns-1 {
					buf = append(buf, ',')
				}
				buf = append(buf, '\n')
			}
			buf = append(buf, "  }"...)
			if i < len(d.Fields)-1 {
				buf = append(buf, ',')
			}
			buf = append(buf, '\n')
			bw.Write(buf)
		}
		bw.WriteString("]\n")
	}
	// bufio.Writer keeps the first error; Flush returns it.
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write JSON: %w", err)
	}
	return nil
}

// appendJSONString appends s as a JSON string: quote and backslash escaped,
// control characters as \n, \r, \t, \b, \f or \u00XX, U+2028 and U+2029
// escaped (JavaScript line terminators), bytes that are not UTF-8 as
// \ufffd, everything else (HTML included) as it is.
func appendJSONString(dst []byte, s string) []byte {
	const hexDigits = "0123456789abcdef"
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch c {
			case '"', '\\':
				dst = append(dst, '\\', c)
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			case '\b':
				dst = append(dst, '\\', 'b')
			case '\f':
				dst = append(dst, '\\', 'f')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
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
