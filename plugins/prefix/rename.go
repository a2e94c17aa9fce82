// Package prefix is the bundled `prefix` transform: it gives the fields of
// chosen forms a prefix, or renames fields by a map, and rewrites every
// reference to them across the dictionary. The plugin executable
// (plugins/cmd/prefix) and `rcolpipe __plugin prefix` both serve it.
package prefix

import (
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/rcolpipe/rcolpipe/redcap"
	"github.com/rcolpipe/rcolpipe/redcap/logic"
)

// Diagnostic codes of the prefix plugin.
const (
	CodeConfig      = "PX001" // the stage's config is wrong
	CodeUnknownForm = "PX002" // forms names a form the dictionary does not have
	CodeUnknownName = "PX003" // rename names a field the dictionary does not have
	CodeRecordID    = "PX004" // rename names the record ID
	CodeCollision   = "PX005" // a new name is taken
	CodeInvalidName = "PX006" // a new name is not a valid REDCap field name
	CodeLongName    = "PX007" // a new name is longer than REDCap's advised 26 characters
	CodeTextual     = "PX008" // logic that does not parse was rewritten as text
	CodeSplitName   = "PX009" // a duplicated name was renamed in some forms only
	CodeSummary     = "PX010" // what was renamed
)

// prefixRE is what a prefix may hold: the start of a valid name.
var prefixRE = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)

// nameProblem says why name is not a valid REDCap field name ("" if it
// is): redcap.FieldNameProblem, or a name of formReserved (the names
// REDCap derives from the dictionary's forms).
func nameProblem(name string, formReserved map[string]bool) string {
	if p := redcap.FieldNameProblem(name); p != "" {
		return p
	}
	if formReserved[name] {
		return "is a name REDCap reserves"
	}
	return ""
}

// Plan is the set of renames one run applies.
type Plan struct {
	// Global renames apply to the named field and to every reference to it.
	Global map[string]string
	// Local renames apply to a name used by several rows in different
	// forms: only the rows of the chosen forms are renamed, and only
	// references written in those rows follow.
	Local map[string]string
	// LocalForms are the forms Local applies in.
	LocalForms map[string]bool
	// Skipped counts fields left alone because they had the prefix already.
	Skipped int
}

// Empty reports whether the plan renames nothing.
func (p *Plan) Empty() bool { return len(p.Global) == 0 && len(p.Local) == 0 }

