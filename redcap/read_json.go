package redcap

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// readJSON reads a JSON array of row objects (REDCap's API export). Keys are
// mapped by name (API keys, download headers, rcol's "choices"); rows may
// lack keys, which read as empty. Strings are taken as they are, numbers as
// their literal text, null as empty. A row's Origin.Line is the file line
// where its object starts, Origin.Row its 1-based index in the array.
func readJSON(name, text string) (*Dictionary, Diagnostics) {
	if d, diags, ok := readJSONFast(name, text); ok {
		return d, diags
	}
	return readJSONStream(name, text)
}

// readJSONFast reads the common case, a well-formed array of flat objects
// whose values are strings, numbers or null, in one pass without
// reflection (about ten times faster than walking encoding/json tokens).
// ok is false at the first thing it does not expect (a syntax error, a
// boolean, a nested value, a column given twice); readJSONStream then reads
// the file again to find and name the problem. Both give the same result on
// what this reads (FuzzReadJSON checks that). Anything over a limit
// (MaxRows, MaxCellBytes) is also left to readJSONStream, which names it.
func readJSONFast(name, text string) (*Dictionary, Diagnostics, bool) {
	p := jsonScanner{s: text}
	p.space()
	if !p.eat('[') {
		return nil, nil, false
	}
	rows := newJSONRows(&Dictionary{Files: []string{name}, Fields: make([]Field, 0, min(strings.Count(text, "{"), MaxRows))})
	lines := lineCounter{text: text}
	row := 0
	p.space()
	if !p.eat(']') {
		for {
			row++
			p.space()
			start := p.i
			if row > MaxRows || !p.eat('{') {
				return nil, nil, false
			}
			var f Field
			var seen [NumColumns]bool
			p.space()
			if !p.eat('}') {
				for {
					p.space()
					key, ok := p.str()
					if !ok || len(key) > MaxCellBytes {
						return nil, nil, false
					}
					p.space()
					if !p.eat(':') {
						return nil, nil, false
					}
					p.space()
					val, ok := p.scalar()
					if !ok || len(val) > MaxCellBytes {
						return nil, nil, false
					}
					if col, known := columnForHeader(key); known {
						if seen[col] {
							return nil, nil, false
						}
						seen[col] = true
						rows.anyKnown = true
						f.Set(col, val)
					} else {
						rows.extra(key)
					}
					p.space()
					if p.eat('}') {
						break
					}
					if !p.eat(',') {
						return nil, nil, false
					}
				}
			}
			rows.add(&f, row, lines.at(start))
			p.space()
			if p.eat(']') {
				break
			}
			if !p.eat(',') {
				return nil, nil, false
			}
		}
	}
	p.space()
	if p.i != len(p.s) {
		return nil, nil, false
	}
	d, diags := rows.finish(nil, row, false)
	return d, diags, true
}

// jsonScanner reads the JSON subset of readJSONFast. It is one of three
// hand-written JSON scanners, each with its own job: this one reads
// dictionary files, where keys are matched by column key or download
// header, numbers and null are cells, and every problem must become a
// diagnostic naming the file and row (by re-reading with readJSONStream).
// redcap/api's fastDecoder reads only REDCap's own metadata export and must
// give exactly what encoding/json gives into Field; redcap/sandbox's
// jsonReader is the server's independent PHP-flavoured parser (an oracle
// for the client), so it shares nothing with the client's two.
type jsonScanner struct {
	s string
	i int
}

