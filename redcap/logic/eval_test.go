package logic

import (
	"errors"
	"fmt"
	"testing"
	"time"
)

// evalNow is "today" and "now" in these tests: 2024-05-17 10:30:00.
var evalNow = time.Date(2024, 5, 17, 10, 30, 0, 0, time.UTC)

// evalCases are expressions with a record and what REDCap shows: the calc
// value (Calc) and whether the field is shown (Show). They are shared with
// the JavaScript equivalence test.
var evalCases = []struct {
	src  string
	rec  MapRecord
	calc string
	show bool
}{
	// Blanks: arithmetic with a blank is blank, comparisons with "" work,
	// ordering against a blank is false.
	{"[a] + [b]", MapRecord{"a": "2", "b": "3"}, "5", true},
	{"[a] + [b]", MapRecord{"a": "2"}, "", false},
	{"[a] * 2", MapRecord{"a": "abc"}, "", false},
	{"[a] = ''", MapRecord{}, "1", true},
	{"[a] = \"\"", MapRecord{"a": "0"}, "0", false},
	{"[a] <> ''", MapRecord{"a": "x"}, "1", true},
	{"[age] > 17", MapRecord{}, "0", false},
	{"[age] < 17", MapRecord{}, "0", false},
	{"[age] > 17", MapRecord{"age": "18"}, "1", true},
	{"[age] >= 18", MapRecord{"age": "9"}, "0", false},
	{"[a] = 0", MapRecord{}, "0", false},
	{"[a] <> 1", MapRecord{}, "1", true},
	// Numbers compare as numbers, text as text.
	{"[a] = '1'", MapRecord{"a": "1.0"}, "1", true},
	{"[a] = 1", MapRecord{"a": " 1 "}, "1", true},
	{"[a] > 9", MapRecord{"a": "10"}, "1", true},
	{"[a] = 'Yes'", MapRecord{"a": "yes"}, "0", false},
	{"[d] > '2020-01-31'", MapRecord{"d": "2020-02-01"}, "1", true},
	{"[d] < '2020-01-31'", MapRecord{"d": "2020-02-01"}, "0", false},
	// Checkbox codes.
	{"[cb(2)] = '1'", MapRecord{"cb(2)": "1"}, "1", true},
	{"[cb(2)] = '1'", MapRecord{"cb(1)": "1"}, "0", false},
	{"[cb(2)] = '0'", MapRecord{}, "1", true},
	{"[cb(1)] + [cb(2)] + [cb(3)]", MapRecord{"cb(1)": "1", "cb(3)": "1"}, "2", true},
	{"[visit_arm_1][cb(a.b)] = 1", MapRecord{"cb(a.b)": "1"}, "1", true},
	// Boolean operators and truth.
	{"[a] = 1 and [b] = 2", MapRecord{"a": "1", "b": "2"}, "1", true},
	{"[a] = 1 AND [b] = 2", MapRecord{"a": "1", "b": "3"}, "0", false},
	{"[a] = 1 || [b] = 2", MapRecord{"b": "2"}, "1", true},
	{"!([a] = 1)", MapRecord{"a": "1"}, "0", false},
	{"([a] = 1) + ([b] = 1)", MapRecord{"a": "1", "b": "1"}, "2", true},
	{"[a]", MapRecord{"a": "0"}, "0", false},
	{"[a]", MapRecord{"a": "text"}, "", true},
	{"true", nil, "1", true},
	// Arithmetic.
	{"2 + 3 * 4", nil, "14", true},
	{"2 ^ 3 ^ 2", nil, "512", true},
	{"-2 ^ 2", nil, "-4", true},
	{"[w] / ([h] / 100) ^ 2", MapRecord{"w": "70", "h": "175"}, "22.857142857142858", true},
	{"1 / 0", nil, "", false},
	{"0.1 + 0.2", nil, "0.30000000000000004", true},
	{"1e21 * 10", nil, "1e+22", true},
	{"1 / 3000000", nil, "3.3333333333333335e-7", true},
	// Functions.
	{"if([a] = 1, 10, 20)", MapRecord{"a": "1"}, "10", true},
	{"if([a] = 1, 10, 20)", MapRecord{}, "20", true},
	{"round(2.5)", nil, "3", true},
	{"round(-2.5)", nil, "-3", true},
	{"round(3.14159, 2)", nil, "3.14", true},
	{"round(1234, -2)", nil, "1200", true},
	{"roundup(1.01, 1)", nil, "1.1", true},
	{"rounddown(-1.99)", nil, "-1", true},
	{"round([a], 1)", MapRecord{}, "", false},
	{"sqrt(16) + abs(-2)", nil, "6", true},
	{"mod(7, 3)", nil, "1", true},
	{"pow(2, 10)", nil, "1024", true},
	{"log(100, 10)", nil, "2", true},
	{"sum([a], [b], [c])", MapRecord{"a": "1", "c": "2"}, "3", true},
	{"mean([a], [b], [c])", MapRecord{"a": "1", "c": "2"}, "1.5", true},
	{"sum([a], [b])", MapRecord{}, "", false},
	{"min([a], 4, 2)", MapRecord{"a": "x"}, "2", true},
	{"max(1, 9, 4)", nil, "9", true},
	{"median(5, 1, 3, 2)", nil, "2.5", true},
	{"stdev(2, 4, 4, 4, 5, 5, 7, 9)", nil, "2.138089935299395", true},
	{"datediff('2020-01-01', '2020-01-31', 'd')", nil, "30", true},
	{"datediff('2020-01-31', '2020-01-01', 'd')", nil, "30", true},
	{"datediff('2020-01-31', '2020-01-01', 'd', true)", nil, "-30", true},
	{"datediff('01-31-2020', '02-01-2020', 'd', 'mdy')", nil, "1", true},
	{"datediff('31/01/2020', '01/02/2020', 'h', 'dmy', true)", nil, "24", true},
	{"datediff([a], [b], 'd', 'mdy')", MapRecord{"a": "2020-01-31", "b": "02-03-2020"}, "3", true},
	{"datediff('2024-05-17 08:00', 'now', 'm')", nil, "150", true},
	{"rounddown(datediff([dob], 'today', 'y'))", MapRecord{"dob": "2000-05-18"}, "23", true},
	{"rounddown(datediff([dob], 'today', 'y'))", MapRecord{"dob": "2000-05-17"}, "24", true},
	{"datediff([dob], 'today', 'y')", MapRecord{"dob": "2023-02-30"}, "", false},
	{"datediff([dob], 'today', 'd')", MapRecord{}, "", false},
	{"datediff('2020-01-01', '2021-01-01', 'y')", nil, "1.0020739645577939", true},
	{"year([d]) * 100 + month([d]) + day([d])", MapRecord{"d": "2021-07-04"}, "202111", true},
	{"isnumber([a]) and isinteger([b])", MapRecord{"a": "1.5", "b": "-3"}, "1", true},
	{"isinteger([a])", MapRecord{"a": "1.5"}, "0", false},
	{"contains([t], 'FLU')", MapRecord{"t": "influenza"}, "1", true},
	{"not_contain([t], 'x')", MapRecord{"t": "abc"}, "1", true},
	{"starts_with([t], 'AB') and ends_with([t], 'c')", MapRecord{"t": "abc"}, "1", true},
	{"length(concat([a], '-', [b]))", MapRecord{"a": "né", "b": "x"}, "4", true},
	{"find('c', [t])", MapRecord{"t": "ABCabc"}, "3", true},
	{"left([t], 2) = 'ab' and right([t], 1) = 'd' and mid([t], 2, 2) = 'bc'", MapRecord{"t": "abcd"}, "1", true},
	{"upper([t]) = 'AB' and lower('X') = 'x' and trim('  y ') = 'y'", MapRecord{"t": "ab"}, "1", true},
	{"concat_ws('/', [a], [b], [c]) = 'x/z'", MapRecord{"a": "x", "c": "z"}, "1", true},
	{"isblankormissingcode([a]) and !hasmissingcode([a])", MapRecord{}, "1", true},
	{"is_nan([a] + 1)", MapRecord{}, "1", true},
}

