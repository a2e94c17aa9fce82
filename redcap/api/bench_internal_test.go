package api

import (
	"fmt"
	"testing"

	"github.com/rcolpipe/rcolpipe/redcap"
)

// BenchmarkDecodeDictionary compares the three decoders of the metadata
// export (fast, typed, generic) on the same 10,000-field body.
func BenchmarkDecodeDictionary(b *testing.B) {
	d := &redcap.Dictionary{}
	for i := range 10000 {
		d.Fields = append(d.Fields, redcap.Field{FieldName: fmt.Sprintf("q%d", i), FormName: fmt.Sprintf("f%d", i/50),
			FieldType: "radio", FieldLabel: "How often in the last two weeks?", Choices: "0, Never | 1, Sometimes | 2, Often"})
	}
	body, err := MarshalDictionary(d)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("fast", func(b *testing.B) {
		for b.Loop() {
			if _, ok := decodeFieldsFast(body); !ok {
				b.Fatal("fast decode gave up")
			}
		}
	})
	b.Run("typed", func(b *testing.B) {
		for b.Loop() {
			if _, ok := decodeFieldsTyped(body); !ok {
				b.Fatal("typed decode failed")
			}
		}
	})
	b.Run("generic", func(b *testing.B) {
		for b.Loop() {
			if _, err := decodeFieldsGeneric(body); err != nil {
				b.Fatal(err)
			}
		}
	})
}
