package sandbox

import (
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// A small strict JSON reader that keeps the key order of objects, which
// the positional mapping of metadata import needs (encoding/json's Token
// stream does too, but at several times the cost for a 10,000-row
// dictionary). It is the server side of the wire and words its errors as
// PHP does, so it stays independent of the client's two scanners
// (redcap/read_json.go, redcap/api/fastdecode.go): a copy kept on purpose,
// as an oracle for the client, not shared code.

// phpJSONError is a decoding failure worded as PHP's json_last_error_msg().
type phpJSONError string

func (e phpJSONError) Error() string { return string(e) }

const (
	errJSONSyntax  = phpJSONError("Syntax error")
	errJSONControl = phpJSONError("Control character error, possibly incorrectly encoded")
	errJSONDepth   = phpJSONError("Maximum stack depth exceeded")
	errJSONUTF16   = phpJSONError("Single unpaired UTF-16 surrogate in unicode escape")
)

// maxJSONDepth is PHP json_decode's default depth limit.
const maxJSONDepth = 512

type jsonReader struct {
	s     string
	i     int
	depth int
}

// parseJSON parses one JSON document: objects become rows (values turned
// into strings as PHP would print them), arrays []any, scalars strings.
func parseJSON(s string) (any, error) {
	r := &jsonReader{s: s}
	v, err := r.value()
	if err != nil {
		return nil, err
	}
	r.space()
	if r.i != len(r.s) {
		return nil, errJSONSyntax
	}
	return v, nil
}

func (r *jsonReader) space() {
	for r.i < len(r.s) {
		switch r.s[r.i] {
		case ' ', '\t', '\n', '\r':
			r.i++
		default:
			return
		}
	}
}

func (r *jsonReader) value() (any, error) {
	r.space()
	if r.i >= len(r.s) {
		return nil, errJSONSyntax
	}
	switch c := r.s[r.i]; {
	case c == '{':
		return r.object()
	case c == '[':
		return r.array()
	case c == '"':
		return r.str()
	case c == '-' || (c >= '0' && c <= '9'):
		return r.number()
	case strings.HasPrefix(r.s[r.i:], "true"):
		r.i += 4
		return "1", nil
	case strings.HasPrefix(r.s[r.i:], "false"):
		r.i += 5
		return "", nil
	case strings.HasPrefix(r.s[r.i:], "null"):
		r.i += 4
		return "", nil
	}
	return nil, errJSONSyntax
}

func (r *jsonReader) enter() error {
	r.depth++
	if r.depth > maxJSONDepth {
		return errJSONDepth
	}
	r.i++ // the opening bracket
	return nil
}

func (r *jsonReader) object() (any, error) {
	if err := r.enter(); err != nil {
		return nil, err
	}
	defer func() { r.depth-- }()
	out := row{}
	r.space()
	if r.i < len(r.s) && r.s[r.i] == '}' {
		r.i++
		return out, nil
	}
	for {
		r.space()
		if r.i >= len(r.s) || r.s[r.i] != '"' {
			return nil, errJSONSyntax
		}
		key, err := r.str()
		if err != nil {
			return nil, err
		}
		r.space()
		if r.i >= len(r.s) || r.s[r.i] != ':' {
			return nil, errJSONSyntax
		}
		r.i++
		v, err := r.value()
		if err != nil {
			return nil, err
		}
		out.set(key, scalarString(v))
		r.space()
		if r.i >= len(r.s) {
			return nil, errJSONSyntax
		}
		switch r.s[r.i] {
		case ',':
			r.i++
		case '}':
			r.i++
			return out, nil
		default:
			return nil, errJSONSyntax
		}
	}
}

func (r *jsonReader) array() (any, error) {
	if err := r.enter(); err != nil {
		return nil, err
	}
	defer func() { r.depth-- }()
	out := []any{}
	r.space()
	if r.i < len(r.s) && r.s[r.i] == ']' {
		r.i++
		return out, nil
	}
	for {
		v, err := r.value()
		if err != nil {
			return nil, err
		}
		out = append(out, v)
		r.space()
		if r.i >= len(r.s) {
			return nil, errJSONSyntax
		}
		switch r.s[r.i] {
		case ',':
			r.i++
		case ']':
			r.i++
			return out, nil
		default:
			return nil, errJSONSyntax
		}
	}
}

// str reads a string starting at the opening quote.
func (r *jsonReader) str() (string, error) {
	r.i++
	start := r.i
	// Fast path: no escapes.
	for r.i < len(r.s) {
		c := r.s[r.i]
		if c == '"' {
			s := r.s[start:r.i]
			r.i++
			return s, nil
		}
		if c == '\\' {
			break
		}
		if c < 0x20 {
			return "", errJSONControl
		}
		r.i++
	}
	var b strings.Builder
	b.WriteString(r.s[start:r.i])
	for r.i < len(r.s) {
		c := r.s[r.i]
		switch {
		case c == '"':
			r.i++
			return b.String(), nil
		case c < 0x20:
			return "", errJSONControl
		case c != '\\':
			b.WriteByte(c)
			r.i++
			continue
		}
		r.i++
		if r.i >= len(r.s) {
			return "", errJSONSyntax
		}
		e := r.s[r.i]
		r.i++
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
			ch, ok := r.hex4()
			if !ok {
				return "", errJSONSyntax
			}
			if utf16.IsSurrogate(ch) {
				lo := rune(-1)
				if strings.HasPrefix(r.s[r.i:], `\u`) {
					r.i += 2
					if l, ok := r.hex4(); ok {
						lo = l
					}
				}
				ch = utf16.DecodeRune(ch, lo)
				if ch == utf8.RuneError {
					// PHP refuses a lone surrogate.
					return "", errJSONUTF16
				}
			}
			b.WriteRune(ch)
		default:
			return "", errJSONSyntax
		}
	}
	return "", errJSONSyntax
}

func (r *jsonReader) hex4() (rune, bool) {
	if r.i+4 > len(r.s) {
		return 0, false
	}
	v, err := strconv.ParseUint(r.s[r.i:r.i+4], 16, 32)
	if err != nil {
		return 0, false
	}
	r.i += 4
	return rune(v), true
}

// number reads a JSON number and keeps its text.
func (r *jsonReader) number() (any, error) {
	start := r.i
	if r.s[r.i] == '-' {
		r.i++
	}
	digits := func() int {
		n := 0
		for r.i < len(r.s) && r.s[r.i] >= '0' && r.s[r.i] <= '9' {
			r.i++
			n++
		}
		return n
	}
	if r.i < len(r.s) && r.s[r.i] == '0' {
		r.i++
	} else if digits() == 0 {
		return nil, errJSONSyntax
	}
	if r.i < len(r.s) && r.s[r.i] == '.' {
		r.i++
		if digits() == 0 {
			return nil, errJSONSyntax
		}
	}
	if r.i < len(r.s) && (r.s[r.i] == 'e' || r.s[r.i] == 'E') {
		r.i++
		if r.i < len(r.s) && (r.s[r.i] == '+' || r.s[r.i] == '-') {
			r.i++
		}
		if digits() == 0 {
			return nil, errJSONSyntax
		}
	}
	return r.s[start:r.i], nil
}
