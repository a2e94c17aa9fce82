package redcap

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
)

// readJSON reads a JSON array of row objects (REDCap's API export). Keys are
// mapped by name (API keys, download headers, rcol's "choices"); rows may
// lack keys, which read as empty. Strings are taken as they are, numbers as
// their literal text, null as empty. Diagnostic lines are 1-based row
// indexes, as in Origin.Line.
func readJSON(name, text string) (*Dictionary, Diagnostics) {
	if d, diags, ok := readJSONFast(name, text); ok {
		return d, diags
	}
	return readJSONStream(name, text)
}

// readJSONFast reads a well-formed array of objects in one json.Unmarshal,
// which is several times faster than walking tokens. ok is false when the
// JSON is not an array of objects; readJSONStream then finds and names the
// problem. A key repeated in one object keeps its last value here (as
// REDCap's PHP does).
func readJSONFast(name, text string) (*Dictionary, Diagnostics, bool) {
	var rows []map[string]json.RawMessage
	if err := json.Unmarshal([]byte(text), &rows); err != nil {
		return nil, nil, false
	}
	for _, r := range rows {
		if r == nil { // null instead of an object
			return nil, nil, false
		}
	}
	d := &Dictionary{Files: []string{name}, Fields: make([]Field, 0, len(rows))}
	var diags Diagnostics
	rc := rowChecker{name: name, order: allColumns()}
	extraSeen := map[string]bool{}
	anyKnown := false
	hadValueErrors := false
	firstData := 0
	keys := make([]string, 0, NumColumns)
	for k, r := range rows {
		row := k + 1
		// Sorted keys make the diagnostics of a row come out the same on
		// every run.
		keys = keys[:0]
		for key := range r {
			keys = append(keys, key)
		}
		sort.Strings(keys)
		var f Field
		var seen [NumColumns]string
		for _, key := range keys {
			val, kind := jsonCell(r[key])
			col, known := columnForHeader(key)
			if kind != "" {
				hadValueErrors = true
				diags = append(diags, badJSONValue(name, row, key, kind, col, known))
				continue
			}
			if !known {
				extraSeen[key] = true
				continue
			}
			anyKnown = true
			if seen[col] != "" {
				hadValueErrors = true
				diags = append(diags, duplicateJSONKey(name, row, seen[col], key, col))
				continue
			}
			seen[col] = key
			f.Set(col, val)
		}
		if !rc.finish(&f, func(c Column) string { return fmt.Sprintf("row %d %s", row, c.Key()) }) {
			continue
		}
		if firstData == 0 {
			firstData = row
		}
		f.Origin = Origin{File: name, Line: row, Row: len(d.Fields) + 1}
		d.Fields = append(d.Fields, f)
	}
	extras := make([]string, 0, len(extraSeen))
	for key := range extraSeen {
		extras = append(extras, fmt.Sprintf("%q", key))
	}
	sort.Strings(extras)
	d, diags = finishJSON(d, diags, len(rows), anyKnown, hadValueErrors, extras, &rc, firstData)
	return d, diags, true
}

// badJSONValue reports a value that is not a string, number or null.
func badJSONValue(name string, row int, key, kind string, col Column, known bool) Diagnostic {
	c := ""
	if known {
		c = col.Key()
	}
	return Diagnostic{Severity: SeverityError, Code: CodeBadJSONValue, File: name, Line: row, Stage: stageLoad, Column: c,
		Message: fmt.Sprintf("row %d, key %q: value is %s; expected a string, number or null", row, key, kind),
		Hint:    "write the value as a string, e.g. \"y\" or \"\""}
}

// duplicateJSONKey reports two keys of one row that name the same column.
func duplicateJSONKey(name string, row int, first, second string, col Column) Diagnostic {
	return Diagnostic{Severity: SeverityError, Code: CodeDuplicateColumn, File: name, Line: row, Stage: stageLoad, Column: col.Key(),
		Message: fmt.Sprintf("row %d: keys %q and %q are both %s", row, first, second, col.Key()),
		Hint:    "keep one of the two keys"}
}

