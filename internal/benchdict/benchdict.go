// Package benchdict generates the realistic dictionaries the benchmarks of
// pipeline and upload measure, and reads the process's CPU time (from
// getrusage, hence CPUTime on Unix only: cputime_unix.go). Only tests
// import it.
package benchdict

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/rcolpipe/rcolpipe/redcap"
)

// Rows is the size of the generated dictionary the issue asks for.
const Rows = 10000

// Dictionary builds a realistic dictionary of n rows: forms of 50
// fields; text fields with and without validation and min/max, radio,
// dropdown, checkbox with choices, yesno, notes, sliders, descriptive
// fields, calc fields over earlier fields, a matrix group per form, and
// branching logic (plain, checkbox codes, and/or) on about a third of the
// rows. It is deterministic.
func Dictionary(n int) *redcap.Dictionary {
	d := &redcap.Dictionary{Files: []string{"bench.json"}}
	add := func(f redcap.Field) {
		f.Origin = redcap.Origin{File: "bench.json", Line: len(d.Fields) + 1, Row: len(d.Fields) + 1}
		d.Fields = append(d.Fields, f)
	}
	add(redcap.Field{FieldName: "record_id", FormName: "f000", FieldType: "text", FieldLabel: "Record ID"})
	choices := "1, Never | 2, Rarely | 3, Sometimes | 4, Often | 5, Always"
	for i := 1; len(d.Fields) < n; i++ {
		form := fmt.Sprintf("f%03d", (i-1)/50)
		name := fmt.Sprintf("%s_q%05d", form, i)
		prev := func(k int) string {
			// A checkbox is compared by one of its options.
			if j := i - k; j%10 == 5 && j%50 > 1 && (j%50 < 40 || j%50 >= 45) {
				return fmt.Sprintf("%s_q%05d(1)", form, j)
			}
			return fmt.Sprintf("%s_q%05d", form, i-k)
		}
		f := redcap.Field{FieldName: name, FormName: form, FieldLabel: fmt.Sprintf("Question %d: how often did this happen in the <b>last week</b>?", i)}
		pos := i % 50
		switch {
		case pos == 1:
			f.FieldType = "descriptive"
			f.SectionHeader = "Section " + form
			f.FieldLabel = "Please answer every question of this page."
		case pos >= 40 && pos < 45:
			f.FieldType, f.Choices, f.MatrixGroupName = "radio", choices, form+"_grid"
			f.RequiredField = "y"
		case i%10 == 0:
			f.FieldType = "calc"
			f.Choices = fmt.Sprintf("round(([%s] + [%s]) / 2, 1)", prev(1), prev(2))
			if i%20 == 0 {
				// datediff over the nearest earlier date field.
				k := 7
				if p := (i - k) % 50; p >= 40 && p < 45 {
					k = 17
				}
				f.Choices = fmt.Sprintf("if([%s] = '', '', datediff([%s], 'today', 'y'))", prev(k), prev(k))
			}
		case i%10 == 1, i%10 == 2:
			f.FieldType, f.Validation = "text", "integer"
			f.ValidationMin, f.ValidationMax = "0", "120"
			f.FieldNote = "years"
		case i%10 == 3:
			f.FieldType, f.Validation, f.ValidationMin, f.ValidationMax = "text", "date_ymd", "1900-01-01", "today"
			f.FieldAnnotation = "@TODAY"
		case i%10 == 4:
			f.FieldType, f.Choices = "radio", choices
		case i%10 == 5:
			f.FieldType, f.Choices = "checkbox", "1, Pain | 2, Fatigue | 3, Nausea | 98, Other"
		case i%10 == 6:
			f.FieldType, f.Choices = "dropdown", "0, No | 1, Yes, once | 2, Yes, more often | 99, Unknown"
		case i%10 == 7:
			f.FieldType = "yesno"
			f.Identifier = ""
		case i%10 == 8:
			f.FieldType, f.Choices, f.Validation = "slider", "Not at all | Somewhat | Very much", "number"
			f.ValidationMin, f.ValidationMax = "0", "100"
		default:
			f.FieldType = "notes"
			f.FieldAnnotation = "@CHARLIMIT=500"
		}
		if f.FieldType != "descriptive" && pos > 5 && i%3 == 0 {
			switch i % 4 {
			case 0:
				f.BranchingLogic = fmt.Sprintf("[%s] = '1'", prev(2))
			case 1:
				f.BranchingLogic = fmt.Sprintf("[%s] <> '' and [%s] > 17", prev(3), prev(5))
			case 2:
				f.BranchingLogic = fmt.Sprintf("[%s] = '1' or [%s] = '2'", prev(1), prev(4))
			default:
				f.BranchingLogic = fmt.Sprintf("[record_id] <> '' and [%s] != '99'", prev(2))
			}
		}
		add(f)
	}
	return d
}

// Generated writes a generated dictionary of n rows as JSON and reads
// it back, as a user's file would be.
func Generated(tb testing.TB, n int) ([]byte, *redcap.Dictionary) {
	tb.Helper()
	return writtenAndRead(tb, Dictionary(n))
}

// writtenAndRead writes d as JSON and reads it back.
func writtenAndRead(tb testing.TB, d *redcap.Dictionary) ([]byte, *redcap.Dictionary) {
	tb.Helper()
	n := d.Len()
	var b bytes.Buffer
	if err := redcap.WriteJSON(&b, d); err != nil {
		tb.Fatal(err)
	}
	data := b.Bytes()
	read, ds := redcap.ReadBytes("bench.json", data)
	if ds.HasErrors() || read.Len() != n {
		tb.Fatalf("generated dictionary: %d rows, reader findings %v", read.Len(), ds)
	}
	return data, read
}

// UnknownReferences builds a dictionary of n rows in one form whose every
// row but the first has branching logic that names a field that does not
// exist (RC412 on each, and a typo search for each): the shape that took
// 0.6/2.0/7.0 s for 5k/10k/20k rows while the typo searches were quadratic.
func UnknownReferences(n int) *redcap.Dictionary {
	d := &redcap.Dictionary{Files: []string{"unknown.json"}}
	for i := range n {
		f := redcap.Field{FieldName: fmt.Sprintf("q%06d", i), FormName: "f", FieldType: "text", FieldLabel: fmt.Sprintf("Question %d", i)}
		if i == 0 {
			f.FieldName = "record_id"
		} else {
			f.BranchingLogic = fmt.Sprintf("[missing_%06d] = '1'", i)
		}
		f.Origin = redcap.Origin{File: "unknown.json", Line: i + 2, Row: i + 1}
		d.Fields = append(d.Fields, f)
	}
	return d
}

// Messy builds a large dictionary with findings on most rows, the shape of
// a 28 MB file of 114k fields that took minutes: the realistic rows of
// Dictionary(n), with every third name too long, every fifth calc
// equation and every seventh branching logic naming fields that do not
// exist, and every eleventh row a copy of an earlier name.
func Messy(n int) *redcap.Dictionary {
	d := Dictionary(n)
	for i := 1; i < len(d.Fields); i++ {
		f := &d.Fields[i]
		if i%3 == 0 {
			f.FieldName += "_with_a_rather_long_suffix"
		}
		if i%5 == 0 && f.FieldType == "calc" {
			f.Choices = fmt.Sprintf("[gone_%06d] + 1", i)
		}
		if i%7 == 0 && f.FieldType != "descriptive" {
			f.BranchingLogic = fmt.Sprintf("[absent_%06d] = '1'", i)
		}
		if i%11 == 0 {
			f.FieldName = d.Fields[i-1].FieldName
		}
	}
	return d
}
