package rules

import (
	"fmt"
	"runtime"
	"strings"
	"testing"

	"github.com/rcolpipe/rcolpipe/redcap"
)

// TestLogicFindingsIndependentOfCores: the typo hints ("did you mean") have
// a budget; the findings must not depend on how many cores check the logic.
func TestLogicFindingsIndependentOfCores(t *testing.T) {
	d := &redcap.Dictionary{Files: []string{"t.csv"}}
	d.Fields = append(d.Fields, redcap.Field{FieldName: "record_id", FormName: "f", FieldType: "text", FieldLabel: "ID"})
	for i := 1; i < 3*parallelLogicRows; i++ {
		d.Fields = append(d.Fields, redcap.Field{
			FieldName: fmt.Sprintf("q%d", i), FormName: "f", FieldType: "text", FieldLabel: "Q",
			BranchingLogic: fmt.Sprintf("[q%dx] = '1'", i), // a typo of the field itself
			Origin:         redcap.Origin{File: "t.csv", Line: i + 2, Row: i + 1},
		})
	}
	render := func(procs int) (string, int) {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
		var b strings.Builder
		hints := 0
		for _, x := range Check(d, Config{}) {
			fmt.Fprintln(&b, x.String(), x.Hint)
			if strings.Contains(x.Hint, "Did you mean") || strings.Contains(x.Message, "did you mean") {
				hints++
			}
		}
		return b.String(), hints
	}
	one, hints := render(1)
	four, _ := render(4)
	if one != four {
		t.Fatalf("the findings differ between 1 and 4 cores (%d vs %d bytes)", len(one), len(four))
	}
	if hints == 0 {
		t.Fatal("no typo hints: the test no longer exercises the budget")
	}
	t.Logf("%d rows, %d typo hints, same on 1 and 4 cores", len(d.Fields), hints)
}
