package logic

import (
	_ "embed"
	"encoding/json"
	"math"
	"strconv"
	"strings"
	"sync"
)

// JSRuntime returns the JavaScript that translated logic runs on: it defines the
// global RCLogic, whose functions mirror the evaluator's (eval.go) one for
// one. A page includes it once, before any translated expression.
//
// The date units come from dateUnits (names.go), so that the page and
// the evaluator cannot disagree on them. It is made on first use, not at
// start-up, which every command would pay.
var JSRuntime = sync.OnceValue(func() string {
	return strings.Replace(jsRuntimeSource, "/*DATE_UNITS*/ {}", mustJSON(dateUnits), 1)
})

//go:embed runtime.js
var jsRuntimeSource string

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err) // a map of strings to numbers always encodes
	}
	return string(b)
}

// jsOps names the runtime function of each binary operator.
var jsOps = map[string]string{
	"and": "and", "or": "or", "=": "eq", "<>": "ne",
	"<": "lt", "<=": "le", ">": "gt", ">=": "ge",
	"+": "add", "-": "sub", "*": "mul", "/": "div", "^": "pow",
}

// JS translates e to a JavaScript expression with the evaluator's
// semantics. The expression expects three names in scope: R, the runtime
// (RCLogic from JSRuntime); V(field), returning the field's text ("" when
// blank); and C(field, code), true when that checkbox code is ticked.
// Wrap it as R.truth(...) for branching logic and R.calc(...) for a calc
// field's text. It refuses exactly what Eval refuses (Supported), with an
// *UnsupportedError.
//
// The output is safe inside an HTML <script> element: names are limited by
// the parser to [A-Za-z0-9_.-], and strings are JSON with <, > and & escaped.
func (e *Expr) JS() (string, error) {
	if err := Supported(e); err != nil {
		return "", err
	}
	var b strings.Builder
	writeJS(&b, e.Root)
	return b.String(), nil
}

// jsString quotes s as a JavaScript string literal.
func jsString(s string) string {
	q, _ := json.Marshal(s) // a string always encodes; HTML characters come out escaped
	return string(q)
}

func writeJS(b *strings.Builder, n Node) {
	switch n := n.(type) {
	case *ParenExpr:
		b.WriteByte('(')
		writeJS(b, n.X)
		b.WriteByte(')')
	case *NumberLit:
		f, _ := strconv.ParseFloat(n.Text, 64) // as in eval: out of range is ±Inf
		if math.IsInf(f, 0) {
			b.WriteString("Infinity")
			return
		}
		b.WriteString(strconv.FormatFloat(f, 'g', -1, 64))
	case *StringLit:
		b.WriteString(jsString(n.Value))
	case *BoolLit:
		b.WriteString(strconv.FormatBool(n.Value))
	case *FieldRef:
		if n.Code != "" {
			b.WriteString("R.chk(C(" + jsString(n.Field) + "," + jsString(n.Code) + "))")
			return
		}
		b.WriteString("V(" + jsString(n.Field) + ")")
	case *UnaryExpr:
		b.WriteString(map[string]string{"!": "R.not(", "-": "R.neg(", "+": "R.pos("}[n.Op])
		writeJS(b, n.X)
		b.WriteByte(')')
	case *BinaryExpr:
		b.WriteString("R." + jsOps[n.Op] + "(")
		writeJS(b, n.X)
		b.WriteByte(',')
		writeJS(b, n.Y)
		b.WriteByte(')')
	case *CallExpr:
		b.WriteString("R.call(" + jsString(n.Name) + ",[")
		for i, a := range n.Args {
			if i > 0 {
				b.WriteByte(',')
			}
			writeJS(b, a)
		}
		b.WriteString("])")
	}
}
