package sandbox

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/rcolpipe/rcolpipe/redcap"
)

var ignoreOrigin = cmpopts.IgnoreFields(redcap.Field{}, "Origin")

func TestMetadataExportNormalisations(t *testing.T) {
	f := newFixture(t)
	// Stored as REDCap's database holds older projects: legacy types and
	// validation names, flags as 1, choices separated by \n.
	stored := []redcap.Field{
		{FieldName: "record_id", FormName: "old", FieldType: "text", FieldLabel: "ID"},
		{FieldName: "sel", FormName: "old", SectionHeader: "   ", FieldType: "select", FieldLabel: "S", Choices: `1, A \n 2, B`, Identifier: "1", RequiredField: "0"},
		{FieldName: "memo", FormName: "old", FieldType: "textarea", FieldLabel: "M", MatrixRanking: "1"},
		{FieldName: "d", FormName: "old", FieldType: "text", FieldLabel: "D", Validation: "date"},
		{FieldName: "dt", FormName: "old", FieldType: "text", FieldLabel: "DT", Validation: "datetime_seconds"},
		{FieldName: "n", FormName: "old", FieldType: "text", FieldLabel: "N", Validation: "int"},
		{FieldName: "fl", FormName: "old", FieldType: "text", FieldLabel: "F", Validation: "float"},
		{FieldName: "sl", FormName: "old", FieldType: "slider", FieldLabel: "Slide", Choices: "low | mid | high"},
		{FieldName: "old_complete", FormName: "old", FieldType: "select", FieldLabel: "Complete?", Choices: completeChoices},
	}
	if err := f.srv.Update(func(s *State) {
		s.Projects[0].Metadata = stored
		s.Projects[0].Instruments = []Instrument{{"old", "Old"}}
	}); err != nil {
		t.Fatal(err)
	}
	want := []redcap.Field{
		{FieldName: "record_id", FormName: "old", FieldType: "text", FieldLabel: "ID"},
		{FieldName: "sel", FormName: "old", SectionHeader: " ", FieldType: "dropdown", FieldLabel: "S", Choices: "1, A | 2, B", Identifier: "y"},
		{FieldName: "memo", FormName: "old", FieldType: "notes", FieldLabel: "M", MatrixRanking: "y"},
		{FieldName: "d", FormName: "old", FieldType: "text", FieldLabel: "D", Validation: "date_ymd"},
		{FieldName: "dt", FormName: "old", FieldType: "text", FieldLabel: "DT", Validation: "datetime_seconds_ymd"},
		{FieldName: "n", FormName: "old", FieldType: "text", FieldLabel: "N", Validation: "integer"},
		{FieldName: "fl", FormName: "old", FieldType: "text", FieldLabel: "F", Validation: "number"},
		{FieldName: "sl", FormName: "old", FieldType: "slider", FieldLabel: "Slide", Choices: "low | mid | high", CustomAlignment: "RV"},
	}
	if diff := cmp.Diff(want, f.exportDict("full"), ignoreOrigin); diff != "" {
		t.Errorf("export (-want +got):\n%s", diff)
	}

	// CSV: raw API keys as headers, the 18 columns.
	r := f.call("full", "content", "metadata", "format", "csv", "fields[0]", "sel")
	wantCSV := "field_name,form_name,section_header,field_type,field_label,select_choices_or_calculations,field_note,text_validation_type_or_show_slider_number,text_validation_min,text_validation_max,identifier,branching_logic,required_field,custom_alignment,question_number,matrix_group_name,matrix_ranking,field_annotation\n" +
		"sel,old,\" \",dropdown,S,\"1, A | 2, B\",,,,,y,,,,,,,\n"
	r.expect(t, 200, ctCSV, wantCSV)

	// XML: <records><item> with CDATA values.
	r = f.call("full", "content", "metadata", "fields[0]", "record_id")
	if !strings.Contains(r.body, "<records>\n<item><field_name><![CDATA[record_id]]></field_name><form_name><![CDATA[old]]></form_name>") {
		t.Errorf("xml export: %s", r.body)
	}
}

