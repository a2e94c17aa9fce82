package redcap

import (
	"bytes"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

// FuzzReadStructure reads the input as an input file (a structure file
// when its header names one of REDCap's structure downloads, CSV or API
// JSON). It must not panic; its diagnostics are few, short and free of
// control characters; and what it read without an error, written back as
// REDCap's download and read again, is the same structure.
func FuzzReadStructure(f *testing.F) {
	for _, s := range []string{
		"arm_num,name\n1,Drug\n2,\"Placebo, matched\"\n",
		"event_name,arm_num,unique_event_name,custom_event_label\nBaseline,1,baseline_arm_1,Day 0\nWeek 4,1,,\n",
		"event_name;arm_num;unique_event_name;custom_event_label;event_id;day_offset;offset_min;offset_max\r\nBaseline;1;baseline_arm_1;;41;0;0;2\r\n",
		"arm_num\tunique_event_name\tform\n1\tbaseline_arm_1\tenrolment\n",
		"event_name,form_name,custom_form_label\nweek_4_arm_1,adverse_events,[ae_term]\nweek_12_arm_1,,\n",
		"event_name,form_name,custom_form_label\n",
		`[{"arm_num":1,"name":"Drug"},{"arm_num":"x","name":null}]`,
		`[{"event_name":"Baseline","arm_num":"1","unique_event_name":"baseline_arm_1","custom_event_label":"","event_id":41}]`,
		`[{"arm_num":"1","unique_event_name":"baseline_arm_1","form":"enrolment"}]`,
		`[{"event_name":"","form_name":"ae","custom_form_label":"[x]","more":{"a":[1]}}]`,
		"arm_num,name\n0,A\n-1,B\n1,C,extra\n\"1\n",
		"\uFEFFarm_num,name\n1,\x1b[31mred\n",
		"date,author\n1,2\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		st := &Structure{}
		_, ds := st.readInput("fuzz", data)
		if len(ds) > 2*MaxRows {
			t.Fatalf("%d diagnostics", len(ds))
		}
		for _, dg := range ds {
			if len(dg.Message) > 2000 || len(dg.Hint) > 500 {
				t.Fatalf("long diagnostic (%d, %d bytes): %s", len(dg.Message), len(dg.Hint), dg)
			}
			for _, s := range []string{dg.Message, dg.Hint} {
				if i := strings.IndexFunc(s, func(r rune) bool { return r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) }); i >= 0 {
					t.Fatalf("diagnostic holds control character %q: %q", s[i], s)
				}
			}
		}
		if ds.HasErrors() || st.IsEmpty() {
			return
		}
		for _, k := range []StructureKind{KindArms, KindEvents, KindDesignations, KindRepeating} {
			if !hasKind(st, k) {
				continue
			}
			var b bytes.Buffer
			if err := WriteStructureCSV(&b, k, st); err != nil {
				t.Fatal(err)
			}
			back := &Structure{}
			_, bds := back.readInput("back.csv", b.Bytes())
			if bds.HasErrors() {
				t.Fatalf("%s: reading what the writer wrote: %v\n%q", k, bds, b.String())
			}
			if got, want := structureRows(back, k), structureRows(st, k); !reflect.DeepEqual(got, want) {
				t.Fatalf("%s changed in the round trip:\n got %q\nwant %q\nwritten %q", k, got, want, b.String())
			}
		}
	})
}

func hasKind(s *Structure, k StructureKind) bool {
	switch k {
	case KindArms:
		return s.HasArms
	case KindEvents:
		return s.HasEvents
	case KindDesignations:
		return s.HasDesignations
	}
	return s.HasRepeating
}

// structureRows is one part of s without the origins, as text.
func structureRows(s *Structure, k StructureKind) []string {
	var out []string
	switch k {
	case KindArms:
		for _, a := range s.Arms {
			out = append(out, fmt.Sprintf("%d|%s", a.Num, a.Name))
		}
	case KindEvents:
		for _, e := range s.Events {
			out = append(out, strings.Join([]string{e.Name, strconv.Itoa(e.ArmNum), e.UniqueName, e.CustomLabel, e.DayOffset, e.OffsetMin, e.OffsetMax}, "|"))
		}
	case KindDesignations:
		for _, d := range s.Designations {
			out = append(out, strings.Join([]string{strconv.Itoa(d.ArmNum), d.Event, d.Form}, "|"))
		}
	default:
		for _, r := range s.Repeating {
			out = append(out, strings.Join([]string{r.Event, r.Form, r.CustomLabel}, "|"))
		}
	}
	return out
}