// MakePlan works out the renames cfg asks for and checks them: a rename
// that would collide with another name, or make a valid name invalid, is an
// error diagnostic, and a plan with errors must not be applied.
func MakePlan(d *redcap.Dictionary, cfg Config) (*Plan, redcap.Diagnostics) {
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
		return &Plan{}, nil
	}

	forms := map[string]bool{}
	for _, f := range d.Forms() {
		forms[f] = true
	}
	chosen := map[string]bool{}
	for _, f := range cfg.Forms {
		if !forms[f] {
			errf(nil, CodeUnknownForm, "forms lists the dictionary's form names (column form_name)",
				"form %q is not in the dictionary (forms: %s)", f, strings.Join(d.Forms(), ", "))
			continue
		}
		chosen[f] = true
	}
	inChosen := func(f *redcap.Field) bool { return len(cfg.Forms) == 0 || chosen[f.FormName] }

	// rows maps each name to the rows that carry it.
	rows := map[string][]int{}
	for i := range d.Fields {
		rows[d.Fields[i].FieldName] = append(rows[d.Fields[i].FieldName], i)
	}
	recordID := d.RecordID()

	// newName[i] is row i's new name ("" = unchanged).
	newName := make([]string, d.Len())
	plan := &Plan{Global: map[string]string{}, Local: map[string]string{}, LocalForms: chosen}

	if cfg.Prefix != "" {
		for i := 1; i < d.Len(); i++ { // row 0 is the record ID: never renamed
			f := &d.Fields[i]
			if !inChosen(f) || f.FieldName == recordID {
				continue
			}
			if strings.HasPrefix(f.FieldName, cfg.Prefix) {
				plan.Skipped++
				continue
			}
			newName[i] = cfg.Prefix + f.FieldName
		}
	}
	olds := make([]string, 0, len(cfg.Rename))
	for old := range cfg.Rename {
		olds = append(olds, old)
	}
	sort.Strings(olds)
	for _, old := range olds {
		idx, ok := rows[old]
		switch {
		case !ok:
			errf(nil, CodeUnknownName, "rename maps existing field names to new ones",
				"rename: field %q is not in the dictionary", old)
			continue
		case old == recordID:
			errf(&d.Fields[0], CodeRecordID, "the record ID (the first field) identifies records in the project; rename it in REDCap itself if you must",
				"rename: %q is the record ID; it is never renamed", old)
			continue
		}
		for _, i := range idx {
			if inChosen(&d.Fields[i]) || len(idx) == 1 {
				newName[i] = cfg.Rename[old] // an explicit rename wins over the prefix
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
			diags = append(diags, redcap.At(f, redcap.ColFieldName, redcap.SeverityWarning, CodeSplitName,
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
			errf(f, CodeCollision, "choose another prefix or rename one of the fields",
				"renaming %q to %q would collide with another field of that name", f.FieldName, to)
			continue
		}
		if strings.HasSuffix(to, redcap.FormCompleteSuffix) && reserved[to] {
			errf(f, CodeCollision, "REDCap names each form's status field <form>_complete",
				"renaming %q to %q would collide with the status field of form %q", f.FieldName, to, strings.TrimSuffix(to, redcap.FormCompleteSuffix))
			continue
		}
		if p := nameProblem(to, reserved); p != "" {
			if nameProblem(f.FieldName, reserved) == "" || len(to) > redcap.MaxFieldNameLen {
				errf(f, CodeInvalidName, "REDCap field names match ^[a-z][a-z0-9_]*$, do not end with _ and have at most 100 characters",
					"renaming %q to %q would make an invalid name: it %s", f.FieldName, to, p)
				continue
			}
			diags = append(diags, redcap.At(f, redcap.ColFieldName, redcap.SeverityWarning, CodeInvalidName,
				fmt.Sprintf("%q is not a valid field name and %q is not either: it %s", f.FieldName, to, p), "fix the original name"))
		}
		if len(to) > redcap.AdvisedFieldNameLen && len(f.FieldName) <= redcap.AdvisedFieldNameLen {
			diags = append(diags, redcap.At(f, redcap.ColFieldName, redcap.SeverityWarning, CodeLongName,
				fmt.Sprintf("new name %q has %d characters; REDCap advises at most %d", to, len(to), redcap.AdvisedFieldNameLen),
				"REDCap accepts up to 100, but exports and some statistics packages cut long names"))
		}
	}
	return plan, diags
}

// Apply renames the fields of d by plan and rewrites every reference to
// them. It changes d in place and reports what could only be rewritten as
// text.
func Apply(d *redcap.Dictionary, plan *Plan) redcap.Diagnostics {
	var diags redcap.Diagnostics
	if plan.Empty() {
		return nil
	}
	// A row in the chosen forms sees both maps; other rows only Global.
	both := make(map[string]string, len(plan.Global)+len(plan.Local))
	for k, v := range plan.Global {
		both[k] = v
	}
	for k, v := range plan.Local {
		both[k] = v
	}
	for i := range d.Fields {
		f := &d.Fields[i]
		m := plan.Global
		if len(plan.Local) > 0 && plan.LocalForms[f.FormName] {
			m = both
		}
		if to, ok := m[f.FieldName]; ok && i > 0 {
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
				diags = append(diags, renameLogic(f, redcap.ColBranchingLogic, sub)...)
			}
		}
		if strings.Contains(f.Choices, "[") && f.FieldType != "sql" { // an SQL query's brackets are SQL
			if sub := mentioned(f.Choices, m); len(sub) > 0 {
				if f.FieldType == "calc" {
					diags = append(diags, renameLogic(f, redcap.ColChoices, sub)...)
				} else {
					f.Choices = logic.RenameInText(f.Choices, sub) // piping in choice labels
				}
			}
		}
	}
	return diags
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
// parse is rewritten as text (the validator reports its syntax).
func renameLogic(f *redcap.Field, c redcap.Column, m map[string]string) redcap.Diagnostics {
	src := f.Get(c)
	out, err := logic.Rename(src, m)
	if err == nil {
		f.Set(c, out)
		return nil
	}
	text := logic.RenameInText(src, m)
	f.Set(c, text)
	if text == src {
		return nil
	}
	return redcap.Diagnostics{redcap.At(f, c, redcap.SeverityWarning, CodeTextual,
		fmt.Sprintf("the logic does not parse (%v); its [field] references were renamed as text", err),
		"check the rewritten logic by hand")}
}

// Run plans and applies cfg on a copy of d. When the plan has errors the
// dictionary is returned unchanged with them.
func Run(d *redcap.Dictionary, cfg Config) (*redcap.Dictionary, redcap.Diagnostics) {
	if err := cfg.Check(); err != nil {
		return d, redcap.Diagnostics{{Severity: redcap.SeverityError, Code: CodeConfig, Message: err.Error(),
			Hint: `config: {"prefix": "sf_", "forms": ["sf12"], "rename": {"old": "new"}}`}}
	}
	plan, diags := MakePlan(d, cfg)
	if diags.HasErrors() {
		return d, diags
	}
	out := d.Clone()
	diags = append(diags, Apply(out, plan)...)
	n := len(plan.Global) + len(plan.Local)
	msg := fmt.Sprintf("renamed %d field(s)", n)
	if plan.Skipped > 0 {
		msg += fmt.Sprintf("; %d already had the prefix %q", plan.Skipped, cfg.Prefix)
	}
	diags = append(diags, redcap.Diagnostic{Severity: redcap.SeverityInfo, Code: CodeSummary, Message: msg})
	return out, diags
}
