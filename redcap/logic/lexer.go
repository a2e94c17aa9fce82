package logic

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

type tokKind int

const (
	tokEOF tokKind = iota
	tokNumber
	tokString
	tokBool
	tokIdent
	tokRef // a bracketed reference: field or Smart Variable
	tokOp  // operator, normalised in val
	tokLParen
	tokRParen
	tokComma
)

type token struct {
	kind tokKind
	pos  int    // byte offset in the source
	text string // the source text of the token
	val  string // normalised operator for tokOp
	node Node   // for tokRef, tokString, tokNumber, tokBool
}

// lexer turns logic into tokens on demand. src has comments blanked out
// already (same length as the original, so positions stay valid).
type lexer struct {
	src string
	pos int
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }
func isDigit(c byte) bool { return c >= '0' && c <= '9' }
func isLetter(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}
func isIdentByte(c byte) bool { return isLetter(c) || isDigit(c) || c == '_' }

// isFieldName: the syntax of a field name in a reference, [A-Za-z_][A-Za-z0-9_]*.
// (REDCap's own naming rules are stricter; the validator checks those.)
func isFieldName(s string) bool {
	if s == "" || isDigit(s[0]) {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isIdentByte(s[i]) {
			return false
		}
	}
	return true
}

// isNameByte: the characters of a name inside brackets. '-' is there for
// Smart Variables ([record-name]); field names never contain it.
func isNameByte(c byte) bool { return isIdentByte(c) || c == '-' }

// isCodeByte: checkbox codes may be numeric (-1, 1.5) or [A-Za-z0-9._-].
func isCodeByte(c byte) bool { return isIdentByte(c) || c == '-' || c == '.' }

func errAt(pos int, format string, args ...any) *SyntaxError {
	return &SyntaxError{Pos: pos, Msg: fmt.Sprintf(format, args...)}
}

// describeRune names the character at src[i] for error messages.
func describeRune(src string, i int) string {
	r, _ := utf8.DecodeRuneInString(src[i:])
	switch r {
	case utf8.RuneError:
		return fmt.Sprintf("byte 0x%02x (not UTF-8)", src[i])
	case '\u00a0':
		return "non-breaking space (U+00A0)"
	}
	if r < 0x20 || r == 0x7f {
		return fmt.Sprintf("control character U+%04X", r)
	}
	if r > 0x7f {
		return fmt.Sprintf("'%c' (U+%04X)", r, r)
	}
	return fmt.Sprintf("'%c'", r)
}

func isCurlyQuote(r rune) bool { return r >= '\u2018' && r <= '\u201f' }

