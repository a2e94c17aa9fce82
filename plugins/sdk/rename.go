package sdk

import (
	"fmt"

	"github.com/rcolpipe/rcolpipe/redcap"
	"github.com/rcolpipe/rcolpipe/redcap/logic"
)

// RenameFields renames fields (old name → new name) and rewrites every
// reference to them: branching logic and calculations (parsed, via
// redcap/logic), and [field] piping in section headers, labels, notes,
// choices and annotations, action-tag arguments included. It refuses a
// rename onto a name that another field keeps, two fields renamed to the
// same name, and logic that does not parse (the error names the field and
// column). On error d is unchanged.
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
	// One checked renamer for every cell: checking the map per call costs
	// fields × map size.
	r, err := logic.NewRenamer(renames)
	if err != nil {
		return fmt.Errorf("rename: %w", err)
	}
	out := make([]redcap.Field, len(d.Fields))
	copy(out, d.Fields)
	for i := range out {
		f := &out[i]
		if nu, ok := renames[f.FieldName]; ok {
			f.FieldName = nu
		}
		bl, err := r.Rename(f.BranchingLogic)
		if err != nil {
			return fmt.Errorf("rename: field %s, branching_logic: %w", d.Fields[i].FieldName, err)
		}
		f.BranchingLogic = bl
		if f.FieldType == "calc" {
			calc, err := r.Rename(f.Choices)
			if err != nil {
				return fmt.Errorf("rename: field %s, calculation: %w", d.Fields[i].FieldName, err)
			}
			f.Choices = calc
		} else {
			f.Choices = r.RenameInText(f.Choices)
		}
		f.SectionHeader = r.RenameInText(f.SectionHeader)
		f.FieldLabel = r.RenameInText(f.FieldLabel)
		f.FieldNote = r.RenameInText(f.FieldNote)
		f.FieldAnnotation = r.RenameInText(f.FieldAnnotation)
	}
	d.Fields = out
	return nil
}
