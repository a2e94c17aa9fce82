package logic

import (
	"strconv"
	"strings"
)

// Node is a node of the syntax tree. Pos and End are byte offsets into the
// original source (End is exclusive).
type Node interface {
	Pos() int
	End() int
}

// BinaryExpr is X Op Y. Op is normalised: "=", "<>", "<", "<=", ">", ">=",
// "+", "-", "*", "/", "^", "and", "or"; OpText is the operator as written
// ("==", "!=", "AND", "&&", ...).
type BinaryExpr struct {
	X, Y   Node
	Op     string
	OpText string
	OpPos  int
}

// UnaryExpr is Op X with Op one of "-", "+", "!".
type UnaryExpr struct {
	X     Node
	Op    string
	OpPos int
}

// ParenExpr is ( X ).
type ParenExpr struct {
	X              Node
	Lparen, Rparen int
}

// CallExpr is Name(Args...). Whether Name is allowed is not a syntax
// question: see IsFunction and Expr.Functions.
type CallExpr struct {
	Name    string
	Args    []Node
	NamePos int
	Rparen  int
}

// NumberLit is a number as written (12, 1.5, .5, 1e3).
type NumberLit struct {
	Text    string
	TextPos int
}

// StringLit is a quoted string. Text includes the quotes as written; Value
// is the content with backslash escapes resolved.
type StringLit struct {
	Text    string
	Value   string
	TextPos int
}

// BoolLit is true or false (any case).
type BoolLit struct {
	Value   bool
	TextPos int
}

// FieldRef is a bracketed field reference such as [event][field(code):label][2].
// Ref carries the parts and the span of the whole reference; FieldPos and
// FieldEnd locate the field name alone. Modifiers are the ":..." suffixes
// in order, without the colon.
type FieldRef struct {
	Ref
	Modifiers          []string
	FieldPos, FieldEnd int
}

// SmartVar is a bracketed Smart Variable such as [survey-url:form],
// [event_1_arm_1][survey-link:consent] or [aggregate-mean:age]. Name
// need not be known (see IsSmartVariable): any bracketed name containing a
// '-' is a Smart Variable to the parser, since field names cannot contain
// one.
type SmartVar struct {
	Name     string
	Params   []string
	Event    string
	Instance string
	// Fields are the field names in the first parameter of the Smart
	// Variables that take fields ([aggregate-mean:age]), with positions.
	Fields          []NameSpan
	TextPos, EndPos int
}

// NameSpan is a name and its byte span in the source.
type NameSpan struct {
	Name     string
	Pos, End int
}

// Pos implements Node.
func (n *BinaryExpr) Pos() int { return n.X.Pos() }

// End implements Node.
func (n *BinaryExpr) End() int { return n.Y.End() }

// Pos implements Node.
func (n *UnaryExpr) Pos() int { return n.OpPos }

// End implements Node.
func (n *UnaryExpr) End() int { return n.X.End() }

// Pos implements Node.
func (n *ParenExpr) Pos() int { return n.Lparen }

// End implements Node.
func (n *ParenExpr) End() int { return n.Rparen + 1 }

// Pos implements Node.
func (n *CallExpr) Pos() int { return n.NamePos }

// End implements Node.
func (n *CallExpr) End() int { return n.Rparen + 1 }

// Pos implements Node.
func (n *NumberLit) Pos() int { return n.TextPos }

// End implements Node.
func (n *NumberLit) End() int { return n.TextPos + len(n.Text) }

// Pos implements Node.
func (n *StringLit) Pos() int { return n.TextPos }

// End implements Node.
func (n *StringLit) End() int { return n.TextPos + len(n.Text) }

// Pos implements Node.
func (n *BoolLit) Pos() int { return n.TextPos }

// End implements Node.
func (n *BoolLit) End() int {
	if n.Value {
		return n.TextPos + len("true")
	}
	return n.TextPos + len("false")
}

// Pos implements Node.
func (n *FieldRef) Pos() int { return n.Ref.Pos }

// End implements Node.
func (n *FieldRef) End() int { return n.Ref.End }

// Pos implements Node.
func (n *SmartVar) Pos() int { return n.TextPos }

// End implements Node.
func (n *SmartVar) End() int { return n.EndPos }

// Format renders a node as a fully parenthesised S-expression, e.g.
// (and (= [a] '1') (> [b] 2)). It shows how the parser grouped the
// expression; it is not REDCap syntax.
func Format(n Node) string {
	var b strings.Builder
	format(&b, n)
	return b.String()
}

func format(b *strings.Builder, n Node) {
	switch n := n.(type) {
	case *BinaryExpr:
		b.WriteString("(" + n.Op + " ")
		format(b, n.X)
		b.WriteByte(' ')
		format(b, n.Y)
		b.WriteByte(')')
	case *UnaryExpr:
		b.WriteString("(" + n.Op + " ")
		format(b, n.X)
		b.WriteByte(')')
	case *ParenExpr:
		format(b, n.X)
	case *CallExpr:
		b.WriteString("(" + n.Name)
		for _, a := range n.Args {
			b.WriteByte(' ')
			format(b, a)
		}
		b.WriteByte(')')
	case *NumberLit:
		b.WriteString(n.Text)
	case *StringLit:
		b.WriteString(strconv.Quote(n.Value))
	case *BoolLit:
		b.WriteString(strconv.FormatBool(n.Value))
	case *FieldRef:
		b.WriteString(n.Ref.String())
		for _, m := range n.Modifiers {
			b.WriteString(":" + m)
		}
	case *SmartVar:
		if n.Event != "" {
			b.WriteString("[" + n.Event + "]")
		}
		b.WriteString("[" + n.Name)
		for _, p := range n.Params {
			b.WriteString(":" + p)
		}
		b.WriteString("]")
		if n.Instance != "" {
			b.WriteString("[" + n.Instance + "]")
		}
	}
}

// Walk calls fn for n and every node below it, depth first, in source
// order. If fn returns false the children of that node are skipped.
func Walk(n Node, fn func(Node) bool) {
	if n == nil || !fn(n) {
		return
	}
	switch n := n.(type) {
	case *BinaryExpr:
		Walk(n.X, fn)
		Walk(n.Y, fn)
	case *UnaryExpr:
		Walk(n.X, fn)
	case *ParenExpr:
		Walk(n.X, fn)
	case *CallExpr:
		for _, a := range n.Args {
			Walk(a, fn)
		}
	}
}
