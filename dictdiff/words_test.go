package dictdiff

import (
	"fmt"
	"strings"
	"testing"

	"github.com/rcolpipe/rcolpipe/redcap"
)

// longLabel builds an HTML label of about n bytes whose paragraphs differ,
// with the word at the middle replaced by middle.
func longLabel(n int, middle string) string {
	var b strings.Builder
	for i := 0; b.Len() < n/2; i++ {
		fmt.Fprintf(&b, `<p style="font-size:11pt">Paragraph %d of the consent text explains item %d to the participant.</p>`, i, i*7)
	}
	b.WriteString("<p>The participant " + middle + " to take part.</p>")
	for i := 0; b.Len() < n; i++ {
		fmt.Fprintf(&b, `<p style="color:#333">Section %d describes the risks and benefits of step %d.</p>`, i, i*3)
	}
	return b.String()
}

func render(h Hunk) string {
	var b strings.Builder
	if h.Before {
		b.WriteString("…")
	}
	for _, s := range h.Segments {
		switch s.Op {
		case OpDelete:
			b.WriteString("[-" + s.Text + "-]")
		case OpInsert:
			b.WriteString("{+" + s.Text + "+}")
		default:
			b.WriteString(s.Text)
		}
	}
	if h.After {
		b.WriteString("…")
	}
	return b.String()
}

// One changed word in a label of 11,903 bytes gives one short hunk: the
// word, both versions, and a few words around it.
func TestLongLabelOneWord(t *testing.T) {
	old := longLabel(11903, "agrees")
	old = old[:11903]
	new := strings.Replace(old, "participant agrees to", "participant consents to", 1)
	if len(old) != 11903 || old == new {
		t.Fatalf("test label: %d bytes, changed %v", len(old), old != new)
	}
	rep := Compare("old", dict(field("consent", "text", old)), "new", dict(field("consent", "text", new)))
	if len(rep.FieldsChanged) != 1 || len(rep.FieldsChanged[0].Columns) != 1 {
		t.Fatalf("changes: %+v", rep.FieldsChanged)
	}
	c := rep.FieldsChanged[0].Columns[0]
	if !c.Long || c.TooLong || len(c.Hunks) != 1 {
		t.Fatalf("column change: long %v too long %v hunks %d", c.Long, c.TooLong, len(c.Hunks))
	}
	got := render(c.Hunks[0])
	if want := "The participant [-agrees-]{+consents+} to take part"; !strings.Contains(got, want) {
		t.Errorf("hunk %q lacks %q", got, want)
	}
	if len(got) > 120 {
		t.Errorf("hunk is %d bytes, want a short one: %q", len(got), got)
	}
	if !c.Hunks[0].Before || !c.Hunks[0].After {
		t.Errorf("hunk does not say text was left out around it: %+v", c.Hunks[0])
	}
}

func TestHunks(t *testing.T) {
	for _, tc := range []struct {
		old, new string
		want     []string
	}{
		{"a b c", "a x c", []string{"a [-b-]{+x+} c"}},
		{"one two three four five six seven eight nine ten eleven twelve", "one two three four five six seven EIGHT nine ten eleven twelve",
			[]string{"…four five six seven [-eight-]{+EIGHT+} nine ten eleven twelve"}},
		// Two changes far apart are two hunks; close ones are one.
		{"w1 w2 w3 w4 w5 w6 w7 w8 w9 w10 w11 w12 w13 w14", "X w2 w3 w4 w5 w6 w7 w8 w9 w10 w11 w12 w13 Y",
			[]string{"[-w1-]{+X+} w2 w3 w4 w5…", "…w10 w11 w12 w13 [-w14-]{+Y+}"}},
		{"w1 w2 w3 w4 w5", "X w2 w3 Y w5", []string{"[-w1-]{+X+} w2 w3 [-w4-]{+Y+} w5"}},
		{"", "new text", []string{"{+new text+}"}},
		// A long unchanged token is not quoted whole as context.
		{strings.Repeat("x", 200) + " old", strings.Repeat("x", 200) + " new", []string{"…[-old-]{+new+}"}},
	} {
		segs, ok := WordDiff(tc.old, tc.new)
		if !ok {
			t.Fatalf("%q: too long", tc.old)
		}
		var got []string
		for _, h := range Hunks(segs) {
			got = append(got, render(h))
		}
		if strings.Join(got, "|") != strings.Join(tc.want, "|") {
			t.Errorf("%q -> %q:\n got %q\nwant %q", tc.old, tc.new, got, tc.want)
		}
	}
}

// Values with more tokens than maxDiffTokens are not diffed word by word.
func TestWordDiffTooLong(t *testing.T) {
	long := strings.Repeat("a ", maxDiffTokens/2+1)
	if _, ok := WordDiff(long, long+"b"); ok {
		t.Error("a value over the token limit was diffed")
	}
}

// Token numbers map to runes that are never surrogates, and back.
func TestTokenRunes(t *testing.T) {
	for i := 0xD000; i < 0xE800; i++ {
		r := tokenRune(i)
		if r >= 0xD800 && r <= 0xDFFF {
			t.Fatalf("token %d is the surrogate %U", i, r)
		}
		if runeToken(r) != i {
			t.Fatalf("token %d -> %U -> %d", i, r, runeToken(r))
		}
	}
}

// A long branching logic shows the changed operator and value with the
// references around them, not the whole expression.
func TestLongLogicChange(t *testing.T) {
	f := func(logic string) redcap.Field {
		fl := field("follow_up", "text", "Follow-up")
		fl.BranchingLogic = logic
		return fl
	}
	old := "[consent_given] = '1' and [age] >= 18 and ([site] = '2' or [site] = '3') and [withdrawn] <> '1'"
	new := "[consent_given] = '1' and [age] >= 16 and ([site] = '2' or [site] = '3') and [withdrawn] <> '1'"
	rep := Compare("old", dict(f(old)), "new", dict(f(new)))
	c := rep.FieldsChanged[0].Columns[0]
	if c.Column != "branching_logic" || !c.Long || len(c.Hunks) != 1 {
		t.Fatalf("change: %+v", c)
	}
	if got, want := render(c.Hunks[0]), "[consent_given] = '1' and [age] >= [-18-]{+16+} and ([site] = '2' or […"; got != want {
		t.Errorf("hunk %q, want %q", got, want)
	}
}
