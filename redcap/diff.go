package redcap

import (
	"fmt"
	"io"
	"strings"
)

// ColumnChange is one changed cell.
type ColumnChange struct {
	Column string `json:"column"`
	Old    string `json:"old"`
	New    string `json:"new"`
}

// FieldChange lists the changed cells of a field present on both sides.
type FieldChange struct {
	Field   string         `json:"field"`
	Form    string         `json:"form"`
	Columns []ColumnChange `json:"columns"`
}

// FieldRef names a field and its form.
type FieldRef struct {
	Field string `json:"field"`
	Form  string `json:"form"`
}

// Diff is what changes when a project's dictionary becomes another.
type Diff struct {
	FormsAdded    []string      `json:"forms_added"`
	FormsRemoved  []string      `json:"forms_removed"`
	FieldsAdded   []FieldRef    `json:"fields_added"`
	FieldsRemoved []FieldRef    `json:"fields_removed"`
	FieldsChanged []FieldChange `json:"fields_changed"`
	// FieldsRenamed are removed fields matched to added fields of the same
	// form, type, label and choices; they are in neither list above.
	FieldsRenamed []FieldRename `json:"fields_renamed"`
	// Critical lists the changes that can lose data or change what stored
	// values mean (REDCap's "critical" changes in Draft Mode).
	Critical []CriticalChange `json:"critical"`
	// OrderChanged is true when fields present on both sides are in another order.
	OrderChanged bool `json:"order_changed"`
	// RecordsNote says why records were not counted for the critical
	// changes (CriticalChange.Records), when they were not.
	RecordsNote string `json:"records_note,omitempty"`
}

// FieldRename is a field that disappears while an identical one with
// another name appears in the same form.
type FieldRename struct {
	From string `json:"from"`
	To   string `json:"to"`
	Form string `json:"form"`
}

// NeedsAllowCritical lists the critical changes that are not deletions.
func (d Diff) NeedsAllowCritical() []CriticalChange {
	var out []CriticalChange
	for _, c := range d.Critical {
		if !c.Kind.IsDeletion() {
			out = append(out, c)
		}
	}
	return out
}

// Empty reports whether nothing changes.
func (d Diff) Empty() bool {
	return len(d.FormsAdded) == 0 && len(d.FormsRemoved) == 0 && len(d.FieldsAdded) == 0 &&
		len(d.FieldsRemoved) == 0 && len(d.FieldsChanged) == 0 && len(d.FieldsRenamed) == 0 && !d.OrderChanged
}

// Compare computes the diff from before to after, field by field and column by
// column. Fields are matched by name (the first occurrence of a name).
func Compare(before, after *Dictionary) Diff {
	var d Diff
	oldForms, newForms := setOf(before.Forms()), setOf(after.Forms())
	for _, f := range after.Forms() {
		if !oldForms[f] {
			d.FormsAdded = append(d.FormsAdded, f)
		}
	}
	for _, f := range before.Forms() {
		if !newForms[f] {
			d.FormsRemoved = append(d.FormsRemoved, f)
		}
	}
	oldIdx, newIdx := before.Index(), after.Index()
	var commonOld, commonNew []string
	for i := range after.Fields {
		nf := &after.Fields[i]
		if newIdx[nf.FieldName] != i {
			continue // a repeated name; validation reports it
		}
		j, ok := oldIdx[nf.FieldName]
		if !ok {
			d.FieldsAdded = append(d.FieldsAdded, FieldRef{nf.FieldName, nf.FormName})
			continue
		}
		commonNew = append(commonNew, nf.FieldName)
		of := &before.Fields[j]
		var cols []ColumnChange
		for c := Column(0); c < NumColumns; c++ {
			if ov, nv := of.Get(c), nf.Get(c); ov != nv {
				cols = append(cols, ColumnChange{Column: c.Key(), Old: ov, New: nv})
			}
		}
		d.Critical = append(d.Critical, fieldCritical(of, nf)...)
		if len(cols) > 0 {
			d.FieldsChanged = append(d.FieldsChanged, FieldChange{Field: nf.FieldName, Form: nf.FormName, Columns: cols})
		}
	}
	for i := range before.Fields {
		of := &before.Fields[i]
		if oldIdx[of.FieldName] != i {
			continue
		}
		if _, ok := newIdx[of.FieldName]; !ok {
			d.FieldsRemoved = append(d.FieldsRemoved, FieldRef{of.FieldName, of.FormName})
			continue
		}
		commonOld = append(commonOld, of.FieldName)
	}
	d.OrderChanged = strings.Join(commonOld, "\x00") != strings.Join(commonNew, "\x00")
	d.classifyRemovals(before, after)
	return d
}

