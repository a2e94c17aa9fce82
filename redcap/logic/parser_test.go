package logic

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

func TestParseValid(t *testing.T) {
	tests := []struct {
		src  string
		want string // Format of the tree
	}{
		{"[a] = '1'", `(= [a] "1")`},
		{"[a]='1'", `(= [a] "1")`},
		{"[a] == 1", `(= [a] 1)`},
		{"[a] === 1", `(= [a] 1)`},
		{"[a] <> ''", `(<> [a] "")`},
		{"[a] != \"\"", `(<> [a] "")`},
		{"[a] !== 2", `(<> [a] 2)`},
		{"[a] < 1 and [b] <= 2 AND [c] > 3 && [d] >= 4", `(and (and (and (< [a] 1) (<= [b] 2)) (> [c] 3)) (>= [d] 4))`},
		{"[a] = 1 or [b] = 2 OR [c] = 3 || [d] = 4", `(or (or (or (= [a] 1) (= [b] 2)) (= [c] 3)) (= [d] 4))`},
		// and binds tighter than or
		{"[a]=1 or [b]=2 and [c]=3", `(or (= [a] 1) (and (= [b] 2) (= [c] 3)))`},
		{"([a]=1 or [b]=2) and [c]=3", `(and (or (= [a] 1) (= [b] 2)) (= [c] 3))`},
		// arithmetic precedence, ^ right-associative and above unary minus
		{"1 + 2 * 3 - 4 / 5", `(- (+ 1 (* 2 3)) (/ 4 5))`},
		{"2^3^2", `(^ 2 (^ 3 2))`},
		{"-2^2", `(- (^ 2 2))`},
		{"2^-1", `(^ 2 (- 1))`},
		{"([left_operand])^2", `(^ [left_operand] 2)`},
		{"round(([weight]*10000)/(([height])^(2)),1)", `(round (/ (* [weight] 10000) (^ [height] 2)) 1)`},
		{"!([a] = 1)", `(! (= [a] 1))`},
		{"!true", `(! true)`},
		{"+5", `(+ 5)`},
		{"--5", `(- (- 5))`},
		// numbers
		{"12", `12`},
		{"1.5", `1.5`},
		{".5", `.5`},
		{"1e3", `1e3`},
		{"2.5E-3", `2.5E-3`},
		{"1e+3", `1e+3`},
		// strings, with the other quote inside and backslash escapes
		{`"it's"`, `"it's"`},
		{`'say "hi"'`, `"say \"hi\""`},
		{`'it\'s'`, `"it's"`},
		{`''`, `""`},
		{`TRUE or False`, `(or true false)`},
		// references
		{"[visit_1_arm_1][age] > 3", `(> [visit_1_arm_1][age] 3)`},
		{"[initial_contact__s_arm_2][state_ss] = '51'", `(= [initial_contact__s_arm_2][state_ss] "51")`},
		{"[cb(3)] = '1'", `(= [cb(3)] "1")`},
		{"[cb(-1)] = '1'", `(= [cb(-1)] "1")`},
		{"[cb(MRI)] = '1'", `(= [cb(MRI)] "1")`},
		{"[cb(a.b-c_d)] = '1'", `(= [cb(a.b-c_d)] "1")`},
		{"[ev][cb(2)] = '1'", `(= [ev][cb(2)] "1")`},
		{"[age][2] > 1", `(> [age][2] 1)`},
		{"[age][previous-instance] > 1", `(> [age][previous-instance] 1)`},
		{"[ev][age][last-instance] > 1", `(> [ev][age][last-instance] 1)`},
		{"[previous-event-name][age] > 1", `(> [previous-event-name][age] 1)`},
		{"[age:value] = 1", `(= [age]:value 1)`},
		{"[sex:label] = 'Male'", `(= [sex]:label "Male")`},
		{"[cb:checked] <> ''", `(<> [cb]:checked "")`},
		{"[cb(1):unchecked] <> ''", `(<> [cb(1)]:unchecked "")`},
		// Smart Variables
		{"[record-name] = '1'", `(= [record-name] "1")`},
		{"[event-name] = 'baseline_arm_1'", `(= [event-name] "baseline_arm_1")`},
		{"[user-role-label] = 'x'", `(= [user-role-label] "x")`},
		{"[survey-date-completed:consent] <> ''", `(<> [survey-date-completed:consent] "")`},
		{"[aggregate-mean:age] > 3", `(> [aggregate-mean:age] 3)`},
		{"[aggregate-mean:age:R-1234] > 3", `(> [aggregate-mean:age:R-1234] 3)`},
		{"[visit_1_arm_1][survey-url:consent] <> ''", `(<> [visit_1_arm_1][survey-url:consent] "")`},
		{"[form-url:ae][next-instance] <> ''", `(<> [form-url:ae][next-instance] "")`},
		{"[current-instance] = 1", `(= [current-instance] 1)`},
		{"[mycap-participant-code] <> ''", `(<> [mycap-participant-code] "")`},
		// functions, spacing, newlines
		{"if([a]='1', datediff([dob],'today','y'), '')", `(if (= [a] "1") (datediff [dob] "today" "y") "")`},
		{"sum( [a] ,\n\t[b] )", `(sum [a] [b])`},
		{"if ([a] = 1, 2, 3)", `(if (= [a] 1) 2 3)`},
		{"foo()", `(foo)`},
		{"rounddown((datediff([dob],\"today\",\"y\",\"ymd\")),0)", `(rounddown (datediff [dob] "today" "y" "ymd") 0)`},
		{"\n        if([x] >= 15 and [x] <= 44, 0,\n            -1)", `(if (and (>= [x] 15) (<= [x] 44)) 0 (- 1))`},
		{"[a] <> '' or \r\n[b] <> ''", `(or (<> [a] "") (<> [b] ""))`},
		// comments
		{"# EARS\n[a]=\"yes\" or \n [b]=\"yes\"", `(or (= [a] "yes") (= [b] "yes"))`},
		{"// c1\n  // c2\n[a] = 1\n# end", `(= [a] 1)`},
		{"  #comment with [unclosed and 'quote\n[a]=1", `(= [a] 1)`},
	}
	for _, tt := range tests {
		e, err := Parse(tt.src)
		if err != nil {
			t.Errorf("Parse(%q): %v", tt.src, err)
			continue
		}
		if got := Format(e.Root); got != tt.want {
			t.Errorf("Parse(%q) = %s, want %s", tt.src, got, tt.want)
		}
		if e.Root.Pos() < 0 || e.Root.End() > len(tt.src) || e.Root.Pos() > e.Root.End() {
			t.Errorf("Parse(%q): root span %d..%d out of range", tt.src, e.Root.Pos(), e.Root.End())
		}
	}
}

