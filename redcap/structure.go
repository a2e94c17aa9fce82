package redcap

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/rcolpipe/rcolpipe/internal/lazyre"
)

// Structure is a longitudinal project's setup beside its dictionary: arms,
// events, which instruments are designated for which events, and the
// repeating instruments and events. Each part is what REDCap's download
// (or API export) of it holds; Has* says whether an input gave that part at
// all, because "no events file" (leave the project's events alone) differs
// from "an events file with no rows".
type Structure struct {
	Arms         []Arm
	Events       []Event
	Designations []Designation
	Repeating    []RepeatSetting

	HasArms, HasEvents, HasDesignations, HasRepeating bool
	// Files are the structure files read, in order.
	Files []string
}

// Arm is one arm: its number and name (content=arm).
type Arm struct {
	Num  int    `json:"arm_num"`
	Name string `json:"name"`
	Origin
}

// Event is one event (content=event). UniqueName is REDCap's unique event
// name (UniqueEventName derives it); the offsets are "" when absent.
type Event struct {
	Name        string `json:"event_name"`
	ArmNum      int    `json:"arm_num"`
	UniqueName  string `json:"unique_event_name"`
	CustomLabel string `json:"custom_event_label"`
	DayOffset   string `json:"day_offset,omitempty"`
	OffsetMin   string `json:"offset_min,omitempty"`
	OffsetMax   string `json:"offset_max,omitempty"`
	Origin
}

// Designation is one instrument designated for one event
// (content=formEventMapping).
type Designation struct {
	ArmNum int    `json:"arm_num"`
	Event  string `json:"unique_event_name"`
	Form   string `json:"form"`
	Origin
}

// RepeatSetting is one row of content=repeatingFormsEvents: a repeating
// instrument (Form set; Event set too in a longitudinal project) or a
// repeating event (Form empty).
type RepeatSetting struct {
	Event       string `json:"event_name"`
	Form        string `json:"form_name"`
	CustomLabel string `json:"custom_form_label"`
	Origin
}

// Key identifies a designation.
func (d Designation) Key() string { return d.Event + "/" + d.Form }

// Key identifies a repeating setting (its label is the value).
func (r RepeatSetting) Key() string { return r.Event + "/" + r.Form }

// IsEmpty reports whether no structure file was read.
func (s *Structure) IsEmpty() bool {
	return s == nil || !(s.HasArms || s.HasEvents || s.HasDesignations || s.HasRepeating)
}

// Longitudinal reports whether the structure has events: a project with
// events is longitudinal.
func (s *Structure) Longitudinal() bool { return s != nil && len(s.Events) > 0 }

// EventByName returns the event with the given unique name.
func (s *Structure) EventByName(unique string) (Event, bool) {
	if s == nil {
		return Event{}, false
	}
	for _, e := range s.Events {
		if e.UniqueName == unique {
			return e, true
		}
	}
	return Event{}, false
}

// Merge appends o's parts to s's, as stacking does for dictionaries.
func (s *Structure) Merge(o *Structure) {
	s.Arms = append(s.Arms, o.Arms...)
	s.Events = append(s.Events, o.Events...)
	s.Designations = append(s.Designations, o.Designations...)
	s.Repeating = append(s.Repeating, o.Repeating...)
	s.HasArms = s.HasArms || o.HasArms
	s.HasEvents = s.HasEvents || o.HasEvents
	s.HasDesignations = s.HasDesignations || o.HasDesignations
	s.HasRepeating = s.HasRepeating || o.HasRepeating
	s.Files = append(s.Files, o.Files...)
}

// Clone returns a deep copy.
func (s *Structure) Clone() *Structure {
	if s == nil {
		return &Structure{}
	}
	c := *s
	c.Arms = slices.Clone(s.Arms)
	c.Events = slices.Clone(s.Events)
	c.Designations = slices.Clone(s.Designations)
	c.Repeating = slices.Clone(s.Repeating)
	c.Files = slices.Clone(s.Files)
	return &c
}

