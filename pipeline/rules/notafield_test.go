package rules

import (
	"testing"

	"github.com/rcolpipe/rcolpipe/redcap"
)

// TestRowThatIsNotAFieldIsOneFinding: a row holding only "RH" (141SL-Autism
// style, the rest of a row split by a line break) gave RC101, RC201, RC301,
// RC705 and RC613, and the next row RC205 (its form "appears again after"
// the empty one). It is one finding about the row, and the rows around it keep none.
func TestRowThatIsNotAFieldIsOneFinding(t *testing.T) {
	d := dict(fld("a text"), redcap.Field{CustomAlignment: "RH"}, fld("b text"))
	ds := Check(d, Config{})
	if len(ds) != 1 {
		t.Fatalf("%d findings, want 1:\n%v", len(ds), ds)
	}
	if got := ds[0]; got.Code != codeNotAField || got.Line != 4 || got.Row != 3 {
		t.Errorf("finding %v (row %d), want %s at line 4, row 3", got, got.Row, codeNotAField)
	}
	// A row that has a form or a type is a field: its findings stay.
	d = dict(fld("a text"), redcap.Field{FormName: "form_a", CustomAlignment: "RH"})
	codes := map[string]bool{}
	for _, dg := range Check(d, Config{}) {
		codes[dg.Code] = true
	}
	if codes[codeNotAField] || !codes[codeNameMissing] || !codes["RC301"] {
		t.Errorf("row with a form: codes %v, want its own findings (RC101, RC301), not %s", codes, codeNotAField)
	}
}
