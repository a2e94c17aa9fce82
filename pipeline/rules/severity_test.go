package rules

import (
	"strings"
	"testing"

	"github.com/rcolpipe/rcolpipe/redcap"
)

// TestSeverityPolicy holds every Go rule to the severity policy: its doc
// says what REDCap does, an error is only what REDCap rejects or silently
// changes, and an info is never either.
// The project-structure rules (RC9xx, structureCatalogue) are held to it too.
func TestSeverityPolicy(t *testing.T) {
	for _, r := range append(append([]Rule(nil), catalogue...), structureCatalogue...) {
		b, ok := behaviours[r.Code]
		if !ok {
			t.Errorf("%s: no record of what REDCap does (behaviours in severity.go)", r.Code)
			continue
		}
		if !strings.Contains(r.Doc, "\n\nWhat REDCap does: "+actionText[b.does]) {
			t.Errorf("%s: doc does not say what REDCap does", r.Code)
		}
		switch r.Severity {
		case redcap.SeverityError:
			if b.does != rejects && b.does != changes {
				t.Errorf("%s is an error, but REDCap %s", r.Code, actionText[b.does])
			}
		case redcap.SeverityInfo:
			if b.does == rejects || b.does == changes {
				t.Errorf("%s is an info, but REDCap %s", r.Code, actionText[b.does])
			}
		}
	}
	for code := range behaviours {
		if _, ok := Lookup(code); !ok {
			t.Errorf("behaviours has %s, which is no rule", code)
		}
	}
}

// TestRecordIDRulesSkipInstrumentZIP: in an instrument ZIP the first field
// is not the project's record ID, so RC120 and RC121 stay silent.
func TestRecordIDRulesSkipInstrumentZIP(t *testing.T) {
	d := raw(fld("rid radio", "F=1, a | 2, b", "C=Header"))
	d.Fields[0].Origin.File = "consent.zip!instrument.csv"
	for _, diag := range Check(d, Config{}) {
		if diag.Code == codeFirstNotText || diag.Code == codeFirstSection {
			t.Errorf("instrument ZIP: unexpected %s", diag)
		}
	}
}
