package redcap

import "fmt"

// Stack joins dictionaries in the order given, as rcol users do with
// pd.concat. When a later input starts with the same record-ID field as the
// first input (every instrument file carries record_id), that later copy is
// dropped with an info diagnostic; any other repeated field name stays, for
// validation to report. Nil dictionaries are skipped. The inputs are not
// changed.
func Stack(dicts ...*Dictionary) (*Dictionary, Diagnostics) {
	out := &Dictionary{}
	var diags Diagnostics
	recordID := ""
	var first *Field
	for _, d := range dicts {
		if d == nil {
			continue
		}
		out.Files = append(out.Files, d.Files...)
		if len(d.Fields) == 0 {
			continue
		}
		fields := d.Fields
		if first == nil {
			recordID = fields[0].FieldName
			out.Fields = append(out.Fields, fields...)
			first = &out.Fields[0]
			continue
		}
		if f := &fields[0]; f.FieldName == recordID {
			msg := fmt.Sprintf("record-ID field %s repeats the first input's (%s); this copy was dropped", excerpt(recordID), originString(first.Origin))
			if !f.SameData(first) {
				msg += "; it differs from the first (the first one is kept)"
			}
			diags = append(diags, Diagnostic{Severity: SeverityInfo, Code: CodeRecordIDDropped, File: f.Origin.File, Line: f.Origin.Line, Row: f.Origin.Row,
				Field: recordID, Stage: StageLoad, Message: msg})
			fields = fields[1:]
		}
		out.Fields = append(out.Fields, fields...)
		first = &out.Fields[0] // append may have moved the array
	}
	return out, diags
}

// originString renders "file:line".
func originString(o Origin) string {
	if o.Line > 0 {
		return fmt.Sprintf("%s:%d", o.File, o.Line)
	}
	return o.File
}
