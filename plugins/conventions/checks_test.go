package conventions

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rcolpipe/rcolpipe/plugins/sdk"
	"github.com/rcolpipe/rcolpipe/redcap"
)

func fld(name, form, typ string, cols map[redcap.Column]string) redcap.Field {
	f := redcap.Field{FieldName: name, FormName: form, FieldType: typ}
	for c, v := range cols {
		f.Set(c, v)
	}
	return f
}

// found lists "SEVERITY CODE field" of each finding.
func found(ds redcap.Diagnostics) []string {
	var out []string
	for _, d := range ds {
		out = append(out, d.Severity.String()+" "+d.Code+" "+d.Field)
	}
	return out
}

func mustConfig(t *testing.T, js string) Config {
	t.Helper()
	c, err := ParseConfig([]byte(js))
	if err != nil {
		t.Fatalf("config %s: %v", js, err)
	}
	return c
}

func TestFormPrefix(t *testing.T) {
	d := &redcap.Dictionary{Fields: []redcap.Field{
		fld("record_id", "demographics", "text", nil),
		fld("demographics_age", "demographics", "text", nil),
		fld("age2", "demographics", "text", nil),
		fld("bdi_sad", "becks_depression_inventory_ii", "radio", nil), // initials without the numeral
		fld("bdii_guilt", "becks_depression_inventory_ii", "radio", nil),
		fld("mood", "becks_depression_inventory_ii", "calc", map[redcap.Column]string{redcap.ColChoices: "[bdi_sad] + [mood_x]"}),
		fld("mood_x", "mood_check", "text", nil),
		fld("mc_y", "mood_check", "text", map[redcap.Column]string{redcap.ColBranchingLogic: "[mood] > 1"}),
	}}
	tests := []struct {
		name string
		cfg  string
		want []string
	}{
		{"derived", `{"form_prefix":{}}`, []string{"warning CV001 age2", "warning CV001 mood"}},
		{"short names", `{"form_prefix":{"short_names":{"demographics":"dem","mood_check":"mood"}, "severity":"error"}}`,
			[]string{"error CV001 demographics_age", "error CV001 age2", "error CV001 mood", "error CV001 mc_y"}},
		{"form only", `{"form_prefix":{"derive":"form"}}`, []string{"warning CV001 age2", "warning CV001 bdi_sad", "warning CV001 bdii_guilt", "warning CV001 mood", "warning CV001 mood_x", "warning CV001 mc_y"}},
		{"none", `{"form_prefix":{"derive":"none","short_names":{"mood_check":"mc"}}}`, []string{"warning CV001 mood_x"}},
		{"separator", `{"form_prefix":{"derive":"form","separator":"","short_names":{"becks_depression_inventory_ii":"bdi"}}}`, []string{"warning CV001 age2", "warning CV001 mood", "warning CV001 mood_x", "warning CV001 mc_y"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, diags := Run(d, mustConfig(t, tt.cfg))
			if dd := cmp.Diff(tt.want, found(diags)); dd != "" {
				t.Errorf("findings (-want +got):\n%s\n%v", dd, diags)
			}
			for i := range d.Fields {
				if !d.Fields[i].SameData(&out.Fields[i]) {
					t.Errorf("fix off changed row %d", i)
				}
			}
		})
	}

	// Fix on: the field and every reference to it are renamed.
	out, diags := Run(d, mustConfig(t, `{"fix":true,"form_prefix":{}}`))
	if dd := cmp.Diff([]string{"info CV001 age2", "info CV001 mood"}, found(diags)); dd != "" {
		t.Errorf("fix findings (-want +got):\n%s", dd)
	}
	if out.Fields[2].FieldName != "demographics_age2" || out.Fields[5].FieldName != "bdii_mood" || out.Fields[7].BranchingLogic != "[bdii_mood] > 1" {
		t.Errorf("fix: %q %q %q", out.Fields[2].FieldName, out.Fields[5].FieldName, out.Fields[7].BranchingLogic)
	}
	if d.Fields[2].FieldName != "age2" {
		t.Error("Run changed its input")
	}

	// A fix that would collide is refused and reported.
	clash := &redcap.Dictionary{Fields: []redcap.Field{
		fld("id", "f", "text", nil), fld("f_x", "f", "text", nil), fld("x", "f", "text", nil),
	}}
	out, diags = Run(clash, mustConfig(t, `{"fix":true,"form_prefix":{}}`))
	if dd := cmp.Diff([]string{"warning CV001 x"}, found(diags)); dd != "" || !strings.Contains(diags[0].Message, "cannot fix") {
		t.Errorf("collision (-want +got):\n%s\n%v", dd, diags)
	}
	if out.Fields[2].FieldName != "x" {
		t.Error("a colliding fix was applied")
	}
}

