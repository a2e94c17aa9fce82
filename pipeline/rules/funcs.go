package rules

import (
	"fmt"
	"strings"

	"github.com/rcolpipe/rcolpipe/redcap"
	"github.com/rcolpipe/rcolpipe/redcap/logic"
)

// Checks of parsed logic that REDCap does not make at upload: functions'
// argument counts and kinds (RC430-RC433) and checkboxes compared without a
// code (RC421). They run on branching logic, calc equations and the logic
// of action tags.

// comparisons are the operators that compare a field's value.
var comparisons = map[string]bool{"=": true, "<>": true, "<": true, "<=": true, ">": true, ">=": true}

// deepLogic checks parsed logic e of row i.
func (c *checker) deepLogic(i int, k logicKind, e *logic.Expr) {
	logic.Walk(e.Root, func(n logic.Node) bool {
		switch n := n.(type) {
		case *logic.BinaryExpr:
			if comparisons[n.Op] {
				c.checkboxWithoutCode(i, k, n.X)
				c.checkboxWithoutCode(i, k, n.Y)
			}
		case *logic.CallExpr:
			c.callArgs(i, k, n)
		}
		return true
	})
}

// checkboxWithoutCode reports a checkbox field compared as a whole.
func (c *checker) checkboxWithoutCode(i int, k logicKind, n logic.Node) {
	for {
		p, ok := n.(*logic.ParenExpr)
		if !ok {
			break
		}
		n = p.X
	}
	r, ok := n.(*logic.FieldRef)
	if !ok || r.Code != "" || len(r.Modifiers) > 0 {
		return
	}
	f := c.lookupField(r.Field)
	if f == nil || effectiveType(f.FieldType) != "checkbox" {
		return
	}
	c.emitf(i, k.col, codeCheckboxNoCode, fmt.Sprintf("Compare one option: [%s(code)] = '1' (ticked) or '0' (not ticked).", r.Field),
		"The %s compares checkbox [%s] without a code; a checkbox has one value per option, so the comparison does not test what it seems to.", k.what, r.Field)
}

// callArgs checks the argument count and the argument kinds of one call.
func (c *checker) callArgs(i int, k logicKind, call *logic.CallExpr) {
	a, ok := logic.FunctionArity(call.Name)
	if !ok {
		return
	}
	n := len(call.Args)
	if n < a.Min || a.Max >= 0 && n > a.Max {
		want := fmt.Sprintf("%d", a.Min)
		switch {
		case a.Max < 0:
			want = fmt.Sprintf("at least %d", a.Min)
		case a.Max != a.Min:
			want = fmt.Sprintf("%d to %d", a.Min, a.Max)
		}
		c.emitf(i, k.col, codeFuncArity, fmt.Sprintf("Give %s() %s argument(s).", call.Name, want),
			"The %s calls %s() with %d argument(s); it takes %s.", k.what, call.Name, n, want)
		return
	}
	switch call.Name {
	case "datediff", "calcdate":
		if u, ok := call.Args[2].(*logic.StringLit); ok && !logic.IsDateUnit(u.Value) {
			c.emitf(i, k.col, codeFuncUnit, "Use one of 'y', 'M', 'd', 'h', 'm', 's' (case-sensitive: 'M' is months, 'm' minutes).",
				"The %s calls %s() with the unit %q, which REDCap does not know.", k.what, call.Name, u.Value)
		}
		last := 2
		if call.Name == "calcdate" {
			last = 1
		}
		for _, arg := range call.Args[:last] {
			c.dateArg(i, k, call.Name, arg)
		}
	case "round", "roundup", "rounddown":
		if n < 2 {
			return
		}
		switch d := call.Args[1].(type) {
		case *logic.NumberLit:
			if strings.ContainsAny(d.Text, ".eE") {
				c.emitf(i, k.col, codeFuncDigits, "Give the number of decimal places as a whole number, e.g. 1.",
					"The %s calls %s() with %s decimal places; that must be a whole number.", k.what, call.Name, d.Text)
			}
		case *logic.StringLit:
			c.emitf(i, k.col, codeFuncDigits, "Give the number of decimal places as a whole number without quotes, e.g. 1.",
				"The %s calls %s() with the text %s as decimal places; that must be a whole number.", k.what, call.Name, d.Text)
		}
	}
}

// dateArg reports a datediff/calcdate argument that is a field which holds
// no date: not a text field with a date or datetime validation.
func (c *checker) dateArg(i int, k logicKind, fn string, arg logic.Node) {
	r, ok := arg.(*logic.FieldRef)
	if !ok || r.Code != "" {
		return
	}
	f := c.lookupField(r.Field)
	if f == nil {
		return
	}
	t := effectiveType(f.FieldType)
	v := strings.ToLower(strings.TrimSpace(f.Validation))
	if t == "text" && (v == "" || strings.HasPrefix(v, "date")) {
		return
	}
	what := "a " + t + " field"
	if t == "text" {
		what = "a text field with validation " + v
	}
	c.emitf(i, k.col, codeFuncDateArg, fmt.Sprintf("Use a text field with a date or datetime validation as the date of %s().", fn),
		"The %s passes [%s] to %s(), but [%s] is %s, which holds no date.", k.what, r.Field, fn, r.Field, what)
}

// hasDateValidation reports whether a field is text with a date or
// datetime validation (what @CALCDATE needs).
func hasDateValidation(f *redcap.Field) bool {
	return strings.HasPrefix(strings.ToLower(strings.TrimSpace(f.Validation)), "date")
}
