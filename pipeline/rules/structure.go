package rules

import (
	"fmt"
	"sort"
	"strings"

	"github.com/rcolpipe/rcolpipe/redcap"
	"github.com/rcolpipe/rcolpipe/redcap/logic"
)

// RC9xx: the project's structure (arms, events, designations, repeating
// instruments and events) and the dictionary's references to events.
const (
	codeUnknownFile        = redcap.CodeUnknownFile    // RC901
	codeStructureValue     = redcap.CodeStructureValue // RC902
	codeEventArmUnknown    = "RC903"
	codeEventUniqueName    = "RC904"
	codeDesignationForm    = CodeDesignationForm
	codeDesignationEvent   = CodeDesignationEvent
	codeEventNoInstrument  = "RC907"
	codeRepeatUndesignated = "RC908"
	codeLogicEventUnknown  = "RC909"
	codeLogicEventClassic  = "RC910"
	codeRepeatMixed        = "RC911"
	codeStructureDuplicate = "RC912"
)

// The codes the pipeline gives a designation policy's own mistakes.
const (
	CodeDesignationForm  = "RC905"
	CodeDesignationEvent = "RC906"
)

// structureCatalogue lists the RC9xx rules (All and Lookup include them).
var structureCatalogue = withBehaviour([]Rule{
	{codeUnknownFile, sevE, "File is neither a dictionary nor a structure file",
		"An input (or a file in an input folder) has a header that names neither REDCap's dictionary columns nor one of REDCap's structure downloads: arms (`arm_num,name`), events (`event_name,arm_num,unique_event_name,custom_event_label`), instrument designations (`arm_num,unique_event_name,form`), repeating instruments and events (`event_name,form_name,custom_form_label`). It is reported once and nothing is read from it.\n\nExample: `notes.csv` with the header `date,author,text` in the input folder.\n\nFix: move the file out of the input folder, or fix its header."},
	{codeStructureValue, sevE, "Structure file row cannot be read",
		"A row of an arms, events, designations or repeating file has a value rcolpipe cannot use: an `arm_num` that is not a positive whole number, an event without a name, more cells than the header.\n\nExample: `arms.csv` with the row `one,Treatment`.\n\nFix: write the row as REDCap's download has it."},
	{codeEventArmUnknown, sevE, "Event or designation names an arm the arms file does not have",
		"Every event belongs to an arm. When an arms file is given, an event (or designation) of another arm number would be refused by REDCap (\"arm_num is not valid\").\n\nExample: `events.csv` has `Baseline,3,...` but `arms.csv` lists arms 1 and 2.\n\nFix: add the arm, or correct `arm_num`."},
	{codeEventUniqueName, sevE, "Unique event name does not follow REDCap's rule",
		"REDCap makes the unique event name itself from the event name and the arm: lower case, only letters, digits and `_` (spaces become `_`), at most 18 characters, then `_arm_N` (a letter is appended to a name already taken). An events file whose `unique_event_name` differs, or that gives one name twice, names events REDCap will not have, so designations and logic that use it point at nothing.\n\nExample: `Week 4 visit,1,week4_arm_1` — REDCap names it `week_4_visit_arm_1`.\n\nFix: use the name REDCap derives (the message gives it), or rename the event."},
	{codeDesignationForm, sevE, "Designation names a form the dictionary does not have",
		"An instrument designation (`form` column) names an instrument that is in neither the dictionary nor the assumed fields; REDCap refuses the mapping.\n\nExample: `1,baseline_arm_1,demographcs` while the form is `demographics`.\n\nFix: correct the form name (column B of the dictionary), or upload the form too."},
	{codeDesignationEvent, sevE, "Designation names an event that does not exist",
		"An instrument designation names a `unique_event_name` that is not in the events file, or gives an `arm_num` other than the event's.\n\nExample: `1,baseline_arm_2,demographics` when `baseline_arm_2` is in arm 2.\n\nFix: correct the event's unique name or arm number, or add the event."},
	{codeEventNoInstrument, sevW, "Event has no instrument designated",
		"An event with no instrument designated holds no data and REDCap hides it on the record home page. It is usually a designation forgotten.\n\nExample: `events.csv` has `Week 8,1,week_8_arm_1` and no designation names `week_8_arm_1`.\n\nFix: designate at least one instrument for the event in the designations file (or with the pipeline file's `structure.designate`)."},
	{codeRepeatUndesignated, sevE, "Repeating setting names a form or event that is not designated",
		"A repeating instrument must be designated for its event, and a repeating event must exist; REDCap refuses the settings otherwise. In a classic project (no events) a repeating instrument needs only to exist.\n\nExample: `repeating.csv` has `week_4_arm_1,adverse_events,` but adverse_events is designated only for baseline_arm_1.\n\nFix: designate the form for the event, or remove the setting."},
	{codeLogicEventUnknown, sevW, "Logic or piping names an event that does not exist",
		"Branching logic, a calc equation or piped text (`[baseline_arm_1][age]`) names an event that is not among the project's events. REDCap does not check event names at upload (it strips the event part and checks only the field) and evaluates the reference as blank, so the logic silently tests an empty value.\n\nExample: `[baselin_arm_1][age] > 18` (a typo of baseline_arm_1).\n\nFix: use a unique event name from the events file."},
	{codeLogicEventClassic, sevW, "Event prefix in a classic project",
		"The pipeline file says the project is classic (`structure.project: classic`), but logic or piping names an event (`[baseline_arm_1][age]`): a classic project has no events. REDCap does not check event names at upload (it strips the event part and checks only the field), so the upload works and the reference names an event that cannot exist: it gives a blank, not the field's value.\n\nExample: `[enrolment_arm_1][consent] = '1'` in a project without events.\n\nFix: remove the event prefix, or make the project longitudinal."},
	{codeRepeatMixed, sevI, "Form repeats in one event and not in another",
		"A form set as repeating in some events but designated in others without repeating behaves differently from event to event (instances in one, a single form in the other). This is allowed and sometimes intended.\n\nExample: adverse_events repeats in week_4_arm_1 and is designated for baseline_arm_1 without repeating.\n\nFix: none needed if intended; otherwise add the repeating setting for the other events."},
	{codeStructureDuplicate, sevE, "Arm, event or designation given twice",
		"The structure files name the same arm number, unique event name, or event/form designation twice; REDCap keeps one of them, and which one is not documented.\n\nExample: `arms.csv` lists arm 1 twice.\n\nFix: remove the duplicate row."},
})