func TestParseInvalid(t *testing.T) {
	tests := []struct {
		src string
		pos int
		msg string // substring of the message
	}{
		{"", 0, "empty logic"},
		{"  \n# only a comment", 0, "empty logic"},
		{"[a", 0, "unclosed '[' opened at 0"},
		{"[a] = 1 and [bb", 12, "unclosed '[' opened at 12"},
		{"[a\n] = 1", 0, "unclosed '[' opened at 0"},
		{"[a]]", 3, "']' without a matching '['"},
		{"[]", 0, "empty []"},
		{"[ a ]", 1, "space inside [...]"},
		{"[a b]", 2, "space inside [...]"},
		{"[a(]", 2, "unclosed '(' in checkbox reference"},
		{"[a()]", 2, "empty checkbox code"},
		{"[a:]", 2, "empty parameter"},
		{"[a$] = 1", 2, "unexpected '$' inside [...]"},
		{"[2] = 1", 0, "field names and Smart Variables start with a letter"},
		{"[-1] = 1", 0, "start with a letter"},
		{"[_x-y] = 1", 0, "start with a letter"},
		{"[ev][-] = 1", 4, "start with a letter"},
		{"[a][b][c] = 1", 6, "is not an instance"},
		{"[e][a][2][3] = 1", 9, "too many [...] parts"},
		{"[e(1)][a] = 1", 0, "cannot qualify"},
		{"[record-name][a] = 1", 0, "cannot qualify"},
		{"[record-name(1)] = 1", 12, "cannot have a checkbox code"},
		{"(1 + 2", 0, "unclosed '(' opened at 0"},
		{"((1) + 2", 0, "unclosed '(' opened at 0"},
		{"if([a] = 1, 2", 2, "unclosed '(' of if( opened at 2"},
		{"if([a] = 1, 2 3)", 14, "expected ',' or ')' in the arguments of if("},
		{"if([a] = 1,)", 11, "expected an operand"},
		{"()", 0, "empty parentheses"},
		{"1 +", 3, "unexpected end of logic"},
		{"[a] = 1 [b] = 2", 8, "expected an operator"},
		{"[a] = 1)", 7, "expected an operator"},
		{"[a] = 'x", 6, "unclosed string"},
		{`[a] = "x`, 6, "unclosed string"},
		{"[a] = ’1’", 6, "curly quote"},
		{"[a] = “1”", 6, "curly quote"},
		{"age > 3", 0, "field references need brackets: [age]"},
		{"[a] = 1 And [b] = 1", 8, `"And" is not an operator`},
		{"[a] = 1 & [b] = 1", 8, "single '&'"},
		{"[a] = 1 | [b] = 1", 8, "single '|'"},
		{"[a] = 1 // trailing comment", 8, "'//' starts a comment only at the beginning of a line"},
		{"[a] = 1 # trailing comment", 8, "'#' starts a comment only"},
		{"[a] = 2abc", 6, `invalid number "2abc"`},
		{"[a] = 1.2.3", 6, "invalid number"},
		{"[a] =\u00a01", 5, "non-breaking space"},
		{"[a] = 1;", 7, "unexpected ';'"},
		{"[a] = 1 ? 2 : 3", 8, "unexpected '?'"},
		{"[a] = \x01", 6, "control character"},
		{"[a] = \xff", 6, "not UTF-8"},
		{strings.Repeat("(", 600) + "1" + strings.Repeat(")", 600), 500, "nested more than"},
		{strings.Repeat("-", 600) + "1", 500, "nested more than"},
	}
	for _, tt := range tests {
		_, err := Parse(tt.src)
		var se *SyntaxError
		if !errors.As(err, &se) {
			t.Errorf("Parse(%q) error = %v, want *SyntaxError", tt.src, err)
			continue
		}
		if se.Pos != tt.pos || !strings.Contains(se.Msg, tt.msg) {
			t.Errorf("Parse(%q) = error at %d %q, want at %d containing %q", tt.src, se.Pos, se.Msg, tt.pos, tt.msg)
		}
	}
}