func (p *jsonScanner) space() {
	for p.i < len(p.s) {
		switch p.s[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

func (p *jsonScanner) eat(c byte) bool {
	if p.i < len(p.s) && p.s[p.i] == c {
		p.i++
		return true
	}
	return false
}

// str reads a string. Without escapes it is a slice of the input; with
// escapes encoding/json decodes it, so that both readers agree on \u
// sequences and broken surrogates.
func (p *jsonScanner) str() (string, bool) {
	if !p.eat('"') {
		return "", false
	}
	start := p.i
	escaped := false
	for p.i < len(p.s) {
		c := p.s[p.i]
		switch {
		case c == '"':
			raw := p.s[start:p.i]
			p.i++
			if !escaped {
				return raw, true
			}
			var v string
			if err := json.Unmarshal([]byte(p.s[start-1:p.i]), &v); err != nil {
				return "", false
			}
			return v, true
		case c == '\\':
			escaped = true
			p.i += 2
		case c < 0x20:
			return "", false
		default:
			p.i++
		}
	}
	return "", false
}

// scalar reads a string, a number (as its literal text) or null (as "").
func (p *jsonScanner) scalar() (string, bool) {
	if p.i >= len(p.s) {
		return "", false
	}
	switch c := p.s[p.i]; {
	case c == '"':
		return p.str()
	case c == 'n':
		if strings.HasPrefix(p.s[p.i:], "null") {
			p.i += 4
			return "", true
		}
		return "", false
	case c == '-' || (c >= '0' && c <= '9'):
		return p.number()
	}
	return "", false
}

// number reads -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?.
func (p *jsonScanner) number() (string, bool) {
	start := p.i
	p.eat('-')
	switch {
	case p.eat('0'):
	case p.digits() == 0:
		return "", false
	}
	if p.eat('.') && p.digits() == 0 {
		return "", false
	}
	if p.eat('e') || p.eat('E') {
		if !p.eat('+') {
			p.eat('-')
		}
		if p.digits() == 0 {
			return "", false
		}
	}
	return p.s[start:p.i], true
}

func (p *jsonScanner) digits() int {
	n := 0
	for p.i < len(p.s) && p.s[p.i] >= '0' && p.s[p.i] <= '9' {
		p.i++
		n++
	}
	return n
}

// badJSONValue reports a value that is not a string, number or null.
func badJSONValue(name string, row, line int, key, kind string, col Column, known bool) Diagnostic {
	c := ""
	if known {
		c = col.Key()
	}
	return Diagnostic{Severity: SeverityError, Code: CodeBadJSONValue, File: name, Line: line, Row: row, Stage: StageLoad, Column: c,
		Message: fmt.Sprintf("row %d, key %s: value is %s; expected a string, number or null", row, excerpt(key), kind),
		Hint:    "write the value as a string, e.g. \"y\" or \"\""}
}

// duplicateJSONKey reports two keys of one row that name the same column.
func duplicateJSONKey(name string, row, line int, first, second string, col Column) Diagnostic {
	return Diagnostic{Severity: SeverityError, Code: CodeDuplicateColumn, File: name, Line: line, Row: row, Stage: StageLoad, Column: col.Key(),
		Message: fmt.Sprintf("row %d: keys %s and %s are both %s", row, excerpt(first), excerpt(second), col.Key()),
		Hint:    "keep one of the two keys"}
}

// jsonRows collects the rows of a JSON file and what the file-level
// diagnostics need; both JSON readers use it, so that they agree.
type jsonRows struct {
	d         *Dictionary
	rc        rowChecker
	extras    []string // keys that are not REDCap columns, quoted, in order
	extraSeen map[string]bool
	// extraOverflow: more than maxExtraKeys such keys, the rest not kept.
	extraOverflow bool
	anyKnown      bool // some key is a REDCap column
	firstData     int  // the first row that is not blank
}

func newJSONRows(d *Dictionary) *jsonRows {
	return &jsonRows{d: d, rc: rowChecker{name: d.Files[0], order: allColumns()}, extraSeen: map[string]bool{}}
}

// maxExtraKeys caps the distinct unknown keys a JSON reader remembers, so
// that a file of millions of distinct keys cannot fill memory with them.
const maxExtraKeys = 1000

// extra notes a key that is not a REDCap column.
func (j *jsonRows) extra(key string) {
	if j.extraSeen[key] {
		return
	}
	if len(j.extraSeen) >= maxExtraKeys {
		j.extraOverflow = true
		return
	}
	j.extraSeen[key] = true
	j.extras = append(j.extras, excerpt(key))
}

// add checks row number row, whose object starts on line line, and keeps
// it unless it is blank.
func (j *jsonRows) add(f *Field, row, line int) {
	if !j.rc.finish(f, func(c Column) string { return fmt.Sprintf("row %d %s", row, c.Key()) }) {
		return
	}
	if j.firstData == 0 {
		j.firstData = line
	}
	f.Origin = Origin{File: j.rc.name, Line: line, Row: row}
	j.d.Fields = append(j.d.Fields, *f)
}

// finish adds the file-level findings of a JSON file read to its end;
// rows is the number of row objects.
func (j *jsonRows) finish(diags Diagnostics, rows int, hadValueErrors bool) (*Dictionary, Diagnostics) {
	d, name := j.d, j.rc.name
	if hadValueErrors {
		d.Fields = nil
		return d, diags
	}
	if rows > 0 && !j.anyKnown {
		shown := j.extras
		if len(shown) > 5 {
			shown = shown[:5]
		}
		diags = append(diags, Diagnostic{Severity: SeverityError, Code: CodeBadHeader, File: name, Line: 1, Stage: StageLoad,
			Message: fmt.Sprintf("no key of the row objects is a REDCap column; expected field_name, form_name, ... but found %s", strings.Join(shown, ", ")),
			Hint:    "use REDCap's API keys (field_name, form_name, section_header, field_type, field_label, ...)"})
		d.Fields = nil
		return d, diags
	}
	if len(d.Fields) == 0 {
		diags = append(diags, Diagnostic{Severity: SeverityError, Code: CodeEmptyInput, File: name, Stage: StageLoad,
			Message: "JSON array has no rows", Hint: "a dictionary needs at least one field"})
		return d, diags
	}
	if len(j.extras) > 0 {
		msg := "keys that are not REDCap columns were ignored: " + capList(j.extras, 10, ", ")
		if j.extraOverflow {
			msg += fmt.Sprintf(" (counting stopped at %d distinct keys)", maxExtraKeys)
		}
		diags = append(diags, Diagnostic{Severity: SeverityWarning, Code: CodeExtraColumns, File: name, Line: 1, Stage: StageLoad,
			Message: msg,
			Hint:    "remove them before uploading with another tool: REDCap maps keys by position"})
	}
	return d, append(diags, j.rc.diagnostics(j.firstData)...)
}

// readJSONStream walks the tokens, so that it can say where the JSON stops
// being an array of row objects.
func readJSONStream(name, text string) (*Dictionary, Diagnostics) {
	d := &Dictionary{Files: []string{name}}
	var diags Diagnostics
	structural := func(row int, off int64, msg string) (*Dictionary, Diagnostics) {
		line, col := lineColumnAt(text, int(off))
		diags = append(diags, Diagnostic{Severity: SeverityError, Code: CodeNotJSONArray, File: name, Line: line, Row: row, Stage: StageLoad,
			Message: fmt.Sprintf("line %d, column %d: %s", line, col, msg),
			Hint:    "a JSON dictionary is an array of objects with API keys: [{\"field_name\": \"record_id\", \"form_name\": ...}, ...]"})
		d.Fields = nil
		return d, diags
	}
	tokenErr := func(row int, dec *json.Decoder, err error, what string) (*Dictionary, Diagnostics) {
		var se *json.SyntaxError
		if errors.As(err, &se) {
			return structural(row, se.Offset, fmt.Sprintf("JSON syntax error: %v; expected %s", se, what))
		}
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			return structural(row, int64(len(text)), "JSON ends too early; expected "+what)
		}
		return structural(row, dec.InputOffset(), fmt.Sprintf("JSON: %v; expected %s", err, what))
	}

	lines := lineCounter{text: text}
	dec := json.NewDecoder(strings.NewReader(text))
	tok, err := dec.Token()
	if err != nil {
		return tokenErr(0, dec, err, "a JSON array")
	}
	if tok != json.Delim('[') {
		return structural(0, dec.InputOffset(), fmt.Sprintf("expected a JSON array of row objects, found %s", describeToken(tok)))
	}
	rows := newJSONRows(d)
	// Value errors are listed up to maxValueErrors and then counted, so that
	// a file of a million booleans does not give a million diagnostics.
	const maxValueErrors = 10
	valueErrors := 0
	valueError := func(dg Diagnostic) {
		if valueErrors++; valueErrors <= maxValueErrors {
			diags = append(diags, dg)
		}
	}
	row := 0
	for dec.More() {
		row++
		if row > MaxRows {
			diags = append(diags, Diagnostic{Severity: SeverityError, Code: CodeTooLarge, File: name, Line: lines.at(int(dec.InputOffset())), Row: row, Stage: StageLoad,
				Message: fmt.Sprintf("JSON array has more than %d rows, the limit for one file", MaxRows),
				Hint:    "check that this is a REDCap data dictionary"})
			d.Fields = nil
			return d, diags
		}
		tok, err := dec.Token()
		if err != nil {
			return tokenErr(row, dec, err, "a row object")
		}
		rowLine := lines.at(int(dec.InputOffset()) - 1) // the offset is past the '{'
		if tok != json.Delim('{') {
			return structural(row, dec.InputOffset(), fmt.Sprintf("row %d is %s; expected an object with API keys", row, describeToken(tok)))
		}
		var f Field
		var seen [NumColumns]string // the key each column was read from
		for dec.More() {
			kt, err := dec.Token()
			if err != nil {
				return tokenErr(row, dec, err, "a key")
			}
			key, _ := kt.(string)
			var raw json.RawMessage
			if err := dec.Decode(&raw); err != nil {
				return tokenErr(row, dec, err, "a value")
			}
			val, kind := jsonCell(raw)
			col, known := columnForHeader(key)
			if len(key) > MaxCellBytes || len(val) > MaxCellBytes {
				what := "value of the key " + excerpt(key)
				if len(key) > MaxCellBytes {
					what = "key " + excerpt(key)
				}
				diags = append(diags, Diagnostic{Severity: SeverityError, Code: CodeTooLarge, File: name, Line: rowLine, Row: row, Stage: StageLoad,
					Message: fmt.Sprintf("row %d: the %s is longer than %s, the limit for one cell; REDCap stores at most %d bytes in a cell",
						row, what, sizeText(MaxCellBytes), redcapCellBytes),
					Hint: "check that this is a REDCap data dictionary"})
				d.Fields = nil
				return d, diags
			}
			if kind != "" {
				valueError(badJSONValue(name, row, rowLine, key, kind, col, known))
				continue
			}
			if !known {
				rows.extra(key)
				continue
			}
			rows.anyKnown = true
			if seen[col] != "" {
				valueError(duplicateJSONKey(name, row, rowLine, seen[col], key, col))
				continue
			}
			seen[col] = key
			f.Set(col, val)
		}
		if _, err := dec.Token(); err != nil { // the closing '}'
			return tokenErr(row, dec, err, "the end of the row object")
		}
		rows.add(&f, row, rowLine)
	}
	if _, err := dec.Token(); err != nil { // the closing ']'
		return tokenErr(row, dec, err, "the end of the array")
	}
	if tok, err := dec.Token(); err != io.EOF {
		if err != nil {
			return tokenErr(0, dec, err, "nothing after the array")
		}
		return structural(0, dec.InputOffset(), fmt.Sprintf("found %s after the array; expected nothing", describeToken(tok)))
	}
	if valueErrors > maxValueErrors {
		diags = append(diags, Diagnostic{Severity: SeverityError, Code: CodeBadJSONValue, File: name, Stage: StageLoad,
			Message: fmt.Sprintf("%d more values are not strings, numbers or null, or repeat a column", valueErrors-maxValueErrors)})
	}
	return rows.finish(diags, row, valueErrors > 0)
}

// jsonCell turns one JSON value into a cell. kind is "" for a value that
// fits a cell, else what the value is ("true", "an object", ...).
func jsonCell(raw json.RawMessage) (value, kind string) {
	if len(raw) == 0 {
		return "", "empty"
	}
	switch raw[0] {
	case '"':
		if len(raw) >= 2 && bytes.IndexByte(raw, '\\') < 0 {
			// No escapes: the bytes between the quotes are the string
			// (the decoder has checked the syntax, the text is UTF-8).
			return string(raw[1 : len(raw)-1]), ""
		}
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return "", "a broken string"
		}
		return s, ""
	case 'n':
		return "", ""
	case 't', 'f':
		return "", "the boolean " + string(raw)
	case '{':
		return "", "an object"
	case '[':
		return "", "an array"
	}
	// A number: keep its literal text ("1.0" stays "1.0").
	return string(raw), ""
}

// describeToken names a JSON token for messages.
func describeToken(tok json.Token) string {
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '{':
			return "an object"
		case '[':
			return "an array"
		}
		return fmt.Sprintf("%q", string(t))
	case string:
		return "the string " + excerpt(t)
	case float64, json.Number:
		return fmt.Sprintf("the number %v", t)
	case bool:
		return fmt.Sprintf("the boolean %v", t)
	case nil:
		return "null"
	}
	return fmt.Sprintf("%v", tok)
}

// lineCounter turns byte offsets that only grow into 1-based lines, counting
// each byte once, so that finding the line of every row stays linear.
type lineCounter struct {
	text string
	off  int // bytes counted so far
	line int // line of off, less one
}

// at returns the line of byte offset off; off may not be less than the
// previous call's.
func (l *lineCounter) at(off int) int {
	off = min(max(off, l.off), len(l.text))
	for i := l.off; i < off; i++ {
		switch l.text[i] {
		case '\n':
			l.line++
		case '\r':
			if i+1 >= len(l.text) || l.text[i+1] != '\n' {
				l.line++ // a lone CR; a CRLF is counted at its LF
			}
		}
	}
	l.off = off
	return l.line + 1
}

// lineColumnAt returns the 1-based line and column (in characters) of byte
// offset off, for messages about where JSON stops being readable.
func lineColumnAt(text string, off int) (line, col int) {
	off = min(max(off, 0), len(text))
	line = lineAt(text, off)
	start := strings.LastIndexAny(text[:off], "\r\n") + 1
	return line, utf8.RuneCountInString(text[start:off]) + 1
}
