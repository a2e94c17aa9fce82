package rules

import (
	"fmt"
	"strings"
	"testing"

	"github.com/rcolpipe/rcolpipe/redcap"
)

// TestTypoSearchesAreLinear: every typo search compares the unknown name
// with every field, so the number of searches times the number of fields is
// the work. Here every reference is a one-letter typo of a real field, so
// every search finds a suggestion and the suggestions count the searches.
// A fixed number of searches per chunk of rows (the earlier rule) made that
// product grow with the square of the rows; it must stay bounded.
func TestTypoSearchesAreLinear(t *testing.T) {
	const maxComparisons = 2_000_000 // suggestComparisons, written out so the test stands without it
	for _, n := range []int{1000, 20000} {
		d := &redcap.Dictionary{Files: []string{"typos.json"}}
		for i := range n {
			f := redcap.Field{FieldName: fmt.Sprintf("field_%06d", i), FormName: "f", FieldType: "text", FieldLabel: "Q"}
			if i == 0 {
				f.FieldName = "record_id"
			} else {
				f.BranchingLogic = fmt.Sprintf("[fieldx%06d] = '1'", i) // "field_" with one letter changed
			}
			f.Origin = redcap.Origin{File: "typos.json", Line: i + 1, Row: i + 1}
			d.Fields = append(d.Fields, f)
		}
		searches, unknown := 0, 0
		for _, dg := range Check(d, Config{}) {
			if dg.Code != codeLogicUnknown {
				continue
			}
			unknown++
			if strings.HasPrefix(dg.Hint, "Did you mean") {
				searches++
			}
		}
		if unknown != n-1 {
			t.Fatalf("%d rows: %d unknown-reference findings, want %d", n, unknown, n-1)
		}
		if searches == 0 {
			t.Errorf("%d rows: no suggestion at all; the first findings should get one", n)
		}
		if work := searches * n; work > maxComparisons {
			t.Errorf("%d rows: %d searches over %d names = %d comparisons, more than %d", n, searches, n, work, maxComparisons)
		}
		if n <= 1000 && searches != 200 {
			t.Errorf("%d rows: %d suggestions, want 200 (one chunk's budget)", n, searches)
		}
	}
}