func TestRefs(t *testing.T) {
	src := "# note [ignored]\n[ev_1][cb(2)] = '1' and [age][3] > [age:value] or [x][previous-instance] = [record-name] or [aggregate-sum:bmi, wt] > 0"
	got, err := Refs(src)
	if err != nil {
		t.Fatal(err)
	}
	span := func(s string) (int, int) {
		i := strings.Index(src, s)
		return i, i + len(s)
	}
	p1, e1 := span("[ev_1][cb(2)]")
	p2, e2 := span("[age][3]")
	p3, e3 := span("[age:value]")
	p4, e4 := span("[x][previous-instance]")
	p5, e5 := span("[aggregate-sum:bmi, wt]")
	want := []Ref{
		{Event: "ev_1", Field: "cb", Code: "2", Pos: p1, End: e1},
		{Field: "age", Instance: "3", Pos: p2, End: e2},
		{Field: "age", Pos: p3, End: e3},
		{Field: "x", Instance: "previous-instance", Pos: p4, End: e4},
		{Field: "bmi", Pos: p5, End: e5},
		{Field: "wt", Pos: p5, End: e5},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("Refs:\n got %#v\nwant %#v", got, want)
	}
	for _, r := range got[:4] {
		if src[r.Pos] != '[' || src[r.End-1] != ']' {
			t.Errorf("ref %v span %q is not a bracketed reference", r, src[r.Pos:r.End])
		}
	}
	if refs, err := Refs(" \n// nothing\n"); err != nil || refs != nil {
		t.Errorf("Refs(blank) = %v, %v; want nil, nil", refs, err)
	}
	if _, err := Refs("[a"); err == nil {
		t.Error("Refs([a) succeeded")
	}
}