func TestMaxNameLength(t *testing.T) {
	d := &redcap.Dictionary{Fields: []redcap.Field{fld("id", "f", "text", nil), fld("abcdefghij", "f", "text", nil), fld("abcdefghijk", "f", "text", nil)}}
	for _, cfg := range []string{`{"max_name_length":10}`, `{"max_name_length":{"max":10,"severity":"error"}}`} {
		_, diags := Run(d, mustConfig(t, cfg))
		sev := "warning"
		if strings.Contains(cfg, "error") {
			sev = "error"
		}
		if dd := cmp.Diff([]string{sev + " CV002 abcdefghijk"}, found(diags)); dd != "" {
			t.Errorf("%s (-want +got):\n%s", cfg, dd)
		}
	}
}

// TestMaxNameLengthLeavesLongNamesToRC109: a name over REDCap's advised 26
// characters is the validator's RC109 already; CV002 repeats it only at a
// stricter severity.
func TestMaxNameLengthLeavesLongNamesToRC109(t *testing.T) {
	long := strings.Repeat("a", 30)
	d := &redcap.Dictionary{Fields: []redcap.Field{fld("id", "f", "text", nil), fld(long, "f", "text", nil), fld(strings.Repeat("b", 24), "f", "text", nil)}}
	for cfg, want := range map[string][]string{
		`{"max_name_length":26}`:                            nil,
		`{"max_name_length":20}`:                            {"warning CV002 " + strings.Repeat("b", 24)},
		`{"max_name_length":{"max":26,"severity":"error"}}`: {"error CV002 " + long},
	} {
		_, diags := Run(d, mustConfig(t, cfg))
		if dd := cmp.Diff(want, found(diags)); dd != "" {
			t.Errorf("%s (-want +got):\n%s", cfg, dd)
		}
	}
}

func TestIdentifiers(t *testing.T) {
	d := &redcap.Dictionary{Fields: []redcap.Field{
		fld("record_id", "f", "text", nil),
		fld("first_name", "f", "text", nil),
		fld("email2", "f", "text", nil),
		fld("home_telephone", "f", "text", nil),
		fld("pat_geburtsdatum", "f", "text", nil),
		fld("dob", "f", "text", map[redcap.Column]string{redcap.ColIdentifier: "y"}), // marked already
		fld("zip", "f", "text", nil),
		fld("name_desc", "f", "descriptive", nil), // holds no data
		fld("age_calc", "f", "calc", nil),         // no word, and calc anyway
		fld("naming_score", "f", "text", nil),     // "naming" is not "name"
		fld("study_name", "f", "text", nil),
	}}
	want := []string{"CV003 first_name", "CV003 email2", "CV003 home_telephone", "CV003 pat_geburtsdatum", "CV003 zip"}
	_, diags := Run(d, mustConfig(t, `{"identifiers":{"ignore":["study_name"]}}`))
	var got []string
	for _, x := range diags {
		got = append(got, x.Code+" "+x.Field)
		if x.Severity != redcap.SeverityWarning {
			t.Errorf("fix off: %s", x)
		}
	}
	if dd := cmp.Diff(want, got); dd != "" {
		t.Errorf("(-want +got):\n%s", dd)
	}

	out, diags := Run(d, mustConfig(t, `{"fix":true,"identifiers":{"ignore":["study_name"]}}`))
	if len(diags) != len(want) || diags[0].Severity != redcap.SeverityInfo || !strings.Contains(diags[0].Message, "set identifier = y") {
		t.Errorf("fix on: %v", diags)
	}
	for _, f := range out.Fields {
		wantY := map[string]bool{"first_name": true, "email2": true, "home_telephone": true, "pat_geburtsdatum": true, "zip": true, "dob": true}[f.FieldName]
		if (f.Identifier == "y") != wantY {
			t.Errorf("%s: identifier %q", f.FieldName, f.Identifier)
		}
	}

	// A check's own fix overrides the global one; words replace the list.
	out, diags = Run(d, mustConfig(t, `{"fix":true,"identifiers":{"fix":false,"words":["naming"]}}`))
	if dd := cmp.Diff([]string{"warning CV003 naming_score"}, found(diags)); dd != "" || out.Fields[9].Identifier != "" {
		t.Errorf("words/fix override (-want +got):\n%s", dd)
	}
}

