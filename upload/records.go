package upload

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/rcolpipe/rcolpipe/redcap"
	"github.com/rcolpipe/rcolpipe/redcap/api"
)

// countAffected counts, for each critical change of d, how many records
// hold data the change affects, and sets CriticalChange.Records. It asks
// for the records of the changed fields only (one request, and only when
// there are critical changes). When they cannot be read (no export right,
// a failed export) the counts stay unset and d.RecordsNote says why; the
// upload goes on, since the count informs and does not decide.
func countAffected(ctx context.Context, c *api.Client, before *redcap.Dictionary, d *redcap.Diff) {
	if len(d.Critical) == 0 {
		return
	}
	var fields []string
	for _, ch := range d.Critical {
		for _, f := range changedFields(before, ch) {
			if !slices.Contains(fields, f.FieldName) {
				fields = append(fields, f.FieldName)
			}
		}
	}
	rows, err := c.ExportRecords(ctx, fields)
	if err != nil {
		d.RecordsNote = fmt.Sprintf("the project's records could not be exported to count the data these changes affect (%v); check the records before going on", err)
		return
	}
	idField := before.RecordID()
	var hidden []string
	for i, ch := range d.Critical {
		n, ok := countChange(rows, idField, changedFields(before, ch), ch)
		if !ok {
			if !slices.Contains(hidden, ch.Field) {
				hidden = append(hidden, ch.Field)
			}
			continue
		}
		d.Critical[i].Records = &n
	}
	if len(hidden) > 0 {
		d.RecordsNote = fmt.Sprintf("the record export leaves out %s (the token's data export rights), so those changes were not counted", strings.Join(hidden, ", "))
	}
}

// changedFields are the fields of the project (before) whose data a
// change touches: the field, or every field of a deleted form but the
// record ID.
func changedFields(before *redcap.Dictionary, ch redcap.CriticalChange) []*redcap.Field {
	if ch.Kind == redcap.CriticalFormDeleted {
		var out []*redcap.Field
		for _, f := range before.FormFields(ch.Form) {
			if f.FieldName != before.RecordID() && f.FieldType != "descriptive" {
				out = append(out, f)
			}
		}
		return out
	}
	if f := before.Field(ch.Field); f != nil && f.FieldType != "descriptive" {
		return []*redcap.Field{f}
	}
	return nil
}

// countChange counts the records (distinct record IDs: a longitudinal or
// repeating project exports a row per event and instance) holding data
// the change affects. ok is false when the export has none of the
// fields' columns although it has rows: the user may not export them.
func countChange(rows []map[string]string, idField string, fields []*redcap.Field, ch redcap.CriticalChange) (n int, ok bool) {
	if len(fields) == 0 {
		return 0, true
	}
	records := map[string]bool{}
	seenColumn := false
	for _, row := range rows {
		for _, f := range fields {
			hit, present := affects(row, f, ch)
			seenColumn = seenColumn || present
			if hit {
				records[row[idField]] = true
			}
		}
	}
	if len(rows) > 0 && !seenColumn {
		return 0, false
	}
	return len(records), true
}

// affects reports whether row holds data of f that ch affects, and
// whether row has a column of f at all. A checkbox stores one 0/1 column
// per code (f___code); every other field one column.
func affects(row map[string]string, f *redcap.Field, ch redcap.CriticalChange) (hit, present bool) {
	if redcap.StoredFieldType(f.FieldType) == "checkbox" {
		for _, choice := range redcap.SplitChoices(f.Choices) {
			v, ok := row[f.FieldName+"___"+redcap.CheckboxExportCode(choice.Code)]
			present = present || ok
			if v != "1" {
				continue
			}
			switch ch.Kind {
			case redcap.CriticalChoiceRemoved, redcap.CriticalChoiceRecoded:
				if choice.Code == ch.Code {
					hit = true
				}
			default:
				hit = true
			}
		}
		return hit, present
	}
	v, ok := row[f.FieldName]
	if v == "" {
		return false, ok
	}
	switch ch.Kind {
	case redcap.CriticalChoiceRemoved, redcap.CriticalChoiceRecoded:
		return v == ch.Code, ok
	}
	return true, ok
}
