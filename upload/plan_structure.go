package upload

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/rcolpipe/rcolpipe/redcap"
)

// PlanStructure is the longitudinal structure a plan brings the project
// to: every arm, event, designation and repeating setting the project is
// to have, as REDCap's API JSON. Applying the plan works out the changes
// from the project's structure to this one again; the fingerprint ties the
// plan to the structure it was made against, so they are the changes that
// were reviewed.
type PlanStructure struct {
	// Changes are the structure changes, for reading (as diff shows them).
	Changes      []string          `json:"changes"`
	Arms         []planArm         `json:"arms"`
	Events       []planEvent       `json:"events"`
	Designations []planDesignation `json:"instrument_designations"`
	Repeating    []planRepeat      `json:"repeating"`
}

// The rows of a plan's structure: redcap's types without their origins.
type (
	planArm struct {
		Num  int    `json:"arm_num"`
		Name string `json:"name"`
	}
	planEvent struct {
		Name        string `json:"event_name"`
		ArmNum      int    `json:"arm_num"`
		UniqueName  string `json:"unique_event_name"`
		CustomLabel string `json:"custom_event_label"`
		DayOffset   string `json:"day_offset,omitempty"`
		OffsetMin   string `json:"offset_min,omitempty"`
		OffsetMax   string `json:"offset_max,omitempty"`
	}
	planDesignation struct {
		ArmNum int    `json:"arm_num"`
		Event  string `json:"unique_event_name"`
		Form   string `json:"form"`
	}
	planRepeat struct {
		Event       string `json:"event_name"`
		Form        string `json:"form_name"`
		CustomLabel string `json:"custom_form_label"`
	}
)

// newPlanStructure records s (the structure wanted, or the project's for a
// fingerprint). Lists are never nil, so that an empty list reads back as
// "none" rather than as missing.
func newPlanStructure(s *redcap.Structure, changes []string) *PlanStructure {
	p := &PlanStructure{Changes: changes, Arms: []planArm{}, Events: []planEvent{}, Designations: []planDesignation{}, Repeating: []planRepeat{}}
	if p.Changes == nil {
		p.Changes = []string{}
	}
	for _, a := range s.Arms {
		p.Arms = append(p.Arms, planArm{a.Num, a.Name})
	}
	for _, e := range s.Events {
		p.Events = append(p.Events, planEvent{e.Name, e.ArmNum, e.UniqueName, e.CustomLabel, e.DayOffset, e.OffsetMin, e.OffsetMax})
	}
	for _, d := range s.Designations {
		p.Designations = append(p.Designations, planDesignation{d.ArmNum, d.Event, d.Form})
	}
	for _, r := range s.Repeating {
		p.Repeating = append(p.Repeating, planRepeat{r.Event, r.Form, r.CustomLabel})
	}
	return p
}

// structure is the structure to bring the project to, every part given:
// applied with ReplaceAll, what it leaves out of the project's structure
// goes (as it went in the plan's changes).
func (p *PlanStructure) structure() *redcap.Structure {
	s := &redcap.Structure{HasArms: true, HasEvents: true, HasDesignations: true, HasRepeating: true}
	for _, a := range p.Arms {
		s.Arms = append(s.Arms, redcap.Arm{Num: a.Num, Name: a.Name})
	}
	for _, e := range p.Events {
		s.Events = append(s.Events, redcap.Event{Name: e.Name, ArmNum: e.ArmNum, UniqueName: e.UniqueName, CustomLabel: e.CustomLabel,
			DayOffset: e.DayOffset, OffsetMin: e.OffsetMin, OffsetMax: e.OffsetMax})
	}
	for _, d := range p.Designations {
		s.Designations = append(s.Designations, redcap.Designation{ArmNum: d.ArmNum, Event: d.Event, Form: d.Form})
	}
	for _, r := range p.Repeating {
		s.Repeating = append(s.Repeating, redcap.RepeatSetting{Event: r.Event, Form: r.Form, CustomLabel: r.CustomLabel})
	}
	return s
}

// check refuses a structure a plan file cannot have come from diff: rows
// without their keys, names given twice. (The file is untrusted input.)
func (p *PlanStructure) check() error {
	if p.Arms == nil || p.Events == nil || p.Designations == nil || p.Repeating == nil {
		return fmt.Errorf("its structure lacks arms, events, instrument_designations or repeating")
	}
	arms := map[int]bool{}
	for _, a := range p.Arms {
		if a.Num <= 0 || arms[a.Num] {
			return fmt.Errorf("its structure has arm number %d (not positive, or given twice)", a.Num)
		}
		arms[a.Num] = true
	}
	events := map[string]int{}
	for _, e := range p.Events {
		if e.UniqueName == "" || e.Name == "" || !arms[e.ArmNum] {
			return fmt.Errorf("its structure has an event without a name, a unique name or one of its arms (%s)", redcap.Printable(e.UniqueName))
		}
		if _, dup := events[e.UniqueName]; dup {
			return fmt.Errorf("its structure has event %s twice", redcap.Printable(e.UniqueName))
		}
		events[e.UniqueName] = e.ArmNum
	}
	for _, d := range p.Designations {
		if arm, ok := events[d.Event]; !ok || arm != d.ArmNum || d.Form == "" {
			return fmt.Errorf("its structure designates form %s for event %s of arm %d, which it does not have", redcap.Printable(d.Form), redcap.Printable(d.Event), d.ArmNum)
		}
	}
	return nil
}

// writeStructureFingerprint adds the project's structure to a fingerprint.
func writeStructureFingerprint(w io.Writer, s *redcap.Structure) error {
	if _, err := io.WriteString(w, "structure\n"); err != nil {
		return err
	}
	rows := newPlanStructure(s, nil)
	rows.Changes = nil
	return json.NewEncoder(w).Encode(rows)
}