func TestRequiredTags(t *testing.T) {
	d := &redcap.Dictionary{Fields: []redcap.Field{
		fld("id", "f", "text", map[redcap.Column]string{redcap.ColFieldAnnotation: "@HIDDEN-PDF"}),
		fld("a", "f", "radio", map[redcap.Column]string{redcap.ColFieldAnnotation: "@HIDDEN-SURVEY"}),
		fld("b", "f", "text", map[redcap.Column]string{redcap.ColFieldAnnotation: "@hidden-pdf @NOW"}),
		fld("c", "g", "radio", nil),
		fld("desc", "g", "descriptive", nil),
	}}
	// REDCap reads action tags in upper case only: b's "@hidden-pdf" does
	// not hide it from the PDF, so b lacks the tag.
	_, diags := Run(d, mustConfig(t, `{"required_tags":["@HIDDEN-PDF", {"tag":"@NOMISSING","types":["radio"],"forms":["g"],"severity":"error"}]}`))
	want := []string{"warning CV004 a", "warning CV004 b", "warning CV004 c", "error CV004 c"}
	if dd := cmp.Diff(want, found(diags)); dd != "" {
		t.Errorf("(-want +got):\n%s", dd)
	}
	out, diags := Run(d, mustConfig(t, `{"fix":true,"required_tags":["@HIDDEN-PDF"]}`))
	if dd := cmp.Diff([]string{"info CV004 a", "info CV004 b", "info CV004 c"}, found(diags)); dd != "" {
		t.Errorf("fix (-want +got):\n%s", dd)
	}
	if out.Fields[1].FieldAnnotation != "@HIDDEN-SURVEY @HIDDEN-PDF" || out.Fields[2].FieldAnnotation != "@hidden-pdf @NOW @HIDDEN-PDF" ||
		out.Fields[3].FieldAnnotation != "@HIDDEN-PDF" || out.Fields[4].FieldAnnotation != "" {
		t.Errorf("fix: %q %q %q %q", out.Fields[1].FieldAnnotation, out.Fields[2].FieldAnnotation, out.Fields[3].FieldAnnotation, out.Fields[4].FieldAnnotation)
	}
	if d.Fields[1].FieldAnnotation != "@HIDDEN-SURVEY" {
		t.Error("Run changed its input")
	}
}

func TestForbiddenTypes(t *testing.T) {
	d := &redcap.Dictionary{Fields: []redcap.Field{fld("id", "f", "text", nil), fld("q", "f", "sql", nil), fld("s", "f", "slider", nil)}}
	_, diags := Run(d, mustConfig(t, `{"forbidden_types":["sql","slider"]}`))
	if dd := cmp.Diff([]string{"error CV005 q", "error CV005 s"}, found(diags)); dd != "" {
		t.Errorf("(-want +got):\n%s", dd)
	}
	_, diags = Run(d, mustConfig(t, `{"forbidden_types":{"types":["sql"],"severity":"warning"}}`))
	if dd := cmp.Diff([]string{"warning CV005 q"}, found(diags)); dd != "" {
		t.Errorf("(-want +got):\n%s", dd)
	}
}

