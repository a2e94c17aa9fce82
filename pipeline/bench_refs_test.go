//go:build unix

package pipeline

import (
	"testing"

	"github.com/rcolpipe/rcolpipe/internal/benchdict"
	"github.com/rcolpipe/rcolpipe/pipeline/rules"
	"github.com/rcolpipe/rcolpipe/redcap"
)

// TestBenchRefsDictionaryIsClean: the dictionary with references in every
// column is clean too, so its benchmarks measure checking, not reporting.
func TestBenchRefsDictionaryIsClean(t *testing.T) {
	_, d := benchdict.GeneratedWithReferences(t, 2000)
	v, err := NewValidator(ValidateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	ds := v.Validate(d)
	if ds.HasErrors() || ds.Count(redcap.SeverityWarning) > 0 {
		n := min(len(ds), 5)
		t.Fatalf("%d findings on the generated dictionary, e.g. %v", len(ds), ds[:n])
	}
}

// BenchmarkReadRefs reads the 10,000-row dictionary with references in
// every column.
func BenchmarkReadRefs(b *testing.B) {
	data, _ := benchdict.GeneratedWithReferences(b, benchRows)
	b.SetBytes(int64(len(data)))
	loop(b, func() { redcap.ReadBytes("bench.json", data) })
}

// BenchmarkReadValidateRefs reads it and runs the whole validate stage.
// Compare with BenchmarkReadRefs of the same run: at most 3x.
func BenchmarkReadValidateRefs(b *testing.B) {
	data, _ := benchdict.GeneratedWithReferences(b, benchRows)
	v, err := NewValidator(ValidateOptions{})
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	loop(b, func() {
		d, _ := redcap.ReadBytes("bench.json", data)
		v.Validate(d)
	})
}

// BenchmarkValidateRulesOnlyRefs is the Go rules part of the stage on it.
func BenchmarkValidateRulesOnlyRefs(b *testing.B) {
	_, d := benchdict.GeneratedWithReferences(b, benchRows)
	loop(b, func() { rules.Check(d, rules.Config{}) })
}
