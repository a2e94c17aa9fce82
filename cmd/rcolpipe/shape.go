package main

import (
	"bytes"
	"strings"

	"github.com/rcolpipe/rcolpipe/redcap"
)

// csvShape is what fmt keeps of a CSV file, and transform -o of its
// inputs: the byte-order mark, delimiter, line ends and header style.
type csvShape struct {
	bom      bool
	delim    rune
	crlf     bool
	download bool // the Data Dictionary page's headers, not API keys
}

// sniffCSVShape reads the shape of a CSV dictionary from its first line.
func sniffCSVShape(data []byte) csvShape {
	text := strings.TrimPrefix(string(data), "\uFEFF")
	firstLine, _, _ := strings.Cut(text, "\n")
	shape := csvShape{
		bom:      bytes.HasPrefix(data, []byte("\uFEFF")),
		crlf:     strings.HasSuffix(firstLine, "\r"),
		delim:    ',',
		download: !strings.Contains(strings.ToLower(firstLine), "field_name"),
	}
	best := strings.Count(firstLine, ",")
	for _, r := range []rune{';', '\t'} {
		if n := strings.Count(firstLine, string(r)); n > best {
			shape.delim, best = r, n
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

// sharedCSVShape returns the shape every input file has in common: ok is
// false when one of them is not CSV (JSON, an instrument ZIP) or their
// shapes differ. stdinHead is the start of standard input, read for
// StdinName.
func sharedCSVShape(files []string, stdinHead []byte) (shape csvShape, ok bool) {
	for i, f := range files {
		var data []byte
		switch {
		case f == redcap.StdinName:
			data = stdinHead
		case strings.Contains(f, "!"):
			if _, _, member := redcap.ZIPMember(f); member {
				return csvShape{}, false
			}
			fallthrough
		default:
			d, err := redcap.ReadSmallFile(f, redcap.MaxFileBytes)
			if err != nil {
				return csvShape{}, false
			}
			data = d
		}
		if !isCSVText(data) {
			return csvShape{}, false
		}
		s := sniffCSVShape(data)
		if i > 0 && s != shape {
			return csvShape{}, false
		}
		shape = s
	}
	return shape, len(files) > 0
}

// headBuffer keeps the first bytes written to it (for a tee of standard
// input) and drops the rest.
type headBuffer struct {
	buf []byte
	max int
}

func (h *headBuffer) Write(p []byte) (int, error) {
	if room := h.max - len(h.buf); room > 0 {
		h.buf = append(h.buf, p[:min(room, len(p))]...)
	}
	return len(p), nil
}
