package rules

import (
	"bytes"
	"fmt"
	"testing"
	"time"

	"github.com/rcolpipe/rcolpipe/redcap"
)

// generated returns a correct dictionary of n rows that exercises every rule
// family: 100 forms, choices, logic that refers back, calcs, dates with
// bounds, matrix groups, action tags.
func generated(n int) *redcap.Dictionary {
	d := &redcap.Dictionary{Files: []string{"gen.csv"}}
	add := func(f redcap.Field) {
		f.Origin = redcap.Origin{File: "gen.csv", Line: len(d.Fields) + 2, Row: len(d.Fields) + 1}
		d.Fields = append(d.Fields, f)
	}
	add(redcap.Field{FieldName: "record_id", FormName: "form_0", FieldType: "text", FieldLabel: "Record ID"})
	for i := 1; len(d.Fields) < n; i++ {
		form := fmt.Sprintf("form_%d", i*100/n)
		name := fmt.Sprintf("f%d", i)
		prev := d.Fields[len(d.Fields)-1].FieldName
		f := redcap.Field{FieldName: name, FormName: form, FieldLabel: "Question " + name}
		switch i % 8 {
		case 0:
			f.FieldType, f.Choices = "radio", "1, Yes | 0, No | 9, Unknown"
			f.MatrixGroupName = fmt.Sprintf("m%d", i/16)
		case 1:
			f.FieldType, f.Validation, f.ValidationMin, f.ValidationMax = "text", "integer", "0", "120"
			f.BranchingLogic = fmt.Sprintf("[%s] = '1' and [record_id] <> ''", prev)
		case 2:
			f.FieldType, f.Choices = "checkbox", "1, A | 2, B | 3, C | 4, D"
			f.FieldAnnotation = "@HIDECHOICE='4' @READONLY"
		case 3:
			f.FieldType, f.Choices = "calc", fmt.Sprintf("round(datediff([record_id], 'today', 'y') + [%s], 1)", prev)
		case 4:
			f.FieldType, f.Validation, f.ValidationMin, f.ValidationMax = "text", "date_dmy", "1900-01-01", "today"
			f.FieldNote = "D-M-Y"
		case 5:
			f.FieldType, f.Choices = "dropdown", "1, One | 2, Two | 3, Three"
			f.RequiredField, f.Identifier = "y", "y"
		case 6:
			f.FieldType, f.SectionHeader = "descriptive", "<b>Part</b>"
		case 7:
			f.FieldType, f.CustomAlignment = "yesno", "LH"
			f.BranchingLogic = fmt.Sprintf("[f%d(2)] = '1' or [%s] = ''", i-5, prev)
		}
		add(f)
	}
	return d
}

func TestGeneratedIsClean(t *testing.T) {
	if ds := Check(generated(2000), Config{}); ds.HasErrors() || ds.Count(redcap.SeverityWarning) > 0 {
		t.Fatalf("generated dictionary has findings:\n%s", dump(ds[:min(len(ds), 20)]))
	}
}

// BenchmarkRead10k and BenchmarkCheck10k run in the same `go test -bench`
// so the cost of Check is read as a ratio to reading the same rows as CSV.
func BenchmarkRead10k(b *testing.B) {
	var buf bytes.Buffer
	if err := redcap.WriteCSV(&buf, generated(10000), redcap.HeaderDownload); err != nil {
		b.Fatal(err)
	}
	data := buf.Bytes()
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	for b.Loop() {
		d, ds := redcap.ReadBytes("gen.csv", data)
		if ds.HasErrors() || d.Len() != 10000 {
			b.Fatalf("read: %d rows, %v", d.Len(), ds)
		}
	}
}

func BenchmarkCheck10k(b *testing.B) {
	d := generated(10000)
	b.ResetTimer()
	for b.Loop() {
		if ds := Check(d, Config{}); ds.HasErrors() {
			b.Fatal(ds[0])
		}
	}
}

// BenchmarkCheckVsRead alternates reading the 10,000-row CSV and checking the
// dictionary in every iteration, so both see the same machine load, and
// reports their ratio (check-ns / read-ns) as a metric.
func BenchmarkCheckVsRead(b *testing.B) {
	var buf bytes.Buffer
	if err := redcap.WriteCSV(&buf, generated(10000), redcap.HeaderDownload); err != nil {
		b.Fatal(err)
	}
	data := buf.Bytes()
	var read, check time.Duration
	for b.Loop() {
		t0 := time.Now()
		d, lds := redcap.ReadBytes("gen.csv", data)
		t1 := time.Now()
		ds := Check(d, Config{})
		t2 := time.Now()
		if lds.HasErrors() || ds.HasErrors() || d.Len() != 10000 {
			b.Fatalf("read %d rows: %v %v", d.Len(), lds, ds)
		}
		read += t1.Sub(t0)
		check += t2.Sub(t1)
	}
	b.ReportMetric(float64(read.Nanoseconds())/float64(b.N), "read-ns/op")
	b.ReportMetric(float64(check.Nanoseconds())/float64(b.N), "check-ns/op")
	b.ReportMetric(float64(check)/float64(read), "check/read")
}

// TestParallelLogicSameFindings checks that the concurrent logic pass finds
// exactly what the sequential one does, in the same order.
func TestParallelLogicSameFindings(t *testing.T) {
	d := generated(3 * parallelLogicRows)
	for i := 7; i < len(d.Fields); i += 97 {
		d.Fields[i].BranchingLogic = fmt.Sprintf("[nope_%d] = '1' or (", i)
		if i%2 == 0 {
			d.Fields[i].BranchingLogic = fmt.Sprintf("[missing_%d] = '1'", i)
		}
	}
	par := newChecker(d, Config{})
	par.logic()
	seq := newChecker(d, Config{})
	seq.logicRows(0, len(d.Fields))
	if len(par.out) == 0 || len(par.out) != len(seq.out) {
		t.Fatalf("parallel %d findings, sequential %d", len(par.out), len(seq.out))
	}
	for i := range par.out {
		if par.out[i] != seq.out[i] {
			t.Fatalf("finding %d differs:\n%v\n%v", i, par.out[i].d, seq.out[i].d)
		}
	}
}