// structureFinding builds a finding at a structure row.
func structureFinding(code, msg, hint string, o redcap.Origin) redcap.Diagnostic {
	r, _ := Lookup(code)
	return redcap.Diagnostic{Severity: r.Severity, Code: code, File: o.File, Line: o.Line, Message: msg, Hint: hint}
}

// StructureOptions is what CheckStructure needs besides the dictionary and
// the structure.
type StructureOptions struct {
	// Classic says the project is classic: any event prefix is a finding.
	Classic bool
	// AssumeFields are fields (and so forms) the project has already.
	AssumeFields *redcap.Dictionary
}

// CheckStructure runs the RC9xx rules over a dictionary and its project's
// structure, returning findings with their default severities. With no
// structure and not Classic, there is nothing to check.
func CheckStructure(d *redcap.Dictionary, s *redcap.Structure, opts StructureOptions) redcap.Diagnostics {
	if s == nil {
		s = &redcap.Structure{}
	}
	var out redcap.Diagnostics
	add := func(code, msg, hint string, o redcap.Origin) {
		out = append(out, structureFinding(code, msg, hint, o))
	}
	forms := map[string]bool{}
	if d != nil {
		for _, f := range d.Fields {
			forms[f.FormName] = true
		}
	}
	if opts.AssumeFields != nil {
		for _, f := range opts.AssumeFields.Fields {
			forms[f.FormName] = true
		}
	}

	arms := map[int]bool{}
	for _, a := range s.Arms {
		if arms[a.Num] {
			add(codeStructureDuplicate, fmt.Sprintf("arm %d is given twice", a.Num), "remove the duplicate row", a.Origin)
		}
		arms[a.Num] = true
	}
	events := map[string]redcap.Event{}
	taken := map[string]bool{}
	for _, e := range s.Events {
		if s.HasArms && !arms[e.ArmNum] {
			add(codeEventArmUnknown, fmt.Sprintf("event %s is in arm %d, which the arms file does not have", redcap.Printable(e.Name), e.ArmNum), "add the arm to the arms file, or correct arm_num", e.Origin)
		}
		want := redcap.UniqueEventName(e.Name, e.ArmNum, taken)
		taken[want] = true
		switch {
		case e.UniqueName == "":
			// REDCap derives it; nothing to check.
		case events[e.UniqueName].UniqueName != "":
			add(codeStructureDuplicate, fmt.Sprintf("unique event name %s is given twice", redcap.Printable(e.UniqueName)), "every event has its own unique name", e.Origin)
			continue
		case e.UniqueName != want:
			add(codeEventUniqueName, fmt.Sprintf("unique event name %s does not follow REDCap's rule: event %s of arm %d is named %s",
				redcap.Printable(e.UniqueName), redcap.Printable(e.Name), e.ArmNum, want), "use "+want+", or rename the event", e.Origin)
		}
		u := e.UniqueName
		if u == "" {
			u = want
		}
		e.UniqueName = u
		events[u] = e
	}

	designated := map[string]bool{} // event/form
	eventHasForm := map[string]bool{}
	for _, ds := range s.Designations {
		if designated[ds.Key()] {
			add(codeStructureDuplicate, fmt.Sprintf("form %s is designated for event %s twice", redcap.Printable(ds.Form), redcap.Printable(ds.Event)), "remove the duplicate row", ds.Origin)
			continue
		}
		designated[ds.Key()] = true
		eventHasForm[ds.Event] = true
		if !forms[ds.Form] {
			add(codeDesignationForm, fmt.Sprintf("designation names form %s, which the dictionary does not have", redcap.Printable(ds.Form)), "correct the form name, or add the form to the inputs", ds.Origin)
		}
		e, ok := events[ds.Event]
		switch {
		case !ok && s.HasEvents:
			add(codeDesignationEvent, fmt.Sprintf("designation names event %s, which the events file does not have", redcap.Printable(ds.Event)), "use a unique_event_name from the events file", ds.Origin)
		case ok && e.ArmNum != ds.ArmNum:
			add(codeDesignationEvent, fmt.Sprintf("designation gives arm %d for event %s, which is in arm %d", ds.ArmNum, redcap.Printable(ds.Event), e.ArmNum), "correct arm_num", ds.Origin)
		case s.HasArms && !arms[ds.ArmNum]:
			add(codeEventArmUnknown, fmt.Sprintf("designation names arm %d, which the arms file does not have", ds.ArmNum), "correct arm_num", ds.Origin)
		}
	}
	if s.HasDesignations {
		for _, e := range s.Events {
			if u := events[e.UniqueName].UniqueName; u != "" && !eventHasForm[u] {
				add(codeEventNoInstrument, fmt.Sprintf("event %s has no instrument designated", redcap.Printable(u)), "designate at least one instrument for it", e.Origin)
			}
		}
	}

	repeats := map[string]bool{} // forms repeating somewhere, by event/form
	for _, r := range s.Repeating {
		switch {
		case r.Form == "" && r.Event == "":
			add(codeRepeatUndesignated, "repeating setting names neither a form nor an event", "fill event_name, form_name or both", r.Origin)
		case r.Form == "":
			if _, ok := events[r.Event]; !ok && s.HasEvents {
				add(codeRepeatUndesignated, fmt.Sprintf("repeating event %s is not among the events", redcap.Printable(r.Event)), "use a unique_event_name from the events file", r.Origin)
			}
		case r.Event == "":
			if !forms[r.Form] {
				add(codeRepeatUndesignated, fmt.Sprintf("repeating instrument %s is not in the dictionary", redcap.Printable(r.Form)), "correct form_name", r.Origin)
			}
			if len(events) > 0 {
				add(codeRepeatUndesignated, fmt.Sprintf("repeating instrument %s names no event, but the project is longitudinal", redcap.Printable(r.Form)), "fill event_name with the event it repeats in", r.Origin)
			}
		default:
			if s.HasDesignations && !designated[r.Key()] {
				add(codeRepeatUndesignated, fmt.Sprintf("repeating instrument %s is not designated for event %s", redcap.Printable(r.Form), redcap.Printable(r.Event)), "designate the form for the event, or remove the setting", r.Origin)
			}
			repeats[r.Key()] = true
		}
	}
	// RC911: a form repeating in one event, designated without repeating in another.
	mixed := map[string]bool{}
	for _, ds := range s.Designations {
		if repeats[ds.Key()] || mixed[ds.Form] {
			continue
		}
		for _, r := range s.Repeating {
			if r.Form == ds.Form && repeats[r.Key()] && !eventRepeats(s, ds.Event) {
				mixed[ds.Form] = true
				add(codeRepeatMixed, fmt.Sprintf("form %s repeats in event %s but not in event %s", redcap.Printable(ds.Form), redcap.Printable(r.Event), redcap.Printable(ds.Event)), "add a repeating setting for the other event if it should repeat there too", ds.Origin)
				break
			}
		}
	}

	if d != nil && (len(events) > 0 || opts.Classic) {
		out = append(out, eventReferences(d, events, opts.Classic)...)
	}
	return out
}

