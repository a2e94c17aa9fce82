package sandbox

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

func TestParseJSON(t *testing.T) {
	v, err := parseJSON(` [ {"b":"1","a":2.50,"c":true,"d":false,"e":null,"b":"3","n":{"x":1},"l":[1]} , {} ] `)
	if err != nil {
		t.Fatal(err)
	}
	want := []any{
		row{{"b", "3"}, {"a", "2.50"}, {"c", "1"}, {"d", ""}, {"e", ""}, {"n", "Array"}, {"l", "Array"}},
		row{},
	}
	if diff := cmp.Diff(want, v, cmp.AllowUnexported(kv{})); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	for in, want := range map[string]string{
		`["a\"b\\c\/d\b\f\n\r\t\u00e9\ud83d\ude00"]`: "a\"b\\c/d\b\f\n\r\té😀",
		`["plain ümlaut"]`:                           "plain ümlaut",
	} {
		v, err := parseJSON(in)
		if err != nil {
			t.Errorf("%s: %v", in, err)
			continue
		}
		if got := v.([]any)[0]; got != want {
			t.Errorf("%s: %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]string{
		"":           "Syntax error",
		"[":          "Syntax error",
		"[1,]":       "Syntax error",
		"[01]":       "Syntax error",
		`{"a" 1}`:    "Syntax error",
		"[] []":      "Syntax error",
		"\ufeff[]":   "Syntax error",
		"[\"a\nb\"]": "Control character error, possibly incorrectly encoded",
		`["\ud800"]`: "Single unpaired UTF-16 surrogate in unicode escape",
		`["\x"]`:     "Syntax error",
		"[tru]":      "Syntax error",
		"[1.]":       "Syntax error",
		"[-]":        "Syntax error",
		"[1e]":       "Syntax error",
		strings.Repeat("[", 600) + strings.Repeat("]", 600): "Maximum stack depth exceeded",
	} {
		if _, err := parseJSON(in); err == nil || err.Error() != want {
			t.Errorf("parseJSON(%.30q) = %v, want %q", in, err, want)
		}
	}
}

// FuzzParseJSON checks that the reader accepts exactly what encoding/json
// accepts (apart from PHP's stricter surrogates and depth) and reads the
// same strings.
func FuzzParseJSON(f *testing.F) {
	for _, s := range []string{`[]`, `[{"a":"b"}]`, `{"x":[1,2.5e-3,true,null]}`, `"\u00e9"`, `[1,]`, `[{"a":"\n"}]`, "-0.0E+1", `[{"k":"v","k":"w"}]`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) || strings.Contains(s, `\u`) || strings.Count(s, "[")+strings.Count(s, "{") > maxJSONDepth {
			return
		}
		v, err := parseJSON(s)
		if (err == nil) != json.Valid([]byte(s)) {
			t.Fatalf("parseJSON(%q) error %v, json.Valid %v", s, err, json.Valid([]byte(s)))
		}
		if str, ok := v.(string); ok && err == nil && strings.HasPrefix(strings.TrimSpace(s), `"`) {
			var want string
			if err := json.Unmarshal([]byte(s), &want); err != nil || want != str {
				t.Fatalf("parseJSON(%q) = %q, encoding/json %q", s, str, want)
			}
		}
	})
}