// classifyRemovals turns removed+added pairs into renames and lists the
// deletions and renames as critical changes, ahead of the field changes.
func (d *Diff) classifyRemovals(before, after *Dictionary) {
	pairs := renames(before, after, d.FieldsRemoved, d.FieldsAdded)
	gone, come := map[string]bool{}, map[string]bool{}
	for _, p := range pairs {
		gone[p[0].Field], come[p[1].Field] = true, true
		d.FieldsRenamed = append(d.FieldsRenamed, FieldRename{From: p[0].Field, To: p[1].Field, Form: p[1].Form})
	}
	d.FieldsRemoved = without(d.FieldsRemoved, gone)
	d.FieldsAdded = without(d.FieldsAdded, come)
	var crit []CriticalChange
	for _, f := range d.FormsRemoved {
		crit = append(crit, CriticalChange{Kind: CriticalFormDeleted, Form: f})
	}
	for _, f := range d.FieldsRemoved {
		crit = append(crit, CriticalChange{Kind: CriticalFieldDeleted, Field: f.Field, Form: f.Form})
	}
	for _, r := range d.FieldsRenamed {
		crit = append(crit, CriticalChange{Kind: CriticalRenamed, Field: r.From, Form: r.Form, Old: r.From, New: r.To})
	}
	d.Critical = append(crit, d.Critical...)
}

func without(refs []FieldRef, drop map[string]bool) []FieldRef {
	var out []FieldRef
	for _, r := range refs {
		if !drop[r.Field] {
			out = append(out, r)
		}
	}
	return out
}

func setOf(xs []string) map[string]bool {
	m := make(map[string]bool, len(xs))
	for _, x := range xs {
		m[x] = true
	}
	return m
}

// WriteText prints the diff for a person: one line per form or field,
// changed cells indented below their field.
func (d Diff) WriteText(w io.Writer) error {
	var b strings.Builder
	if d.Empty() {
		b.WriteString("no changes\n")
	}
	for _, f := range d.FormsAdded {
		fmt.Fprintf(&b, "+ form %s\n", f)
	}
	for _, f := range d.FormsRemoved {
		fmt.Fprintf(&b, "- form %s\n", f)
	}
	for _, f := range d.FieldsAdded {
		fmt.Fprintf(&b, "+ field %s (%s)\n", f.Field, f.Form)
	}
	for _, f := range d.FieldsRemoved {
		fmt.Fprintf(&b, "- field %s (%s)\n", f.Field, f.Form)
	}
	for _, r := range d.FieldsRenamed {
		fmt.Fprintf(&b, "> field %s -> %s (%s): a rename; the data of %s is lost unless migrated\n", r.From, r.To, r.Form, r.From)
	}
	for _, f := range d.FieldsChanged {
		fmt.Fprintf(&b, "~ field %s (%s)\n", f.Field, f.Form)
		for _, c := range f.Columns {
			fmt.Fprintf(&b, "    %s: %q -> %q\n", c.Column, c.Old, c.New)
		}
	}
	if d.OrderChanged {
		b.WriteString("~ field order changes\n")
	}
	if len(d.Critical) > 0 {
		fmt.Fprintf(&b, "critical changes (%d): data in the project's records may be lost or change meaning\n", len(d.Critical))
		for _, c := range d.Critical {
			fmt.Fprintf(&b, "  ! %s\n", c)
		}
		if d.RecordsNote != "" {
			fmt.Fprintf(&b, "  records not counted: %s\n", d.RecordsNote)
		}
	}
	fmt.Fprintf(&b, "%d forms added, %d removed; %d fields added, %d removed, %d changed",
		len(d.FormsAdded), len(d.FormsRemoved), len(d.FieldsAdded), len(d.FieldsRemoved), len(d.FieldsChanged))
	if len(d.FieldsRenamed) > 0 {
		fmt.Fprintf(&b, ", %d renamed", len(d.FieldsRenamed))
	}
	b.WriteString("\n")
	_, err := io.WriteString(w, b.String())
	return err
}