// eventRepeats reports whether the whole event repeats (then its forms do).
func eventRepeats(s *redcap.Structure, event string) bool {
	for _, r := range s.Repeating {
		if r.Form == "" && r.Event == event {
			return true
		}
	}
	return false
}

// eventReferences checks the event prefixes of logic (L, calc F) and piping
// (labels, notes, section headers, choices, annotations): RC909 and RC910.
func eventReferences(d *redcap.Dictionary, events map[string]redcap.Event, classic bool) redcap.Diagnostics {
	var out redcap.Diagnostics
	names := make([]string, 0, len(events))
	for n := range events {
		names = append(names, n)
	}
	sort.Strings(names)
	for i := range d.Fields {
		f := &d.Fields[i]
		type cell struct {
			col   redcap.Column
			refs  []logic.Ref
			logic bool
		}
		var cells []cell
		if f.BranchingLogic != "" {
			refs, _ := logic.Refs(f.BranchingLogic)
			cells = append(cells, cell{redcap.ColBranchingLogic, refs, true})
		}
		if f.FieldType == "calc" && f.Choices != "" {
			refs, _ := logic.Refs(f.Choices)
			cells = append(cells, cell{redcap.ColChoices, refs, true})
		}
		for _, col := range []redcap.Column{redcap.ColFieldLabel, redcap.ColFieldNote, redcap.ColSectionHeader, redcap.ColFieldAnnotation} {
			if v := f.Get(col); strings.Contains(v, "][") {
				cells = append(cells, cell{col, logic.RefsInText(v), false})
			}
		}
		if f.FieldType != "calc" && strings.Contains(f.Choices, "][") {
			cells = append(cells, cell{redcap.ColChoices, logic.RefsInText(f.Choices), false})
		}
		for _, c := range cells {
			seen := map[string]bool{}
			for _, r := range c.refs {
				ev := r.Event
				if ev == "" || strings.Contains(ev, "-") || seen[ev] {
					continue // none, or a smart name such as [event-name]
				}
				seen[ev] = true
				what := "piping"
				if c.logic {
					what = "logic"
				}
				if classic {
					r, _ := Lookup(codeLogicEventClassic)
					out = append(out, redcap.Diagnostic{Severity: r.Severity, Code: codeLogicEventClassic, File: f.Origin.File, Line: f.Origin.Line, Field: f.FieldName, Column: c.col.Key(),
						Message: fmt.Sprintf("%s names event %s, but the project is classic (it has no events)", what, redcap.Printable(ev)),
						Hint:    "remove the event prefix [" + redcap.Printable(ev) + "]"})
					continue
				}
				if _, ok := events[ev]; !ok {
					r, _ := Lookup(codeLogicEventUnknown)
					out = append(out, redcap.Diagnostic{Severity: r.Severity, Code: codeLogicEventUnknown, File: f.Origin.File, Line: f.Origin.Line, Field: f.FieldName, Column: c.col.Key(),
						Message: fmt.Sprintf("%s names event %s, which is not among the project's events", what, redcap.Printable(ev)),
						Hint:    "the events are " + capNames(names, 6)})
				}
			}
		}
	}
	return out
}

func capNames(names []string, n int) string {
	if len(names) <= n {
		return strings.Join(names, ", ")
	}
	return strings.Join(names[:n], ", ") + fmt.Sprintf(" and %d more", len(names)-n)
}

// lookupStructure finds an RC9xx rule.
func lookupStructure(code string) (Rule, bool) {
	for _, r := range structureCatalogue {
		if r.Code == code {
			return r, true
		}
	}
	return Rule{}, false
}