// maxEventPrefix is how many characters of the cleaned event name REDCap
// keeps in a unique event name before "_arm_N".
const maxEventPrefix = 18

var reEventNameDrop = lazyre.New(`[^0-9a-z_ ]`)

// UniqueEventName derives REDCap's unique event name from an event name
// and its arm: the name lower-cased, every character but letters, digits,
// '_' and space removed, spaces turned into '_', cut to 18 characters,
// trailing '_' removed, then "_arm_N". taken holds the unique names in use:
// a clash gets a letter appended (b, c, ...), as REDCap does.
func UniqueEventName(name string, arm int, taken map[string]bool) string {
	base := reEventNameDrop.ReplaceAllString(strings.ToLower(strings.TrimSpace(name)), "")
	base = strings.ReplaceAll(base, " ", "_")
	if len(base) > maxEventPrefix {
		base = base[:maxEventPrefix]
	}
	base = strings.TrimRight(base, "_")
	if base == "" {
		base = "event"
	}
	u := fmt.Sprintf("%s_arm_%d", base, arm)
	if !taken[u] {
		return u
	}
	for c := 'b'; c <= 'z'; c++ {
		if cand := u + string(c); !taken[cand] {
			return cand
		}
	}
	return u + strconv.Itoa(len(taken))
}

// StructureKind names the kind of a structure file.
type StructureKind string

// The structure file kinds, by what REDCap's downloads are called.
const (
	KindArms         StructureKind = "arms"
	KindEvents       StructureKind = "events"
	KindDesignations StructureKind = "instrument designations"
	KindRepeating    StructureKind = "repeating instruments and events"
)

// structureHeaders are the columns of each kind in REDCap's download order;
// required are the ones a file of that kind must have.
var structureHeaders = map[StructureKind]struct{ columns, required []string }{
	KindArms:         {[]string{"arm_num", "name"}, []string{"arm_num", "name"}},
	KindEvents:       {[]string{"event_name", "arm_num", "unique_event_name", "custom_event_label", "event_id", "day_offset", "offset_min", "offset_max"}, []string{"event_name", "arm_num"}},
	KindDesignations: {[]string{"arm_num", "unique_event_name", "form"}, []string{"arm_num", "unique_event_name", "form"}},
	KindRepeating:    {[]string{"event_name", "form_name", "custom_form_label"}, []string{"form_name", "custom_form_label"}},
}

// StructureKindOf recognises a structure file by the names of its columns
// (a CSV header or a JSON row's keys), as REDCap downloads and the API
// exports them. ok is false for anything else, a dictionary included.
func StructureKindOf(columns []string) (StructureKind, bool) {
	has := map[string]bool{}
	for _, c := range columns {
		has[strings.ToLower(strings.TrimSpace(c))] = true
	}
	if has["field_name"] || has["variable / field name"] {
		return "", false
	}
	// Most specific first: designations and events both have
	// unique_event_name and arm_num.
	for _, k := range []StructureKind{KindDesignations, KindRepeating, KindEvents, KindArms} {
		ok := true
		for _, r := range structureHeaders[k].required {
			if !has[r] {
				ok = false
				break
			}
		}
		if ok {
			return k, true
		}
	}
	return "", false
}

// StructureFileName is the file name `export --all` writes for a kind.
func StructureFileName(k StructureKind) string {
	switch k {
	case KindArms:
		return "arms.csv"
	case KindEvents:
		return "events.csv"
	case KindDesignations:
		return "instrument_designations.csv"
	}
	return "repeating.csv"
}

// DesignationPolicy designates forms for events: Forms (or, when empty,
// the forms given to For that no designation names yet) for each of Events.
type DesignationPolicy struct {
	Events []string
	Forms  []string
	// Source is the file the policy was written in (the pipeline file) and
	// EventLines and FormLines the lines of Events and Forms in it (0 when
	// unknown), for messages.
	Source                string
	EventLines, FormLines []int
}

// PolicyProblem is an entry of a designation policy that names an event or
// a form that does not exist: where it is written, and what to do.
type PolicyProblem struct {
	File    string
	Line    int
	Key     string // e.g. structure.designate.events[1]
	Message string
	Hint    string
}

