package redcap

import (
	"fmt"
	"strings"
	"testing"
)

// Hostile structure files (issue 11): the limits of limits.go hold for
// arms, events, designations and repeating files as for dictionaries, and
// what a file says reaches a message only escaped.

// readStructureInput reads data as an input file, as a folder would.
func readStructureInput(name string, data []byte) (*Structure, Diagnostics) {
	st := &Structure{}
	_, ds := st.readInput(name, data)
	return st, ds
}

func TestReadStructureRefusesTooManyRows(t *testing.T) {
	var b strings.Builder
	b.WriteString("arm_num,unique_event_name,form\n")
	for i := 0; i <= MaxRows; i++ {
		fmt.Fprintf(&b, "1,e%d_arm_1,f\n", i)
	}
	st, ds := readStructureInput("designations.csv", []byte(b.String()))
	dg := diagWith(t, ds, CodeTooLarge)
	if len(st.Designations) != 0 || st.HasDesignations || !strings.Contains(dg.Message, "more than 100000 rows") || dg.Line != MaxRows+2 {
		t.Errorf("csv: %d designations (has %v), %s", len(st.Designations), st.HasDesignations, dg)
	}

	b.Reset()
	b.WriteString("[")
	for i := 0; i <= MaxRows; i++ {
		fmt.Fprintf(&b, `{"arm_num":"1","name":"A%d"},`, i)
	}
	js := strings.TrimSuffix(b.String(), ",") + "]"
	st, ds = readStructureInput("arms.json", []byte(js))
	dg = diagWith(t, ds, CodeTooLarge)
	if len(st.Arms) != 0 || st.HasArms || !strings.Contains(dg.Message, "more than 100000 rows") {
		t.Errorf("json: %d arms, %s", len(st.Arms), dg)
	}
}

func TestReadStructureRefusesHugeCell(t *testing.T) {
	big := strings.Repeat("x", MaxCellBytes+1)
	for _, tc := range []struct{ name, data string }{
		{"events.csv", "event_name,arm_num,unique_event_name,custom_event_label\nBaseline,1,baseline_arm_1," + big + "\n"},
		{"events.json", `[{"event_name":"Baseline","arm_num":"1","custom_event_label":"` + big + `"}]`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st, ds := readStructureInput(tc.name, []byte(tc.data))
			dg := diagWith(t, ds, CodeTooLarge)
			if len(st.Events) != 0 || !strings.Contains(dg.Message, "1 MiB") || dg.Line != 2 && dg.Line != 1 {
				t.Errorf("%d events, %s", len(st.Events), dg)
			}
		})
	}
	// A cell of exactly the limit is read.
	st, ds := readStructureInput("arms.csv", []byte("arm_num,name\n1,"+big[1:]+"\n"))
	if len(st.Arms) != 1 || ds.HasErrors() {
		t.Errorf("cell at the limit: %d arms\n%s", len(st.Arms), diagText(ds))
	}
}

func TestReadStructureEscapesControlCharacters(t *testing.T) {
	for _, tc := range []struct{ name, data string }{
		{"arm_num", "arm_num,name\n\x1b[2J1,Arm\n"},
		{"arm_num json", `[{"arm_num":"\u001b[31m1","name":"A"}]`},
		{"json key", `[{"arm_num":"1","name":"A","\u001b[2Jx":{"a":1}}]`},
		{"not a structure file", "\x1b[2Jdate,\x1b]0;title\x07author\n1,2\n"},
		{"bad json", "[{\"arm_num\":\"1\",\"name\":\"A\"}, \x1b]"},
		{"row too long", "arm_num,name\n1,A,\x1b[31m\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, ds := readStructureInput("in", []byte(tc.data))
			if len(ds) == 0 {
				t.Fatal("no diagnostics")
			}
			checkNoSecret(t, ds)
			for _, d := range ds {
				if strings.ContainsAny(d.String(), "\x07\x1b") {
					t.Errorf("raw control character: %q", d.String())
				}
			}
		})
	}
}
