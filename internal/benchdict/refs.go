package benchdict

import (
	"fmt"
	"testing"

	"github.com/rcolpipe/rcolpipe/redcap"
)

// WithReferences is Dictionary(n) with references in every column REDCap
// reads them in: each label pipes the previous field, each note the record
// ID, section headers a Smart Variable, the choice labels of radio and
// dropdown fields (outside matrix groups) a field, and annotations hold
// @DEFAULT, @IF and @CALCTEXT with references. It is clean (no findings)
// and deterministic.
func WithReferences(n int) *redcap.Dictionary {
	d := Dictionary(n)
	for i := 1; i < len(d.Fields); i++ {
		f := &d.Fields[i]
		prev := d.Fields[i-1].FieldName
		f.FieldLabel += fmt.Sprintf(" (after [%s:label])", prev)
		if f.FieldType != "descriptive" {
			f.FieldNote += " for record [record_id]"
		}
		if f.SectionHeader != "" {
			f.SectionHeader += " of [record-name]"
		}
		switch f.FieldType {
		case "radio", "dropdown":
			if f.MatrixGroupName == "" {
				f.Choices += fmt.Sprintf(" | 77, Same as [%s]", prev)
			}
		case "text":
			if f.Validation == "integer" {
				f.FieldAnnotation = fmt.Sprintf("@DEFAULT='[%s]' @IF([record_id] <> '', @READONLY, @HIDDEN)", prev)
			}
		case "notes":
			f.FieldAnnotation += fmt.Sprintf(" @IF([record_id] = '1', @READONLY, ) @PLACEHOLDER='see [%s]'", prev)
		case "yesno":
			f.FieldAnnotation = "@DEFAULT='1' @HIDECHOICE='0'"
		}
	}
	return d
}

// GeneratedWithReferences is Generated for WithReferences.
func GeneratedWithReferences(tb testing.TB, n int) ([]byte, *redcap.Dictionary) {
	tb.Helper()
	return writtenAndRead(tb, WithReferences(n))
}