func TestEval(t *testing.T) {
	for _, c := range evalCases {
		e, err := Parse(c.src)
		if err != nil {
			t.Fatalf("%s: %v", c.src, err)
		}
		opts := EvalOptions{Now: evalNow}
		calc, err := e.Calc(c.rec, opts)
		if err != nil {
			t.Errorf("%s: %v", c.src, err)
			continue
		}
		if calc != c.calc {
			t.Errorf("%s with %v: calc %q, want %q", c.src, c.rec, calc, c.calc)
		}
		show, _ := e.Show(c.rec, opts)
		if show != c.show {
			t.Errorf("%s with %v: show %v, want %v", c.src, c.rec, show, c.show)
		}
	}
}

func TestEvalUnsupported(t *testing.T) {
	for _, src := range []string{
		"[user-name] = 'x'",
		"[a:label] = 'x'",
		"[a][2] = 1",
		"calctext([a])",
		"round()",
		"if([a], 1)",
		"foo([a])",
		"Round(1)",
	} {
		e, err := Parse(src)
		if err != nil {
			t.Fatalf("%s: %v", src, err)
		}
		_, err = e.Eval(MapRecord{}, EvalOptions{})
		var ue *UnsupportedError
		if !errors.As(err, &ue) {
			t.Errorf("%s: error %v, want an UnsupportedError", src, err)
		}
	}
}

func ExampleExpr_Show() {
	e, _ := Parse("[age] >= 18 and [symptoms(2)] = '1'")
	for _, rec := range []MapRecord{
		{},
		{"age": "30"},
		{"age": "30", "symptoms(2)": "1"},
	} {
		show, _ := e.Show(rec, EvalOptions{})
		fmt.Println(show)
	}
	calc, _ := Parse("round([weight] / ([height] / 100) ^ 2, 1)")
	bmi, _ := calc.Calc(MapRecord{"weight": "70", "height": "175"}, EvalOptions{})
	fmt.Println(bmi)
	// Output:
	// false
	// false
	// true
	// 22.9
}
