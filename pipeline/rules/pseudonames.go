package rules

import (
	"fmt"
	"strings"

	"github.com/rcolpipe/rcolpipe/redcap"
)

// Names REDCap trips on later (RC130, RC131): choice codes that are the
// project's missing-data codes, and form names that REDCap's rewriting makes
// equal. Field names that clash with export pseudo-fields are RC106
// (`___`), RC110 (redcap_event_name, redcap_repeat_instrument, ...), RC111
// and RC112 (<form>_complete, also of the project's forms).

// pseudoNames runs the checks.
func (c *checker) pseudoNames() {
	c.missingDataCodes()
	c.formsMerged()
}

// missingDataCodes reports choice codes that are one of the project's
// missing-data codes (Config.MissingDataCodes, "CODE, label | ...").
func (c *checker) missingDataCodes() {
	if strings.TrimSpace(c.cfg.MissingDataCodes) == "" {
		return
	}
	missing := map[string]bool{}
	for _, ch := range parseChoices(c.cfg.MissingDataCodes) {
		if !ch.empty && ch.code != "" {
			missing[ch.code] = true
		}
	}
	for i := range c.d.Fields {
		for _, ch := range c.choices[i] {
			if !ch.empty && missing[ch.code] {
				c.emitf(i, redcap.ColChoices, codeMissingCodeClash, "Give the choice another code, or remove the code from the project's missing-data codes.",
					"Choice code %q is one of the project's missing-data codes; REDCap reads that value as missing (isblankormissingcode() is true for it).", ch.code)
			}
		}
	}
}

// formsMerged reports forms whose names REDCap rewrites to the name of
// another form of the dictionary.
func (c *checker) formsMerged() {
	byClean := map[string]string{}
	seen := map[string]bool{}
	for i := range c.d.Fields {
		form := c.d.Fields[i].FormName
		if seen[form] || strings.TrimSpace(form) == "" {
			continue
		}
		seen[form] = true
		clean, ok := redcap.CleanFormName(form)
		if !ok {
			continue // RC202 says the name gets an MD5 prefix
		}
		if other, dup := byClean[clean]; dup {
			c.emitf(i, redcap.ColFormName, codeFormsMerged, fmt.Sprintf("Give the two forms names that differ after REDCap's rewriting, e.g. %q.", clean+"_2"),
				"REDCap rewrites form names %q and %q both to %q, so their fields end up in one form (or the upload fails because the form repeats).", other, form, clean)
			continue
		}
		byClean[clean] = form
	}
}

// CheckMissingDataCodes runs RC130 alone: the choice codes of d that are
// among a project's missing-data codes (REDCap's project info
// missing_data_codes, "CODE, label | ..."). Validation runs before the
// project is known, so an upload runs this once its preflight has read
// the project info, before anything is sent. The findings have the rule's
// default severity.
func CheckMissingDataCodes(d *redcap.Dictionary, codes string) redcap.Diagnostics {
	if d == nil || strings.TrimSpace(codes) == "" {
		return nil
	}
	c := newChecker(d, Config{MissingDataCodes: codes})
	c.missingDataCodes()
	ds := make(redcap.Diagnostics, len(c.out))
	for i, f := range c.out {
		ds[i] = f.d
	}
	return ds
}
