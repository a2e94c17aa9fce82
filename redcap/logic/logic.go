package logic

import (
	"fmt"
	"strings"
)

// Ref is one field reference. Pos and End are the byte offsets of the whole
// bracketed reference in the original source ([event][field(code)][2] from
// its first '[' to after its last ']'). Event, Code and Instance are empty
// when absent. For field names used as a Smart Variable parameter
// ([aggregate-mean:age]) Pos/End span that whole Smart Variable.
type Ref struct {
	Event, Field, Code, Instance string
	Pos, End                     int
}

// String renders the reference in REDCap syntax without modifiers.
func (r Ref) String() string {
	var b strings.Builder
	if r.Event != "" {
		b.WriteString("[" + r.Event + "]")
	}
	b.WriteString("[" + r.Field)
	if r.Code != "" {
		b.WriteString("(" + r.Code + ")")
	}
	b.WriteString("]")
	if r.Instance != "" {
		b.WriteString("[" + r.Instance + "]")
	}
	return b.String()
}

// FuncCall is one function call: its name as written and the byte offset
// of the name.
type FuncCall struct {
	Name string
	Pos  int
}

// SyntaxError is a logic syntax error at byte offset Pos of the source.
type SyntaxError struct {
	Pos int
	Msg string
}

func (e *SyntaxError) Error() string { return fmt.Sprintf("syntax error at byte %d: %s", e.Pos, e.Msg) }

// Expr is parsed logic.
type Expr struct {
	// Src is the source as given to Parse, comments included.
	Src string
	// Root is the top of the syntax tree.
	Root Node
}

// Parse parses branching logic or a calc equation. Lines whose first
// non-blank characters are // or # are comments. The error is a
// *SyntaxError. Whether functions are allowed and whether fields exist is
// not checked here: see Functions, Refs, IsFunction, IsSmartVariable.
func Parse(src string) (*Expr, error) {
	p := parser{lx: lexer{src: StripComments(src)}}
	if err := p.advance(); err != nil {
		return nil, err
	}
	if p.tok.kind == tokEOF {
		return nil, errAt(0, "empty logic")
	}
	root, err := p.expr(0)
	if err != nil {
		return nil, err
	}
	if p.tok.kind != tokEOF {
		return nil, p.unexpected("an operator")
	}
	return &Expr{Src: src, Root: root}, nil
}

// Refs lists every field reference in source order, including field names
// used as Smart Variable parameters ([aggregate-mean:age]).
func (e *Expr) Refs() []Ref {
	var refs []Ref
	Walk(e.Root, func(n Node) bool {
		refs = appendRefs(refs, n)
		return true
	})
	return refs
}

// appendRefs appends the references of a *FieldRef or *SmartVar node; a
// Smart Variable's field parameters get its whole span.
func appendRefs(refs []Ref, n Node) []Ref {
	switch n := n.(type) {
	case *FieldRef:
		refs = append(refs, n.Ref)
	case *SmartVar:
		for _, f := range n.Fields {
			refs = append(refs, Ref{Field: f.Name, Pos: n.TextPos, End: n.EndPos})
		}
	}
	return refs
}

// FieldRefs lists the field reference nodes (with modifiers and the span of
// the field name) in source order.
func (e *Expr) FieldRefs() []*FieldRef {
	var refs []*FieldRef
	Walk(e.Root, func(n Node) bool {
		if f, ok := n.(*FieldRef); ok {
			refs = append(refs, f)
		}
		return true
	})
	return refs
}

// SmartVars lists the Smart Variables in source order.
func (e *Expr) SmartVars() []*SmartVar {
	var out []*SmartVar
	Walk(e.Root, func(n Node) bool {
		if s, ok := n.(*SmartVar); ok {
			out = append(out, s)
		}
		return true
	})
	return out
}

// Functions lists every function call in source order, allowed or not.
func (e *Expr) Functions() []FuncCall {
	var out []FuncCall
	Walk(e.Root, func(n Node) bool {
		if c, ok := n.(*CallExpr); ok {
			out = append(out, FuncCall{Name: c.Name, Pos: c.NamePos})
		}
		return true
	})
	return out
}

// Refs parses src and lists its field references. Blank logic (only spaces
// and comments) has none and is not an error.
func Refs(src string) ([]Ref, error) {
	if strings.TrimSpace(StripComments(src)) == "" {
		return nil, nil
	}
	e, err := Parse(src)
	if err != nil {
		return nil, err
	}
	return e.Refs(), nil
}

// StripComments blanks out comment lines (first non-blank characters // or
// #, as REDCap removes them) with spaces, keeping every other byte and the
// length, so offsets into the result are offsets into src.
func StripComments(src string) string {
	if !strings.Contains(src, "//") && !strings.Contains(src, "#") {
		return src
	}
	b := []byte(src)
	for start := 0; start < len(b); {
		end := start
		for end < len(b) && b[end] != '\n' {
			end++
		}
		i := start
		for i < end && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r') {
			i++
		}
		if i < end && (b[i] == '#' || b[i] == '/' && i+1 < end && b[i+1] == '/') {
			for k := i; k < end; k++ {
				if b[k] != '\r' {
					b[k] = ' '
				}
			}
		}
		start = end + 1
	}
	return string(b)
}

// LineCol converts a byte offset in src to a 1-based line and a 1-based
// column counted in characters, for messages.
func LineCol(src string, pos int) (line, col int) {
	if pos > len(src) {
		pos = len(src)
	}
	line = 1 + strings.Count(src[:pos], "\n")
	lineStart := strings.LastIndexByte(src[:pos], '\n') + 1
	return line, 1 + len([]rune(src[lineStart:pos]))
}