func TestMetadataFilters(t *testing.T) {
	f := newFixture(t)
	dict := []redcap.Field{
		{FieldName: "record_id", FormName: "a", FieldType: "text", FieldLabel: "ID"},
		{FieldName: "a1", FormName: "a", FieldType: "text", FieldLabel: "A1"},
		{FieldName: "b1", FormName: "b", FieldType: "text", FieldLabel: "B1"},
		{FieldName: "b2", FormName: "b", FieldType: "text", FieldLabel: "B2"},
		{FieldName: "c1", FormName: "c", FieldType: "text", FieldLabel: "C1"},
	}
	f.call("full", "content", "metadata", "format", "json", "data", dictJSON(t, dict)).expect(t, 200, ctJSON, "5")
	names := func(pairs ...string) string {
		r := f.call("full", append([]string{"content", "metadata", "format", "csv"}, pairs...)...)
		var out []string
		for _, l := range strings.Split(strings.TrimSpace(r.body), "\n")[1:] {
			out = append(out, strings.SplitN(l, ",", 2)[0])
		}
		return strings.Join(out, " ")
	}
	tests := []struct {
		name  string
		pairs []string
		want  string
	}{
		{"fields array", []string{"fields[0]", "b2", "fields[1]", "a1"}, "a1 b2"},
		{"fields comma list", []string{"fields", "c1, record_id"}, "record_id c1"},
		{"forms array", []string{"forms[0]", "b"}, "b1 b2"},
		{"fields OR forms", []string{"forms[0]", "c", "fields[0]", "a1"}, "a1 c1"},
		{"unknown names are absent", []string{"fields[0]", "nope", "forms[0]", "b"}, "b1 b2"},
		{"_complete is never exported", []string{"fields[0]", "a_complete"}, ""},
	}
	for _, tt := range tests {
		if got := names(tt.pairs...); got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestMetadataImportReplacesEverything(t *testing.T) {
	f := newFixture(t)
	// The demo project has form "participant"; relabel it to see that an
	// existing label survives.
	if err := f.srv.Update(func(s *State) { s.Projects[0].Instruments[0].Label = "Participant details" }); err != nil {
		t.Fatal(err)
	}
	dict := []redcap.Field{
		{FieldName: "record_id", FormName: "participant", FieldType: "text", FieldLabel: "ID"},
		{FieldName: "sleep_hours", FormName: "sleep_diary_v2", FieldType: "text", FieldLabel: "Hours", Validation: "number", ValidationMin: "0", ValidationMax: "24"},
		{FieldName: "mood", FormName: "mood_check", FieldType: "radio", FieldLabel: "Mood", Choices: "1, Good | 2, Bad", RequiredField: "y", QuestionNumber: "12345678901234"},
	}
	f.call("full", "content", "metadata", "format", "json", "returnFormat", "json", "data", dictJSON(t, dict)).expect(t, 200, ctJSON, "3")

	got := f.exportDict("full")
	want := append([]redcap.Field(nil), dict...)
	want[2].QuestionNumber = "1234567890" // cut to 10 characters on save
	if diff := cmp.Diff(want, got, ignoreOrigin); diff != "" {
		t.Errorf("export after import (-want +got):\n%s", diff)
	}
	// part_initials and part_site are gone; instruments follow the forms.
	f.call("full", "content", "instrument", "format", "json").expect(t, 200, ctJSON,
		`[{"instrument_name":"participant","instrument_label":"Participant details"},`+
			`{"instrument_name":"sleep_diary_v2","instrument_label":"Sleep Diary V2"},`+
			`{"instrument_name":"mood_check","instrument_label":"Mood Check"}]`)
	// <form>_complete fields exist internally, after each form's last field.
	st := f.srv.State()
	var names []string
	for _, fl := range st.Projects[0].Metadata {
		names = append(names, fl.FieldName)
	}
	if diff := cmp.Diff([]string{"record_id", "participant_complete", "sleep_hours", "sleep_diary_v2_complete", "mood", "mood_check_complete"}, names); diff != "" {
		t.Errorf("stored fields: %s", diff)
	}
	if m := st.Projects[0].Metadata[4]; m.Choices != `1, Good \n 2, Bad` || m.RequiredField != "1" {
		t.Errorf("stored form of mood: %+v", m)
	}
	// New forms were given to the users with right 1; the other project's
	// users are untouched.
	if diff := cmp.Diff(map[string]int{"participant": 1, "sleep_diary_v2": 1, "mood_check": 1}, st.Users[1].Rights.Forms); diff != "" {
		t.Errorf("form rights: %s", diff)
	}
	if diff := cmp.Diff(map[string]int{"participant": 1}, st.Users[3].Rights.Forms); diff != "" {
		t.Errorf("other project's rights changed: %s", diff)
	}
	// A field name of the form <form>_complete may be referenced in logic.
	dict = append(dict, redcap.Field{FieldName: "done", FormName: "mood_check", FieldType: "yesno", FieldLabel: "Done", BranchingLogic: "[mood_check_complete] = '2'"})
	f.call("full", "content", "metadata", "format", "json", "data", dictJSON(t, dict)).expect(t, 200, ctJSON, "4")

	// An empty dictionary wipes the project, as REDCap does.
	f.call("full", "content", "metadata", "format", "json", "data", "[]").expect(t, 200, ctJSON, "0")
	if got := f.exportDict("full"); len(got) != 0 {
		t.Errorf("after []: %d fields", len(got))
	}
	f.call("full", "content", "instrument", "format", "json").expect(t, 200, ctJSON, `[]`)
}

func TestMetadataImportCSVIsPositional(t *testing.T) {
	f := newFixture(t)
	uiHeader := `"Variable / Field Name","Form Name","Section Header","Field Type","Field Label","Choices, Calculations, OR Slider Labels","Field Note","Text Validation Type OR Show Slider Number","Text Validation Min","Text Validation Max","Identifier?","Branching Logic (Show field only if...)","Required Field?","Custom Alignment","Question Number (surveys only)","Matrix Group Name","Matrix Ranking?","Field Annotation"`
	tests := []struct {
		name string
		data string
		want []redcap.Field
	}{
		{
			"UI headers map by position", "\ufeff" + uiHeader + "\n" +
				"record_id,enrol,,text,ID,,,,,,,,,,,,,\n" +
				",,,,,,,,,,,,,,,,,\n" + // a blank row is skipped
				"age,enrol,Basics,text,Age,,years,integer,18,120,,,y,,,,,@HIDDEN\n",
			[]redcap.Field{
				{FieldName: "record_id", FormName: "enrol", FieldType: "text", FieldLabel: "ID"},
				{FieldName: "age", FormName: "enrol", SectionHeader: "Basics", FieldType: "text", FieldLabel: "Age", FieldNote: "years", Validation: "integer", ValidationMin: "18", ValidationMax: "120", RequiredField: "y", FieldAnnotation: "@HIDDEN"},
			},
		},
		{
			"names are ignored, even wrong ones", "a,b,c,d,e,f\nrecord_id,enrol,,text,ID,\nsex,enrol,,radio,Sex,\"1, F | 2, M\"\n",
			[]redcap.Field{
				{FieldName: "record_id", FormName: "enrol", FieldType: "text", FieldLabel: "ID"},
				{FieldName: "sex", FormName: "enrol", FieldType: "radio", FieldLabel: "Sex", Choices: "1, F | 2, M"},
			},
		},
		{
			// A blank header cell is dropped but its data cell is not: the
			// row is cut to the header's width and the columns shift.
			"blank header cell shifts columns", "field_name,form_name,,field_type,field_label\nrecord_id,enrol,,text,ID\n",
			[]redcap.Field{
				{FieldName: "record_id", FormName: "enrol", FieldType: "text"},
			},
		},
		{
			// PHP's array_combine: a repeated header keeps its first
			// position and takes the last value.
			"repeated header collapses", "field_name,form_name,form_name,field_type,field_label\nrecord_id,x,enrol,ID,text\n",
			[]redcap.Field{
				// field_type "ID" lands in C (cleared on row 1), "text" in D.
				{FieldName: "record_id", FormName: "enrol", FieldType: "text"},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f.t = t
			r := f.call("full", "content", "metadata", "format", "csv", "returnFormat", "csv", "data", tt.data)
			if r.status != 200 {
				t.Fatalf("import: %d %s", r.status, r.body)
			}
			if diff := cmp.Diff(tt.want, f.exportDict("full"), ignoreOrigin); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}

	// JSON keys are positional too: a client that sorts its keys scrambles
	// the columns (shared/redcap-api.md §3).
	f.t = t
	r := f.call("full", "content", "metadata", "format", "json", "data",
		`[{"field_label":"ID","field_name":"record_id","field_type":"text","form_name":"enrol"},`+
			`{"field_label":"Age","field_name":"age","field_type":"text","form_name":"enrol"}]`)
	if r.status != 400 || !strings.Contains(r.body, "The only valid field types are") {
		t.Errorf("sorted keys: %d %s", r.status, r.body)
	}
}

func TestMetadataImportXML(t *testing.T) {
	f := newFixture(t)
	data := `<?xml version="1.0" encoding="UTF-8" ?><records><item><field_name>record_id</field_name><form_name>x</form_name><section_header></section_header><field_type>text</field_type><field_label><![CDATA[ID & name]]></field_label></item></records>`
	f.call("full", "content", "metadata", "format", "xml", "data", data).expect(t, 200, ctXML, "1")
	if got := f.exportDict("full"); len(got) != 1 || got[0].FieldLabel != "ID & name" {
		t.Errorf("after xml import: %+v", got)
	}
	// Without <records><item>: 200 and nothing, the project unchanged.
	f.call("full", "content", "metadata", "format", "xml", "data", "<x/>").expect(t, 200, ctXML, "")
	if got := f.exportDict("full"); len(got) != 1 {
		t.Errorf("after <x/>: %d fields", len(got))
	}
	r := f.call("full", "content", "metadata", "format", "xml", "data", "<records><item>")
	if r.status != 400 || !strings.HasPrefix(r.body, `<?xml version="1.0" encoding="UTF-8" ?><hash><error>The data being imported is not formatted correctly. Error: `) {
		t.Errorf("bad xml: %d %s", r.status, r.body)
	}
}

// rid is a valid first row.
var rid = redcap.Field{FieldName: "record_id", FormName: "f", FieldType: "text", FieldLabel: "ID"}

func fld(name, form, typ string, mod func(*redcap.Field)) redcap.Field {
	f := redcap.Field{FieldName: name, FormName: form, FieldType: typ, FieldLabel: "L"}
	if mod != nil {
		mod(&f)
	}
	return f
}

func TestMetadataImportErrors(t *testing.T) {
	f := newFixture(t)
	tests := []struct {
		name string
		rows []redcap.Field
		want string // the whole error body (one line per kind of error)
	}{
		{"missing field name", []redcap.Field{rid, fld("", "f", "text", nil), fld("", "f", "text", nil)},
			msgNameMissing + "A3, A4"},
		{"missing form name", []redcap.Field{rid, fld("x", "", "text", nil)}, msgFormMissing + "B3"},
		{"missing field type", []redcap.Field{rid, fld("x", "f", "", nil)}, msgTypeMissing + "D3"},
		{"invalid field types", []redcap.Field{rid, fld("x", "f", "Text", nil), fld("y", "f", "date", nil)},
			msgTypeInvalid + "Text (D3)date (D4)"},
		{"name starts with a digit", []redcap.Field{rid, fld("1x", "f", "text", nil)}, msgNameDigit + "1x (A3)"},
		{"name starts with underscore", []redcap.Field{rid, fld("_x", "f", "text", nil)}, msgNameUnderscore + "_x (A3)"},
		{"triple underscore", []redcap.Field{rid, fld("a___b", "f", "text", nil)}, msgNameTriple + "a___b (A3)"},
		{"ends with underscore", []redcap.Field{rid, fld("ab_", "f", "text", nil)}, msgNameEndUnder + "ab_ (A3)"},
		{"too long", []redcap.Field{rid, fld(strings.Repeat("a", 101), "f", "text", nil)}, msgNameLong + strings.Repeat("a", 101) + " (A3)"},
		{"reserved name", []redcap.Field{rid, fld("action", "f", "text", nil), fld("redcap_event_name", "f", "text", nil)},
			msgNameReserved + "A3, A4"},
		{"existing form's timestamp", []redcap.Field{rid, fld("participant_timestamp", "f", "text", nil)}, msgNameReserved + "A3"},
		{"duplicates", []redcap.Field{rid, fld("x", "f", "text", nil), fld("y", "f", "text", nil), fld("x", "f", "text", nil)},
			msgNameDuplicate + "x (A3)x (A5)"},
		{"duplicate after the silent fix", []redcap.Field{rid, fld("Age", "f", "text", nil), fld("age", "f", "text", nil)},
			msgNameDuplicate + "age (A3)age (A4)"},
		{"form_complete name", []redcap.Field{rid, fld("f_complete", "f", "text", nil)}, msgNameComplete + "f_complete (A3)"},
		{"form contiguity", []redcap.Field{rid, fld("x", "g", "text", nil), fld("y", "f", "text", nil)}, msgFormSequence + "f (B4)"},
		{"form too long", []redcap.Field{rid, fld("x", strings.Repeat("g", 65), "text", nil)}, msgFormLong + strings.Repeat("g", 65) + " (B3)"},
		{"sql by a normal user", []redcap.Field{rid, fld("x", "f", "sql", func(f *redcap.Field) { f.Choices = "select 1" })}, msgSQL + "D3"},
		{"missing choices", []redcap.Field{rid, fld("x", "f", "radio", nil), fld("y", "f", "checkbox", func(f *redcap.Field) { f.Choices = " | " })},
			msgChoicesMissing + "F3, F4"},
		{"bad choice codes", []redcap.Field{rid, fld("x", "f", "dropdown", func(f *redcap.Field) { f.Choices = "a b, One | 2, Two | c/d, Three" })},
			msgChoiceCodes + `"a b" (F3) - Suggestion: replace with "a_b", "c/d" (F3) - Suggestion: replace with "cd"`},
		{"duplicate codes", []redcap.Field{rid, fld("x", "f", "radio", func(f *redcap.Field) { f.Choices = "1, A | 1, B" })}, msgChoiceDuplicate + "x (F3)"},
		{"calc without equation", []redcap.Field{rid, fld("x", "f", "calc", nil)}, msgCalcMissing + "F3"},
		{"calc unbalanced", []redcap.Field{rid, fld("x", "f", "calc", func(f *redcap.Field) { f.Choices = "([a] + 1" })}, msgCalcSyntax + "F3"},
		{"calc unknown variable", []redcap.Field{rid, fld("x", "f", "calc", func(f *redcap.Field) { f.Choices = "[record_id] + [nope]" })}, msgCalcVars + "nope (F3)"},
		{"calc custom function", []redcap.Field{rid, fld("x", "f", "calc", func(f *redcap.Field) { f.Choices = "myfunc([record_id])" })}, msgCalcFuncs + "myfunc (F3)"},
		{"branching unbalanced", []redcap.Field{rid, fld("x", "f", "text", func(f *redcap.Field) { f.BranchingLogic = "[record_id] = '1" })}, msgBranchSyntax + "L3"},
		{"branching unknown variable", []redcap.Field{rid, fld("x", "f", "text", func(f *redcap.Field) { f.BranchingLogic = "[sex] = '1' and [record_id(1)] = '1'" })}, msgBranchVars + "sex (L3)"},
		{"branching custom function", []redcap.Field{rid, fld("x", "f", "text", func(f *redcap.Field) { f.BranchingLogic = "foo([record_id]) = 1" })}, msgBranchFuncs + "foo (L3)"},
		{"calc syntax error", []redcap.Field{rid, fld("x", "f", "calc", func(f *redcap.Field) { f.Choices = "[record_id] 2" })}, msgCalcParse + "F3"},
		{"branching syntax error", []redcap.Field{rid, fld("x", "f", "text", func(f *redcap.Field) { f.BranchingLogic = "[record_id] = = '1'" })}, msgBranchParse + "L3"},
		{"validation on a radio", []redcap.Field{rid, fld("x", "f", "radio", func(f *redcap.Field) { f.Choices = "1, A"; f.Validation = "integer" })}, msgValNotText + "H3"},
		{"invalid validation type", []redcap.Field{rid, fld("x", "f", "text", func(f *redcap.Field) { f.Validation = "signature" })},
			"The only valid validation types are date_dmy, date_mdy, date_ymd, datetime_dmy, datetime_mdy, datetime_ymd, datetime_seconds_dmy, datetime_seconds_mdy, datetime_seconds_ymd, email, integer, number, phone, time, time_hh_mm_ss, zipcode and must all be lower-case. The following are invalid validation types in your data dictionary: signature (H3)"},
		{"min without type", []redcap.Field{rid, fld("x", "f", "text", func(f *redcap.Field) { f.ValidationMin = "1" })}, msgMinMaxNoType + "I3"},
		{"bad min format", []redcap.Field{rid, fld("x", "f", "text", func(f *redcap.Field) { f.Validation = "time"; f.ValidationMin = "9am" })}, msgMinFormat + "9am (I3)"},
		{"bad max date", []redcap.Field{rid, fld("x", "f", "text", func(f *redcap.Field) { f.Validation = "date_ymd"; f.ValidationMax = "13/45/2020" })}, msgDateFormat + "J3"},
		{"slider min not an integer", []redcap.Field{rid, fld("x", "f", "slider", func(f *redcap.Field) { f.ValidationMin = "0.5" })}, msgSliderMinMax + "I3"},
		{"matrix not contiguous", []redcap.Field{rid,
			fld("m1", "f", "radio", func(f *redcap.Field) { f.Choices = "1, A"; f.MatrixGroupName = "g" }),
			fld("x", "f", "text", nil),
			fld("m2", "f", "radio", func(f *redcap.Field) { f.Choices = "1, A"; f.MatrixGroupName = "g" })}, msgMatrixSequence + "g (P5)"},
		{"matrix of text", []redcap.Field{rid, fld("m1", "f", "text", func(f *redcap.Field) { f.MatrixGroupName = "g" })}, msgMatrixType + "D3"},
		{"matrix choices differ", []redcap.Field{rid,
			fld("m1", "f", "radio", func(f *redcap.Field) { f.Choices = "1, A | 2, B"; f.MatrixGroupName = "g" }),
			fld("m2", "f", "radio", func(f *redcap.Field) { f.Choices = "1, A | 2, C"; f.MatrixGroupName = "g" })}, msgMatrixChoices + "1, A | 2, B (F3) F4"},
		{"matrix ranking differs", []redcap.Field{rid,
			fld("m1", "f", "radio", func(f *redcap.Field) { f.Choices = "1, A"; f.MatrixGroupName = "g"; f.MatrixRanking = "y" }),
			fld("m2", "f", "radio", func(f *redcap.Field) { f.Choices = "1, A"; f.MatrixGroupName = "g" })}, msgMatrixRanking + "Q4"},
		{"matrix name too long", []redcap.Field{rid, fld("m1", "f", "radio", func(f *redcap.Field) { f.Choices = "1, A"; f.MatrixGroupName = strings.Repeat("g", 61) })},
			msgMatrixLong + strings.Repeat("g", 61) + " (P3)"},
		// Several kinds of errors: one block each, joined by a newline, in
		// REDCap's order.
		{"errors joined", []redcap.Field{rid, fld("1x", "f", "text", nil), fld("y", "f", "bogus", nil), fld("z", "f", "radio", nil)},
			msgTypeInvalid + "bogus (D4)\n" + msgNameDigit + "1x (A3)\n" + msgChoicesMissing + "F5"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f.t = t
			before := f.exportDict("full")
			r := f.call("full", "content", "metadata", "format", "json", "data", dictJSON(t, tt.rows))
			r.expect(t, 400, ctJSON, jsonErr(tt.want))
			if diff := cmp.Diff(before, f.exportDict("full")); diff != "" {
				t.Errorf("a refused import changed the project:\n%s", diff)
			}
			// The same in csv, as REDCapR sends it.
			r = f.call("full", "content", "metadata", "format", "csv", "returnFormat", "csv", "data", toCSV(tt.rows))
			r.expect(t, 400, ctCSV, "ERROR: "+tt.want)
		})
	}
}

func toCSV(rows []redcap.Field) string {
	var b strings.Builder
	for i, c := range redcap.Columns {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(c.Key)
	}
	b.WriteByte('\n')
	for _, r := range rows {
		for i, v := range r.Values() {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(`"` + strings.ReplaceAll(v, `"`, `""`) + `"`)
		}
		b.WriteByte('\n')
	}
	return b.String()
}

func TestMetadataImportSilentFixes(t *testing.T) {
	f := newFixture(t)
	in := []redcap.Field{
		{FieldName: "Record ID", FormName: "My Form", SectionHeader: "Cleared", FieldType: "radio", FieldLabel: "ID", Choices: "1, A"},
		{FieldName: "Größe", FormName: "My Form", FieldType: "textarea", FieldLabel: "Height", Choices: "ignored"},
		{FieldName: "a__b", FormName: "My Form", FieldType: "select", FieldLabel: "Pick", Choices: "| 1, One | 2, Two |", Identifier: "yes", RequiredField: "Y", CustomAlignment: "lv"},
		{FieldName: "day", FormName: "My Form", FieldType: "text", FieldLabel: "Day", Validation: "DATE", ValidationMin: "1/2/2020", ValidationMax: "today"},
		{FieldName: "n", FormName: "My Form", FieldType: "text", FieldLabel: "N", Validation: "int", ValidationMin: "1.5"},
		{FieldName: "info", FormName: "My Form", FieldType: "descriptive", FieldLabel: "Info", RequiredField: "y"},
		{FieldName: "sl", FormName: "My Form", FieldType: "slider", FieldLabel: "S", Validation: "integer", CustomAlignment: "LH"},
		{FieldName: "yn", FormName: "My Form", FieldType: "yesno", FieldLabel: "YN", Choices: "1, Yes | 0, No", MatrixRanking: "1"},
		{FieldName: "m1", FormName: "My Form", FieldType: "radio", FieldLabel: "M1", Choices: "1, A | 2, B", MatrixGroupName: "Grid One"},
		{FieldName: "m2", FormName: "My Form", FieldType: "checkbox", FieldLabel: "M2", Choices: "1, A | 2, B", MatrixGroupName: "Grid One"},
		{FieldName: "bl", FormName: "My Form", FieldType: "text", FieldLabel: "BL", BranchingLogic: "// a comment\n[event_1_arm_1][m1] = '1' and [user-name] <> '' and [m2(1)] = '1'"},
	}
	f.call("full", "content", "metadata", "format", "json", "data", dictJSON(t, in)).expect(t, 200, ctJSON, "11")
	want := []redcap.Field{
		{FieldName: "record_id", FormName: "my_form", FieldType: "text", FieldLabel: "ID", Choices: "1, A"},
		{FieldName: "gre", FormName: "my_form", FieldType: "notes", FieldLabel: "Height"},
		{FieldName: "a_b", FormName: "my_form", FieldType: "dropdown", FieldLabel: "Pick", Choices: "1, One | 2, Two", RequiredField: "y"},
		{FieldName: "day", FormName: "my_form", FieldType: "text", FieldLabel: "Day", Validation: "date_ymd", ValidationMin: "2020-01-02", ValidationMax: "today"},
		{FieldName: "n", FormName: "my_form", FieldType: "text", FieldLabel: "N", Validation: "integer", ValidationMin: "1.5"},
		{FieldName: "info", FormName: "my_form", FieldType: "descriptive", FieldLabel: "Info"},
		{FieldName: "sl", FormName: "my_form", FieldType: "slider", FieldLabel: "S", CustomAlignment: "LH"},
		{FieldName: "yn", FormName: "my_form", FieldType: "yesno", FieldLabel: "YN"},
		{FieldName: "m1", FormName: "my_form", FieldType: "radio", FieldLabel: "M1", Choices: "1, A | 2, B", MatrixGroupName: "grid_one"},
		{FieldName: "m2", FormName: "my_form", FieldType: "radio", FieldLabel: "M2", Choices: "1, A | 2, B", MatrixGroupName: "grid_one"},
		{FieldName: "bl", FormName: "my_form", FieldType: "text", FieldLabel: "BL", BranchingLogic: "// a comment\n[event_1_arm_1][m1] = '1' and [user-name] <> '' and [m2(1)] = '1'"},
	}
	if diff := cmp.Diff(want, f.exportDict("full"), ignoreOrigin); diff != "" {
		t.Errorf("fixed dictionary (-want +got):\n%s", diff)
	}
	f.call("full", "content", "instrument", "format", "json").expect(t, 200, ctJSON,
		`[{"instrument_name":"my_form","instrument_label":"My Form"}]`)
}

func TestCleanFormName(t *testing.T) {
	for in, want := range map[string]string{"My Form": "my_form", "__a__b__": "a_b", "Größe": "gre"} {
		if got := cleanFormName(in); got != want {
			t.Errorf("cleanFormName(%q) = %q, want %q", in, got, want)
		}
	}
	// Names left empty or starting with a digit get four letters in front.
	for _, in := range []string{"1st visit", "äöü"} {
		got := cleanFormName(in)
		if len(got) < 4 || got[0] < 'a' || got[0] > 'z' || got != cleanFormName(in) {
			t.Errorf("cleanFormName(%q) = %q", in, got)
		}
	}
}

func TestMetadataImportMoreFixes(t *testing.T) {
	f := newFixture(t)
	in := []redcap.Field{
		rid,
		fld("a", "f", "text", nil),
		fld("c", "f", "calc", func(x *redcap.Field) { x.Choices = "[ a ] + 1" }),
		fld("b", "f", "text", func(x *redcap.Field) { x.BranchingLogic = "[a ] = 'x y' and [a] <> \"[not a ref]\"" }),
		fld("d", "f", "text", func(x *redcap.Field) { x.Validation = "date_ymd"; x.ValidationMin = "2/1/2020" }),
	}
	// date_format=DMY reads "/" dates in min/max as D/M/Y.
	f.call("full", "content", "metadata", "format", "json", "date_format", "DMY", "data", dictJSON(t, in)).expect(t, 200, ctJSON, "5")
	got := f.exportDict("full")
	if got[2].Choices != "[a] + 1" || got[3].BranchingLogic != "[a] = 'x y' and [a] <> \"[not a ref]\"" || got[4].ValidationMin != "2020-01-02" {
		t.Errorf("fixes: calc %q, branching %q, min %q", got[2].Choices, got[3].BranchingLogic, got[4].ValidationMin)
	}
	// Without it, M/D/Y.
	f.call("full", "content", "metadata", "format", "json", "data", dictJSON(t, in)).expect(t, 200, ctJSON, "5")
	if got := f.exportDict("full"); got[4].ValidationMin != "2020-02-01" {
		t.Errorf("M/D/Y min: %q", got[4].ValidationMin)
	}
}

func TestMetadataImportExistingSQL(t *testing.T) {
	f := newFixture(t)
	// An administrator added an sql field.
	if err := f.srv.Update(func(s *State) {
		s.Projects[0].Metadata = append(s.Projects[0].Metadata[:1:1], redcap.Field{
			FieldName: "pick", FormName: "participant", FieldType: "sql", FieldLabel: "Pick", Choices: "select value from x"})
	}); err != nil {
		t.Fatal(err)
	}
	dict := f.exportDict("full")
	// Sent back unchanged, it is accepted; changed, it is refused.
	f.call("full", "content", "metadata", "format", "json", "data", dictJSON(t, dict)).expect(t, 200, ctJSON, "2")
	dict[1].Choices = "select secret from y"
	f.call("full", "content", "metadata", "format", "json", "data", dictJSON(t, dict)).expect(t, 400, ctJSON, jsonErr(msgSQL+"D3"))
}

// The sandbox cleans names as REDCap does (redcap.CleanFieldName), which is
// what the validator predicts: only a space becomes '_' (a tab or line
// break is deleted), and only ASCII letters are lowercased (PHP's
// strtolower), so the Kelvin sign is deleted rather than read as "k".
func TestMetadataImportCleansNamesLikeREDCap(t *testing.T) {
	f := newFixture(t)
	in := []redcap.Field{
		rid,
		fld("a\tb", "f", "text", nil),
		fld("line\nbreak", "f", "text", nil),
		fld("\u212Aey", "f", "text", nil),
		fld("two  spaces", "f", "text", nil),
		fld("x", "Form\tOne", "text", nil),
	}
	f.call("full", "content", "metadata", "format", "json", "data", dictJSON(t, in)).expect(t, 200, ctJSON, "6")
	var got []string
	for _, fl := range f.exportDict("full") {
		got = append(got, fl.FormName+"."+fl.FieldName)
	}
	want := []string{"f.record_id", "f.ab", "f.linebreak", "f.ey", "f.two_spaces", "formone.x"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("stored names (-want +got):\n%s", diff)
	}
}

// The sandbox takes REDCap's Smart Variables and function whitelist from
// redcap/logic, as the validator does: REDCap also accepts the internal
// functions it rewrites logic into (roundRC, chkNull, …) and Smart Variables
// the sandbox's former list lacked.
func TestMetadataImportKnowsREDCapsLogicNames(t *testing.T) {
	f := newFixture(t)
	in := []redcap.Field{
		rid,
		fld("a", "f", "text", nil),
		fld("c", "f", "calc", func(x *redcap.Field) { x.Choices = "roundRC([a], 1) + IF([a] > 1, 1, 0)" }),
		fld("b", "f", "text", func(x *redcap.Field) {
			x.BranchingLogic = "[survey-access-code] <> '' and [user-first-name] <> '' and [survey-date-started] <> ''"
		}),
	}
	f.call("full", "content", "metadata", "format", "json", "data", dictJSON(t, in)).expect(t, 200, ctJSON, "4")
}
