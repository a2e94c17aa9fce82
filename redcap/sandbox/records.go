package sandbox

import (
	"encoding/csv"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/rcolpipe/rcolpipe/redcap"
)

// Messages of the record methods. The field-list one is REDCap's; the
// import messages follow REDCap's per-cell form (record, field, value,
// message) with the sandbox's own wording (docs/sandbox.md).
const (
	msgRecordBadFields = "The following values in the parameter \"fields\" are not valid: %s"
	msgRecordNoID      = "The record ID field (%s) is missing from row %d: every row must name its record."
	msgRecordUnknown   = "The following fields were not found in the project as real data fields: %s"
	msgRecordBadType   = "The sandbox only emulates type=flat record exports."
	msgRecordOverwrite = "The value of the parameter \"overwriteBehavior\" is not valid (want normal or overwrite)."
)

// recordColumn is one export column of the record export: a field, or
// one choice of a checkbox field.
type recordColumn struct {
	name  string       // export name (field, or field___code)
	field redcap.Field // as exported (normalised types)
	form  string
	// code is the checkbox choice; "" for other fields.
	code       string
	isCheckbox bool
}

// recordColumns lists the export columns in project order; <form>_complete
// fields are included, descriptive fields have none.
func recordColumns(p *Project) []recordColumn {
	var out []recordColumn
	for i := range p.Metadata {
		f := p.Metadata[i]
		if f.FieldType == "descriptive" {
			continue
		}
		if !isComplete(&f) {
			f = toExport(f)
		} else {
			f.Choices = strings.ReplaceAll(f.Choices, storedNewline, "|")
		}
		if f.FieldType == "checkbox" {
			for _, ch := range parseChoices(f.Choices) {
				out = append(out, recordColumn{name: f.FieldName + "___" + redcap.CheckboxExportCode(ch.code), field: f, form: f.FormName, code: ch.code, isCheckbox: true})
			}
			continue
		}
		out = append(out, recordColumn{name: f.FieldName, field: f, form: f.FormName})
	}
	return out
}

// recordIDField is the project's first field.
func recordIDField(p *Project) string {
	if len(p.Metadata) == 0 {
		return ""
	}
	return p.Metadata[0].FieldName
}

// exportRecords is content=record export, type flat, raw values.
func (s *Server) exportRecords(w http.ResponseWriter, req *request, u *User, p *Project) {
	rf := req.returnFormat
	if req.recordType != "" && req.recordType != "flat" {
		writeError(w, http.StatusBadRequest, msgRecordBadType, rf)
		return
	}
	cols := recordColumns(p)
	idField := recordIDField(p)
	var want map[string]bool
	if len(req.fields) > 0 {
		want = map[string]bool{idField: true}
		known := map[string]bool{}
		for _, c := range cols {
			known[c.field.FieldName] = true
		}
		var bad []string
		for _, f := range req.fields {
			if !known[f] {
				bad = append(bad, "'"+f+"'")
			}
			want[f] = true
		}
		if len(bad) > 0 {
			writeError(w, http.StatusBadRequest, fmt.Sprintf(msgRecordBadFields, strings.Join(bad, ", ")), rf)
			return
		}
	}
	var keep []recordColumn
	for _, c := range cols {
		if want != nil && !want[c.field.FieldName] {
			continue
		}
		if c.field.FieldName != idField && !mayExport(u, c) {
			continue
		}
		keep = append(keep, c)
	}
	out := make([]row, 0, len(p.Records))
	for _, rec := range p.Records {
		r := make(row, len(keep))
		for i, c := range keep {
			v := rec[c.name]
			if c.isCheckbox && v == "" {
				v = "0"
			}
			r[i] = kv{c.name, v}
		}
		out = append(out, r)
	}
	if len(out) == 0 && req.format == "csv" {
		// No records: the header line alone.
		var b strings.Builder
		cw := csv.NewWriter(&b)
		names := make([]string, len(keep))
		for i, c := range keep {
			names[i] = c.name
		}
		_ = cw.Write(names)
		cw.Flush()
		w.Header().Set("Content-Type", contentType("csv"))
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write([]byte(b.String()))
		return
	}
	writeRecords(w, req.format, "records", out, false)
}

// mayExport applies the form's data export right: no access drops the
// column; de-identified and remove-identifiers drop identifier fields.
func mayExport(u *User, c recordColumn) bool {
	switch u.Rights.FormsExport[c.form] {
	case 0:
		return false
	case 1:
		return true
	}
	return c.field.Identifier != "y"
}

