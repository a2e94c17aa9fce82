package redcap

import (
	"fmt"
	"strings"
)

// CriticalKind names a change that REDCap's Draft Mode marks as critical:
// one that can lose a project's data or change what stored values mean.
type CriticalKind string

// The kinds of critical change. Deletions need --allow-delete; every other
// kind needs --allow-critical.
const (
	CriticalFieldDeleted      CriticalKind = "field-deleted"
	CriticalFormDeleted       CriticalKind = "form-deleted"
	CriticalRenamed           CriticalKind = "renamed"
	CriticalTypeChanged       CriticalKind = "type-changed"
	CriticalValidationChanged CriticalKind = "validation-changed"
	CriticalChoiceRemoved     CriticalKind = "choice-removed"
	CriticalChoiceRecoded     CriticalKind = "choice-recoded"
)

// IsDeletion reports whether the kind deletes a field or form outright.
func (k CriticalKind) IsDeletion() bool {
	return k == CriticalFieldDeleted || k == CriticalFormDeleted
}

// CriticalChange is one critical change of the project's dictionary.
type CriticalChange struct {
	Kind CriticalKind `json:"kind"`
	// Field is the field in the project (empty for a deleted form).
	Field string `json:"field,omitempty"`
	Form  string `json:"form"`
	// Old and New are the values that change: a type, a validation, a
	// choice's label, or (renamed) the field's old and new names.
	Old string `json:"old,omitempty"`
	New string `json:"new,omitempty"`
	// Code is the choice code, for choice changes.
	Code string `json:"code,omitempty"`
	// Records is how many records hold data the change affects; nil when
	// it was not counted.
	Records *int `json:"records,omitempty"`
}

// String says what the change does to the data, in one line, with the
// number of records it affects when they were counted.
func (c CriticalChange) String() string {
	s := c.describe()
	if c.Records != nil {
		s += fmt.Sprintf(" [%s]", RecordCount(*c.Records))
	}
	return s
}

// RecordCount says how many records hold data a change affects.
func RecordCount(n int) string {
	switch n {
	case 0:
		return "no record holds affected data"
	case 1:
		return "1 record holds affected data"
	}
	return fmt.Sprintf("%d records hold affected data", n)
}

func (c CriticalChange) describe() string {
	where := fmt.Sprintf("%s (%s)", c.Field, c.Form)
	switch c.Kind {
	case CriticalFormDeleted:
		return fmt.Sprintf("form %s is deleted: the data of all its fields is lost", c.Form)
	case CriticalFieldDeleted:
		return fmt.Sprintf("field %s is deleted: its data is lost", where)
	case CriticalRenamed:
		return fmt.Sprintf("field %s is renamed to %s: REDCap deletes %s with its data and adds an empty %s; migrate the data (export the records, rename the column, import them) after the upload", where, c.New, c.Old, c.New)
	case CriticalTypeChanged:
		return fmt.Sprintf("field %s changes type %s -> %s: stored values may not fit or may be read differently", where, c.Old, c.New)
	case CriticalValidationChanged:
		return fmt.Sprintf("field %s changes validation %q -> %q: stored values may no longer validate", where, c.Old, c.New)
	case CriticalChoiceRemoved:
		return fmt.Sprintf("field %s loses choice %s (%q): records holding %s keep a code the field no longer has", where, c.Code, c.Old, c.Code)
	case CriticalChoiceRecoded:
		return fmt.Sprintf("field %s recodes choice %s: %q -> %q, a label another code had, so stored %s changes meaning", where, c.Code, c.Old, c.New, c.Code)
	}
	return fmt.Sprintf("field %s: %s", where, c.Kind)
}

// typeChangeIsCritical reports whether changing a field's type from old to
// new can lose or change stored data. radio and dropdown store the same
// single code, so switching between them is safe; every other change is
// critical. checkbox stores one 0/1 value per code (field___code), so any
// change to or from it loses data. REDCap's Draft Mode marks every other
// type change critical too (text -> notes included), and so does rcolpipe.
func typeChangeIsCritical(old, new string) bool {
	old, new = StoredFieldType(old), StoredFieldType(new)
	if old == new {
		return false
	}
	single := func(t string) bool { return t == "radio" || t == "dropdown" }
	return !(single(old) && single(new))
}

