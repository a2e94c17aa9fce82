package rules

import (
	"strings"
	"testing"

	"github.com/rcolpipe/rcolpipe/redcap"
)

// FuzzCheck feeds arbitrary rows to Check: it must not panic, and every
// finding must carry a known code and a message. Cells are separated by
// '\x1f', rows by '\x1e'.
func FuzzCheck(f *testing.F) {
	for _, seed := range []string{
		"record_id\x1fform\x1f\x1ftext\x1fID",
		"a\x1fform\x1f\x1fradio\x1fL\x1f1, a | 1, b |\x1e_\x1f\x1f\x1fcalc\x1f\x1fround([a](\x1e",
		"b\x1fF\x1fH\x1fslider\x1f\x1f\x1f\x1fnumber\x1f1.5\x1f1/2/20\x1fyes\x1f[a(1)] = ‘1’\x1fNA\x1flv\x1f12345678901\x1fG\x1fy\x1f@HIDEN @x",
		"c\x1fform\x1f\x1ftext\x1f\x1f\x1f\x1fdate_dmy\x1f13/13/2020\x1f2020-02-30\x1e\x1e\x1f\x1f",
		"d\x1fform\x1f\x1fcheckbox\x1fx\x1fA, a | a, b | 1.5, c | 1_5, d\x1f\x1f\x1f\x1f\x1f\x1f[d(9)] or [e-f:g] or [x][y][z]",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d := &redcap.Dictionary{Files: []string{"f.csv"}}
		for i, row := range strings.Split(s, "\x1e") {
			var fl redcap.Field
			for c, v := range strings.SplitN(row, "\x1f", redcap.NumColumns) {
				fl.Set(redcap.Column(c), v)
			}
			fl.Origin = redcap.Origin{File: "f.csv", Line: i + 2, Row: i + 1}
			d.Fields = append(d.Fields, fl)
		}
		for _, diag := range Check(d, Config{}) {
			if _, ok := Lookup(diag.Code); !ok || diag.Message == "" {
				t.Fatalf("bad finding %+v", diag)
			}
		}
	})
}
