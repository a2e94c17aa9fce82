package logic

import (
	"fmt"
	"testing"
)

// benchExprs are shaped like the corpus: short comparisons, checkbox
// chains, nested if() calc equations and a longer sum.
var benchExprs = []string{
	"[consent_status] = '2'",
	"[aufnahme_mvh] = '0' and [datum_fallkonferenz] <> ''",
	"[brain_scan(MRI)] = '1' or [brain_scan(CT)] = '1' or [brain_scan(PET)] = '1' or [brain_scan(oth)] = '1'",
	"[initial_contact__s_arm_2][state_ss] = '51' or [initial_contact__s_arm_3][state_ss]='51'",
	"round(datediff([d3_date],[dob],\"y\"),0)",
	"if([demog_birthknow]='1',datediff([demog_birthdate],[pres_date],\"d\"),if([demog_age_units]='1',[demog_age]*365,if([demog_age_units]='2',round([demog_age]*365/12,0),if([demog_age_units]='3',[demog_age],''))))",
	"# EARS, NOSE, or MOUTH conditions (yes)\n[chronic_ear_infections]=\"yes\" or \n [cleft_lip]=\"yes\" or \n [cleft_palate]=\"yes\" or\n [craniofacial_trauma]=\"yes\"",
	"[mfma_a1_no_fsr] + [mfma_a1_no_fse] + [mfma_a1_no_fsa] + [mfma_a1_no_fser] + [mfma_a1_no_fef] + [mfma_a1_no_ffs] + [mfma_a1_no_esa] + [mfma_a1_no_eee] + [mfma_a1_no_efp]",
}

func BenchmarkParse(b *testing.B) {
	n := 0
	for _, s := range benchExprs {
		n += len(s)
	}
	b.SetBytes(int64(n))
	for b.Loop() {
		for _, s := range benchExprs {
			if _, err := Parse(s); err != nil {
				b.Fatal(err)
			}
		}
	}
}

func BenchmarkRename(b *testing.B) {
	renames := map[string]string{"dob": "birth_date", "brain_scan": "scan", "demog_age": "age"}
	for b.Loop() {
		for _, s := range benchExprs {
			if _, err := Rename(s, renames); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkParseCorpus parses every expression of ../shared/corpus once per
// iteration (skipped without the corpus).
func BenchmarkParseCorpus(b *testing.B) {
	var srcs []string
	n := 0
	for _, x := range loadCorpusLogic(b) {
		if x.src != "NA" {
			srcs = append(srcs, x.src)
			n += len(x.src)
		}
	}
	b.SetBytes(int64(n))
	b.ResetTimer()
	for b.Loop() {
		for _, s := range srcs {
			if _, err := Parse(s); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// bigRenames is a rename map the size of a large project's (10,000
// fields), mentioning the names of benchExprs, as a prefixing stage builds.
func bigRenames() map[string]string {
	m := map[string]string{"dob": "birth_date", "brain_scan": "scan", "demog_age": "age"}
	for i := len(m); i < 10000; i++ {
		m[fmt.Sprintf("field_%d", i)] = fmt.Sprintf("p_field_%d", i)
	}
	return m
}

// BenchmarkRenameBigMap renames every expression with the whole map per
// call, as Rename and RenameInText are called cell by cell.
func BenchmarkRenameBigMap(b *testing.B) {
	renames := bigRenames()
	for b.Loop() {
		for _, s := range benchExprs {
			if _, err := Rename(s, renames); err != nil {
				b.Fatal(err)
			}
			RenameInText(s, renames)
		}
	}
}

// BenchmarkRenamerBigMap is BenchmarkRenameBigMap with the map checked once.
func BenchmarkRenamerBigMap(b *testing.B) {
	r, err := NewRenamer(bigRenames())
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		for _, s := range benchExprs {
			if _, err := r.Rename(s); err != nil {
				b.Fatal(err)
			}
			r.RenameInText(s)
		}
	}
}
