package api_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/rcolpipe/rcolpipe/redcap"
	"github.com/rcolpipe/rcolpipe/redcap/api"
	"github.com/rcolpipe/rcolpipe/redcap/sandbox"
)

// benchDict returns a dictionary of n fields in forms of 50: text,
// radio and calc fields with branching logic, like real instruments.
func benchDict(n int) *redcap.Dictionary {
	d := &redcap.Dictionary{Fields: make([]redcap.Field, 0, n)}
	d.Fields = append(d.Fields, redcap.Field{FieldName: "record_id", FormName: "form_0", FieldType: "text", FieldLabel: "Record ID"})
	name := func(i int) string {
		if i == 0 {
			return "record_id"
		}
		return fmt.Sprintf("q%d", i)
	}
	for i := 1; i < n; i++ {
		f := redcap.Field{
			FieldName:  name(i),
			FormName:   fmt.Sprintf("form_%d", i/50),
			FieldLabel: fmt.Sprintf("Question %d: how often in the last <b>two weeks</b>?", i),
		}
		switch i % 3 {
		case 0:
			f.FieldType, f.Validation, f.ValidationMin, f.ValidationMax = "text", "integer", "0", "100"
		case 1:
			f.FieldType, f.Choices = "radio", "0, Never | 1, Sometimes | 2, Often | 3, Always"
			f.BranchingLogic = "[" + name(i-1) + "] <> ''"
		default:
			f.FieldType, f.Choices = "calc", "["+name(i-1)+"] * 2"
		}
		d.Fields = append(d.Fields, f)
	}
	return d
}

// BenchmarkSandboxImportExport measures the client's import (with REDCap's
// checks in the sandbox) and export of 1,000 and 10,000 fields over HTTP on
// loopback. Compare sizes within one run.
func BenchmarkSandboxImportExport(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		d := benchDict(n)
		state, tokens := sandbox.Demo()
		url, stop, err := sandbox.Start(context.Background(), sandbox.New(state))
		if err != nil {
			b.Fatal(err)
		}
		var secret string
		for _, t := range tokens {
			if t.Name == sandbox.DemoFull {
				secret = t.Token
			}
		}
		tok, err := api.NewToken(secret, "bench", "")
		if err != nil {
			b.Fatal(err)
		}
		c, err := api.New(url, tok)
		if err != nil {
			b.Fatal(err)
		}
		ctx := context.Background()
		// The export and compare benchmarks need the dictionary in place
		// even when run alone.
		if _, err := c.ImportMetadata(ctx, d); err != nil {
			b.Fatal(err)
		}
		b.Run(fmt.Sprintf("import/%d", n), func(b *testing.B) {
			for b.Loop() {
				if got, err := c.ImportMetadata(ctx, d); err != nil || got != n {
					b.Fatalf("import: %d, %v", got, err)
				}
			}
		})
		b.Run(fmt.Sprintf("export/%d", n), func(b *testing.B) {
			for b.Loop() {
				if got, err := c.ExportMetadata(ctx); err != nil || got.Len() != n {
					b.Fatalf("export: %v", err)
				}
			}
		})
		got, err := c.ExportMetadata(ctx)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(fmt.Sprintf("compare/%d", n), func(b *testing.B) {
			for b.Loop() {
				if ok, diff := api.MatchesExport(d, got); !ok {
					b.Fatal(diff)
				}
			}
		})
		stop()
	}
}

// BenchmarkMarshalDictionary measures building the import payload alone.
func BenchmarkMarshalDictionary(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		d := benchDict(n)
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			for b.Loop() {
				if _, err := api.MarshalDictionary(d); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
