package rules

import (
	"fmt"
	"strings"

	"github.com/rcolpipe/rcolpipe/redcap"
	"github.com/rcolpipe/rcolpipe/redcap/logic"
)

// References outside branching logic and calc equations: what labels,
// notes, section headers, choice labels and min/max pipe, and what action
// tags read as logic, values or field names (RC420-RC422). REDCap checks
// none of them at upload. Every lookup is a map lookup, so the pass stays
// linear in the size of the dictionary however many references are unknown.

// pipingColumns are the columns whose text REDCap pipes (besides column F,
// whose labels depend on the field type).
var pipingColumns = []redcap.Column{
	redcap.ColSectionHeader, redcap.ColFieldLabel, redcap.ColFieldNote,
	redcap.ColValidationMin, redcap.ColValidationMax,
}

// place names where a reference stands, for messages and RC414.
func place(col redcap.Column, what string) logicKind {
	return logicKind{col: col, what: what}
}

// references checks the piping and the action tag arguments of row i. The
// logic pass calls it, so it runs on that pass's concurrent chunks.
func (c *checker) references(i int) {
	f := &c.d.Fields[i]
	var reported map[string]bool
	for _, col := range pipingColumns {
		if v := f.Get(col); strings.IndexByte(v, '[') >= 0 {
			reported = c.piped(i, place(col, col.Key()), v, reported)
		}
	}
	if strings.IndexByte(f.Choices, '[') >= 0 {
		switch t := effectiveType(f.FieldType); {
		case isChoiceType(t):
			for _, ch := range c.choices[i] {
				reported = c.piped(i, place(redcap.ColChoices, "choice label"), ch.label, reported)
			}
		case t == "slider":
			reported = c.piped(i, place(redcap.ColChoices, "slider label"), f.Choices, reported)
		}
	}
	if strings.IndexByte(f.FieldAnnotation, '@') >= 0 {
		c.tagArguments(i, reported)
	}
}

// piped checks the references piped into text at row i. reported holds the
// names already reported for the row (allocated on first use).
func (c *checker) piped(i int, k logicKind, text string, reported map[string]bool) map[string]bool {
	if c.simpleKnownRefs(text) {
		return reported
	}
	logic.EachTextNode(text, func(n logic.Node) {
		if r, ok := n.(*logic.FieldRef); ok && hasUpper(r.Field) {
			// Field names are lower case: "[DEPRECATED]" or "[HIV]" in a
			// label is prose, not piping.
			return
		}
		reported = c.checkRefNode(i, k, n, reported)
	})
	return reported
}

// simpleKnownRefs reports whether every [...] of text is a plain [field]
// or [field:modifier] of a known field, the common case, which then needs
// no parsing: nothing in it can be a finding.
func (c *checker) simpleKnownRefs(text string) bool {
	for i := 0; ; {
		k := strings.IndexByte(text[i:], '[')
		if k < 0 {
			return true
		}
		i += k
		j := strings.IndexByte(text[i:], ']')
		if j < 0 {
			return true // never closed: no reference
		}
		name, _, _ := strings.Cut(text[i+1:i+j], ":")
		if !plainName(name) || !c.fieldExists(name) {
			return false
		}
		i += j + 1
		if i < len(text) && text[i] == '[' {
			return false // [field][instance] or [event][field]
		}
	}
}

// plainName reports whether s is a lower-case letter followed by a-z, 0-9, _.
func plainName(s string) bool {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return false
	}
	return redcap.HasOnlyNameBytes(s)
}

// needsClean reports whether src may have characters inside [...] that
// logic.CleanBrackets deletes (it copies the whole text, so the common case
// skips it).
func needsClean(src string) bool {
	in := false
	for i := 0; i < len(src); i++ {
		switch c := src[i]; {
		case c == '[':
			in = true
		case c == ']':
			in = false
		case in && !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte(":().,_-", c) >= 0):
			return true
		}
	}
	return false
}

// hasUpper reports whether s has an ASCII upper-case letter.
func hasUpper(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 'A' && s[i] <= 'Z' {
			return true
		}
	}
	return false
}

