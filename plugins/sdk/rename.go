package sdk

import (
	"fmt"
	"sort"
	"strings"

	"github.com/rcolpipe/rcolpipe/redcap"
	"github.com/rcolpipe/rcolpipe/redcap/logic"
)

// This file is rcolpipe's one field-rename engine: the prefix plugin, the
// conventions plugin's form-prefix fix and RenameFields all go through
// RenamePlan.Apply, so a rename touches the same cells wherever it comes
// from. What it touches (its scope): the field's name; branching logic and
// a calc field's calculation, parsed (via redcap/logic); [field] piping in
// section headers, labels, notes, choice labels, validation min and max and
// annotations, action-tag arguments included. Never an sql field's query:
// its brackets are SQL.

// nameProblem says why name is not a valid REDCap field name ("" if it
// is): redcap.FieldNameProblem (docs/redcap.md#field-names), or a name of
// formReserved (the names REDCap derives from the dictionary's forms).
func nameProblem(name string, formReserved map[string]bool) string {
	if p := redcap.FieldNameProblem(name); p != "" {
		return p
	}
	if formReserved[name] {
		return "is a name REDCap reserves"
	}
	return ""
}

// RenameCodes are the diagnostic codes a plugin gives the findings of
// PlanRenames and RenamePlan.Apply.
type RenameCodes struct {
	UnknownForm string // Forms names a form the dictionary does not have
	UnknownName string // Rename names a field the dictionary does not have
	RecordID    string // Rename names the record ID
	Collision   string // a new name is taken
	InvalidName string // a new name is not a valid REDCap field name
	LongName    string // a new name is longer than REDCap's advised 26 characters
	Textual     string // logic that does not parse was rewritten as text
	SplitName   string // a duplicated name was renamed in some forms only
}

// Renames says which fields to rename.
type Renames struct {
	// Prefix is put before the name of every field of Forms (except the
	// record ID and names that start with it already).
	Prefix string
	// Forms limits Prefix, and duplicated names in Rename, to these forms;
	// empty means every form.
	Forms []string
	// Rename maps old field names to new ones; it wins over Prefix.
	Rename map[string]string
}

// RenamePlan is the set of renames one run applies.
type RenamePlan struct {
	// Global renames apply to the named field and to every reference to it.
	Global map[string]string
	// Local renames apply to a name used by several rows in different
	// forms: only the rows of LocalForms are renamed, and only references
	// written in those rows follow.
	Local map[string]string
	// LocalForms are the forms Local applies in.
	LocalForms map[string]bool
	// Skipped counts fields left alone because they had the prefix already.
	Skipped int
	// codes are the diagnostic codes Apply uses.
	codes RenameCodes
}

// Empty reports whether the plan renames nothing.
func (p *RenamePlan) Empty() bool { return len(p.Global) == 0 && len(p.Local) == 0 }

