package logic

import (
	"errors"
	"maps"
	"strings"
	"testing"
)

func TestRename(t *testing.T) {
	renames := map[string]string{"age": "age_years", "cb": "symptoms", "dob": "birth_date"}
	tests := []struct{ src, want string }{
		{"[age] > 18", "[age_years] > 18"},
		// prefix collisions: only whole names
		{"[age_2] > 1 or [page] > 1 or [age] > 1", "[age_2] > 1 or [page] > 1 or [age_years] > 1"},
		{"[ev_1][age] > 1", "[ev_1][age_years] > 1"},
		// an event named like a field is not renamed
		{"[age][cb] > 1", "[age][symptoms] > 1"},
		{"[cb(2)] = '1' and [cb(age)]='1'", "[symptoms(2)] = '1' and [symptoms(age)]='1'"},
		{"[ev][cb(oth)] = '1'", "[ev][symptoms(oth)] = '1'"},
		{"[age][2] > [age][previous-instance]", "[age_years][2] > [age_years][previous-instance]"},
		{"[ev][age][last-instance] > 1", "[ev][age_years][last-instance] > 1"},
		{"[age:value] = 1 and [cb:checked] <> ''", "[age_years:value] = 1 and [symptoms:checked] <> ''"},
		{"[aggregate-mean:age] > [aggregate-max:dob,age:R-12]", "[aggregate-mean:age_years] > [aggregate-max:birth_date,age_years:R-12]"},
		// Smart Variables, strings and comments are not field references
		{"[record-name] = 'age' and [survey-url:age] <> \"[age]\"", "[record-name] = 'age' and [survey-url:age] <> \"[age]\""},
		{"# uses [age]\n[age]  >\t18 // not a comment? no: inside logic\n", ""},
		{"# uses [age]\n[age]  >\n\t18\n// [age] again", "# uses [age]\n[age_years]  >\n\t18\n// [age] again"},
		{"round(datediff([dob],'today','y'),0)", "round(datediff([birth_date],'today','y'),0)"},
		// parameters that are not field names are left alone
		{"[aggregate-mean:0] + [aggregate-mean: age ,x y]", "[aggregate-mean:0] + [aggregate-mean: age_years ,x y]"},
		{"", ""},
		{"  // only comment [age]", "  // only comment [age]"},
	}
	for _, tt := range tests {
		got, err := Rename(tt.src, renames)
		if tt.want == "" && tt.src != "" {
			if err == nil {
				t.Errorf("Rename(%q) = %q, want a syntax error", tt.src, got)
			}
			continue
		}
		if err != nil {
			t.Errorf("Rename(%q): %v", tt.src, err)
			continue
		}
		if got != tt.want {
			t.Errorf("Rename(%q)\n got %q\nwant %q", tt.src, got, tt.want)
		}
	}
}

func TestRenameSwap(t *testing.T) {
	// Renames apply simultaneously, so a swap works.
	got, err := Rename("[a] + [b]", map[string]string{"a": "b", "b": "a"})
	if err != nil || got != "[b] + [a]" {
		t.Errorf("swap = %q, %v", got, err)
	}
}

func TestRenameErrors(t *testing.T) {
	_, err := Rename("[a] = ", map[string]string{"a": "b"})
	var se *SyntaxError
	if !errors.As(err, &se) || se.Pos != 6 {
		t.Errorf("Rename(bad logic) error = %v, want *SyntaxError at 6", err)
	}
	for _, bad := range []string{"", "b c", "b]", "2b", "b-c"} {
		if _, err := Rename("[a] = 1", map[string]string{"a": bad}); err == nil {
			t.Errorf("Rename to %q succeeded", bad)
		}
	}
}

