package prefix

import (
	"bytes"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/rcolpipe/rcolpipe/redcap"
)

// benchDict has n rows in forms of 100, each referring to the row before
// in its branching logic, label piping and annotation.
func benchDict(n int) *redcap.Dictionary {
	d := &redcap.Dictionary{}
	for i := 0; i < n; i++ {
		prev := fmt.Sprintf("f%05d", max(i-1, 0))
		d.Fields = append(d.Fields, redcap.Field{
			FieldName: fmt.Sprintf("f%05d", i), FormName: fmt.Sprintf("form%03d", i/100), FieldType: "radio",
			FieldLabel: "Same as [" + prev + ":label]?", Choices: "1, Yes | 0, No",
			BranchingLogic: "[" + prev + "] = '1' or [" + prev + "] = '0'", FieldAnnotation: "@DEFAULT='[" + prev + "]'",
		})
	}
	return d
}

// BenchmarkPrefix10k renames every field of a 10,000-row dictionary; the
// baseline is one JSON encode+decode of the same rows (what any stage costs
// at least to pass the dictionary along as JSON):
//
//	go test -run '^$' -bench 'Prefix10k|JSONRoundTrip10k' ./plugins/prefix
func BenchmarkPrefix10k(b *testing.B) {
	d := benchDict(10000)
	cfg := Config{Prefix: "p_"}
	b.ResetTimer()
	for b.Loop() {
		if _, diags := Run(d, cfg); diags.HasErrors() {
			b.Fatal(diags)
		}
	}
}

func BenchmarkJSONRoundTrip10k(b *testing.B) {
	d := benchDict(10000)
	b.ResetTimer()
	for b.Loop() {
		var buf bytes.Buffer
		if err := json.NewEncoder(&buf).Encode(d.Fields); err != nil {
			b.Fatal(err)
		}
		var rows []redcap.Field
		if err := json.Unmarshal(buf.Bytes(), &rows); err != nil {
			b.Fatal(err)
		}
	}
}