// PlanRenames works out the renames r asks for and checks them: a rename
// that would collide with another name, or make a valid name invalid, is an
// error diagnostic, and a plan with errors must not be applied. The record
// ID is never renamed.
func PlanRenames(d *redcap.Dictionary, r Renames, codes RenameCodes) (*RenamePlan, redcap.Diagnostics) {
	var diags redcap.Diagnostics
	errf := func(f *redcap.Field, code, hint, format string, args ...any) {
		msg := fmt.Sprintf(format, args...)
		if f == nil {
			diags = append(diags, redcap.Diagnostic{Severity: redcap.SeverityError, Code: code, Message: msg, Hint: hint})
			return
		}
		diags = append(diags, redcap.At(f, redcap.ColFieldName, redcap.SeverityError, code, msg, hint))
	}
	if d.Len() == 0 {
		return &RenamePlan{codes: codes}, nil
	}

	forms := map[string]bool{}
	for _, f := range d.Forms() {
		forms[f] = true
	}
	chosen := map[string]bool{}
	for _, f := range r.Forms {
		if !forms[f] {
			errf(nil, codes.UnknownForm, "forms lists the dictionary's form names (column form_name)",
				"form %q is not in the dictionary (forms: %s)", f, strings.Join(d.Forms(), ", "))
			continue
		}
		chosen[f] = true
	}
	inChosen := func(f *redcap.Field) bool { return len(r.Forms) == 0 || chosen[f.FormName] }

	// rows maps each name to the rows that carry it.
	rows := map[string][]int{}
	for i := range d.Fields {
		rows[d.Fields[i].FieldName] = append(rows[d.Fields[i].FieldName], i)
	}
	recordID := d.RecordID()

	// newName[i] is row i's new name ("" = unchanged).
	newName := make([]string, d.Len())
	plan := &RenamePlan{Global: map[string]string{}, Local: map[string]string{}, LocalForms: chosen, codes: codes}

	if r.Prefix != "" {
		for i := 1; i < d.Len(); i++ { // row 0 is the record ID: never renamed
			f := &d.Fields[i]
			if !inChosen(f) || f.FieldName == recordID {
				continue
			}
			if strings.HasPrefix(f.FieldName, r.Prefix) {
				plan.Skipped++
				continue
			}
			newName[i] = r.Prefix + f.FieldName
		}
	}
	olds := make([]string, 0, len(r.Rename))
	for old := range r.Rename {
		olds = append(olds, old)
	}
	sort.Strings(olds)
	for _, old := range olds {
		idx, ok := rows[old]
		switch {
		case !ok:
			errf(nil, codes.UnknownName, "rename maps existing field names to new ones",
				"rename: field %q is not in the dictionary", old)
			continue
		case old == recordID:
			errf(&d.Fields[0], codes.RecordID, "the record ID (the first field) identifies records in the project; rename it in REDCap itself if you must",
				"rename: %q is the record ID; it is never renamed", old)
			continue
		}
		for _, i := range idx {
			if inChosen(&d.Fields[i]) || len(idx) == 1 {
				newName[i] = r.Rename[old] // an explicit rename wins over the prefix
			}
		}
	}

	// Decide, per old name, whether the rename is global or local to the
	// chosen forms (a name duplicated across chosen and other forms).
	reserved := map[string]bool{}
	for _, form := range d.Forms() {
		reserved[form+redcap.FormCompleteSuffix] = true
		for _, suffix := range redcap.FormReservedSuffixes {
			reserved[form+suffix] = true
		}
	}
	for i := range d.Fields { // in row order, so findings come out in a stable order
		name := d.Fields[i].FieldName
		idx := rows[name]
		if idx[0] != i {
			continue
		}
		renamed, kept := 0, 0
		var to string
		for _, i := range idx {
			if newName[i] != "" {
				renamed++
				to = newName[i]
			} else {
				kept++
			}
		}
		switch {
		case renamed == 0:
		case kept == 0:
			plan.Global[name] = to
		default:
			plan.Local[name] = to
			f := &d.Fields[idx[0]]
			diags = append(diags, redcap.At(f, redcap.ColFieldName, redcap.SeverityWarning, codes.SplitName,
				fmt.Sprintf("field name %q is used by %d rows; renamed to %q only in the chosen forms, where references follow it", name, len(idx), to),
				"duplicated field names are an error in REDCap; this rename resolves the duplicate"))
		}
	}

	// Check every new name: taken, invalid, long.
	final := map[string]int{}
	for i := range d.Fields {
		n := d.Fields[i].FieldName
		if newName[i] != "" {
			n = newName[i]
		}
		final[n]++
	}
	for i := range d.Fields {
		to := newName[i]
		if to == "" {
			continue
		}
		f := &d.Fields[i]
		if final[to] > 1 {
			errf(f, codes.Collision, "choose another prefix or rename one of the fields",
				"renaming %q to %q would collide with another field of that name", f.FieldName, to)
			continue
		}
		if strings.HasSuffix(to, redcap.FormCompleteSuffix) && reserved[to] {
			errf(f, codes.Collision, "REDCap names each form's status field <form>_complete",
				"renaming %q to %q would collide with the status field of form %q", f.FieldName, to, strings.TrimSuffix(to, redcap.FormCompleteSuffix))
			continue
		}
		if p := nameProblem(to, reserved); p != "" {
			if nameProblem(f.FieldName, reserved) == "" || len(to) > redcap.MaxFieldNameLen {
				errf(f, codes.InvalidName, "REDCap field names match ^[a-z][a-z0-9_]*$, do not end with _ and have at most 100 characters",
					"renaming %q to %q would make an invalid name: it %s", f.FieldName, to, p)
				continue
			}
			diags = append(diags, redcap.At(f, redcap.ColFieldName, redcap.SeverityWarning, codes.InvalidName,
				fmt.Sprintf("%q is not a valid field name and %q is not either: it %s", f.FieldName, to, p), "fix the original name"))
		}
		if len(to) > redcap.AdvisedFieldNameLen && len(f.FieldName) <= redcap.AdvisedFieldNameLen {
			diags = append(diags, redcap.At(f, redcap.ColFieldName, redcap.SeverityWarning, codes.LongName,
				fmt.Sprintf("new name %q has %d characters; REDCap advises at most %d", to, len(to), redcap.AdvisedFieldNameLen),
				"REDCap accepts up to 100, but exports and some statistics packages cut long names"))
		}
	}
	return plan, diags
}

// Apply renames the fields of d by the plan and rewrites every reference
// to them (the scope at the top of this file). It changes d in place. Logic
// that does not parse is rewritten as text (its [field] references only)
// with a warning; the validator reports its syntax.
func (p *RenamePlan) Apply(d *redcap.Dictionary) redcap.Diagnostics {
	var diags redcap.Diagnostics
	p.apply(d, func(i int, c redcap.Column, err error, changed bool) {
		if !changed {
			return
		}
		diags = append(diags, redcap.At(&d.Fields[i], c, redcap.SeverityWarning, p.codes.Textual,
			fmt.Sprintf("the logic does not parse (%v); its [field] references were renamed as text", err),
			"check the rewritten logic by hand"))
	})
	return diags
}

// asTextFunc is told of logic (row i, column c) that did not parse (err)
// and was rewritten as text; changed says whether that changed it.
type asTextFunc func(i int, c redcap.Column, err error, changed bool)