func (p PolicyProblem) Error() string {
	var b strings.Builder
	if p.File != "" {
		b.WriteString(p.File)
		if p.Line > 0 {
			fmt.Fprintf(&b, ":%d", p.Line)
		}
		b.WriteString(": ")
	}
	fmt.Fprintf(&b, "%s: %s", p.Key, p.Message)
	if p.Hint != "" {
		b.WriteString("; " + p.Hint)
	}
	return b.String()
}

func policyLine(lines []int, i int) int {
	if i < len(lines) {
		return lines[i]
	}
	return 0
}

// UnknownEvents returns a problem for each event of the policy that is not
// among events (by unique name, derived where an event has none); where
// says what the events are ("the events file", "the project's events").
func (p *DesignationPolicy) UnknownEvents(events []Event, where string) []PolicyProblem {
	if p == nil {
		return nil
	}
	known := map[string]bool{}
	taken := map[string]bool{}
	var names []string
	for _, e := range events {
		u := e.UniqueName
		if u == "" {
			u = UniqueEventName(e.Name, e.ArmNum, taken)
		}
		taken[u] = true
		if !known[u] {
			known[u] = true
			names = append(names, Printable(u))
		}
	}
	var out []PolicyProblem
	for i, ev := range p.Events {
		if known[ev] {
			continue
		}
		hint := "the project has no events: make it longitudinal, or remove structure.designate"
		if len(names) > 0 {
			hint = "use a unique event name: " + capList(names, 6, ", ")
		}
		out = append(out, PolicyProblem{File: p.Source, Line: policyLine(p.EventLines, i), Key: fmt.Sprintf("structure.designate.events[%d]", i),
			Message: fmt.Sprintf("event %s is not among %s", excerpt(ev), where), Hint: hint})
	}
	return out
}

// UnknownForms returns a problem for each form of the policy that is not in
// forms.
func (p *DesignationPolicy) UnknownForms(forms map[string]bool) []PolicyProblem {
	if p == nil {
		return nil
	}
	var out []PolicyProblem
	for i, f := range p.Forms {
		if !forms[f] {
			out = append(out, PolicyProblem{File: p.Source, Line: policyLine(p.FormLines, i), Key: fmt.Sprintf("structure.designate.forms[%d]", i),
				Message: fmt.Sprintf("form %s is not in the dictionary", excerpt(f)), Hint: "use a form name (column B of the dictionary), or leave forms out to designate the forms the upload adds"})
		}
	}
	return out
}

// For returns the designations the policy adds for the given forms, less
// those s has already. An event's arm comes from s's events, else from its
// "_arm_N" suffix.
func (p *DesignationPolicy) For(forms []string, s *Structure) []Designation {
	if p == nil {
		return nil
	}
	have := map[string]bool{}
	designated := map[string]bool{}
	if s != nil {
		for _, d := range s.Designations {
			have[d.Key()] = true
			designated[d.Form] = true
		}
	}
	want := p.Forms
	if len(want) == 0 {
		for _, f := range forms {
			if !designated[f] {
				want = append(want, f)
			}
		}
	}
	var out []Designation
	for _, ev := range p.Events {
		arm := ArmOfEvent(ev)
		if e, ok := s.EventByName(ev); ok {
			arm = e.ArmNum
		}
		for _, f := range want {
			d := Designation{ArmNum: arm, Event: ev, Form: f}
			if !have[d.Key()] {
				have[d.Key()] = true
				out = append(out, d)
			}
		}
	}
	return out
}

// ArmOfEvent reads the arm number from a unique event name's "_arm_N"
// suffix (a letter REDCap appends after a clash is allowed); 0 if none.
func ArmOfEvent(unique string) int {
	i := strings.LastIndex(unique, "_arm_")
	if i < 0 {
		return 0
	}
	digits := strings.TrimRight(unique[i+len("_arm_"):], "abcdefghijklmnopqrstuvwxyz")
	n, err := strconv.Atoi(digits)
	if err != nil {
		return 0
	}
	return n
}
