package redcap

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
)

// WriteStructureCSV writes one part of a structure as REDCap's download of
// it: arms as arm_num,name; events as event_name,arm_num,unique_event_name,
// custom_event_label (and day_offset,offset_min,offset_max when an event
// has one); designations as arm_num,unique_event_name,form; repeating
// instruments and events as event_name,form_name,custom_form_label. LF line
// ends, cells quoted only where needed.
func WriteStructureCSV(w io.Writer, kind StructureKind, s *Structure) error {
	var rows [][]string
	switch kind {
	case KindArms:
		rows = append(rows, []string{"arm_num", "name"})
		for _, a := range s.Arms {
			rows = append(rows, []string{strconv.Itoa(a.Num), a.Name})
		}
	case KindEvents:
		offsets := false
		for _, e := range s.Events {
			if e.DayOffset != "" || e.OffsetMin != "" || e.OffsetMax != "" {
				offsets = true
			}
		}
		h := []string{"event_name", "arm_num", "unique_event_name", "custom_event_label"}
		if offsets {
			h = append(h, "day_offset", "offset_min", "offset_max")
		}
		rows = append(rows, h)
		for _, e := range s.Events {
			r := []string{e.Name, strconv.Itoa(e.ArmNum), e.UniqueName, e.CustomLabel}
			if offsets {
				r = append(r, e.DayOffset, e.OffsetMin, e.OffsetMax)
			}
			rows = append(rows, r)
		}
	case KindDesignations:
		rows = append(rows, []string{"arm_num", "unique_event_name", "form"})
		for _, d := range s.Designations {
			rows = append(rows, []string{strconv.Itoa(d.ArmNum), d.Event, d.Form})
		}
	case KindRepeating:
		rows = append(rows, []string{"event_name", "form_name", "custom_form_label"})
		for _, r := range s.Repeating {
			rows = append(rows, []string{r.Event, r.Form, r.CustomLabel})
		}
	default:
		return fmt.Errorf("write structure: unknown kind %q", kind)
	}
	cw := csv.NewWriter(w)
	if err := cw.WriteAll(rows); err != nil {
		return fmt.Errorf("write %s CSV: %w", kind, err)
	}
	return nil
}