// apply is Apply, calling asText for each logic cell mentioning a renamed
// field that did not parse.
func (p *RenamePlan) apply(d *redcap.Dictionary, asText asTextFunc) {
	if p.Empty() {
		return
	}
	// A row in the chosen forms sees both maps; other rows only Global.
	both := make(map[string]string, len(p.Global)+len(p.Local))
	for k, v := range p.Global {
		both[k] = v
	}
	for k, v := range p.Local {
		both[k] = v
	}
	for i := range d.Fields {
		f := &d.Fields[i]
		m := p.Global
		if len(p.Local) > 0 && p.LocalForms[f.FormName] {
			m = both
		}
		if to, ok := m[f.FieldName]; ok {
			f.FieldName = to
		}
		for _, c := range []redcap.Column{redcap.ColSectionHeader, redcap.ColFieldLabel, redcap.ColFieldNote,
			redcap.ColValidationMin, redcap.ColValidationMax, redcap.ColFieldAnnotation} {
			if v := f.Get(c); strings.Contains(v, "[") {
				if sub := mentioned(v, m); len(sub) > 0 {
					f.Set(c, logic.RenameInText(v, sub))
				}
			}
		}
		if strings.Contains(f.BranchingLogic, "[") {
			if sub := mentioned(f.BranchingLogic, m); len(sub) > 0 {
				renameLogic(f, i, redcap.ColBranchingLogic, sub, asText)
			}
		}
		if strings.Contains(f.Choices, "[") && f.FieldType != "sql" { // an SQL query's brackets are SQL
			if sub := mentioned(f.Choices, m); len(sub) > 0 {
				if f.FieldType == "calc" {
					renameLogic(f, i, redcap.ColChoices, sub, asText)
				} else {
					f.Choices = logic.RenameInText(f.Choices, sub) // piping in choice labels
				}
			}
		}
	}
}

// mentioned returns the renames whose old name occurs in text as a whole
// word. The logic package checks every entry of the map it is given on each
// call, so handing it the whole plan for every cell would cost rows ×
// renames; a cell mentions a few names at most.
func mentioned(text string, m map[string]string) map[string]string {
	var sub map[string]string
	for _, w := range strings.FieldsFunc(text, isRefDelimiter) {
		if to, ok := m[w]; ok {
			if sub == nil {
				sub = map[string]string{}
			}
			sub[w] = to
		}
	}
	return sub
}

// isRefDelimiter reports the characters that end a field name inside a
// reference ([ev][name(code)][2], [name:label], [smart-var:name]). A
// hyphen is not one: odd names such as "x_-y" must still be found.
func isRefDelimiter(r rune) bool {
	switch r {
	case '[', ']', '(', ')', ':', ',', '\'', '"', '=', '<', '>', '!', '+', '*', '/', '^', '&', '|', '@', ' ', '\t', '\n', '\r':
		return true
	}
	return false
}

// renameLogic rewrites the references in a logic cell; logic that does not
// parse is rewritten as text, and asText is told.
func renameLogic(f *redcap.Field, i int, c redcap.Column, m map[string]string, asText asTextFunc) {
	src := f.Get(c)
	out, err := logic.Rename(src, m)
	if err == nil {
		f.Set(c, out)
		return
	}
	text := logic.RenameInText(src, m)
	f.Set(c, text)
	asText(i, c, err, text != src)
}

// RenameFields renames fields (old name → new name) and rewrites every
// reference to them with the engine of the bundled prefix plugin (the scope
// at the top of this file). It is strict: it refuses a rename onto a name
// that another field keeps, two fields renamed to the same name, a new name
// that is not a field name, and logic mentioning a renamed field that does
// not parse (the error names the field and column). On error d is
// unchanged. Unlike the prefix plugin it does not check names against
// REDCap's rules and may rename the record ID.
func RenameFields(d *redcap.Dictionary, renames map[string]string) error {
	if len(renames) == 0 {
		return nil
	}
	// The names after the rename, to find collisions.
	final := map[string]string{}
	for i := range d.Fields {
		old := d.Fields[i].FieldName
		name := old
		if nu, ok := renames[old]; ok {
			name = nu
		}
		if prev, dup := final[name]; dup && prev != old {
			return fmt.Errorf("rename: %s and %s would both be named %s", prev, old, name)
		}
		final[name] = old
	}
	// Refuse a new name that is not a field name before touching a cell.
	if _, err := logic.NewRenamer(renames); err != nil {
		return fmt.Errorf("rename: %w", err)
	}
	out := d.Clone()
	plan := &RenamePlan{Global: renames}
	var firstErr error
	plan.apply(out, func(i int, c redcap.Column, err error, _ bool) {
		col := c.Key()
		if c == redcap.ColChoices {
			col = "calculation"
		}
		if firstErr == nil {
			firstErr = fmt.Errorf("rename: field %s, %s: %w", d.Fields[i].FieldName, col, err)
		}
	})
	if firstErr != nil {
		return firstErr
	}
	d.Fields = out.Fields
	return nil
}
