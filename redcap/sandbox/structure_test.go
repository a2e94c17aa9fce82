package sandbox

import (
	"strings"
	"testing"
)

// TestStructureMethods: arms, events, designations and repeating settings
// as REDCap answers them: classic projects refused, unique names generated,
// renames kept, designations replaced per arm, deletes and overrides only
// in Development, refusals leaving the project as it was.
func TestStructureMethods(t *testing.T) {
	f := newFixture(t)
	steps := []struct {
		name   string
		token  string
		params []string
		status int
		body   string // substring
	}{
		{"classic export", "full", []string{"content", "arm", "format", "json"}, 400, "You cannot export arms for classic projects"},
		{"classic import", "full", []string{"content", "event", "action", "import", "format", "json", "data", `[{"event_name":"A","arm_num":"1"}]`}, 400, "You cannot import events for classic projects"},
		{"demo arms", "longitudinal", []string{"content", "arm", "format", "json"}, 200, `[{"arm_num":1,"name":"Intervention"},{"arm_num":2,"name":"Control"}]`},
		{"arm filter", "longitudinal", []string{"content", "event", "format", "json", "arms[0]", "2"}, 200, `[{"event_name":"Baseline","arm_num":2,"unique_event_name":"baseline_arm_2","custom_event_label":"","event_id":43}]`},
		{"no design", "no-design", []string{"content", "arm", "action", "import", "format", "json", "data", `[{"arm_num":"1","name":"A"}]`}, 400, "Project Design and Setup"},
		{"bad arm", "longitudinal", []string{"content", "arm", "action", "import", "format", "json", "data", `[{"arm_num":"x","name":"A"}]`}, 400, "is not valid: it must be a whole number"},
		{"new arm", "longitudinal", []string{"content", "arm", "action", "import", "format", "json", "data", `[{"arm_num":"3","name":"Follow-up"}]`}, 200, "1"},
		{"event in unknown arm", "longitudinal", []string{"content", "event", "action", "import", "format", "json", "data", `[{"event_name":"X","arm_num":"9"}]`}, 400, "does not exist"},
		{"new event, name generated", "longitudinal", []string{"content", "event", "action", "import", "format", "json", "data", `[{"event_name":"Week 4","arm_num":"1"},{"event_name":"Month 12 follow-up visit","arm_num":"3"}]`}, 200, "2"},
		{"generated names", "longitudinal", []string{"content", "event", "format", "csv", "arms[0]", "1", "arms[1]", "3"}, 200, "week_4_arm_1b"},
		{"mapping of unknown form", "longitudinal", []string{"content", "formEventMapping", "format", "json", "data", `[{"arm_num":"3","unique_event_name":"month_12_followup_arm_3","form":"nope"}]`}, 400, "is not a valid instrument"},
		{"mapping of wrong arm", "longitudinal", []string{"content", "formEventMapping", "format", "json", "data", `[{"arm_num":"1","unique_event_name":"month_12_followup_arm_3","form":"participant"}]`}, 400, "not a valid event of that arm"},
		{"mapping", "longitudinal", []string{"content", "formEventMapping", "format", "json", "data", `[{"arm_num":"3","unique_event_name":"month_12_followup_arm_3","form":"participant"}]`}, 200, "1"},
		{"mappings kept for other arms", "longitudinal", []string{"content", "formEventMapping", "format", "csv"}, 200, "arm_num,unique_event_name,form\n1,baseline_arm_1,participant\n1,week_4_arm_1,participant\n2,baseline_arm_2,participant\n3,month_12_followup_arm_3,participant\n"},
		{"repeating needs designation", "longitudinal", []string{"content", "repeatingFormsEvents", "format", "json", "data", `[{"event_name":"week_4_arm_1b","form_name":"participant","custom_form_label":""}]`}, 400, "not designated"},
		{"repeating", "longitudinal", []string{"content", "repeatingFormsEvents", "format", "json", "data", `[{"event_name":"week_4_arm_1","form_name":"participant","custom_form_label":"[part_initials]"}]`}, 200, "1"},
		{"rename keeps unique name", "longitudinal", []string{"content", "event", "action", "import", "format", "json", "data", `[{"event_name":"Week four","arm_num":"1","unique_event_name":"week_4_arm_1"}]`}, 200, "1"},
		{"renamed", "longitudinal", []string{"content", "event", "format", "csv", "arms[0]", "1"}, 200, "Week four,1,week_4_arm_1,"},
		{"delete unknown event", "longitudinal", []string{"content", "event", "action", "delete", "format", "json", "events[0]", "nope_arm_1"}, 400, "does not exist"},
		{"delete event", "longitudinal", []string{"content", "event", "action", "delete", "format", "json", "events[0]", "week_4_arm_1"}, 200, "1"},
		{"its designations and repeating went", "longitudinal", []string{"content", "repeatingFormsEvents", "format", "json"}, 400, "does not contain any repeating"},
		{"delete arm", "longitudinal", []string{"content", "arm", "action", "delete", "format", "json", "arms[0]", "3"}, 200, "1"},
		{"arm's events went", "longitudinal", []string{"content", "event", "format", "csv"}, 200, "Baseline,1,baseline_arm_1,,41\nWeek 4,1,week_4_arm_1b,,44\nBaseline,2,baseline_arm_2,,43\n"},
	}
	for _, s := range steps {
		r := f.call(s.token, s.params...)
		if r.status != s.status || !strings.Contains(r.body, s.body) {
			t.Fatalf("%s: got %d %q, want %d containing %q", s.name, r.status, r.body, s.status, s.body)
		}
	}
}

// TestStructureProduction: override and delete are refused outside
// Development, and the structure is left as it was.
func TestStructureProduction(t *testing.T) {
	f := newFixture(t)
	if err := f.srv.Update(func(s *State) { s.Project(3).Status = 1 }); err != nil {
		t.Fatal(err)
	}
	for _, params := range [][]string{
		{"content", "arm", "action", "import", "override", "1", "format", "json", "data", `[{"arm_num":"1","name":"A"}]`},
		{"content", "event", "action", "delete", "format", "json", "events[0]", "baseline_arm_1"},
	} {
		r := f.call("longitudinal", params...)
		if r.status != 400 || !strings.Contains(r.body, "only allowed in Development") {
			t.Errorf("%v: got %d %s", params, r.status, r.body)
		}
	}
	if n := len(f.srv.State().Project(3).Events); n != 3 {
		t.Errorf("events after refused changes: %d, want 3", n)
	}
}