func TestFunctionsAndSmartVars(t *testing.T) {
	e, err := Parse("if(foo([a]), round(datediff([d],'today','y')), IF(1,2,3)) + [survey-url:consent] + [bogus-thing]")
	if err != nil {
		t.Fatal(err)
	}
	want := []FuncCall{{"if", 0}, {"foo", 3}, {"round", 13}, {"datediff", 19}, {"IF", 47}}
	if got := e.Functions(); !reflect.DeepEqual(got, want) {
		t.Errorf("Functions = %v, want %v", got, want)
	}
	var unknown []string
	for _, f := range e.Functions() {
		if !IsFunction(f.Name) {
			unknown = append(unknown, f.Name)
		}
	}
	if !reflect.DeepEqual(unknown, []string{"foo", "IF"}) {
		t.Errorf("non-whitelisted = %v, want [foo IF]", unknown)
	}
	sv := e.SmartVars()
	if len(sv) != 2 || sv[0].Name != "survey-url" || !reflect.DeepEqual(sv[0].Params, []string{"consent"}) || sv[1].Name != "bogus-thing" {
		t.Fatalf("SmartVars = %+v", sv)
	}
	if !IsSmartVariable(sv[0].Name) || IsSmartVariable(sv[1].Name) {
		t.Errorf("IsSmartVariable(%q, %q) wrong", sv[0].Name, sv[1].Name)
	}
	if len(e.Refs()) != 2 {
		t.Errorf("Refs = %v, want [a] and [d] only", e.Refs())
	}
	for _, name := range []string{"if", "datediff", "concat_ws", "is_nan_null", "chkNull", "roundRC"} {
		if !IsFunction(name) {
			t.Errorf("IsFunction(%q) = false", name)
		}
	}
	for _, name := range []string{"eval", "If", "", "roundrc"} {
		if IsFunction(name) {
			t.Errorf("IsFunction(%q) = true", name)
		}
	}
	for _, name := range []string{"record-name", "aggregate-mean", "previous-instance", "mycap-participant-code"} {
		if !IsSmartVariable(name) {
			t.Errorf("IsSmartVariable(%q) = false", name)
		}
	}
	for _, name := range []string{"record_name", "mycap-", "age"} {
		if IsSmartVariable(name) {
			t.Errorf("IsSmartVariable(%q) = true", name)
		}
	}
}

func TestFieldRefSpans(t *testing.T) {
	src := "[ev][cb(1):checked][2] = 1"
	e, err := Parse(src)
	if err != nil {
		t.Fatal(err)
	}
	frs := e.FieldRefs()
	if len(frs) != 1 {
		t.Fatalf("FieldRefs = %v", frs)
	}
	f := frs[0]
	if src[f.FieldPos:f.FieldEnd] != "cb" || f.Pos() != 0 || f.End() != 22 || !reflect.DeepEqual(f.Modifiers, []string{"checked"}) {
		t.Errorf("FieldRef = %+v", f)
	}
}

func TestLineCol(t *testing.T) {
	src := "[a] = 1\nand [ä] = 'x"
	for _, tt := range []struct{ pos, line, col int }{{0, 1, 1}, {8, 2, 1}, {12, 2, 5}, {len(src), 2, 13}} {
		if l, c := LineCol(src, tt.pos); l != tt.line || c != tt.col {
			t.Errorf("LineCol(%d) = %d:%d, want %d:%d", tt.pos, l, c, tt.line, tt.col)
		}
	}
}