func TestRenameInText(t *testing.T) {
	renames := map[string]string{"age": "age_years", "cb": "symptoms"}
	tests := []struct{ text, want string }{
		{"Your age is [age] years.", "Your age is [age_years] years."},
		{"[age:label] / [cb:checked] / [ev_1][age] / [age][2] / [cb(3)]", "[age_years:label] / [symptoms:checked] / [ev_1][age_years] / [age_years][2] / [symptoms(3)]"},
		{"Not refs: [see below], [age ], [ age], [], [age", "Not refs: [see below], [age ], [ age], [], [age"},
		{"[age_2] [page] [ages]", "[age_2] [page] [ages]"},
		{"[age][see note] and [age][Note]", "[age_years][see note] and [age][Note]"},
		{"[see [age] here]", "[see [age_years] here]"},
		{"@IF([age] > 18, @HIDDEN, '') @DEFAULT='[cb]'", "@IF([age_years] > 18, @HIDDEN, '') @DEFAULT='[symptoms]'"},
		{"1, Older than [age] | 2, [record-name]", "1, Older than [age_years] | 2, [record-name]"},
		{"<b>[aggregate-mean:age]</b>", "<b>[aggregate-mean:age_years]</b>"},
		{"no brackets", "no brackets"},
		{"ümlaut [age] ü", "ümlaut [age_years] ü"},
	}
	for _, tt := range tests {
		if got := RenameInText(tt.text, renames); got != tt.want {
			t.Errorf("RenameInText(%q)\n got %q\nwant %q", tt.text, got, tt.want)
		}
	}
	if got := RenameInText("[age]", map[string]string{"age": "bad name"}); got != "[age]" {
		t.Errorf("invalid new name applied: %q", got)
	}
}

func TestBalance(t *testing.T) {
	tests := []struct {
		src string
		pos int // -1: balanced
		msg string
	}{
		{"[a] = '1' and ([b] = \"2\")", -1, ""},
		{"# it's a comment (\n[a] = 1", -1, ""},
		{"[a] = ')('", -1, ""}, // counts match, as in REDCap
		{"([a] = 1", 0, "'(' at 0: it is never closed"},
		{"[a] = 1)", 7, "unbalanced ')'"},
		{"(([a] = 1) or ([b] = 2)", 0, "never closed"},
		{"[a = 1", 0, "'[' at 0"},
		{"a] = 1", 1, "unbalanced ']'"},
		{"[a] = 'x", 6, "odd number (1) of ' quotes"},
		{`[a] = "it's"`, 9, "odd number (1) of ' quotes"},
		{`[a] = "x`, 6, `odd number (1) of " quotes`},
	}
	for _, tt := range tests {
		err := Balance(tt.src)
		if tt.pos < 0 {
			if err != nil {
				t.Errorf("Balance(%q) = %v, want nil", tt.src, err)
			}
			continue
		}
		var se *SyntaxError
		if !errors.As(err, &se) || se.Pos != tt.pos || !strings.Contains(se.Msg, tt.msg) {
			t.Errorf("Balance(%q) = %v, want at %d containing %q", tt.src, err, tt.pos, tt.msg)
		}
	}
}

func TestHasCurlyQuotes(t *testing.T) {
	tests := []struct {
		src string
		pos int
		ok  bool
	}{
		{"[a] = '1'", 0, false},
		{"[a] = ‘1’", 6, true},
		{"[a] = “x” and [b]='1'", 6, true},
		{"[a] = \"it’s\"", 0, false}, // inside a straight-quoted string: text
		{"# don’t\n[a]=1", 0, false},
		{"[a] = 'x' or [b] = ”y”", 19, true},
	}
	for _, tt := range tests {
		pos, ok := HasCurlyQuotes(tt.src)
		if ok != tt.ok || ok && pos != tt.pos {
			t.Errorf("HasCurlyQuotes(%q) = %d, %v; want %d, %v", tt.src, pos, ok, tt.pos, tt.ok)
		}
	}
}

