package redcap

// Action tag arguments: @TAG='value', @TAG=value, @TAG(args). REDCap reads
// the argument right after the tag name: "=" followed by a quoted or a bare
// value, or "(...)" up to the matching parenthesis (quotes respected). The
// second and third arguments of @IF(condition, tags, tags) hold tags
// themselves.

// TagUse is one action tag of an annotation with its argument.
type TagUse struct {
	// Name is the tag without '@', as written.
	Name string
	// At is the offset of '@'; End the end of the tag and its argument.
	At, End int
	// Form is '(' for @TAG(...), '=' for @TAG=..., 0 for no argument.
	Form byte
	// Arg is the argument: inside the parentheses, or after '=' without
	// its quotes. ArgPos is its offset in the annotation.
	Arg    string
	ArgPos int
	// Quoted says the '=' value was in quotes.
	Quoted bool
	// Unclosed says a quote or parenthesis of the argument never closes;
	// Arg then runs to the end of the annotation.
	Unclosed bool
	// InIF says the tag stands inside an @IF(...).
	InIF bool
}

// ActionTagUses returns the tags of an annotation (as AnnotationTags finds
// them, in any case) with their arguments, in order. A tag inside another
// tag's argument is not listed, except inside @IF(...), where it is listed
// with InIF set.
func ActionTagUses(annotation string) []TagUse {
	s := annotation
	out := make([]TagUse, 0, 4)
	// skipTo is the end of the last argument that hides the tags inside
	// it; ifEnds are the ends of the enclosing @IF arguments.
	skipTo := 0
	var ifEnds []int
	scanTags(s, func(name string, at, end int) {
		for len(ifEnds) > 0 && at >= ifEnds[len(ifEnds)-1] {
			ifEnds = ifEnds[:len(ifEnds)-1]
		}
		if at < skipTo {
			return
		}
		u := TagUse{Name: name, At: at, End: end, InIF: len(ifEnds) > 0}
		j := end
		for j < len(s) && (s[j] == ' ' || s[j] == '\t') {
			j++
		}
		switch {
		case j < len(s) && s[j] == '(':
			k := closingParen(s, j)
			u.Form, u.ArgPos = '(', j+1
			if k < 0 {
				u.Arg, u.End, u.Unclosed = s[j+1:], len(s), true
			} else {
				u.Arg, u.End = s[j+1:k], k+1
			}
		case j < len(s) && s[j] == '=':
			k := j + 1
			for k < len(s) && (s[k] == ' ' || s[k] == '\t') {
				k++
			}
			u.Form = '='
			if k < len(s) && (s[k] == '\'' || s[k] == '"') {
				q := s[k]
				e := k + 1
				for e < len(s) && s[e] != q {
					e++
				}
				u.Quoted, u.ArgPos = true, k+1
				if e >= len(s) {
					u.Arg, u.End, u.Unclosed = s[k+1:], len(s), true
				} else {
					u.Arg, u.End = s[k+1:e], e+1
				}
			} else {
				e := k
				for e < len(s) && s[e] != ' ' && s[e] != '\t' && s[e] != '\n' && s[e] != '\r' {
					e++
				}
				u.Arg, u.ArgPos, u.End = s[k:e], k, e
			}
		}
		out = append(out, u)
		if u.Form == 0 {
			return
		}
		if name == "IF" {
			ifEnds = append(ifEnds, u.End)
		} else {
			skipTo = u.End
		}
	})
	return out
}

// closingParen returns the offset of the ')' that closes the '(' at s[open],
// skipping quoted text and nested parentheses, or -1.
func closingParen(s string, open int) int {
	depth := 0
	var quote byte
	for i := open; i < len(s); i++ {
		c := s[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '\'' || c == '"':
			quote = c
		case c == '(':
			depth++
		case c == ')':
			depth--
			if depth == 0 {
				return i
			}
		}
	}
	return -1
}

// TagArg returns part k (0-based) of an argument list split as
// SplitTagArgs splits it ("" when there is no such part) and the number of
// parts, without allocating.
func TagArg(arg string, k int) (part string, count int) {
	scanTagArgs(arg, func(start, end int) {
		if count == k {
			part = arg[start:end]
		}
		count++
	})
	return part, count
}

// SplitTagArgs splits an argument list at the commas that stand outside
// quotes, parentheses and brackets, and returns each part with its offset
// in arg (parts are not trimmed).
func SplitTagArgs(arg string) (parts []string, offsets []int) {
	scanTagArgs(arg, func(start, end int) {
		parts, offsets = append(parts, arg[start:end]), append(offsets, start)
	})
	return parts, offsets
}

// scanTagArgs calls part with the bounds of each part of arg, split at the
// commas that stand outside quotes, parentheses and brackets.
func scanTagArgs(arg string, part func(start, end int)) {
	depth := 0
	var quote byte
	start := 0
	for i := 0; i < len(arg); i++ {
		c := arg[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '\'' || c == '"':
			quote = c
		case c == '(' || c == '[':
			depth++
		case c == ')' || c == ']':
			depth--
		case c == ',' && depth == 0:
			part(start, i)
			start = i + 1
		}
	}
	part(start, len(arg))
}
