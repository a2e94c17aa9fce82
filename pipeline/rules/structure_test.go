package rules

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rcolpipe/rcolpipe/redcap"
)

// structureInput is one side of a structure rule case: files written to a
// folder and loaded as a folder input (dictionary and structure files
// together), plus the options.
type structureInput struct {
	files map[string]string
	opts  StructureOptions
}

type structureCase struct {
	code      string
	bad, good structureInput
}

const (
	dictCSV = "field_name,form_name,field_type,field_label,branching_logic\n" +
		"record_id,enrolment,text,Record ID,\n" +
		"age,enrolment,text,Age,\n" +
		"visit_date,visit,text,Visit date,\n" +
		"ae_term,adverse_events,text,Adverse event,\n"
	armsCSV   = "arm_num,name\n1,Drug\n2,Placebo\n"
	eventsCSV = "event_name,arm_num,unique_event_name,custom_event_label\n" +
		"Baseline,1,baseline_arm_1,\nWeek 4,1,week_4_arm_1,\nBaseline,2,baseline_arm_2,\n"
	designCSV = "arm_num,unique_event_name,form\n1,baseline_arm_1,enrolment\n1,week_4_arm_1,visit\n1,week_4_arm_1,adverse_events\n2,baseline_arm_2,enrolment\n"
	repeatCSV = "event_name,form_name,custom_form_label\nweek_4_arm_1,adverse_events,[ae_term]\n"
)

// project returns the files of a correct longitudinal project, with the
// changes given (name -> content; "" deletes the file).
func project(changes map[string]string) map[string]string {
	files := map[string]string{
		"dictionary.csv": dictCSV, "arms.csv": armsCSV, "events.csv": eventsCSV,
		"instrument_designations.csv": designCSV, "repeating.csv": repeatCSV,
	}
	for k, v := range changes {
		if v == "" {
			delete(files, k)
			continue
		}
		files[k] = v
	}
	return files
}

func structureCases() []structureCase {
	ok := structureInput{files: project(nil)}
	return []structureCase{
		{codeUnknownFile, structureInput{files: project(map[string]string{"notes.csv": "date,author,text\n2026-01-01,jd,hello\n"})}, ok},
		{codeStructureValue, structureInput{files: project(map[string]string{"arms.csv": "arm_num,name\none,Drug\n2,Placebo\n"})}, ok},
		{codeEventArmUnknown, structureInput{files: project(map[string]string{"arms.csv": "arm_num,name\n1,Drug\n"})}, ok},
		{codeEventUniqueName, structureInput{files: project(map[string]string{"events.csv": strings.Replace(eventsCSV, "week_4_arm_1", "week4_arm_1", 1)})}, ok},
		{codeDesignationForm, structureInput{files: project(map[string]string{"instrument_designations.csv": designCSV + "2,baseline_arm_2,enrolmnt\n"})}, ok},
		{codeDesignationEvent, structureInput{files: project(map[string]string{"instrument_designations.csv": designCSV + "1,baseline_arm_2,visit\n"})}, ok},
		{codeEventNoInstrument, structureInput{files: project(map[string]string{"events.csv": eventsCSV + "Week 8,1,week_8_arm_1,\n"})}, ok},
		{codeRepeatUndesignated, structureInput{files: project(map[string]string{"repeating.csv": repeatCSV + "baseline_arm_1,adverse_events,\n"})}, ok},
		{codeLogicEventUnknown, structureInput{files: project(map[string]string{"dictionary.csv": dictCSV + "ae_note,adverse_events,text,Note,[baselin_arm_1][age] > 18\n"})},
			structureInput{files: project(map[string]string{"dictionary.csv": dictCSV + "ae_note,adverse_events,text,Note,[baseline_arm_1][age] > 18\n"})}},
		{codeLogicEventClassic, structureInput{files: map[string]string{"dictionary.csv": dictCSV + "ae_note,adverse_events,text,Note for [enrolment_arm_1][age],\n"}, opts: StructureOptions{Classic: true}},
			structureInput{files: map[string]string{"dictionary.csv": dictCSV + "ae_note,adverse_events,text,Note for [age],\n"}, opts: StructureOptions{Classic: true}}},
		{codeRepeatMixed, structureInput{files: project(map[string]string{"instrument_designations.csv": designCSV + "2,baseline_arm_2,adverse_events\n"})}, ok},
		{codeStructureDuplicate, structureInput{files: project(map[string]string{"arms.csv": armsCSV + "1,Drug\n"})}, ok},
	}
}

