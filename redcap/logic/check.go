package logic

import (
	"strings"
	"unicode/utf8"
)

// Balance is REDCap's crude pre-parse check of logic: after comment lines
// are removed, the counts of '(' and ')' and of '[' and ']' must be equal,
// and the counts of ' and of " must be even. Like REDCap it counts
// characters inside strings too, so [x] = "it's" fails it: REDCap rejects
// such logic on upload. The error is a *SyntaxError positioned at the
// character that is left over (the first unmatched closer, else the last
// unmatched opener, else the last quote of the odd kind).
func Balance(src string) error {
	s := StripComments(src)
	for _, pair := range [2][2]byte{{'(', ')'}, {'[', ']'}} {
		open, close := pair[0], pair[1]
		if strings.Count(s, string(open)) == strings.Count(s, string(close)) {
			continue
		}
		var stack []int
		for i := 0; i < len(s); i++ {
			switch s[i] {
			case open:
				stack = append(stack, i)
			case close:
				if len(stack) == 0 {
					return errAt(i, "unbalanced '%c': no '%c' before it", close, open)
				}
				stack = stack[:len(stack)-1]
			}
		}
		// Counts differ and no closer was unmatched, so an opener is left.
		i := stack[len(stack)-1]
		return errAt(i, "unbalanced '%c' at %d: it is never closed", open, i)
	}
	for _, q := range []byte{'\'', '"'} {
		if n := strings.Count(s, string(q)); n%2 == 1 {
			i := strings.LastIndexByte(s, q)
			return errAt(i, "odd number (%d) of %c quotes; the one at %d has no partner (REDCap counts quotes inside strings too)", n, q, i)
		}
	}
	return nil
}

// HasCurlyQuotes reports the byte offset of the first typographic quote
// (U+2018..U+201F, as word processors and Excel insert) that stands where
// REDCap needs a straight quote: outside comments and outside straight-
// quoted strings. Curly quotes inside a string literal are just text.
func HasCurlyQuotes(src string) (pos int, ok bool) {
	s := StripComments(src)
	var inQuote byte
	for i := 0; i < len(s); {
		c := s[i]
		if inQuote != 0 {
			switch c {
			case '\\':
				i += 2
				continue
			case inQuote:
				inQuote = 0
			}
			i++
			continue
		}
		if c == '\'' || c == '"' {
			inQuote = c
			i++
			continue
		}
		if c < utf8.RuneSelf {
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if isCurlyQuote(r) {
			return i, true
		}
		i += n
	}
	return 0, false
}

// CleanBrackets does what REDCap does to the contents of [...] in logic on
// upload: every character other than a-z A-Z 0-9 : ( ) . , _ - is deleted
// ([ age ] becomes [age]). Comment lines and quoted strings are left alone.
// It returns the cleaned logic and whether anything changed; REDCap reports
// the change as a warning, so a validator can parse the cleaned text and
// warn.
func CleanBrackets(src string) (string, bool) {
	s := StripComments(src)
	var b strings.Builder
	changed := false
	var inQuote byte
	inBracket := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case s[i] != src[i]: // inside a comment line: keep the original
		case inQuote != 0:
			if c == '\\' && i+1 < len(s) {
				b.WriteByte(c)
				i++
			} else if c == inQuote {
				inQuote = 0
			}
		case inBracket:
			if c == ']' {
				inBracket = false
			} else if !(isIdentByte(c) || strings.IndexByte(":().,-", c) >= 0) {
				changed = true
				continue
			}
		case c == '\'' || c == '"':
			inQuote = c
		case c == '[':
			// Only a bracket that closes is cleaned; an unclosed one is
			// Balance's business.
			inBracket = strings.IndexByte(s[i+1:], ']') >= 0
		}
		b.WriteByte(src[i])
	}
	if !changed {
		return src, false
	}
	return b.String(), true
}