func (lx *lexer) next() (token, error) {
	src := lx.src
	for lx.pos < len(src) && isSpace(src[lx.pos]) {
		lx.pos++
	}
	start := lx.pos
	if start >= len(src) {
		return token{kind: tokEOF, pos: start}, nil
	}
	c := src[start]
	op := func(n int, val string) (token, error) {
		lx.pos += n
		return token{kind: tokOp, pos: start, text: src[start:lx.pos], val: val}, nil
	}
	has := func(s string) bool { return strings.HasPrefix(src[start:], s) }
	switch {
	case c == '(':
		lx.pos++
		return token{kind: tokLParen, pos: start, text: "("}, nil
	case c == ')':
		lx.pos++
		return token{kind: tokRParen, pos: start, text: ")"}, nil
	case c == ',':
		lx.pos++
		return token{kind: tokComma, pos: start, text: ","}, nil
	case c == '[':
		n, end, err := scanRef(src, start, false)
		if err != nil {
			return token{}, err
		}
		lx.pos = end
		return token{kind: tokRef, pos: start, text: src[start:end], node: n}, nil
	case c == ']':
		return token{}, errAt(start, "']' without a matching '['")
	case c == '\'' || c == '"':
		return lx.string()
	case isDigit(c) || c == '.' && start+1 < len(src) && isDigit(src[start+1]):
		return lx.number()
	case isLetter(c) || c == '_':
		for lx.pos < len(src) && isIdentByte(src[lx.pos]) {
			lx.pos++
		}
		word := src[start:lx.pos]
		switch word {
		case "and", "AND":
			return token{kind: tokOp, pos: start, text: word, val: "and"}, nil
		case "or", "OR":
			return token{kind: tokOp, pos: start, text: word, val: "or"}, nil
		}
		if t, f := strings.EqualFold(word, "true"), strings.EqualFold(word, "false"); t || f {
			return token{kind: tokBool, pos: start, text: word, node: &BoolLit{Value: t, TextPos: start}}, nil
		}
		return token{kind: tokIdent, pos: start, text: word}, nil
	case has("==="):
		return op(3, "=")
	case has("=="):
		return op(2, "=")
	case c == '=':
		return op(1, "=")
	case has("!=="):
		return op(3, "<>")
	case has("!="):
		return op(2, "<>")
	case has("<>"):
		return op(2, "<>")
	case has("<="):
		return op(2, "<=")
	case has(">="):
		return op(2, ">=")
	case c == '<':
		return op(1, "<")
	case c == '>':
		return op(1, ">")
	case has("&&"):
		return op(2, "and")
	case has("||"):
		return op(2, "or")
	case has("//"):
		return token{}, errAt(start, "'//' starts a comment only at the beginning of a line (REDCap removes whole comment lines only)")
	case c == '#':
		return token{}, errAt(start, "'#' starts a comment only at the beginning of a line (REDCap removes whole comment lines only)")
	case c == '+' || c == '-' || c == '*' || c == '/' || c == '^' || c == '!':
		return op(1, string(c))
	case c == '&' || c == '|':
		return token{}, errAt(start, "single '%c': write %c%c or %s", c, c, c, map[byte]string{'&': "and", '|': "or"}[c])
	}
	r, _ := utf8.DecodeRuneInString(src[start:])
	if isCurlyQuote(r) {
		return token{}, errAt(start, "curly quote %c (U+%04X) cannot delimit a string; use ' or \"", r, r)
	}
	return token{}, errAt(start, "unexpected %s", describeRune(src, start))
}

// string scans '...' or "...". A backslash escapes the next character, as
// in REDCap's lexer; the other quote character needs no escape.
func (lx *lexer) string() (token, error) {
	src := lx.src
	start := lx.pos
	q := src[start]
	escaped := false
	for i := start + 1; i < len(src); i++ {
		switch src[i] {
		case '\\':
			escaped = true
			i++
		case q:
			lx.pos = i + 1
			text := src[start:lx.pos]
			val := text[1 : len(text)-1]
			if escaped {
				val = unescape(val)
			}
			return token{kind: tokString, pos: start, text: text,
				node: &StringLit{Text: text, Value: val, TextPos: start}}, nil
		}
	}
	return token{}, errAt(start, "unclosed string: %c opened at %d is never closed", q, start)
}

