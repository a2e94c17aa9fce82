package api

import (
	"strings"
	"testing"
)

// FuzzSplitDictionaryErrors: any server text splits without panicking,
// every problem has text, and no text is lost (the problems' entries and
// messages hold every non-space byte of the input, in order).
func FuzzSplitDictionaryErrors(f *testing.F) {
	for _, s := range []string{
		pycap190,
		`Multiple choice fields can only have coded values. Please make the following corrections:"a b" (F5) - Suggestion: replace with "a_b""c d" (F6) - Suggestion: replace with "c_d"`,
		"Each row MUST have a form name: B5.Form names must be sequential and cannot repeat again: visit (B9)",
		"", "\n\n", "(A1)", "x (A1)(B2)", `"unterminated (A3)`, "Each row MUST haveEach row MUST have",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		probs := splitDictionaryErrors(s)
		var got strings.Builder
		lastMsg := ""
		for _, p := range probs {
			if p.String() == "" {
				t.Fatalf("empty problem from %q", s)
			}
			if p.Message != lastMsg || p.Item == "" {
				got.WriteString(p.Message)
				lastMsg = p.Message
			}
			got.WriteString(p.Item)
		}
		squeeze := func(x string) string { return strings.Join(strings.Fields(x), "") }
		in, out := squeeze(s), squeeze(got.String())
		// Separators between entries (", ;") may be trimmed.
		strip := func(x string) string { return strings.NewReplacer(",", "", ";", "").Replace(x) }
		if strip(in) != strip(out) {
			t.Fatalf("text lost or reordered:\n in %q\nout %q", in, out)
		}
	})
}

// FuzzDecodeUsers: any JSON answer decodes or fails without panicking.
func FuzzDecodeUsers(f *testing.F) {
	for _, s := range []string{
		`[{"username":"a","design":1,"forms":{"f":130},"forms_export":"f:1"}]`,
		`[{"forms":"a:1,b:x"}]`, `[{"forms":[]}]`, `[]`, `{}`, `null`, `[{"forms":{"f":"129"}}]`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		users, err := decodeUsers(b)
		if err != nil {
			return
		}
		for _, u := range users {
			for form, r := range u.Forms {
				if _, err := ParseFormRight(r.Raw); err != nil {
					t.Fatalf("form %s kept an invalid right %d", form, r.Raw)
				}
			}
		}
	})
}

// FuzzDecodeFieldsFast: whenever the fast metadata decoder accepts a body,
// encoding/json (decodeFieldsTyped) accepts it too and reads the same
// fields; the fast decoder may only give up, never differ.
func FuzzDecodeFieldsFast(f *testing.F) {
	for _, s := range []string{
		`[{"field_name":"record_id","form_name":"f","field_type":"text","field_label":"ID"}]`,
		` [ { "field_name" : "a" , "extra" : "x" } , {"field_name":"b","field_label":"tab\tquote\" \u00e9 \/ \\"} ] `,
		`[{"Field_Name":"a"}]`, `[{"field_name":"a","field_label":null}]`, `[{"field_name":1}]`,
		`[{"field_name":"a","field_label":"\ud83d\ude00"}]`, `[{"field_name":"a","field_label":"\ud83d"}]`,
		"[{\"field_name\":\"a\xff\"}]", `[{"field_name":"a"}] x`, `[{"field_name":"a"},]`, `[]`, `null`, `{}`,
		`[{"field_name":"a","field_name":"b"}]`, `[{"form_name":"f"}]`, `[{"field_name":"a","extra":{"x":"y"}}]`,
		`[{"field_name":"a","ſection_header":"x"}]`, `[{"field_name":"a\u0000b"}]`, "[{\"field_name\":\"a\nb\"}]",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		fast, ok := decodeFieldsFast(b)
		if !ok {
			return
		}
		typed, ok := decodeFieldsTyped(b)
		if !ok {
			t.Fatalf("fast decoder accepted what encoding/json refuses: %q", b)
		}
		if len(fast) != len(typed) {
			t.Fatalf("%d fields, encoding/json %d: %q", len(fast), len(typed), b)
		}
		for i := range fast {
			if fast[i] != typed[i] {
				t.Fatalf("field %d: %+v, encoding/json %+v: %q", i, fast[i], typed[i], b)
			}
		}
	})
}

// TestDecodeFieldsFastAccepts pins that the fast decoder takes REDCap's
// usual answers (spacing, escapes, keys of newer servers) instead of
// quietly leaving every body to encoding/json.
func TestDecodeFieldsFastAccepts(t *testing.T) {
	for _, s := range []string{
		`[]`,
		`[{"field_name":"record_id","form_name":"f","field_type":"text","field_label":"ID"}]`,
		` [ { "field_name" : "a" , "extra" : "x" } , {"field_name":"b","field_label":"tab\tquote\" \u00e9 \/ \\"} ] `,
	} {
		if _, ok := decodeFieldsFast([]byte(s)); !ok {
			t.Errorf("gave up on %s", s)
		}
	}
	got, _ := decodeFieldsFast([]byte(`[{"field_name":"b","field_label":"tab\tquote\" \u00e9 \/ \\"}]`))
	if len(got) != 1 || got[0].FieldLabel != "tab\tquote\" é / \\" {
		t.Errorf("got %+v", got)
	}
}
