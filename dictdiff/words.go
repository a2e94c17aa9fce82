package dictdiff

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/sergi/go-diff/diffmatchpatch"
)

// Op says what a Segment of a word diff does.
type Op string

// The segment operations.
const (
	OpEqual  Op = "equal"
	OpDelete Op = "delete"
	OpInsert Op = "insert"
)

// Segment is a run of text that is kept, deleted or inserted.
type Segment struct {
	Op   Op     `json:"op"`
	Text string `json:"text"`
}

// Hunk is one place where a value changes, with a little unchanged text
// around it. Before and After say whether text was left out before the
// hunk's first segment and after its last (shown as "…").
type Hunk struct {
	Before   bool      `json:"cut_before"`
	After    bool      `json:"cut_after"`
	Segments []Segment `json:"segments"`
}

// Word-diff limits.
const (
	// contextWords and contextBytes bound the unchanged text kept on each
	// side of a change: up to contextWords words, and no more than
	// contextBytes bytes, so a long HTML attribute or URL does not come whole.
	contextWords = 4
	contextBytes = 48
	// maxDiffTokens bounds the words and separators of both values that
	// are diffed word by word. The diff has no time limit (go-diff's
	// default deadline would make the output depend on the machine's
	// load), so the size bounds the work instead; REDCap keeps at most
	// 65,535 bytes in a cell, far below.
	maxDiffTokens = 60_000
)

// tokens splits s into words (letters, digits, '_'), runs of white space,
// and single other characters (punctuation, the < and > of HTML tags).
func tokens(s string) []string {
	var out []string
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		class := tokenClass(r)
		j := i + n
		if class != 0 {
			for j < len(s) {
				r2, n2 := utf8.DecodeRuneInString(s[j:])
				if tokenClass(r2) != class {
					break
				}
				j += n2
			}
		}
		out = append(out, s[i:j])
		i = j
	}
	return out
}

// tokenClass is 1 for word characters, 2 for white space and 0 for a
// character that is a token by itself.
func tokenClass(r rune) int {
	switch {
	case r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r):
		return 1
	case unicode.IsSpace(r):
		return 2
	}
	return 0
}

// isWord reports whether a token is a word (not space or punctuation).
func isWord(tok string) bool {
	r, _ := utf8.DecodeRuneInString(tok)
	return tokenClass(r) == 1
}

// tokenRune maps the i-th distinct token to a rune that go-diff compares,
// skipping the surrogate range (a surrogate would turn into U+FFFD when the
// diff converts runes to strings, and distinct tokens would merge).
func tokenRune(i int) rune {
	r := rune(i + 1)
	if r >= 0xD800 {
		r += 0x800
	}
	return r
}

func runeToken(r rune) int {
	if r >= 0xD800+0x800 {
		r -= 0x800
	}
	return int(r) - 1
}

// WordDiff compares two values word by word. ok is false when the values
// are too long to compare so (see maxDiffTokens).
func WordDiff(old, new string) (segs []Segment, ok bool) {
	ta, tb := tokens(old), tokens(new)
	if len(ta)+len(tb) > maxDiffTokens {
		return nil, false
	}
	index := map[string]int{}
	var table []string
	encode := func(toks []string) []rune {
		rs := make([]rune, len(toks))
		for i, t := range toks {
			n, seen := index[t]
			if !seen {
				n = len(table)
				index[t] = n
				table = append(table, t)
			}
			rs[i] = tokenRune(n)
		}
		return rs
	}
	ra, rb := encode(ta), encode(tb)
	dmp := diffmatchpatch.New()
	dmp.DiffTimeout = 0 // deterministic: the token bound above limits the work
	diffs := dmp.DiffCleanupSemantic(dmp.DiffMainRunes(ra, rb, false))
	for _, d := range diffs {
		var b strings.Builder
		for _, r := range d.Text {
			b.WriteString(table[runeToken(r)])
		}
		op := OpEqual
		switch d.Type {
		case diffmatchpatch.DiffDelete:
			op = OpDelete
		case diffmatchpatch.DiffInsert:
			op = OpInsert
		}
		segs = append(segs, Segment{Op: op, Text: b.String()})
	}
	return segs, true
}

// Hunks cuts a word diff into the places that change, each with up to
// contextWords words (and contextBytes bytes) of unchanged text around it.
// Unchanged text between two changes that is short enough to be context
// for both keeps them in one hunk.
func Hunks(segs []Segment) []Hunk {
	var hunks []Hunk
	var cur *Hunk
	for i, s := range segs {
		if s.Op != OpEqual {
			if cur == nil {
				hunks = append(hunks, Hunk{})
				cur = &hunks[len(hunks)-1]
			}
			cur.Segments = append(cur.Segments, s)
			continue
		}
		first, last := i == 0, i == len(segs)-1
		toks := tokens(s.Text)
		lead, leadCut := contextPrefix(toks)   // after the change before
		trail, trailCut := contextSuffix(toks) // before the change after
		switch {
		case first && last:
			// no change at all
		case first:
			hunks = append(hunks, Hunk{Before: trailCut, Segments: []Segment{{OpEqual, trail}}})
			cur = &hunks[len(hunks)-1]
		case last:
			cur.Segments = append(cur.Segments, Segment{OpEqual, lead})
			cur.After = leadCut
			cur = nil
		case !leadCut || len(lead)+len(trail) >= len(s.Text):
			cur.Segments = append(cur.Segments, s) // short: joins the two changes
		default:
			cur.Segments = append(cur.Segments, Segment{OpEqual, lead})
			cur.After = true
			hunks = append(hunks, Hunk{Before: true, Segments: []Segment{{OpEqual, trail}}})
			cur = &hunks[len(hunks)-1]
		}
	}
	return hunks
}

// contextPrefix is the start of unchanged text shown after a change: up to
// contextWords words and contextBytes bytes; cut says whether text remains.
func contextPrefix(toks []string) (string, bool) {
	var b strings.Builder
	words := 0
	for i, t := range toks {
		if isWord(t) {
			if words == contextWords {
				return strings.TrimRightFunc(b.String(), unicode.IsSpace), true
			}
			words++
		}
		if b.Len()+len(t) > contextBytes && b.Len() > 0 {
			return strings.TrimRightFunc(b.String(), unicode.IsSpace), true
		}
		if b.Len()+len(t) > contextBytes {
			return "", i < len(toks)
		}
		b.WriteString(t)
	}
	return b.String(), false
}

// contextSuffix is the end of unchanged text shown before a change.
func contextSuffix(toks []string) (string, bool) {
	n, size, words := 0, 0, 0
	for i := len(toks) - 1; i >= 0; i-- {
		t := toks[i]
		if isWord(t) {
			if words == contextWords {
				break
			}
			words++
		}
		if size+len(t) > contextBytes {
			break
		}
		size += len(t)
		n++
	}
	s := strings.Join(toks[len(toks)-n:], "")
	if n < len(toks) {
		return strings.TrimLeftFunc(s, unicode.IsSpace), true
	}
	return s, false
}
