package redcap

import (
	"bytes"
	"fmt"
	"testing"
)

// benchDictionary generates a dictionary of n rows spread over forms of 50
// fields, with the kinds of cells real dictionaries have: HTML labels,
// choices, branching logic, annotations, a multi-line label now and then.
func benchDictionary(n int) *Dictionary {
	d := &Dictionary{Files: []string{"bench"}}
	for i := 0; i < n; i++ {
		f := Field{
			FieldName:  fmt.Sprintf("field_%05d", i),
			FormName:   fmt.Sprintf("form_%03d", i/50),
			FieldType:  "radio",
			FieldLabel: fmt.Sprintf("<b>Question %d</b>, how often in the last two weeks?", i),
			Choices:    "0, Not at all | 1, Several days | 2, More than half the days | 3, Nearly every day",
		}
		switch i % 5 {
		case 0:
			f.FieldType = "text"
			f.Choices = ""
			f.Validation = "integer"
			f.ValidationMin = "0"
			f.ValidationMax = "120"
		case 1:
			f.BranchingLogic = fmt.Sprintf("[field_%05d] = '1'", i-1)
		case 2:
			f.FieldAnnotation = "@HIDDEN-SURVEY @DEFAULT='0'"
		case 3:
			f.FieldLabel = "Line one\nLine two; with \"quotes\""
		}
		if i == 0 {
			f.FieldName, f.FieldType, f.Choices = "record_id", "text", ""
		}
		d.Fields = append(d.Fields, f)
	}
	return d
}

func benchRead(b *testing.B, data []byte, rows int) {
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		d, diags := ReadBytes("bench", data)
		if diags.HasErrors() || d.Len() != rows {
			b.Fatalf("read %d rows, diagnostics %v", d.Len(), diags)
		}
	}
	b.ReportMetric(float64(rows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}

const benchRows = 10000

func BenchmarkReadCSV10k(b *testing.B) {
	var buf bytes.Buffer
	if err := WriteCSV(&buf, benchDictionary(benchRows), HeaderDownload); err != nil {
		b.Fatal(err)
	}
	benchRead(b, buf.Bytes(), benchRows)
}

func BenchmarkReadJSON10k(b *testing.B) {
	var buf bytes.Buffer
	if err := WriteJSON(&buf, benchDictionary(benchRows)); err != nil {
		b.Fatal(err)
	}
	benchRead(b, buf.Bytes(), benchRows)
}

func BenchmarkWriteJSON10k(b *testing.B) {
	d := benchDictionary(benchRows)
	b.ReportAllocs()
	for b.Loop() {
		var buf bytes.Buffer
		if err := WriteJSON(&buf, d); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(benchRows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}

func BenchmarkWriteCSV10k(b *testing.B) {
	d := benchDictionary(benchRows)
	b.ReportAllocs()
	for b.Loop() {
		var buf bytes.Buffer
		if err := WriteCSV(&buf, d, HeaderAPI); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(benchRows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}