// unescape drops the backslash of each backslash escape.
func unescape(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			i++
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// number scans 12, 1.5, .5, 1e3, 2.5E-3.
func (lx *lexer) number() (token, error) {
	src := lx.src
	start := lx.pos
	i := start
	for i < len(src) && isDigit(src[i]) {
		i++
	}
	if i < len(src) && src[i] == '.' && i+1 < len(src) && isDigit(src[i+1]) {
		i++
		for i < len(src) && isDigit(src[i]) {
			i++
		}
	}
	if i < len(src) && (src[i] == 'e' || src[i] == 'E') {
		j := i + 1
		if j < len(src) && (src[j] == '+' || src[j] == '-') {
			j++
		}
		if j < len(src) && isDigit(src[j]) {
			for j < len(src) && isDigit(src[j]) {
				j++
			}
			i = j
		}
	}
	if i < len(src) && (isIdentByte(src[i]) || src[i] == '.') {
		j := i
		for j < len(src) && (isIdentByte(src[j]) || src[j] == '.') {
			j++
		}
		return token{}, errAt(start, "invalid number %q", src[start:j])
	}
	lx.pos = i
	text := src[start:i]
	return token{kind: tokNumber, pos: start, text: text, node: &NumberLit{Text: text, TextPos: start}}, nil
}

// group is one [...] of a reference.
type group struct {
	name             string
	namePos, nameEnd int
	code             string // checkbox code inside (...), if hasCode
	hasCode          bool
	params           []string
	paramPos         []int
	pos, end         int // span including the brackets
}

func (g *group) smart() bool { return strings.Contains(g.name, "-") }

// instanceLike: [2] or [previous-instance] after a field.
func (g *group) instanceLike() bool {
	if g.hasCode || len(g.params) > 0 {
		return false
	}
	if instanceNames[g.name] {
		return true
	}
	for i := 0; i < len(g.name); i++ {
		if !isDigit(g.name[i]) {
			return false
		}
	}
	return true
}

// scanGroup scans one [...] starting at src[i] == '['.
func scanGroup(src string, i int) (group, *SyntaxError) {
	g := group{pos: i}
	j := i + 1
	unclosed := func() *SyntaxError { return errAt(i, "unclosed '[' opened at %d", i) }
	bad := func(k int) *SyntaxError {
		if k >= len(src) {
			return unclosed()
		}
		if strings.IndexByte(src[k:], ']') < 0 {
			return unclosed()
		}
		switch c := src[k]; {
		case c == ' ' || c == '\t':
			return errAt(k, "space inside [...] (REDCap removes it on upload; write the reference without spaces)")
		case c == '\n' || c == '\r':
			return unclosed()
		case c == ']' && k == i+1:
			return errAt(i, "empty []")
		}
		return errAt(k, "unexpected %s inside [...]", describeRune(src, k))
	}
	g.namePos = j
	for j < len(src) && isNameByte(src[j]) {
		j++
	}
	g.nameEnd = j
	g.name = src[g.namePos:j]
	if g.name == "" {
		return g, bad(j)
	}
	if j < len(src) && src[j] == '(' {
		if g.smart() {
			return g, errAt(j, "a Smart Variable cannot have a checkbox code")
		}
		k := j + 1
		for k < len(src) && isCodeByte(src[k]) {
			k++
		}
		if k < len(src) && src[k] == ')' && k == j+1 {
			return g, errAt(j, "empty checkbox code in [%s()]", g.name)
		}
		if k >= len(src) || src[k] != ')' {
			if k < len(src) && (src[k] == ']' || src[k] == '\n') || k >= len(src) {
				return g, errAt(j, "unclosed '(' in checkbox reference [%s(...)]", g.name)
			}
			return g, bad(k)
		}
		g.hasCode = true
		g.code = src[j+1 : k]
		j = k + 1
	}
	for j < len(src) && src[j] == ':' {
		k := j + 1
		if g.smart() {
			// Parameters of Smart Variables are free: [survey-link:form:Click here].
			for k < len(src) && !strings.ContainsRune("[]:'\"\n\r", rune(src[k])) {
				k++
			}
		} else {
			for k < len(src) && isCodeByte(src[k]) {
				k++
			}
		}
		if k == j+1 {
			if k < len(src) && src[k] == ']' {
				return g, errAt(j, "empty parameter after ':' in [%s:]", g.name)
			}
			return g, bad(k)
		}
		g.params = append(g.params, src[j+1:k])
		g.paramPos = append(g.paramPos, j+1)
		j = k
	}
	if j >= len(src) || src[j] != ']' {
		return g, bad(j)
	}
	g.end = j + 1
	return g, nil
}

// scanRef scans a reference starting at src[i] == '[': up to three
// adjacent groups, [event][field][instance], and returns a *FieldRef or a
// *SmartVar and the end offset. In free text (lenient) a following [...]
// that is not a well-formed group ends the reference instead of failing it:
// "[age][see below]".
func scanRef(src string, i int, lenient bool) (Node, int, *SyntaxError) {
	var buf [3]group // no allocation for the usual one to three groups
	gs := buf[:0]
	j := i
	for j < len(src) && src[j] == '[' && len(gs) < 3 {
		g, err := scanGroup(src, j)
		if err != nil {
			if lenient && len(gs) > 0 {
				break
			}
			return nil, 0, err
		}
		gs = append(gs, g)
		j = g.end
	}
	if lenient {
		// Free text: take the longest prefix of groups that is a reference.
		for n := len(gs); n > 0; n-- {
			if node, err := resolveRef(src, gs[:n]); err == nil {
				return node, gs[n-1].end, nil
			}
		}
		_, err := resolveRef(src, gs[:1])
		return nil, 0, err
	}
	if j < len(src) && src[j] == '[' {
		return nil, 0, errAt(j, "too many [...] parts: a reference is at most [event][field][instance]")
	}
	node, err := resolveRef(src, gs)
	if err != nil {
		return nil, 0, err
	}
	return node, j, nil
}

// resolveRef gives meaning to 1-3 adjacent groups.
func resolveRef(src string, gs []group) (Node, *SyntaxError) {
	i, j := gs[0].pos, gs[len(gs)-1].end
	var ev, target, inst *group
	switch {
	case len(gs) == 1:
		target = &gs[0]
	case len(gs) == 2 && gs[1].instanceLike():
		target, inst = &gs[0], &gs[1]
	case len(gs) == 2:
		ev, target = &gs[0], &gs[1]
	default:
		ev, target, inst = &gs[0], &gs[1], &gs[2]
		if !inst.instanceLike() {
			return nil, errAt(inst.pos, "[%s] is not an instance: the third part of [event][field][instance] must be a number or an instance Smart Variable such as [previous-instance]", src[inst.namePos:inst.end-1])
		}
	}
	if ev != nil {
		if ev.hasCode || len(ev.params) > 0 || ev.smart() && !isEventQualifier(ev.name) {
			return nil, errAt(ev.pos, "%s cannot qualify %s: the first part of [event][field] must be a unique event name or an event Smart Variable such as [previous-event-name]", src[ev.pos:ev.end], src[target.pos:target.end])
		}
	}
	if c := target.name[0]; !isLetter(c) && (c != '_' || target.smart()) {
		return nil, errAt(target.pos, "[%s] is not a field reference: field names and Smart Variables start with a letter", target.name)
	}
	if target.smart() {
		sv := &SmartVar{Name: target.name, Params: target.params, TextPos: i, EndPos: j}
		if ev != nil {
			sv.Event = ev.name
		}
		if inst != nil {
			sv.Instance = inst.name
		}
		if fieldParamSmartVariables[target.name] && len(target.params) > 0 {
			p, at := target.params[0], target.paramPos[0]
			for k := 0; k <= len(p); {
				e := strings.IndexByte(p[k:], ',')
				if e < 0 {
					e = len(p)
				} else {
					e += k
				}
				s, t := k, e
				for s < t && (p[s] == ' ' || p[s] == '\t') {
					s++
				}
				for t > s && (p[t-1] == ' ' || p[t-1] == '\t') {
					t--
				}
				if s < t && isFieldName(p[s:t]) {
					sv.Fields = append(sv.Fields, NameSpan{Name: p[s:t], Pos: at + s, End: at + t})
				}
				k = e + 1
			}
		}
		return sv, nil
	}
	fr := &FieldRef{
		Ref:       Ref{Field: target.name, Code: target.code, Pos: i, End: j},
		Modifiers: target.params,
		FieldPos:  target.namePos,
		FieldEnd:  target.nameEnd,
	}
	if ev != nil {
		fr.Event = ev.name
	}
	if inst != nil {
		fr.Instance = inst.name
	}
	return fr, nil
}