// checkInput loads the files as one folder input and runs the reader and
// the structure rules, as the pipeline does.
func checkInput(t *testing.T, in structureInput) redcap.Diagnostics {
	t.Helper()
	dir := t.TempDir()
	for name, content := range in.files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	d, st, diags, err := redcap.LoadWithStructure(dir)
	if err != nil {
		t.Fatal(err)
	}
	return append(diags, CheckStructure(d, st, in.opts)...)
}

// TestStructureRules: each RC9xx rule fires on its breaking case, with the
// catalogue's severity, a file, a line, a message and a hint, and not on
// the passing case.
func TestStructureRules(t *testing.T) {
	for _, tc := range structureCases() {
		t.Run(tc.code, func(t *testing.T) {
			rule, ok := Lookup(tc.code)
			if !ok {
				t.Fatalf("no rule %s", tc.code)
			}
			all := checkInput(t, tc.bad)
			got := findings(all, tc.code)
			if len(got) == 0 {
				t.Fatalf("breaking case: no %s finding; got:\n%s", tc.code, dump(all))
			}
			for _, d := range got {
				if d.Severity != rule.Severity {
					t.Errorf("severity %s, want %s", d.Severity, rule.Severity)
				}
				if d.File == "" || d.Line < 1 || d.Message == "" || d.Hint == "" {
					t.Errorf("finding not placed or not explained: %+v", d)
				}
			}
			if g := findings(checkInput(t, tc.good), tc.code); len(g) > 0 {
				t.Errorf("passing case: unexpected %s:\n%s", tc.code, dump(g))
			}
		})
	}
}

// TestStructureCleanProject: the correct project has no finding at all.
func TestStructureCleanProject(t *testing.T) {
	if got := checkInput(t, structureInput{files: project(nil)}); len(got) > 0 {
		t.Errorf("unexpected findings:\n%s", dump(got))
	}
}

// TestUnknownFileReportedOnce: a file of another kind gives one finding,
// not the dictionary reader's header errors.
func TestUnknownFileReportedOnce(t *testing.T) {
	got := checkInput(t, structureInput{files: project(map[string]string{"notes.csv": "date,author,text\n2026-01-01,jd,hello\n"})})
	var forNotes redcap.Diagnostics
	for _, d := range got {
		if strings.HasSuffix(d.File, "notes.csv") {
			forNotes = append(forNotes, d)
		}
	}
	if len(forNotes) != 1 || forNotes[0].Code != codeUnknownFile {
		t.Errorf("want one %s for notes.csv, got:\n%s", codeUnknownFile, dump(forNotes))
	}
}

func TestUniqueEventName(t *testing.T) {
	taken := map[string]bool{}
	for _, tc := range []struct {
		name string
		arm  int
		want string
	}{
		{"Baseline", 1, "baseline_arm_1"},
		{"Week 4 visit", 1, "week_4_visit_arm_1"},
		{"Follow-up (12 months) long name", 2, "followup_12_months_arm_2"},
		{"Baseline", 1, "baseline_arm_1b"},
		{"!!!", 1, "event_arm_1"},
	} {
		got := redcap.UniqueEventName(tc.name, tc.arm, taken)
		taken[got] = true
		if got != tc.want {
			t.Errorf("UniqueEventName(%q, %d) = %q, want %q", tc.name, tc.arm, got, tc.want)
		}
	}
}
