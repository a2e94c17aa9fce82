package api

import (
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/rcolpipe/rcolpipe/redcap"
)

// decodeFieldsFast decodes the metadata export as REDCap sends it, an
// array of objects whose keys are column keys and whose values are all
// strings, without encoding/json's reflection (which was the largest cost
// of a 10,000-field upload). It gives up (false) on anything else: other
// value types, a key that differs from a column key only in letter case
// (encoding/json would match it), invalid UTF-8, a surrogate escape, a
// row without field_name, bad syntax. decodeFieldsTyped and
// decodeFieldsGeneric then decide as before, so giving up never changes
// the result.
func decodeFieldsFast(body []byte) ([]redcap.Field, bool) {
	if !utf8.Valid(body) {
		return nil, false // encoding/json replaces invalid bytes
	}
	d := fastDecoder{s: string(body)}
	if !d.eat('[') {
		return nil, false
	}
	fields := make([]redcap.Field, 0, strings.Count(d.s, `"field_name"`))
	if !d.eat(']') {
		for {
			var f redcap.Field
			if !d.object(&f) || f.FieldName == "" {
				return nil, false
			}
			fields = append(fields, f)
			if d.eat(',') {
				continue
			}
			if d.eat(']') {
				break
			}
			return nil, false
		}
	}
	d.space()
	return fields, d.i == len(d.s)
}

// fastDecoder is the scanner of decodeFieldsFast. It is not redcap's
// file reader (redcap/read_json.go): that one maps download headers,
// reads numbers and null as cells and reports problems per file row, while
// this one must agree byte for byte with encoding/json's decoding into
// redcap.Field (its json tags, case-insensitive key match, string values
// only) and otherwise give up to it. The sandbox's parser is the server's
// own, kept apart as an oracle.
type fastDecoder struct {
	s string
	i int
}

func (d *fastDecoder) space() {
	for d.i < len(d.s) && (d.s[d.i] == ' ' || d.s[d.i] == '\t' || d.s[d.i] == '\n' || d.s[d.i] == '\r') {
		d.i++
	}
}

// eat skips space and then c, if c is next.
func (d *fastDecoder) eat(c byte) bool {
	d.space()
	if d.i < len(d.s) && d.s[d.i] == c {
		d.i++
		return true
	}
	return false
}

// object reads {"key":"value",...} into f.
func (d *fastDecoder) object(f *redcap.Field) bool {
	if !d.eat('{') {
		return false
	}
	if d.eat('}') {
		return true
	}
	next := redcap.Column(0) // keys usually come in column order
	for {
		key, ok := d.str()
		if !ok || !d.eat(':') {
			return false
		}
		val, ok := d.str()
		if !ok {
			return false
		}
		col := redcap.ColNone
		if next < redcap.NumColumns && redcap.Columns[next].Key == key {
			col = next
		} else if c, ok := redcap.ColumnByKey(key); ok {
			col = c
		} else if foldsToColumn(key) {
			return false
		}
		if col != redcap.ColNone {
			f.Set(col, val)
			next = col + 1
		}
		if d.eat(',') {
			continue
		}
		return d.eat('}')
	}
}

// foldsToColumn reports whether key matches a column key in another
// letter case, as encoding/json's case-insensitive matching would.
func foldsToColumn(key string) bool {
	for _, c := range redcap.Columns {
		if strings.EqualFold(c.Key, key) {
			return true
		}
	}
	return false
}

// str reads a string after optional space.
func (d *fastDecoder) str() (string, bool) {
	if !d.eat('"') {
		return "", false
	}
	start := d.i
	for d.i < len(d.s) {
		switch c := d.s[d.i]; {
		case c == '"':
			d.i++
			return d.s[start : d.i-1], true
		case c == '\\':
			return d.escaped(start)
		case c < 0x20:
			return "", false
		}
		d.i++
	}
	return "", false
}

// escaped finishes a string that has escapes; start is after its quote.
func (d *fastDecoder) escaped(start int) (string, bool) {
	var b strings.Builder
	b.WriteString(d.s[start:d.i])
	for d.i < len(d.s) {
		c := d.s[d.i]
		switch {
		case c == '"':
			d.i++
			return b.String(), true
		case c < 0x20:
			return "", false
		case c != '\\':
			b.WriteByte(c)
			d.i++
			continue
		}
		if d.i+1 >= len(d.s) {
			return "", false
		}
		e := d.s[d.i+1]
		d.i += 2
		switch e {
		case '"', '\\', '/':
			b.WriteByte(e)
		case 'b':
			b.WriteByte('\b')
		case 'f':
			b.WriteByte('\f')
		case 'n':
			b.WriteByte('\n')
		case 'r':
			b.WriteByte('\r')
		case 't':
			b.WriteByte('\t')
		case 'u':
			if d.i+4 > len(d.s) {
				return "", false
			}
			v, err := strconv.ParseUint(d.s[d.i:d.i+4], 16, 16)
			if err != nil || utf16.IsSurrogate(rune(v)) {
				return "", false // pairs and lone halves: left to encoding/json
			}
			b.WriteRune(rune(v))
			d.i += 4
		default:
			return "", false
		}
	}
	return "", false
}