// checkRefNode checks one reference node (field or Smart Variable) found
// outside branching logic and calc equations.
func (c *checker) checkRefNode(i int, k logicKind, n logic.Node, reported map[string]bool) map[string]bool {
	unknown := func(name, msg, hint string) {
		if reported == nil {
			reported = map[string]bool{}
		}
		if reported[name] {
			return
		}
		reported[name] = true
		c.emit(i, k.col, codeRefUnknown, msg, hint)
	}
	switch n := n.(type) {
	case *logic.FieldRef:
		if !c.fieldExists(n.Field) {
			hint := fmt.Sprintf("Correct the name, or stack the instrument that defines [%s] (or pass --assume-fields with the project's dictionary).", n.Field)
			if near := c.nearestField(n.Field); near != "" {
				hint = fmt.Sprintf("Did you mean [%s]?", near)
			}
			unknown(n.Field, fmt.Sprintf("The %s refers to [%s], which is no field of the dictionary; REDCap shows or uses it as empty.", k.what, n.Field), hint)
			return reported
		}
		if n.Code != "" {
			c.checkboxCode(i, k, n.Ref)
		}
	case *logic.SmartVar:
		if !logic.IsSmartVariable(n.Name) {
			unknown(n.Name, fmt.Sprintf("The %s refers to [%s], which is neither a field nor a Smart Variable; REDCap leaves it as it is written.", k.what, n.Name),
				"Correct the Smart Variable's name (see REDCap's Smart Variables list).")
			return reported
		}
		for _, fl := range n.Fields {
			if !c.fieldExists(fl.Name) {
				unknown(fl.Name, fmt.Sprintf("The %s's [%s:...] names %s, which is no field of the dictionary.", k.what, n.Name, fl.Name),
					"Correct the field name in the Smart Variable's parameter.")
			}
		}
	}
	return reported
}

// tagLogic parses logic found in an action tag's argument (the condition
// of @IF, @CALCTEXT, the date of @CALCDATE) and checks it like branching
// logic, at warning level: REDCap does not check it at upload.
func (c *checker) tagLogic(i int, k logicKind, src string, reported map[string]bool) map[string]bool {
	if strings.TrimSpace(src) == "" {
		c.emitf(i, k.col, codeTagMalformed, "Write the logic inside the parentheses.",
			"The %s is empty.", k.what)
		return reported
	}
	if needsClean(src) {
		if cleaned, changed := logic.CleanBrackets(src); changed {
			src = cleaned
		}
	}
	e, err := c.parseTagLogic(src)
	if err != nil {
		c.emitf(i, k.col, codeTagLogic, "Correct the logic; REDCap does not check it at upload, and the tag fails when the form is used.",
			"The %s does not parse: %s.", k.what, syntaxDetail(src, err))
		return reported
	}
	logic.Walk(e.Root, func(n logic.Node) bool {
		switch n := n.(type) {
		case *logic.FieldRef, *logic.SmartVar:
			reported = c.checkRefNode(i, k, n, reported)
		case *logic.CallExpr:
			if !logic.IsFunction(n.Name) {
				c.emitf(i, k.col, codeTagLogic, "Use one of REDCap's functions (if, round, datediff, sum, ...); names are case-sensitive.",
					"The %s calls %s(), which is not one of REDCap's functions.", k.what, n.Name)
			}
		}
		return true
	})
	c.deepLogic(i, k, e)
	return reported
}

// parsedLogic is a memoised parse.
type parsedLogic struct {
	e   *logic.Expr
	err error
}

// parseTagLogic parses action tag logic, remembering the result for the
// chunk of rows being checked: dictionaries repeat the same @IF conditions
// on many fields. The memo is the chunk's own (see logicRows), so chunks
// checked concurrently share nothing; it stops growing at maxParseMemo.
func (c *checker) parseTagLogic(src string) (*logic.Expr, error) {
	if p, ok := c.parseMemo[src]; ok {
		return p.e, p.err
	}
	e, err := logic.Parse(src)
	if c.parseMemo == nil {
		c.parseMemo = map[string]parsedLogic{}
	}
	if len(c.parseMemo) < maxParseMemo {
		c.parseMemo[src] = parsedLogic{e, err}
	}
	return e, err
}

// maxParseMemo bounds the memo of one chunk.
const maxParseMemo = 1024