func TestLanguage(t *testing.T) {
	label := func(name, form, text string) redcap.Field {
		return fld(name, form, "text", map[redcap.Column]string{redcap.ColFieldLabel: text})
	}
	d := &redcap.Dictionary{Fields: []redcap.Field{
		label("id", "de_form", "ID"),
		label("a", "de_form", "Wie oft haben Sie in der letzten Woche geraucht?"),
		label("b", "de_form", "Wurde die Behandlung abgeschlossen?"),
		label("c", "de_form", "How often did you smoke in the past week?"),
		label("d", "de_form", "<b>Please</b> enter the date of the visit"),
		label("e", "de_form", "Größe"), // an umlaut reads as German
		label("f", "en_form", "What is your age?"),
		label("g", "en_form", "Bitte [a] angeben"), // one German label: below min_fields
		label("h", "en_form", "Score"),             // neither
		fld("i", "en_form", "radio", map[redcap.Column]string{redcap.ColFieldLabel: "Smoker", redcap.ColChoices: "1, Ja | 0, Nein"}),
	}}
	_, diags := Run(d, mustConfig(t, `{"language":{}}`))
	if dd := cmp.Diff([]string{"warning CV006 c"}, found(diags)); dd != "" {
		t.Fatalf("(-want +got):\n%s\n%v", dd, diags)
	}
	if !strings.Contains(diags[0].Message, "form de_form mixes languages: 3 field(s) read as German, 2 as English (the English ones: c, d)") {
		t.Errorf("message %q", diags[0].Message)
	}
	_, diags = Run(d, mustConfig(t, `{"language":{"min_fields":1}}`))
	// en_form: f reads English; g (bitte) and i (choices Ja/Nein) German.
	if dd := cmp.Diff([]string{"warning CV006 c", "warning CV006 f"}, found(diags)); dd != "" {
		t.Errorf("min_fields 1 (-want +got):\n%s", dd)
	}
	_, diags = Run(d, mustConfig(t, `{"language":{"expect":"de","severity":"info"}}`))
	if dd := cmp.Diff([]string{"info CV007 c", "info CV007 d", "info CV007 f"}, found(diags)); dd != "" {
		t.Errorf("expect de (-want +got):\n%s", dd)
	}
}

func TestParseConfigErrors(t *testing.T) {
	for cfg, want := range map[string]string{
		``:                                       "config is empty",
		`{}`:                                     "no check is turned on",
		`{"fix":true}`:                           "no check is turned on",
		`{"identifer":{}}`:                       `unknown field "identifer"`,
		`{"max_name_length":0}`:                  "max_name_length 0: want 1 to 100",
		`{"required_tags":["HIDDEN"]}`:           "is not an action tag",
		`{"language":{"expect":"fr"}}`:           `language.expect "fr"`,
		`{"form_prefix":{"derive":"guess"}}`:     `form_prefix.derive "guess"`,
		`{"identifiers":{"severity":"loud"}}`:    `identifiers.severity "loud"`,
		`{"forbidden_types":{"types":[],"x":1}}`: `unknown field "x"`,
		`{"required_tags":[{"tag":"@A","typo":[]}]}`: `unknown field "typo"`,
	} {
		_, err := ParseConfig([]byte(cfg))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: err %v, want %q", cfg, err, want)
		}
	}
}

func TestConfigSchemaIsJSON(t *testing.T) {
	var v map[string]any
	if err := json.Unmarshal([]byte(ConfigSchema), &v); err != nil {
		t.Fatal(err)
	}
}

func TestTransformer(t *testing.T) {
	tr := New()
	if info := tr.Info(); info.Name != "conventions" || len(info.ConfigSchema) == 0 {
		t.Errorf("info %+v", info)
	}
	d := &redcap.Dictionary{Fields: []redcap.Field{fld("id", "f", "text", nil), fld("email", "f", "text", nil)}}
	resp, err := tr.Transform(context.Background(), &sdk.Request{Dictionary: d, Config: []byte(`{"fix":true,"identifiers":{}}`)})
	if err != nil {
		t.Fatal(err)
	}
	if resp.Dictionary.Fields[1].Identifier != "y" {
		t.Error("fix not applied through the transformer")
	}
	resp, err = tr.Transform(context.Background(), &sdk.Request{Dictionary: d, Config: []byte(`{"bogus":1}`)})
	if err != nil {
		t.Fatal(err)
	}
	if dd := cmp.Diff([]string{"error CV000 "}, found(resp.Diagnostics)); dd != "" {
		t.Errorf("bad config (-want +got):\n%s", dd)
	}
}
