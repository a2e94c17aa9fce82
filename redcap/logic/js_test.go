package logic

import (
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/dop251/goja"
)

// jsEngine runs translated logic on the JavaScript runtime in goja, a
// JavaScript engine in Go, with "now" fixed at evalNow.
type jsEngine struct {
	vm  *goja.Runtime
	rec Record
}

func newJSEngine(t testing.TB) *jsEngine {
	t.Helper()
	en := &jsEngine{vm: goja.New()}
	if _, err := en.vm.RunString(JSRuntime()); err != nil {
		t.Fatalf("runtime.js: %v", err)
	}
	if _, err := en.vm.RunString(fmt.Sprintf("RCLogic.setNow([%d,%d,%d,%d,%d,%d])",
		evalNow.Year(), evalNow.Month(), evalNow.Day(), evalNow.Hour(), evalNow.Minute(), evalNow.Second())); err != nil {
		t.Fatal(err)
	}
	must := func(err error) {
		if err != nil {
			t.Fatal(err)
		}
	}
	must(en.vm.Set("V", func(field string) string { return en.rec.Value(field) }))
	must(en.vm.Set("C", func(field, code string) bool { return en.rec.Checked(field, code) }))
	return en
}

// run returns what the browser would: the branching answer and the calc text.
func (en *jsEngine) run(js string, rec Record) (bool, string, error) {
	en.rec = rec
	v, err := en.vm.RunString("(function(R){ var x = " + js + "; return [R.truth(x), R.calc(x)]; })(RCLogic)")
	if err != nil {
		return false, "", err
	}
	out := v.Export().([]any)
	return out[0].(bool), out[1].(string), nil
}

// compareJS evaluates src with Eval and in JavaScript and reports any
// difference; it returns false when src is not evaluated (unsupported).
func compareJS(t testing.TB, en *jsEngine, src string, rec Record) bool {
	t.Helper()
	e, err := Parse(src)
	if err != nil {
		t.Fatalf("%s: %v", src, err)
	}
	js, err := e.JS()
	_, evalErr := e.Eval(rec, EvalOptions{Now: evalNow})
	if (err == nil) != (evalErr == nil) {
		t.Fatalf("%s: JS error %v but Eval error %v", src, err, evalErr)
	}
	if err != nil {
		return false
	}
	show, _ := e.Show(rec, EvalOptions{Now: evalNow})
	calc, _ := e.Calc(rec, EvalOptions{Now: evalNow})
	jsShow, jsCalc, err := en.run(js, rec)
	if err != nil {
		t.Fatalf("%s: JavaScript %s failed: %v", src, js, err)
	}
	if show != jsShow || calc != jsCalc {
		t.Errorf("%s with %v: Go shows %v, calc %q; JavaScript shows %v, calc %q\n(js: %s)", src, rec, show, calc, jsShow, jsCalc, js)
	}
	return true
}

func TestJSMatchesEval(t *testing.T) {
	en := newJSEngine(t)
	for _, c := range evalCases {
		if !compareJS(t, en, c.src, c.rec) {
			t.Errorf("%s: not translated", c.src)
		}
		// The same expression on other records.
		for _, rec := range fuzzRecords {
			compareJS(t, en, c.src, rec)
		}
	}
}

// TestJSRefusesWhatEvalRefuses: the translation and the evaluator agree on
// what they cannot compute, and every evaluated function exists in the
// runtime.
func TestJSRefusesWhatEvalRefuses(t *testing.T) {
	en := newJSEngine(t)
	for _, src := range []string{"[user-name] = 'x'", "[a:label] = 'x'", "[a][2] = 1", "calctext([a])", "round()", "foo(1)"} {
		e, err := Parse(src)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.JS(); err == nil {
			t.Errorf("%s: translated, want an UnsupportedError", src)
		}
	}
	for name := range arity {
		v, err := en.vm.RunString(fmt.Sprintf("RCLogic.has(%q)", name))
		if err != nil || !v.ToBoolean() {
			t.Errorf("function %s: not in runtime.js (%v)", name, err)
		}
	}
}

// TestJSMatchesEvalOnCorpus runs every branching logic and calc equation of
// the corpus of real dictionaries through both, with several records made
// from the fields each one references.
func TestJSMatchesEvalOnCorpus(t *testing.T) {
	exprs := loadCorpusLogic(t)
	en := newJSEngine(t)
	compared, unsupported := 0, 0
	for _, ce := range exprs {
		e, err := Parse(ce.src)
		if err != nil {
			continue // syntax errors are the validator's business
		}
		refs := e.Refs()
		for k := 0; k < 4; k++ {
			rec := MapRecord{}
			for i, r := range refs {
				v := fuzzValues[(i*7+k*3)%len(fuzzValues)]
				if r.Code != "" {
					if (i+k)%2 == 0 {
						v = "1"
					}
					rec[r.Field+"("+r.Code+")"] = v
					continue
				}
				rec[r.Field] = v
			}
			if !compareJS(t, en, ce.src, rec) {
				unsupported++
				break
			}
			compared++
		}
	}
	t.Logf("%d evaluations of %d corpus expressions compared; %d expressions not evaluated (unsupported)", compared, len(exprs), unsupported)
	if compared == 0 {
		t.Fatal("nothing compared")
	}
}

