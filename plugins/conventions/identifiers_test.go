package conventions

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/rcolpipe/rcolpipe/internal/testcorpus"
	"github.com/rcolpipe/rcolpipe/redcap"
)

// realFields are fields of ../shared/corpus (file, name, type, validation,
// label as there) and whether they hold personal data. The first three
// were reported as identifiers by the name-only check (issue 13, item 12).
var realFields = []struct {
	file, name, typ, validation, label string
	personal                           bool
}{
	{mesulam, "event_name", "dropdown", "", "Event name:", false},
	{mesulam, "expmeds_name", "text", "", "What medication [are_is] [you_thep] taking or what intervention [are_is] [you_thep] receiving?", false},
	{mesulam, "reg_email_yn", "radio", "", "5. Send the registry survey link to the participant if they are interested in the ORE Core activities?", false},
	{mesulam, "ref_email", "text", "", "From what Email Blast/E-newsletter did you hear about us?", false},
	{mesulam, "first_name_ss", "text", "", "First name:", true},
	{mesulam, "address_ss", "text", "", "Street address:", true},
	{mesulam, "city_ss", "text", "", "City:", true},
	{mesulam, "zip_code_ss", "text", "", "Zip:", true},
	{mesulam, "primary_phone_ss", "text", "phone", "Primary phone number:", true},
	{mesulam, "ref_wom_name", "text", "", "What is the name of the referrer?", true},
	{bridge2ai, "acoustic_task_name", "text", "", "Acoustic Task Name", false},
	{bridge2ai, "recording_name", "text", "", "Recording Name", false},
	{bridge2ai, "recording_microphone", "text", "", "Recording Microphone", false},
	{bridge2ai, "phone_number", "text", "", "Phone Number", true},
	{bridge2ai, "usf_icf_name_en", "text", "", "Printed Name of Person Taking Part in Study", true},
	{bridge2ai, "dob", "text", "date_ymd", "What is your date of birth?", true},
	{bridge2ai, "sex_assigned_at_birth", "radio", "", "What was your sex assigned at birth?", false},
	{geocoding, "reshist_addr1_id", "text", "", "Residential history id 1", false},
	{geocoding, "reshist_addr1_years", "text", "integer", "Residential history years of residence 1", false},
}

const (
	mesulam   = "NUMesCtrData__Mesulam-Institute-Research-Registry-Survey/MesulamCenterRegistrySurvey_DataDictionary_2025-07-15.csv"
	bridge2ai = "eipm__bridge2ai-redcap/data/bridge2ai_voice_project_data_dictionary.csv"
	geocoding = "ABCD-STUDY__geocoding/"
)

// TestPersonalDataRealNames: type, validation and label decide, not the
// name alone.
func TestPersonalDataRealNames(t *testing.T) {
	for _, rf := range realFields {
		f := redcap.Field{FieldName: rf.name, FieldType: rf.typ, Validation: rf.validation, FieldLabel: rf.label}
		if got := personalData(&f); (got != "") != rf.personal {
			t.Errorf("%s (%s, %q): personal data %q, want %v", rf.name, rf.typ, rf.label, got, rf.personal)
		}
	}
}

// TestRealNamesAreInTheCorpus keeps the table true to the corpus.
func TestRealNamesAreInTheCorpus(t *testing.T) {
	root := testcorpus.Dir(t)
	loaded := map[string]*redcap.Dictionary{}
	for _, rf := range realFields {
		d, ok := loaded[rf.file]
		if !ok {
			var err error
			d, _, err = redcap.Load(filepath.Join(root, filepath.FromSlash(rf.file)))
			if err != nil {
				t.Fatalf("%s: %v", rf.file, err)
			}
			loaded[rf.file] = d
		}
		f := d.Field(rf.name)
		if f == nil {
			f = d.Field(strings.ToLower(rf.name))
		}
		switch {
		case f == nil:
			t.Errorf("%s: no field %s", rf.file, rf.name)
		case f.FieldType != rf.typ || f.Validation != rf.validation || strings.TrimSpace(f.FieldLabel) != rf.label:
			t.Errorf("%s: %s is %s/%q/%q in the corpus", rf.file, rf.name, f.FieldType, f.Validation, f.FieldLabel)
		}
	}
}

// TestIdentifiersRealNames runs CV003 over the real fields: it reports the
// personal ones and only those.
func TestIdentifiersRealNames(t *testing.T) {
	d := &redcap.Dictionary{}
	var want []string
	for _, rf := range realFields {
		d.Fields = append(d.Fields, redcap.Field{FieldName: rf.name, FormName: "f", FieldType: rf.typ, Validation: rf.validation, FieldLabel: rf.label})
		if rf.personal {
			want = append(want, "warning CV003 "+rf.name)
		}
	}
	_, diags := Run(d, mustConfig(t, `{"identifiers":{}}`))
	if got := found(diags); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n  %s\nwant\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
}
