package redcap

import (
	"strings"
	"testing"
)

func TestAnnotationTags(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want string
	}{
		{"@HIDDEN @DEFAULT='x'", "HIDDEN DEFAULT"},
		{"mail me@example.org @READONLY-FORM", "READONLY-FORM"},
		{"@IF([a]='1', @HIDDEN, '')", "IF HIDDEN"},
		{"x.@HIDDEN -@NOW @1 @", ""},
		{"(@CALCTEXT(1))\n@MC-TASK", "CALCTEXT MC-TASK"},
		{"@hidden-survey @HIDDEN-", "hidden-survey HIDDEN"},
	} {
		if got := strings.Join(AnnotationTags(tc.in), " "); got != tc.want {
			t.Errorf("AnnotationTags(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// REDCap reads action tags in upper case only: "@hidden" hides nothing.
func TestActionTagsCase(t *testing.T) {
	if got := strings.Join(ActionTags("@hidden @HIDDEN-PDF @Now @TODAY"), " "); got != "HIDDEN-PDF TODAY" {
		t.Errorf("ActionTags = %q, want the upper-case ones", got)
	}
	for _, tc := range []struct {
		ann, tag string
		want     bool
	}{
		{"@HIDDEN-PDF", "@HIDDEN-PDF", true},
		{"@HIDDEN-PDF", "HIDDEN-PDF", true},
		{"@hidden-pdf", "@HIDDEN-PDF", false},
		{"@HIDDEN-SURVEY", "@HIDDEN", false},
		{"x@HIDDEN", "@HIDDEN", false},
		{"@DEFAULT='0' @HIDDEN", "@HIDDEN", true},
		{"", "@HIDDEN", false},
	} {
		if got := HasActionTag(tc.ann, tc.tag); got != tc.want {
			t.Errorf("HasActionTag(%q, %q) = %v, want %v", tc.ann, tc.tag, got, tc.want)
		}
	}
	if !IsKnownActionTag("HIDDEN-SURVEY") || !IsKnownActionTag("MC-TASK") || IsKnownActionTag("hidden") || IsKnownActionTag("HIDEN") {
		t.Error("IsKnownActionTag: want HIDDEN-SURVEY and MC-… known, hidden and HIDEN not")
	}
}

func TestCleanNames(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"record_id", "record_id"},
		{"Größe", "gre"},
		{"My Field", "my_field"},
		{"a  b", "a__b"},
		// Only spaces become '_'; tabs and line breaks are deleted.
		{"a\tb\nc", "abc"},
		// PHP's strtolower is ASCII only: the Kelvin sign and the dotted
		// capital I are deleted, not lowercased to k and i.
		{"\u212Aelvin", "elvin"},
		{"\u0130d", "d"},
		{"a-b.c", "abc"},
	} {
		if got := CleanFieldName(tc.in); got != tc.want {
			t.Errorf("CleanFieldName(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	for _, tc := range []struct {
		in, want string
		ok       bool
	}{
		{"Baseline Visit", "baseline_visit", true},
		{" __a__b_ ", "a_b", true},
		{"1st visit", "1st_visit", false},
		{"ÄÖÜ", "", false},
	} {
		if got, ok := CleanFormName(tc.in); got != tc.want || ok != tc.ok {
			t.Errorf("CleanFormName(%q) = %q, %v; want %q, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
	for _, tc := range []struct{ in, want string }{
		{"1", "1"}, {"A", "a"}, {"1.5", "1_5"}, {"x-y", "x_y"}, {"a b", "ab"}, {"\u212A", ""},
	} {
		if got := CheckboxExportCode(tc.in); got != tc.want {
			t.Errorf("CheckboxExportCode(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestFieldNameProblem(t *testing.T) {
	for _, tc := range []struct {
		name string
		want string // a word of the problem, "" for none
	}{
		{"record_id", ""},
		{"a", ""},
		{"instance", "reserves"},
		{"redcap_repeat_instance", "reserves"},
		{"1a", "lower-case"},
		{"a_", "lower-case"},
		{"Ab", "lower-case"},
		{"a__b", "double underscore"},
		{strings.Repeat("a", 101), "101 characters"},
	} {
		got := FieldNameProblem(tc.name)
		if tc.want == "" && got != "" || tc.want != "" && !strings.Contains(got, tc.want) {
			t.Errorf("FieldNameProblem(%q) = %q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestTypeAndValidationFacts(t *testing.T) {
	if !IsFieldType("advcheckbox") || IsFieldType("Text") || IsFieldType("select") {
		t.Error("IsFieldType: types are case-sensitive, legacy names are not types")
	}
	if StoredFieldType("select") != "dropdown" || StoredFieldType("textarea") != "notes" || StoredFieldType("radio") != "radio" {
		t.Error("StoredFieldType maps select and textarea only")
	}
	for in, want := range map[string]string{"int": "integer", "float": "number", "date": "date_ymd", "datetime": "datetime_ymd", "datetime_seconds": "datetime_seconds_ymd"} {
		if got, ok := LegacyValidation(in); !ok || got != want {
			t.Errorf("LegacyValidation(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
	if _, ok := LegacyValidation("integer"); ok {
		t.Error("integer is no legacy name")
	}
	if n := len(DefaultValidationTypes()); n != 39 {
		t.Errorf("%d default validation types, want 39", n)
	}
	if n := len(ReservedFieldNames()); n != 28 {
		t.Errorf("%d reserved field names, want 28", n)
	}
}

func TestSplitChoices(t *testing.T) {
	got := SplitChoices(" 1, Yes | 2, No, not really\r\n3,Maybe||x ")
	want := []Choice{{"1", "Yes", false}, {"2", "No, not really", false}, {"3", "Maybe", false}, {"x", "x", true}}
	if len(got) != len(want) {
		t.Fatalf("SplitChoices = %+v, want %+v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("choice %d = %+v, want %+v", i, got[i], want[i])
		}
	}
	for s, want := range map[string]bool{"1, A | 2, B": false, "| 1, A": true, "1, A |": true, "1, A || 2, B": true, "1, A\n\n2, B": true, "1, A | \n2, B": true} {
		if got := HasEmptyChoice(s); got != want {
			t.Errorf("HasEmptyChoice(%q) = %v, want %v", s, got, want)
		}
	}
}