// fuzzValues are the field values expressions are tried on: blanks,
// numbers, text, dates valid and not.
var fuzzValues = []string{"", "0", "1", "2", "-3", "2.5", "abc", "ABC", "2020-01-31", "2024-02-29",
	"2023-02-30", "01-31-2020", " 7 ", "1e3", "x1", "2021-07-04 10:15", "10", ".5"}

var fuzzRecords = []MapRecord{
	{},
	{"a": "1", "b": "2", "c": "abc", "d": "2020-01-31", "cb(1)": "1"},
	{"a": "", "b": "0", "c": "2.5", "d": "01-31-2020", "cb(2)": "1"},
	{"a": "ABC", "b": "-3", "c": " 7 ", "d": "2024-02-29", "cb(1)": "1", "cb(2)": "1"},
}

// exprGen builds a syntactically valid expression from fuzz bytes, so that
// most fuzz inputs exercise evaluation rather than the parser.
type exprGen struct {
	data []byte
	i    int
}

func (g *exprGen) next() int {
	if g.i >= len(g.data) {
		return 0
	}
	g.i++
	return int(g.data[g.i-1])
}

var (
	genLeaves = []string{"[a]", "[b]", "[c]", "[d]", "[cb(1)]", "[cb(2)]", "0", "1", "2", "2.5", "10", "0.1", "1e3", ".5", "100",
		"''", "'1'", "'a'", "'ABC'", "'2020-01-31'", "'31-01-2020'", "'2021-07-04 10:15'", "'today'", "'now'", "' 1 '", "'1.0'",
		"'y'", "'d'", "'M'", "'h'", "'mdy'", "'dmy'", "true", "false"}
	genOps   = []string{"and", "or", "=", "<>", "<", "<=", ">", ">=", "+", "-", "*", "/", "^"}
	genFuncs = func() []string {
		var names []string
		for n := range arity {
			names = append(names, n)
		}
		sort.Strings(names)
		return names
	}()
)

func (g *exprGen) expr(depth int) string {
	c := g.next()
	if depth >= 4 || c%3 == 0 {
		return genLeaves[g.next()%len(genLeaves)]
	}
	switch c % 3 {
	case 1:
		if g.next()%4 == 0 {
			return []string{"!(", "-(", "+("}[g.next()%3] + g.expr(depth+1) + ")"
		}
		return "(" + g.expr(depth+1) + " " + genOps[g.next()%len(genOps)] + " " + g.expr(depth+1) + ")"
	}
	name := genFuncs[g.next()%len(genFuncs)]
	a := arity[name]
	n := a[0] + g.next()%3
	if a[1] >= 0 && n > a[1] {
		n = a[1]
	}
	args := make([]string, n)
	for i := range args {
		args[i] = g.expr(depth + 1)
	}
	return name + "(" + strings.Join(args, ", ") + ")"
}

func (g *exprGen) record() MapRecord {
	rec := MapRecord{}
	for _, f := range []string{"a", "b", "c", "d"} {
		rec[f] = fuzzValues[g.next()%len(fuzzValues)]
	}
	for _, code := range []string{"1", "2"} {
		if g.next()%2 == 1 {
			rec["cb("+code+")"] = "1"
		}
	}
	return rec
}

// FuzzJSMatchesEval: any expression the generator builds from the input
// gives the same answer and calc text in JavaScript as in Go.
//
//	go test -fuzz FuzzJSMatchesEval ./redcap/logic/
func FuzzJSMatchesEval(f *testing.F) {
	for _, seed := range []string{"", "\x01\x02\x03", "\x02\x05\x07\x01\x00\x04", "abcdefghijklmnop", "\x05\x0b\x11\x17\x1d\x23\x29\x2f\x35\x3b",
		"datediff", "\x02\x0c\x01\x00\x13\x00\x14\x00\x1c", "\xff\xfe\xfd\xfc\xfb\xfa\xf9\xf8"} {
		f.Add([]byte(seed))
	}
	en := newJSEngine(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		g := &exprGen{data: data}
		src := g.expr(0)
		rec := g.record()
		compareJS(t, en, src, rec)
	})
}

// TestJSIsSafeInScript: a string in logic cannot close the <script>
// element the translation is written into, nor break the JavaScript.
func TestJSIsSafeInScript(t *testing.T) {
	e, err := Parse(`[a] = "</script><script>alert(1)</script>" or [b] = '` + "\u2028&" + `'`)
	if err != nil {
		t.Fatal(err)
	}
	js, err := e.JS()
	if err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"<", ">", "&", "\u2028"} {
		if strings.Contains(js, bad) {
			t.Errorf("translation holds %q: %s", bad, js)
		}
	}
	en := newJSEngine(t)
	compareJS(t, en, e.Src, MapRecord{"a": "</script><script>alert(1)</script>"})
}
