package dictfmt

import (
	"bytes"
	"encoding/csv"
	"io"
	"strings"

	"github.com/rcolpipe/rcolpipe/redcap"
)

// CSVShape is what fmt keeps of a CSV file, and transform -o of its
// inputs: the byte-order mark, delimiter, line ends and header style.
type CSVShape struct {
	BOM      bool
	Delim    rune
	CRLF     bool
	Download bool // the Data Dictionary page's headers, not API keys
}

// SniffCSVShape reads the shape of a CSV dictionary from its first line.
func SniffCSVShape(data []byte) CSVShape {
	text := strings.TrimPrefix(string(data), "\uFEFF")
	firstLine, _, _ := strings.Cut(text, "\n")
	shape := CSVShape{
		BOM:      bytes.HasPrefix(data, []byte("\uFEFF")),
		CRLF:     strings.HasSuffix(firstLine, "\r"),
		Delim:    ',',
		Download: !strings.Contains(strings.ToLower(firstLine), "field_name"),
	}
	best := strings.Count(firstLine, ",")
	for _, r := range []rune{';', '\t'} {
		if n := strings.Count(firstLine, string(r)); n > best {
			shape.Delim, best = r, n
		}
	}
	return shape
}

// isCSVText reports whether data is a text dictionary that is not JSON (the
// readers sniff the same way: a ZIP by its signature, JSON by [ or {).
func isCSVText(data []byte) bool {
	if bytes.HasPrefix(data, []byte("PK")) {
		return false
	}
	t := strings.TrimLeft(strings.TrimPrefix(string(data), "\uFEFF"), " \t\r\n")
	return t != "" && t[0] != '[' && t[0] != '{'
}

// SharedCSVShape returns the shape every input file has in common: ok is
// false when one of them is not CSV (JSON, an instrument ZIP) or their
// shapes differ. stdinHead is the start of standard input, read for
// redcap.StdinName.
func SharedCSVShape(files []string, stdinHead []byte) (shape CSVShape, ok bool) {
	for i, f := range files {
		var data []byte
		switch {
		case f == redcap.StdinName:
			data = stdinHead
		case strings.Contains(f, "!"):
			if _, _, member := redcap.ZIPMember(f); member {
				return CSVShape{}, false
			}
			fallthrough
		default:
			d, err := redcap.ReadSmallFile(f, redcap.MaxFileBytes)
			if err != nil {
				return CSVShape{}, false
			}
			data = d
		}
		if !isCSVText(data) {
			return CSVShape{}, false
		}
		s := SniffCSVShape(data)
		if i > 0 && s != shape {
			return CSVShape{}, false
		}
		shape = s
	}
	return shape, len(files) > 0
}

// WriteCSV writes d as CSV of the given shape: REDCap's 18 columns in
// REDCap's order, quotes only where needed.
func WriteCSV(w io.Writer, d *redcap.Dictionary, s CSVShape) error {
	if s.BOM {
		if _, err := io.WriteString(w, "\uFEFF"); err != nil {
			return err
		}
	}
	cw := csv.NewWriter(w)
	cw.Comma, cw.UseCRLF = s.Delim, s.CRLF
	row := make([]string, redcap.NumColumns)
	for i, c := range redcap.Columns {
		row[i] = c.Key
		if s.Download {
			row[i] = c.Header
		}
	}
	if err := cw.Write(row); err != nil {
		return err
	}
	for i := range d.Fields {
		v := d.Fields[i].Values()
		if err := cw.Write(v[:]); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// HeadBuffer keeps the first Max bytes written to it (for a tee of
// standard input) and drops the rest.
type HeadBuffer struct {
	Max int
	buf []byte
}

func (h *HeadBuffer) Write(p []byte) (int, error) {
	if room := h.Max - len(h.buf); room > 0 {
		h.buf = append(h.buf, p[:min(room, len(p))]...)
	}
	return len(p), nil
}

// Bytes returns what was kept.
func (h *HeadBuffer) Bytes() []byte { return h.buf }
