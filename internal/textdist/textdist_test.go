package textdist

import (
	"strings"
	"testing"
)

func TestLevenshtein(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want int
	}{{"HIDEN", "HIDDEN", 1}, {"READONLY", "READONLY", 0}, {"ABC", "XYZ", 3}, {"", "AB", 2}, {"kitten", "sitting", 3}} {
		if got := Levenshtein(tc.a, tc.b, 10); got != tc.want {
			t.Errorf("Levenshtein(%q, %q) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
	}
}

// TestLevenshteinGivesUp: with a bound, a distance at least that large is
// the bound.
func TestLevenshteinGivesUp(t *testing.T) {
	if got := Levenshtein("abcdef", "uvwxyz", 2); got != 2 {
		t.Errorf("got %d, want the bound 2", got)
	}
	long := strings.Repeat("a", 100)
	if got := Levenshtein(long, long+"b", 200); got != 1 {
		t.Errorf("long names: got %d, want 1", got)
	}
}
