package logic_test

import (
	"errors"
	"fmt"

	"github.com/rcolpipe/rcolpipe/redcap/logic"
)

func ExampleParse() {
	e, err := logic.Parse("[visit_1_arm_1][symptoms(3)] = '1' and foo([age]) > 18")
	if err != nil {
		panic(err)
	}
	for _, r := range e.Refs() {
		fmt.Printf("%s event=%q field=%q code=%q at %d..%d\n", r, r.Event, r.Field, r.Code, r.Pos, r.End)
	}
	for _, f := range e.Functions() {
		fmt.Printf("function %s at %d allowed=%v\n", f.Name, f.Pos, logic.IsFunction(f.Name))
	}
	// Output:
	// [visit_1_arm_1][symptoms(3)] event="visit_1_arm_1" field="symptoms" code="3" at 0..28
	// [age] event="" field="age" code="" at 43..48
	// function foo at 39 allowed=false
}

func ExampleParse_error() {
	_, err := logic.Parse("[age] > 18 and [sex = '1'")
	var se *logic.SyntaxError
	if errors.As(err, &se) {
		fmt.Println(se.Pos, se.Msg)
	}
	// Output:
	// 15 unclosed '[' opened at 15
}

func ExampleRename() {
	out, err := logic.Rename("# keep [age]\n[age] > 18 and [age_2] = '1' and [ev][age][2] <> ''", map[string]string{"age": "age_years"})
	if err != nil {
		panic(err)
	}
	fmt.Println(out)
	// Output:
	// # keep [age]
	// [age_years] > 18 and [age_2] = '1' and [ev][age_years][2] <> ''
}

func ExampleRenameInText() {
	fmt.Println(logic.RenameInText("Is [age:value] right? [see note]", map[string]string{"age": "age_years"}))
	// Output:
	// Is [age_years:value] right? [see note]
}
