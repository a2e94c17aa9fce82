package preview

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/rcolpipe/rcolpipe/pipeline"
	"github.com/rcolpipe/rcolpipe/redcap"
)

func mustSpec(t *testing.T, inputs ...string) pipeline.Spec {
	t.Helper()
	spec, err := pipeline.NewSpec(pipeline.Request{Inputs: inputs})
	if err != nil {
		t.Fatal(err)
	}
	return spec
}

// writePreview runs Write on inputs (and base) and returns the page.
func writePreview(t *testing.T, base []string, inputs ...string) (string, Summary) {
	t.Helper()
	spec, err := pipeline.NewSpec(pipeline.Request{Inputs: inputs})
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "review.html")
	sum, err := Write(context.Background(), spec, Options{Out: out, Base: base})
	if err != nil {
		t.Fatal(err)
	}
	page, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	return string(page), sum
}

// element returns the opening tag of the element with data-field=name.
func element(t *testing.T, page, name string) string {
	t.Helper()
	m := regexp.MustCompile(`<(div|tr) [^>]*data-field="` + name + `"[^>]*>`).FindString(page)
	if m == "" {
		t.Fatalf("no element with data-field=%q", name)
	}
	return m
}

func TestPreviewFields(t *testing.T) {
	page, sum := writePreview(t, nil, "testdata/review.csv")
	if sum.Forms != 2 || sum.Fields != 18 {
		t.Errorf("summary %+v, want 2 forms, 18 fields", sum)
	}
	for _, name := range []string{"record_id", "name", "dob", "age", "smoker", "cigs", "symptoms", "symptoms_other",
		"mood_1", "mood_2", "mood_score", "pain", "user_note", "bad_logic", "photo", "colour", "info", "ok"} {
		element(t, page, name)
	}
	// Logic false on an empty record: hidden from the start.
	for _, name := range []string{"cigs", "symptoms_other", "mood_2"} {
		if el := element(t, page, name); !strings.Contains(el, " hidden") || !strings.Contains(el, "data-logic=") {
			t.Errorf("%s: %s, want hidden with data-logic", name, el)
		}
	}
	// Logic the preview cannot compute or parse: shown, with a note.
	for name, note := range map[string]string{
		"user_note": "This preview cannot evaluate the Smart Variable [user-name], so the field stays shown.",
		"bad_logic": "The branching logic cannot be parsed",
	} {
		if el := element(t, page, name); strings.Contains(el, "hidden") || strings.Contains(el, "data-logic") {
			t.Errorf("%s: %s, want shown without live logic", name, el)
		}
		if !strings.Contains(page, note) {
			t.Errorf("%s: no note %q", name, note)
		}
	}
	if el := element(t, page, "age"); !strings.Contains(el, "data-calc=") {
		t.Errorf("age: %s, want data-calc", el)
	}
	for _, want := range []string{
		`<table class="matrix"`, `Identifier`, `@HIDDEN-SURVEY`, `class="req"`, `date_ymd`,
		`type="range"`, `type="file"`, `<option value="r">Red (r)</option>`, `<h3>Thanks</h3>`,
		`Calculation: <code>rounddown(datediff([dob], &#39;today&#39;, &#39;y&#39;))</code>`,
		`No pain`, `Worst`, `value="3"`, `text: integer [0 – 100]`,
		`<ul class="findings" id="f-bad_logic-findings"`, // a finding next to its field
	} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
}

// TestPreviewLabelsCannotRunScript: the dictionary is hostile input.
func TestPreviewLabelsCannotRunScript(t *testing.T) {
	page, _ := writePreview(t, nil, "testdata/review.csv")
	for _, bad := range []string{"onclick", "onerror", "alert(", "javascript:", "tracker.example", "<img", "steal()"} {
		if strings.Contains(page, bad) {
			i := strings.Index(page, bad)
			t.Errorf("page holds %q: …%s…", bad, page[max(0, i-80):min(len(page), i+80)])
		}
	}
	for _, want := range []string{"Full <b>name</b>", `<span style="color: red">Other</span>`, "as on the ID <a rel=", "card</a>"} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks the harmless formatting %q", want)
		}
	}
}

