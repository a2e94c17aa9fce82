// Package rules holds the Go rules of rcolpipe's validate stage: every check
// REDCap applies when it imports a data dictionary (docs/redcap.md#field-names onwards),
// every change it makes silently, and a few lints for mistakes REDCap lets
// through. Each rule has a stable code, a default severity, a title and a doc
// entry; `rcolpipe rules` and docs/rules.md are generated from the same table.
package rules

import (
	"slices"
	"sync"

	"github.com/rcolpipe/rcolpipe/redcap"
)

// Rule describes one check: its stable code, default severity, one-line title
// and a doc entry (what REDCap does, an example, the fix).
type Rule struct {
	Code     string          `json:"code"`
	Severity redcap.Severity `json:"severity"`
	Title    string          `json:"title"`
	Doc      string          `json:"doc"`
}

// Config is what the rules need besides the dictionary.
type Config struct {
	// ValidationTypes are extra validation types an institution has added to
	// its REDCap server (e.g. "vmrn" is one of the defaults, "phone_ch" is not).
	ValidationTypes []string
	// AssumeFields is a dictionary of fields that exist in the target project
	// already; logic may refer to them without an unknown-field error.
	AssumeFields *redcap.Dictionary
	// JoinsProject says the dictionary's forms are added to an existing
	// project (the pipeline's target), whose record ID stays first. With
	// AssumeFields set it is implied.
	JoinsProject bool
	// MissingDataCodes are the target project's missing-data codes as
	// REDCap's project info gives them ("CODE, label | ..."); "" when
	// unknown.
	MissingDataCodes string
}

// All returns every rule: the Go rules in code order, then the reader's
// checks (codes "RD...") from package redcap.
func All() []Rule {
	out := make([]Rule, 0, len(catalogue())+len(structureCatalogue())+len(redcap.ReaderChecks))
	out = append(out, catalogue()...)
	out = append(out, structureCatalogue()...)
	for _, c := range redcap.ReaderChecks {
		out = append(out, Rule{Code: c.Code, Severity: c.Severity, Title: c.Title, Doc: c.Doc})
	}
	return out
}

// Lookup returns the Go rule with the given code.
func Lookup(code string) (Rule, bool) {
	i, ok := catalogueIndex()[code]
	if !ok {
		return lookupStructure(code)
	}
	return catalogue()[i], true
}

// catalogueIndex maps a code to its position in catalogue; built on first
// use, read only.
var catalogueIndex = sync.OnceValue(func() map[string]int {
	m := make(map[string]int, len(catalogueTable))
	for i, r := range catalogueTable {
		m[r.Code] = i
	}
	return m
})

// Check runs every rule over d and returns the findings with their default
// severities, in dictionary order (dictionary-level findings first). The
// caller applies severity overrides and sets Stage.
func Check(d *redcap.Dictionary, cfg Config) redcap.Diagnostics {
	if d == nil || len(d.Fields) == 0 {
		c := &checker{d: &redcap.Dictionary{}}
		if d != nil && len(d.Files) > 0 {
			c.file = d.Files[0]
		}
		c.emptyDictionary()
		return redcap.Diagnostics{c.out[0].d}
	}
	c := newChecker(d, cfg)
	c.fieldNames()
	c.formNames()
	c.pseudoNames()
	c.firstField()
	c.typesAndChoices()
	c.validation()
	c.flagsAndLayout()
	c.matrixGroups()
	c.text()
	c.logic()
	c.collapseRowsThatAreNotFields()
	// Each family appends in its own pass; sort by row so a report reads
	// top to bottom. Stable keeps family order within a row.
	slices.SortStableFunc(c.out, func(a, b finding) int { return a.row - b.row })
	ds := make(redcap.Diagnostics, len(c.out))
	for i, f := range c.out {
		ds[i] = f.d
	}
	return ds
}