// importRecords is content=record import: flat rows, every cell checked
// against the dictionary, all or nothing.
func (s *Server) importRecords(w http.ResponseWriter, req *request, u *User, p *Project, rows []row) {
	rf := req.returnFormat
	overwrite := false
	switch req.overwrite {
	case "", "normal":
	case "overwrite":
		overwrite = true
	default:
		writeError(w, http.StatusBadRequest, msgRecordOverwrite, rf)
		return
	}
	if req.format == "csv" {
		var err error
		if rows, err = decodeCSVRows(req.data); err != nil {
			writeError(w, http.StatusBadRequest, msg400, rf)
			return
		}
	}
	cols := map[string]recordColumn{}
	for _, c := range recordColumns(p) {
		cols[c.name] = c
	}
	idField := recordIDField(p)
	var unknown, cellErrs []string
	seenUnknown := map[string]bool{}
	for i, r := range rows {
		id := ""
		for _, e := range r {
			if e.key == idField {
				id = scalarString(e.val)
			}
		}
		if strings.TrimSpace(id) == "" {
			writeError(w, http.StatusBadRequest, fmt.Sprintf(msgRecordNoID, idField, i+1), rf)
			return
		}
		for _, e := range r {
			c, ok := cols[e.key]
			if !ok {
				if !seenUnknown[e.key] {
					seenUnknown[e.key] = true
					unknown = append(unknown, e.key)
				}
				continue
			}
			if msg := s.checkValue(c, scalarString(e.val)); msg != "" {
				cellErrs = append(cellErrs, csvLine(id, e.key, scalarString(e.val), msg))
			}
		}
	}
	if len(unknown) > 0 {
		writeError(w, http.StatusBadRequest, fmt.Sprintf(msgRecordUnknown, strings.Join(unknown, ", ")), rf)
		return
	}
	if len(cellErrs) > 0 {
		writeError(w, http.StatusBadRequest, strings.Join(cellErrs, "\n"), rf)
		return
	}
	before := p.Clone()
	var ids []string
	for _, r := range rows {
		id := ""
		for _, e := range r {
			if e.key == idField {
				id = scalarString(e.val)
			}
		}
		idx := slices.IndexFunc(p.Records, func(rec Record) bool { return rec[idField] == id })
		if idx < 0 {
			p.Records = append(p.Records, Record{idField: id})
			idx = len(p.Records) - 1
			s.logEvent(p, u, LogRecordAdd, LogActionRecordAdd, "", id)
		} else {
			s.logEvent(p, u, LogRecordEdit, LogActionRecordEdit, "", id)
		}
		rec := p.Records[idx]
		for _, e := range r {
			v := scalarString(e.val)
			if v == "" && !overwrite {
				continue // normal: an empty value never blanks a stored one
			}
			if v == "" {
				delete(rec, e.key)
				continue
			}
			rec[e.key] = v
		}
		if !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	if err := s.saveLocked(); err != nil {
		*p = *before
		writeError(w, http.StatusInternalServerError, msgUploadFailed, rf)
		return
	}
	w.Header().Set("Content-Type", contentType(req.format))
	w.WriteHeader(http.StatusOK)
	if req.format == "json" {
		_, _ = w.Write([]byte(`{"count": ` + strconv.Itoa(len(ids)) + `}`))
		return
	}
	_, _ = w.Write([]byte(strconv.Itoa(len(ids))))
}

// checkValue says what is wrong with a raw value for a column, or "".
func (s *Server) checkValue(c recordColumn, v string) string {
	if v == "" {
		return ""
	}
	f := c.field
	switch {
	case c.isCheckbox:
		if v != "0" && v != "1" {
			return "The value of a checkbox must be 0 or 1."
		}
	case redcap.HasCodedChoices(f.FieldType) || isComplete(&f):
		for _, ch := range parseChoices(f.Choices) {
			if ch.code == v {
				return ""
			}
		}
		return "The value is not a valid category for " + f.FieldName
	case redcap.IsYesNoLike(f.FieldType):
		if v != "0" && v != "1" {
			return "The value is not a valid category for " + f.FieldName
		}
	case f.FieldType == "text" && f.Validation != "":
		if re, ok := s.vt.byName[f.Validation]; ok && !re.MatchString(v) {
			return "The value you provided could not be validated because it does not follow the expected format (" + f.Validation + ")."
		}
	}
	return ""
}

// csvLine writes one per-cell error as REDCap does: quoted values joined
// by commas.
func csvLine(values ...string) string {
	q := make([]string, len(values))
	for i, v := range values {
		q[i] = `"` + strings.ReplaceAll(v, `"`, `""`) + `"`
	}
	return strings.Join(q, ",")
}
