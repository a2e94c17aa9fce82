// Package dictdiff compares two data dictionaries offline, for review: the
// same change model as an upload (redcap.Compare: forms and fields added,
// removed, renamed and changed, and REDCap's critical changes), with what a
// reviewer needs to read it: each added or removed field's type and label,
// and word-level diffs of long values instead of whole values. It also reads
// the inputs as they were at a git revision (Revision), so a pull request
// can be compared with its base. Writers for the formats are in package
// output.
package dictdiff

import (
	"strings"

	"github.com/rcolpipe/rcolpipe/redcap"
)

// Report is what changes from Old to New, ready to print.
type Report struct {
	// Old and New name what was compared ("old.json", "HEAD~1:instruments").
	Old string `json:"old"`
	New string `json:"new"`
	// Empty is true when nothing changes.
	Empty         bool                 `json:"empty"`
	FormsAdded    []FormInfo           `json:"forms_added"`
	FormsRemoved  []FormInfo           `json:"forms_removed"`
	FieldsAdded   []FieldInfo          `json:"fields_added"`
	FieldsRemoved []FieldInfo          `json:"fields_removed"`
	FieldsRenamed []redcap.FieldRename `json:"fields_renamed"`
	FieldsChanged []FieldChange        `json:"fields_changed"`
	OrderChanged  bool                 `json:"order_changed"`
	Critical      []Critical           `json:"critical"`
	// Notes say what the reader should know about the sides (a file that
	// is on one side only).
	Notes []string `json:"notes"`
}

// FormInfo is a form that is added or removed, with its number of fields.
type FormInfo struct {
	Form   string `json:"form"`
	Fields int    `json:"fields"`
}

// FieldInfo is a field that is added (as it is in New) or removed (as it
// was in Old).
type FieldInfo struct {
	Field      string `json:"field"`
	Form       string `json:"form"`
	Type       string `json:"type"`
	Validation string `json:"validation,omitempty"`
	Label      string `json:"label"`
}

// FieldChange lists the changed columns of a field that is on both sides.
type FieldChange struct {
	Field   string         `json:"field"`
	Form    string         `json:"form"`
	Columns []ColumnChange `json:"columns"`
}

// ColumnChange is one changed cell: both values whole, and for a long
// value the places that change with a little context (Hunks). Long is
// true when the writers should show the hunks instead of the values;
// TooLong when the values were too long to compare word by word.
type ColumnChange struct {
	Column  string `json:"column"`
	Old     string `json:"old"`
	New     string `json:"new"`
	Long    bool   `json:"long"`
	TooLong bool   `json:"too_long,omitempty"`
	Hunks   []Hunk `json:"hunks,omitempty"`
}

// Critical is one of REDCap's critical changes with its sentence.
type Critical struct {
	redcap.CriticalChange
	Message string `json:"message"`
}

// shortValue is the longest value shown whole in a change ("old" -> "new").
const shortValue = 60

// Compare compares old with new. oldName and newName say what the sides are.
func Compare(oldName string, old *redcap.Dictionary, newName string, new *redcap.Dictionary) *Report {
	d := redcap.Compare(old, new)
	// Empty lists, not nulls, in JSON: a script can count without a check.
	r := &Report{Old: oldName, New: newName, Empty: d.Empty(), OrderChanged: d.OrderChanged,
		FormsAdded: []FormInfo{}, FormsRemoved: []FormInfo{}, FieldsAdded: []FieldInfo{}, FieldsRemoved: []FieldInfo{},
		FieldsRenamed: append([]redcap.FieldRename{}, d.FieldsRenamed...), FieldsChanged: []FieldChange{},
		Critical: []Critical{}, Notes: []string{}}
	for _, f := range d.FormsAdded {
		r.FormsAdded = append(r.FormsAdded, FormInfo{Form: f, Fields: len(new.FormFields(f))})
	}
	for _, f := range d.FormsRemoved {
		r.FormsRemoved = append(r.FormsRemoved, FormInfo{Form: f, Fields: len(old.FormFields(f))})
	}
	for _, f := range d.FieldsAdded {
		r.FieldsAdded = append(r.FieldsAdded, fieldInfo(new.Field(f.Field), f))
	}
	for _, f := range d.FieldsRemoved {
		r.FieldsRemoved = append(r.FieldsRemoved, fieldInfo(old.Field(f.Field), f))
	}
	for _, fc := range d.FieldsChanged {
		c := FieldChange{Field: fc.Field, Form: fc.Form}
		for _, col := range fc.Columns {
			c.Columns = append(c.Columns, columnChange(col))
		}
		r.FieldsChanged = append(r.FieldsChanged, c)
	}
	for _, c := range d.Critical {
		r.Critical = append(r.Critical, Critical{CriticalChange: c, Message: c.String()})
	}
	return r
}

func fieldInfo(f *redcap.Field, ref redcap.FieldRef) FieldInfo {
	fi := FieldInfo{Field: ref.Field, Form: ref.Form}
	if f != nil {
		fi.Type, fi.Label = f.FieldType, f.FieldLabel
		if redcap.StoredFieldType(f.FieldType) == "text" {
			fi.Validation = f.Validation
		}
	}
	return fi
}

// columnChange keeps short single-line values whole and diffs the others
// word by word.
func columnChange(c redcap.ColumnChange) ColumnChange {
	out := ColumnChange{Column: c.Column, Old: c.Old, New: c.New}
	if len(c.Old) <= shortValue && len(c.New) <= shortValue && !strings.ContainsAny(c.Old+c.New, "\r\n") {
		return out
	}
	out.Long = true
	segs, ok := WordDiff(c.Old, c.New)
	if !ok {
		out.TooLong = true
		return out
	}
	out.Hunks = Hunks(segs)
	return out
}
