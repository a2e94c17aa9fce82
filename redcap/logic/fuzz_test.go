package logic

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

var fuzzSeeds = []string{
	"[a] = '1'",
	"[ev_1][cb(2)] = '1' and [age][3] > [age:value] or [x][previous-instance] = [record-name]",
	"if([a]='1', datediff([dob],'today','y'), '')",
	"round(([weight]*10000)/(([height])^(2)),1)",
	"# comment [x]\n[a] <> \"it's\" // no\n",
	"// c\n[aggregate-mean:age,bmi:R-1] > 2e3 && !(false || TRUE)",
	"[visit_1_arm_1][survey-url:consent] <> '' or [form-url:ae][next-instance] = ''",
	"sum( if( [hd]=\"unable\", 0,\n if([hd]='x', 1, 0)), -.5)",
	"[a] = ’1’",
	"[a",
	"((((1))))",
	"[e][f][2][3]",
	"[a][b c]",
}

// checkParsed asserts the invariants of a successful parse.
func checkParsed(t *testing.T, src string, e *Expr) {
	t.Helper()
	if e.Root.Pos() < 0 || e.Root.End() > len(src) || e.Root.Pos() > e.Root.End() {
		t.Fatalf("root span %d..%d outside %d bytes", e.Root.Pos(), e.Root.End(), len(src))
	}
	identity := map[string]string{}
	for _, r := range e.Refs() {
		if r.Pos < 0 || r.End > len(src) || r.Pos >= r.End || src[r.Pos] != '[' || src[r.End-1] != ']' {
			t.Fatalf("ref %#v: span is not a bracketed reference in %q", r, src)
		}
		identity[r.Field] = r.Field
	}
	for _, f := range e.FieldRefs() {
		if src[f.FieldPos:f.FieldEnd] != f.Field {
			t.Fatalf("field span %d..%d = %q, want %q", f.FieldPos, f.FieldEnd, src[f.FieldPos:f.FieldEnd], f.Field)
		}
	}
	for _, c := range e.Functions() {
		if !strings.HasPrefix(src[c.Pos:], c.Name) {
			t.Fatalf("function %q not at %d", c.Name, c.Pos)
		}
	}
	_ = Format(e.Root)
	if got, err := Rename(src, identity); err != nil || got != src {
		t.Fatalf("identity Rename = %q, %v; want the input", got, err)
	}
	if got := RenameInText(src, identity); got != src {
		t.Fatalf("identity RenameInText = %q", got)
	}
	// Parsing is unaffected by comments already blanked.
	e2, err := Parse(StripComments(src))
	if err != nil || Format(e2.Root) != Format(e.Root) {
		t.Fatalf("parse of comment-stripped source differs: %v", err)
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		_ = Balance(src)
		if pos, ok := HasCurlyQuotes(src); ok && (pos < 0 || pos >= len(src)) {
			t.Fatalf("curly quote position %d out of range", pos)
		}
		if cleaned, changed := CleanBrackets(src); !changed && cleaned != src {
			t.Fatalf("CleanBrackets changed the text but said it did not")
		}
		for _, r := range RefsInText(src) {
			if r.Pos < 0 || r.End > len(src) || src[r.Pos] != '[' || src[r.End-1] != ']' {
				t.Fatalf("RefsInText span %d..%d bad", r.Pos, r.End)
			}
		}
		e, err := Parse(src)
		if err != nil {
			var se *SyntaxError
			if !errors.As(err, &se) || se.Pos < 0 || se.Pos > len(src) {
				t.Fatalf("error %v is not a *SyntaxError within the source", err)
			}
			return
		}
		checkParsed(t, src, e)
	})
}

func FuzzRename(f *testing.F) {
	for i, s := range fuzzSeeds {
		f.Add(s, []string{"x", "new_name", "a", "age_2", "B7"}[i%5])
	}
	f.Fuzz(func(t *testing.T, src, newName string) {
		if checkRenames(map[string]string{"x": newName}) != nil {
			if _, err := Rename(src, map[string]string{"x": newName}); err == nil {
				t.Fatalf("Rename to invalid name %q succeeded", newName)
			}
			return
		}
		// Free text: rename one piped field there and back.
		if trefs := RefsInText(src); len(trefs) > 0 {
			old := trefs[0].Field
			if !hasField(trefs, newName) && old != newName {
				out := RenameInText(src, map[string]string{old: newName})
				if back := RenameInText(out, map[string]string{newName: old}); back != src {
					t.Fatalf("RenameInText round trip:\n src %q\n out %q\nback %q", src, out, back)
				}
			}
		}
		e, err := Parse(src)
		if err != nil {
			if _, rerr := Rename(src, map[string]string{"x": newName}); rerr == nil && strings.TrimSpace(StripComments(src)) != "" {
				t.Fatalf("Rename accepted logic that does not parse: %v", err)
			}
			return
		}
		refs := e.Refs()
		if len(refs) == 0 {
			return
		}
		old := refs[0].Field
		if old == newName || hasField(refs, newName) {
			return
		}
		out, err := Rename(src, map[string]string{old: newName})
		if err != nil {
			t.Fatalf("Rename: %v", err)
		}
		e2, err := Parse(out)
		if err != nil {
			t.Fatalf("renamed logic %q does not parse: %v", out, err)
		}
		checkParsed(t, out, e2)
		refs2 := e2.Refs()
		if len(refs2) != len(refs) {
			t.Fatalf("renamed logic has %d refs, want %d", len(refs2), len(refs))
		}
		for i, r := range refs {
			want := r
			if want.Field == old {
				want.Field = newName
			}
			got := refs2[i]
			want.Pos, want.End, got.Pos, got.End = 0, 0, 0, 0
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("ref %d = %#v, want %#v", i, got, want)
			}
		}
		if back, err := Rename(out, map[string]string{newName: old}); err != nil || back != src {
			t.Fatalf("round trip = %q, %v; want %q", back, err, src)
		}
	})
}

func hasField(refs []Ref, name string) bool {
	for _, r := range refs {
		if r.Field == name {
			return true
		}
	}
	return false
}
