package rules

import (
	"fmt"
	"strings"

	"github.com/rcolpipe/rcolpipe/redcap"
)

// checker holds one Check run: the dictionary, maps computed once, and the
// findings. Each rule family is one pass over the fields.
type checker struct {
	d   *redcap.Dictionary
	cfg Config
	// file is used for dictionary-level findings.
	file string

	// byName maps a field name (as written) to the index of its first row.
	byName map[string]int
	// forms is the set of form names in column B (as written).
	forms map[string]bool
	// assumed holds names of --assume-fields fields; assumedForms their forms.
	assumed      map[string]int
	assumedForms map[string]bool
	// choices caches the parsed choices of radio/dropdown/checkbox rows.
	choices [][]choice // by row; nil for other types
	// valTypes is every accepted validation type name.
	valTypes map[string]bool

	// suggestBudget caps the typo searches over all field names in one
	// chunk of logicChunk rows (see suggestionBudget), so a dictionary full
	// of unknown references stays cheap to check.
	suggestBudget int
	// parseMemo remembers parsed action tag logic; each chunk of the logic
	// pass sets its own (logicRows).
	parseMemo map[string]parsedLogic

	out []finding
}

// finding is a diagnostic with the row it belongs to (-1 for the dictionary),
// so Check can sort the families' findings into row order.
type finding struct {
	row int
	d   redcap.Diagnostic
}

func newChecker(d *redcap.Dictionary, cfg Config) *checker {
	c := &checker{
		d:        d,
		cfg:      cfg,
		byName:   make(map[string]int, len(d.Fields)),
		forms:    map[string]bool{},
		choices:  make([][]choice, len(d.Fields)),
		valTypes: make(map[string]bool, len(defaultValidationTypes)+len(cfg.ValidationTypes)),

		suggestBudget: 200,
	}
	if len(d.Files) > 0 {
		c.file = d.Files[0]
	}
	for i := range d.Fields {
		f := &d.Fields[i]
		if _, ok := c.byName[f.FieldName]; !ok {
			c.byName[f.FieldName] = i
		}
		c.forms[f.FormName] = true
		if isChoiceType(f.FieldType) {
			c.choices[i] = parseChoices(f.Choices)
		}
	}
	if a := cfg.AssumeFields; a != nil {
		c.assumed = make(map[string]int, len(a.Fields))
		c.assumedForms = map[string]bool{}
		for i := range a.Fields {
			if _, ok := c.assumed[a.Fields[i].FieldName]; !ok {
				c.assumed[a.Fields[i].FieldName] = i
			}
			c.assumedForms[a.Fields[i].FormName] = true
		}
	}
	for _, t := range defaultValidationTypes {
		c.valTypes[t] = true
	}
	for _, t := range cfg.ValidationTypes {
		if t = strings.TrimSpace(t); t != "" {
			c.valTypes[t] = true
		}
	}
	return c
}

// emit records a finding about column col of row i with the rule's default severity.
func (c *checker) emit(i int, col redcap.Column, code, msg, hint string) {
	r, ok := Lookup(code)
	if !ok {
		// A code missing from the catalogue is a programming error that the
		// catalogue test catches; report it rather than lose the finding.
		r = Rule{Code: code, Severity: sevE}
	}
	c.out = append(c.out, finding{row: i, d: redcap.At(&c.d.Fields[i], col, r.Severity, code, msg, hint)})
}

// emitf is emit with a formatted message.
func (c *checker) emitf(i int, col redcap.Column, code, hint, format string, args ...any) {
	c.emit(i, col, code, fmt.Sprintf(format, args...), hint)
}

// emitDict records a finding about the whole dictionary.
func (c *checker) emitDict(code, msg, hint string) {
	r, _ := Lookup(code)
	c.out = append(c.out, finding{row: -1, d: redcap.Diagnostic{
		Severity: r.Severity, Code: code, Message: msg, Hint: hint, File: c.file,
	}})
}

// CodeEmptyDictionary is the code of the finding about a dictionary
// without fields (RC801).
const CodeEmptyDictionary = codeEmptyDictionary

func (c *checker) emptyDictionary() {
	c.emitDict(codeEmptyDictionary,
		"The dictionary has no fields; REDCap would accept it and delete every field of the project.",
		"Check the input paths: no file contributed a field.")
}

// where describes row i for messages that point at another row ("file:line").
func (c *checker) where(i int) string {
	o := c.d.Fields[i].Origin
	switch {
	case o.File != "" && o.Line > 0:
		return fmt.Sprintf("%s:%d", o.File, o.Line)
	case o.File != "":
		return o.File
	}
	return fmt.Sprintf("row %d", i+1)
}

// fieldExists reports whether a logic reference to name resolves: a field of
// the dictionary, a <form>_complete field, or an assumed field.
func (c *checker) fieldExists(name string) bool {
	if _, ok := c.byName[name]; ok {
		return true
	}
	if _, ok := c.assumed[name]; ok {
		return true
	}
	if form, ok := strings.CutSuffix(name, redcap.FormCompleteSuffix); ok && (c.forms[form] || c.assumedForms[form]) {
		return true
	}
	return false
}

// lookupField returns the field a reference names, from the dictionary or
// the assumed fields.
func (c *checker) lookupField(name string) *redcap.Field {
	if i, ok := c.byName[name]; ok {
		return &c.d.Fields[i]
	}
	if i, ok := c.assumed[name]; ok {
		return &c.cfg.AssumeFields.Fields[i]
	}
	return nil
}

// quote renders a value for a message, cutting very long values.
func quote(s string) string {
	const max = 60
	if r := []rune(s); len(r) > max {
		s = string(r[:max]) + "…"
	}
	return fmt.Sprintf("%q", s)
}

// collapseRowsThatAreNotFields replaces the findings of each row that has
// neither a form name nor a field type (a stray cell, half of a row split
// by a line break) with one finding about the row: its other findings
// (name, form, type, label, alignment, ...) only follow from that.
func (c *checker) collapseRowsThatAreNotFields() {
	notField := map[int]bool{}
	for i := range c.d.Fields {
		f := &c.d.Fields[i]
		if strings.TrimSpace(f.FormName) == "" && strings.TrimSpace(f.FieldType) == "" {
			notField[i] = true
		}
	}
	if len(notField) == 0 {
		return
	}
	kept := c.out[:0]
	for _, f := range c.out {
		if !notField[f.row] {
			kept = append(kept, f)
		}
	}
	c.out = kept
	r, _ := Lookup(codeNotAField)
	for i := range c.d.Fields {
		if !notField[i] {
			continue
		}
		var cells []string
		f := &c.d.Fields[i]
		for col := range redcap.Column(redcap.NumColumns) {
			if v := f.Get(col); v != "" {
				cells = append(cells, col.Key()+" "+quote(v))
			}
		}
		what := "no cell at all"
		if len(cells) > 0 {
			what = "only " + strings.Join(cells[:min(len(cells), 3)], ", ")
			if len(cells) > 3 {
				what += fmt.Sprintf(" and %d more cells", len(cells)-3)
			}
		}
		d := redcap.At(f, redcap.ColFormName, r.Severity, codeNotAField,
			"This row is not a field: it has no form name and no field type, "+what+".",
			"Delete the row, or join it to the row it was split from (a line break inside a cell of the row above?).")
		c.out = append(c.out, finding{row: i, d: d})
	}
}