// maxDepth bounds nesting so hostile input cannot exhaust the stack.
const maxDepth = 500

type parser struct {
	lx    lexer
	tok   token
	depth int
}

func (p *parser) advance() error {
	t, err := p.lx.next()
	if err != nil {
		return err
	}
	p.tok = t
	return nil
}

func (p *parser) unexpected(want string) *SyntaxError {
	t := p.tok
	switch t.kind {
	case tokEOF:
		return errAt(t.pos, "unexpected end of logic, expected %s", want)
	case tokIdent:
		if strings.EqualFold(t.text, "and") || strings.EqualFold(t.text, "or") {
			return errAt(t.pos, "%q is not an operator: write %s, %s or %s", t.text,
				strings.ToLower(t.text), strings.ToUpper(t.text), map[string]string{"and": "&&", "or": "||"}[strings.ToLower(t.text)])
		}
		return errAt(t.pos, "expected %s, found name %q (field references need brackets: [%s]; functions need parentheses)", want, t.text, t.text)
	}
	return errAt(t.pos, "expected %s, found %q", want, t.text)
}

// binary operator precedence, lowest first.
var precedence = map[string]int{
	"or": 1, "and": 2,
	"=": 3, "<>": 3, "<": 3, "<=": 3, ">": 3, ">=": 3,
	"+": 4, "-": 4,
	"*": 5, "/": 5,
}

// expr parses a chain of binary operators binding tighter than minPrec
// (precedence climbing; all of these are left-associative).
func (p *parser) expr(minPrec int) (Node, error) {
	x, err := p.unary()
	if err != nil {
		return nil, err
	}
	for p.tok.kind == tokOp {
		prec, ok := precedence[p.tok.val]
		if !ok || prec <= minPrec {
			break
		}
		op := p.tok
		if err := p.advance(); err != nil {
			return nil, err
		}
		y, err := p.expr(prec)
		if err != nil {
			return nil, err
		}
		x = &BinaryExpr{X: x, Y: y, Op: op.val, OpText: op.text, OpPos: op.pos}
	}
	return x, nil
}

func (p *parser) enter() error {
	p.depth++
	if p.depth > maxDepth {
		return errAt(p.tok.pos, "logic nested more than %d levels deep", maxDepth)
	}
	return nil
}

// unary = ("-" | "+" | "!") unary | power
func (p *parser) unary() (Node, error) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	defer func() { p.depth-- }()
	if p.tok.kind == tokOp && (p.tok.val == "-" || p.tok.val == "+" || p.tok.val == "!") {
		op := p.tok
		if err := p.advance(); err != nil {
			return nil, err
		}
		x, err := p.unary()
		if err != nil {
			return nil, err
		}
		return &UnaryExpr{X: x, Op: op.val, OpPos: op.pos}, nil
	}
	return p.power()
}

// power = primary ["^" unary] (right-associative: 2^3^2 = 2^(3^2)).
func (p *parser) power() (Node, error) {
	x, err := p.primary()
	if err != nil {
		return nil, err
	}
	if p.tok.kind == tokOp && p.tok.val == "^" {
		op := p.tok
		if err := p.advance(); err != nil {
			return nil, err
		}
		y, err := p.unary()
		if err != nil {
			return nil, err
		}
		return &BinaryExpr{X: x, Y: y, Op: "^", OpText: op.text, OpPos: op.pos}, nil
	}
	return x, nil
}

func (p *parser) primary() (Node, error) {
	t := p.tok
	switch t.kind {
	case tokNumber, tokString, tokBool, tokRef:
		return t.node, p.advance()
	case tokLParen:
		if err := p.advance(); err != nil {
			return nil, err
		}
		if p.tok.kind == tokRParen {
			return nil, errAt(t.pos, "empty parentheses")
		}
		x, err := p.expr(0)
		if err != nil {
			return nil, err
		}
		if p.tok.kind != tokRParen {
			if p.tok.kind == tokEOF {
				return nil, errAt(t.pos, "unclosed '(' opened at %d", t.pos)
			}
			return nil, p.unexpected("an operator or ')'")
		}
		r := p.tok.pos
		return &ParenExpr{X: x, Lparen: t.pos, Rparen: r}, p.advance()
	case tokIdent:
		if err := p.advance(); err != nil {
			return nil, err
		}
		if p.tok.kind != tokLParen {
			p.tok = t
			return nil, p.unexpected("an operand")
		}
		return p.call(t)
	}
	return nil, p.unexpected("an operand")
}

// call parses the arguments of name( ... ); p.tok is the '('.
func (p *parser) call(name token) (Node, error) {
	lparen := p.tok.pos
	if err := p.advance(); err != nil {
		return nil, err
	}
	c := &CallExpr{Name: name.text, NamePos: name.pos}
	if p.tok.kind == tokRParen {
		c.Rparen = p.tok.pos
		return c, p.advance()
	}
	for {
		a, err := p.expr(0)
		if err != nil {
			return nil, err
		}
		c.Args = append(c.Args, a)
		switch p.tok.kind {
		case tokComma:
			if err := p.advance(); err != nil {
				return nil, err
			}
			continue
		case tokRParen:
			c.Rparen = p.tok.pos
			return c, p.advance()
		case tokEOF:
			return nil, errAt(lparen, "unclosed '(' of %s( opened at %d", name.text, lparen)
		}
		return nil, p.unexpected("',' or ')' in the arguments of " + name.text + "(")
	}
}