func TestCleanBrackets(t *testing.T) {
	tests := []struct {
		src, want string
		changed   bool
	}{
		{"[age] = 1", "[age] = 1", false},
		{"[ age ] = 1", "[age] = 1", true},
		{"[ev 1][cb( 2 )] = '[ x ]'", "[ev1][cb(2)] = '[ x ]'", true},
		{"# [ keep ]\n[a b]=1", "# [ keep ]\n[ab]=1", true},
		{"[survey-link:form:Click here]", "[survey-link:form:Clickhere]", true},
	}
	for _, tt := range tests {
		got, changed := CleanBrackets(tt.src)
		if got != tt.want || changed != tt.changed {
			t.Errorf("CleanBrackets(%q) = %q, %v; want %q, %v", tt.src, got, changed, tt.want, tt.changed)
		}
		if _, err := Parse(got); err != nil && tt.changed {
			t.Errorf("cleaned %q does not parse: %v", got, err)
		}
	}
}

func TestRefsInText(t *testing.T) {
	text := "Hello [first_name], [see below] [ev][age:value][2] [aggregate-max:bmi]"
	got := RefsInText(text)
	var names []string
	for _, r := range got {
		names = append(names, r.String())
		if r.Pos < 0 || r.End > len(text) || text[r.Pos] != '[' || text[r.End-1] != ']' {
			t.Errorf("ref %v: bad span %d..%d", r, r.Pos, r.End)
		}
	}
	if strings.Join(names, " ") != "[first_name] [ev][age][2] [bmi]" {
		t.Errorf("RefsInText = %v", names)
	}
}

func TestCleanBracketsUnclosed(t *testing.T) {
	if got, changed := CleanBrackets("[a b = 1"); changed || got != "[a b = 1" {
		t.Errorf("CleanBrackets(unclosed) = %q, %v", got, changed)
	}
	if got, _ := CleanBrackets(`[a] = 'x\' [ y ]'`); got != `[a] = 'x\' [ y ]'` {
		t.Errorf("CleanBrackets cleaned inside a string with an escaped quote: %q", got)
	}
}

func TestRenamerMatchesFunctions(t *testing.T) {
	renames := map[string]string{"age": "age_years", "cb": "symptoms", "dob": "birth_date"}
	given := maps.Clone(renames)
	r, err := NewRenamer(given)
	if err != nil {
		t.Fatal(err)
	}
	given["age"] = "changed" // the Renamer keeps its own copy
	for _, src := range []string{
		"[age] > 18", "[ev][cb(oth)] = '1' and [aggregate-mean:age,dob] > 1",
		"# uses [age]\n[age]  >\n\t18\n// [age] again", "[age] = ", "", "  // only comment [age]",
		"Your age is [age] years. [see below] [age][Note]", "no brackets",
	} {
		want, wantErr := Rename(src, renames)
		got, gotErr := r.Rename(src)
		if got != want || (gotErr == nil) != (wantErr == nil) {
			t.Errorf("Renamer.Rename(%q) = %q, %v; Rename gives %q, %v", src, got, gotErr, want, wantErr)
		}
		if got, want := r.RenameInText(src), RenameInText(src, renames); got != want {
			t.Errorf("Renamer.RenameInText(%q) = %q; RenameInText gives %q", src, got, want)
		}
	}
	if got, _ := r.Rename("[age] > 1"); got != "[age_years] > 1" {
		t.Errorf("Renamer.Rename = %q, want [age_years] > 1", got)
	}
}

func TestRenamerErrors(t *testing.T) {
	for _, bad := range []string{"", "b c", "b]", "2b", "b-c"} {
		if _, err := NewRenamer(map[string]string{"a": bad}); err == nil {
			t.Errorf("NewRenamer to %q succeeded", bad)
		}
		// RenameInText leaves text alone when the map has a bad name,
		// whether or not the text mentions the renamed field.
		if got := RenameInText("[a] and [c]", map[string]string{"a": bad, "c": "d"}); got != "[a] and [c]" {
			t.Errorf("RenameInText with %q renamed: %q", bad, got)
		}
	}
}