// renames finds fields that disappear while a field with another name but
// the same form, type, label and choices appears: REDCap sees a deletion
// and an addition, and the data of the old field is lost. Each removed
// and each added field pairs at most once, in dictionary order.
func renames(before, after *Dictionary, removed, added []FieldRef) (pairs [][2]FieldRef) {
	used := map[string]bool{}
	for _, r := range removed {
		of := before.Field(r.Field)
		if of == nil {
			continue
		}
		for _, a := range added {
			nf := after.Field(a.Field)
			if used[a.Field] || nf == nil {
				continue
			}
			if nf.FormName == of.FormName && StoredFieldType(nf.FieldType) == StoredFieldType(of.FieldType) &&
				nf.FieldLabel == of.FieldLabel && sameChoices(nf.Choices, of.Choices) {
				used[a.Field] = true
				pairs = append(pairs, [2]FieldRef{r, a})
				break
			}
		}
	}
	return pairs
}

func sameChoices(a, b string) bool {
	ca, cb := SplitChoices(a), SplitChoices(b)
	if len(ca) != len(cb) {
		return false
	}
	for i := range ca {
		if ca[i].Code != cb[i].Code || ca[i].Label != cb[i].Label {
			return false
		}
	}
	return true
}

// fieldCritical classifies the changes of a field present on both sides.
func fieldCritical(of, nf *Field) []CriticalChange {
	var out []CriticalChange
	base := CriticalChange{Field: nf.FieldName, Form: nf.FormName}
	if typeChangeIsCritical(of.FieldType, nf.FieldType) {
		c := base
		c.Kind, c.Old, c.New = CriticalTypeChanged, of.FieldType, nf.FieldType
		out = append(out, c)
	}
	// Column H is a validation only on text fields (on sliders it shows
	// the number; on dropdowns autocomplete changes no stored value).
	// Removing a validation leaves every stored value valid.
	if StoredFieldType(of.FieldType) == "text" && StoredFieldType(nf.FieldType) == "text" && of.Validation != nf.Validation && nf.Validation != "" {
		c := base
		c.Kind, c.Old, c.New = CriticalValidationChanged, of.Validation, nf.Validation
		out = append(out, c)
	}
	if HasCodedChoices(StoredFieldType(of.FieldType)) && HasCodedChoices(StoredFieldType(nf.FieldType)) {
		out = append(out, choiceCritical(base, SplitChoices(of.Choices), SplitChoices(nf.Choices))...)
	}
	return out
}

// choiceCritical finds removed codes, and codes that stay but now carry a
// label another code had: stored values of that code change meaning.
// Relabelling a code to a new text, adding codes and reordering choices
// keep what stored values mean.
func choiceCritical(base CriticalChange, old, new []Choice) []CriticalChange {
	norm := func(s string) string { return strings.ToLower(strings.Join(strings.Fields(s), " ")) }
	oldLabel := map[string]string{}
	codeOfOldLabel := map[string]string{}
	for _, c := range old {
		if _, ok := oldLabel[c.Code]; !ok {
			oldLabel[c.Code] = c.Label
		}
		if _, ok := codeOfOldLabel[norm(c.Label)]; !ok {
			codeOfOldLabel[norm(c.Label)] = c.Code
		}
	}
	newLabel := map[string]string{}
	for _, c := range new {
		if _, ok := newLabel[c.Code]; !ok {
			newLabel[c.Code] = c.Label
		}
	}
	var out []CriticalChange
	seen := map[string]bool{}
	for _, c := range old {
		if seen[c.Code] {
			continue
		}
		seen[c.Code] = true
		nl, ok := newLabel[c.Code]
		if !ok {
			ch := base
			ch.Kind, ch.Code, ch.Old = CriticalChoiceRemoved, c.Code, c.Label
			out = append(out, ch)
			continue
		}
		if norm(nl) == norm(c.Label) {
			continue
		}
		if other, ok := codeOfOldLabel[norm(nl)]; ok && other != c.Code {
			ch := base
			ch.Kind, ch.Code, ch.Old, ch.New = CriticalChoiceRecoded, c.Code, c.Label, nl
			out = append(out, ch)
		}
	}
	return out
}