// TestPreviewLoadsNothing: no network, no external scripts, styles or fonts.
func TestPreviewLoadsNothing(t *testing.T) {
	page, _ := writePreview(t, nil, "testdata/review.csv")
	for _, bad := range []*regexp.Regexp{
		regexp.MustCompile(`<script[^>]+src=`), regexp.MustCompile(`<link`), regexp.MustCompile(`@import`),
		regexp.MustCompile(`url\(`), regexp.MustCompile(`<img`), regexp.MustCompile(`@font-face`),
	} {
		if m := bad.FindString(page); m != "" {
			t.Errorf("page loads something: %q", m)
		}
	}
	if !strings.Contains(page, `content="default-src 'none';`) {
		t.Error("page lacks its Content-Security-Policy")
	}
}

func TestPreviewBase(t *testing.T) {
	page, sum := writePreview(t, []string{"testdata/base.csv"}, "testdata/review.csv")
	if el := element(t, page, "dob"); !strings.Contains(el, "changed") {
		t.Errorf("dob: %s, want class changed", el)
	}
	if !strings.Contains(page, "changed: field_label") {
		t.Error("dob's changed column is not named")
	}
	if el := element(t, page, "cigs"); !strings.Contains(el, "added") {
		t.Errorf("cigs: %s, want class added", el)
	}
	if el := element(t, page, "smoker"); strings.Contains(el, "added") || strings.Contains(el, "changed") {
		t.Errorf("smoker: %s, unchanged but highlighted", el)
	}
	if !strings.Contains(page, "<strong>Removed from this form:</strong>") || !strings.Contains(page, "<code>weight</code> (text: Weight)") {
		t.Error("the removed field weight is not listed")
	}
	if sum.Changes == 0 {
		t.Error("no changes counted")
	}
}

func TestPreviewBaseMissing(t *testing.T) {
	spec, err := pipeline.NewSpec(pipeline.Request{Inputs: []string{"testdata/review.csv"}})
	if err != nil {
		t.Fatal(err)
	}
	_, err = Write(context.Background(), spec, Options{Out: filepath.Join(t.TempDir(), "r.html"), Base: []string{"testdata/nosuch.csv"}})
	if err == nil || !strings.Contains(err.Error(), "nosuch.csv") {
		t.Errorf("error %v, want one naming nosuch.csv", err)
	}
}

// TestFieldInputs: legacy type and validation names are read as REDCap
// stores them, and validations get the browser's matching input.
func TestFieldInputs(t *testing.T) {
	for _, c := range []struct {
		typ, validation, wantType, wantInput, wantStep string
		wantChoices                                    int
	}{
		{"select", "", "dropdown", "", "", 2},
		{"textarea", "", "notes", "", "", 0},
		{"yesno", "", "yesno", "", "", 2},
		{"text", "float", "text", "number", "any", 0},
		{"text", "int", "text", "number", "1", 0},
		{"text", "date_dmy", "text", "date", "", 0},
		{"text", "datetime_seconds_mdy", "text", "datetime-local", "1", 0},
		{"text", "datetime_ymd", "text", "datetime-local", "", 0},
		{"text", "time_hh_mm_ss", "text", "time", "1", 0},
		{"text", "phone", "text", "text", "", 0},
	} {
		f := newField(&redcap.Field{FieldName: "f", FieldType: c.typ, Validation: c.validation, Choices: "1, A | 2, B"}, map[string]int{})
		if f.Type != c.wantType || f.InputType != c.wantInput || f.Step != c.wantStep || len(f.Choices) != c.wantChoices {
			t.Errorf("%s %s: type %q input %q step %q, %d choices; want %q %q %q, %d",
				c.typ, c.validation, f.Type, f.InputType, f.Step, len(f.Choices), c.wantType, c.wantInput, c.wantStep, c.wantChoices)
		}
	}
}