// finishJSON adds the file-level findings of a JSON file read to its end.
func finishJSON(d *Dictionary, diags Diagnostics, rows int, anyKnown, hadValueErrors bool, extras []string, rc *rowChecker, firstData int) (*Dictionary, Diagnostics) {
	name := rc.name
	if hadValueErrors {
		d.Fields = nil
		return d, diags
	}
	if rows > 0 && !anyKnown {
		shown := extras
		if len(shown) > 5 {
			shown = shown[:5]
		}
		diags = append(diags, Diagnostic{Severity: SeverityError, Code: CodeBadHeader, File: name, Line: 1, Stage: stageLoad,
			Message: fmt.Sprintf("no key of the row objects is a REDCap column; expected field_name, form_name, ... but found %s", strings.Join(shown, ", ")),
			Hint:    "use REDCap's API keys (field_name, form_name, section_header, field_type, field_label, ...)"})
		d.Fields = nil
		return d, diags
	}
	if len(d.Fields) == 0 {
		diags = append(diags, Diagnostic{Severity: SeverityError, Code: CodeEmptyInput, File: name, Stage: stageLoad,
			Message: "JSON array has no rows", Hint: "a dictionary needs at least one field"})
		return d, diags
	}
	if len(extras) > 0 {
		diags = append(diags, Diagnostic{Severity: SeverityWarning, Code: CodeExtraColumns, File: name, Line: 1, Stage: stageLoad,
			Message: "keys that are not REDCap columns were ignored: " + strings.Join(extras, ", "),
			Hint:    "remove them before uploading with another tool: REDCap maps keys by position"})
	}
	return d, append(diags, rc.diagnostics(firstData)...)
}

// readJSONStream walks the tokens, so that it can say where the JSON stops
// being an array of row objects.
func readJSONStream(name, text string) (*Dictionary, Diagnostics) {
	d := &Dictionary{Files: []string{name}}
	var diags Diagnostics
	structural := func(row int, off int64, msg string) (*Dictionary, Diagnostics) {
		line := lineAt(text, int(off))
		diags = append(diags, Diagnostic{Severity: SeverityError, Code: CodeNotJSONArray, File: name, Line: row, Stage: stageLoad,
			Message: fmt.Sprintf("%s (line %d of the file)", msg, line),
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

	dec := json.NewDecoder(strings.NewReader(text))
	tok, err := dec.Token()
	if err != nil {
		return tokenErr(0, dec, err, "a JSON array")
	}
	if tok != json.Delim('[') {
		return structural(0, dec.InputOffset(), fmt.Sprintf("expected a JSON array of row objects, found %s", describeToken(tok)))
	}
	rc := rowChecker{name: name, order: allColumns()}
	var extras []string
	extraSeen := map[string]bool{}
	anyKnown := false
	hadValueErrors := false
	row := 0
	firstData := 0
	for dec.More() {
		row++
		tok, err := dec.Token()
		if err != nil {
			return tokenErr(row, dec, err, "a row object")
		}
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
			if kind != "" {
				hadValueErrors = true
				diags = append(diags, badJSONValue(name, row, key, kind, col, known))
				continue
			}
			if !known {
				if !extraSeen[key] {
					extraSeen[key] = true
					extras = append(extras, fmt.Sprintf("%q", key))
				}
				continue
			}
			anyKnown = true
			if seen[col] != "" {
				hadValueErrors = true
				diags = append(diags, duplicateJSONKey(name, row, seen[col], key, col))
				continue
			}
			seen[col] = key
			f.Set(col, val)
		}
		if _, err := dec.Token(); err != nil { // the closing '}'
			return tokenErr(row, dec, err, "the end of the row object")
		}
		r := row
		if !rc.finish(&f, func(c Column) string { return fmt.Sprintf("row %d %s", r, c.Key()) }) {
			continue
		}
		if firstData == 0 {
			firstData = row
		}
		f.Origin = Origin{File: name, Line: row, Row: len(d.Fields) + 1}
		d.Fields = append(d.Fields, f)
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
	return finishJSON(d, diags, row, anyKnown, hadValueErrors, extras, &rc, firstData)
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
		return fmt.Sprintf("the string %q", t)
	case float64, json.Number:
		return fmt.Sprintf("the number %v", t)
	case bool:
		return fmt.Sprintf("the boolean %v", t)
	case nil:
		return "null"
	}
	return fmt.Sprintf("%v", tok)
}
