package sandbox

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/rcolpipe/rcolpipe/redcap"
)

// method runs the method file's own checks and work; the caller holds s.mu.
func (s *Server) method(w http.ResponseWriter, req *request, u *User, p *Project, rows []row) {
	rf := req.returnFormat
	switch req.action() + " " + req.content {
	case "export version":
		w.Header().Set("Content-Type", contentType("csv"))
		w.WriteHeader(http.StatusOK)
		v := s.state.Version
		if v == "" {
			v = DefaultVersion
		}
		_, _ = w.Write([]byte(v))
	case "export project":
		writeRecords(w, req.format, "project", []row{projectRow(p)}, true)
	case "export metadata":
		writeRecords(w, req.format, "records", metadataRows(p, req.fields, req.forms), false)
	case "import metadata":
		s.importMetadata(w, req, u, p, rows)
	case "export log":
		s.exportLog(w, req, u, p)
	case "export record":
		s.exportRecords(w, req, u, p)
	case "import record":
		s.importRecords(w, req, u, p, rows)
	case "export instrument":
		var out []row
		for _, in := range p.Instruments {
			out = append(out, row{{"instrument_name", in.Name}, {"instrument_label", in.Label}})
		}
		writeRecords(w, req.format, "records", out, false)
	case "export user":
		if u.Rights.UserRights == 0 {
			writeError(w, http.StatusBadRequest, msgNoUserRights, rf)
			return
		}
		var out []row
		for _, other := range s.state.Users {
			if other.ProjectID == p.ID {
				out = append(out, userRow(other, p))
			}
		}
		writeRecords(w, req.format, "records", out, false)
	case "export repeatingFormsEvents":
		if u.Rights.Design == 0 {
			writeError(w, http.StatusBadRequest, msgNoDesignRepeat, rf)
			return
		}
		if len(p.Repeating) == 0 {
			writeError(w, http.StatusBadRequest, msgNoRepeating, rf)
			return
		}
		var out []row
		for _, r := range p.Repeating {
			out = append(out, row{{"event_name", r.EventName}, {"form_name", r.FormName}, {"custom_form_label", r.CustomFormLabel}})
		}
		writeRecords(w, req.format, "records", out, false)
	case "export fieldValidation":
		var out []row
		for _, vt := range s.vt.types {
			out = append(out, row{{"validation_type", vt.Name}, {"regex", "/" + vt.Regex + "/"}})
		}
		writeRecords(w, req.format, "records", out, false)
	case "export exportFieldNames":
		out, ok := exportFieldNames(p, req.field)
		if !ok {
			writeError(w, http.StatusBadRequest, msgInvalidField, rf)
			return
		}
		writeRecords(w, req.format, "records", out, false)
	case "export arm", "export event", "export formEventMapping", "import arm", "import event", "import formEventMapping",
		"delete arm", "delete event", "import repeatingFormsEvents":
		s.structureMethod(w, req, u, p, rows)
	default:
		writeError(w, http.StatusBadRequest, fmt.Sprintf(msgNotEmulated, req.content, req.action()), rf)
	}
}

// importMetadata is API/metadata/import.php: status, design, parse,
// positional mapping, REDCap's checks, then the whole dictionary replaced.
func (s *Server) importMetadata(w http.ResponseWriter, req *request, u *User, p *Project, rows []row) {
	rf := req.returnFormat
	if p.Status > 0 {
		writeError(w, http.StatusBadRequest, msgProduction, rf)
		return
	}
	if u.Rights.Design == 0 {
		writeError(w, http.StatusBadRequest, msgNoDesign, rf)
		return
	}
	if req.format == "csv" {
		var err error
		rows, err = decodeCSVRows(req.data)
		if err != nil {
			writeError(w, http.StatusBadRequest, msg400, rf)
			return
		}
	}
	if (req.format == "xml" || req.format == "odm") && req.xmlNoItems {
		// REDCap answers 200 with nothing for xml it cannot read as items.
		w.Header().Set("Content-Type", contentType("xml"))
		w.WriteHeader(http.StatusOK)
		return
	}
	fields := make([]redcap.Field, len(rows))
	for i, r := range rows {
		// Keys are ignored: the n-th value goes to the n-th column.
		for c, v := range r.values() {
			if c >= redcap.NumColumns {
				break
			}
			fields[i].Set(redcap.Column(c), v)
		}
	}
	fixed, errs := checkDictionary(fields, checkOptions{project: p, vt: s.vt, dmy: req.dateFormat == "DMY"})
	if len(errs) > 0 {
		writeError(w, http.StatusBadRequest, strings.Join(errs, "\n"), rf)
		return
	}
	before := p.Clone()
	beforeUsers := make([]Rights, len(s.state.Users))
	for i, other := range s.state.Users {
		beforeUsers[i] = other.Rights
	}
	saveDictionary(p, fixed, s.state.Users)
	s.logEvent(p, u, LogManage, LogActionManage, LogDetailsDictionary, "")
	if err := s.saveLocked(); err != nil {
		*p = *before
		for i, other := range s.state.Users {
			other.Rights = beforeUsers[i]
		}
		writeError(w, http.StatusInternalServerError, msgUploadFailed, rf)
		return
	}
	w.Header().Set("Content-Type", contentType(req.format))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write([]byte(strconv.Itoa(len(fixed))))
}

// Clone returns a deep copy of the project.
func (p *Project) Clone() *Project {
	c := *p
	c.Instruments = append([]Instrument(nil), p.Instruments...)
	c.Metadata = append([]redcap.Field(nil), p.Metadata...)
	c.Repeating = append([]Repeating(nil), p.Repeating...)
	c.Arms = append([]ArmState(nil), p.Arms...)
	c.Events = append([]EventState(nil), p.Events...)
	c.FormEvents = append([]FormEventState(nil), p.FormEvents...)
	c.Log = append([]LogEntry(nil), p.Log...)
	if p.Records != nil {
		c.Records = make([]Record, len(p.Records))
		for i, r := range p.Records {
			c.Records[i] = make(Record, len(r))
			for k, v := range r {
				c.Records[i][k] = v
			}
		}
	}
	return &c
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// projectRow is the project export, keys in REDCap's order (docs/redcap.md#project-information).
func projectRow(p *Project) row {
	return row{
		{"project_id", p.ID},
		{"project_title", p.Title},
		{"creation_time", p.CreationTime},
		{"production_time", p.ProductionTime},
		{"in_production", p.Status},
		{"project_language", p.Language},
		{"purpose", p.Purpose},
		{"purpose_other", ""},
		{"project_notes", ""},
		{"custom_record_label", ""},
		{"secondary_unique_field", ""},
		{"is_longitudinal", boolInt(p.IsLongitudinal)},
		{"has_repeating_instruments_or_events", boolInt(len(p.Repeating) > 0)},
		{"surveys_enabled", boolInt(p.SurveysEnabled)},
		{"scheduling_enabled", 0},
		{"record_autonumbering_enabled", 0},
		{"randomization_enabled", 0},
		{"ddp_enabled", 0},
		{"project_irb_number", ""},
		{"project_grant_number", ""},
		{"project_pi_firstname", ""},
		{"project_pi_lastname", ""},
		{"display_today_now_button", 1},
		{"missing_data_codes", ""},
		{"external_modules", ""},
		{"bypass_branching_erase_field_prompt", 0},
	}
}

// metadataRows is the metadata export: fields and forms filters OR'ed,
// unknown names silently absent.
func metadataRows(p *Project, fields, forms []string) []row {
	want := map[string]bool{}
	wantForm := map[string]bool{}
	for _, f := range fields {
		want[f] = true
	}
	for _, f := range forms {
		wantForm[f] = true
	}
	filter := len(fields) > 0 || len(forms) > 0
	var out []row
	for _, f := range exportRows(p) {
		if filter && !want[f.FieldName] && !wantForm[f.FormName] {
			continue
		}
		out = append(out, fieldRow(f))
	}
	return out
}

func fieldRow(f redcap.Field) row {
	r := make(row, redcap.NumColumns)
	for c, v := range f.Values() {
		r[c] = kv{redcap.Columns[c].Key, v}
	}
	return r
}

// formRight converts a stored (legacy) form right to the project's
// encoding.
func formRight(v int, encoding string) int {
	if encoding != Rights156 {
		return v
	}
	switch v {
	case 0:
		return 128
	case 2:
		return 129
	case 3:
		return 130 + 8
	}
	return 130
}

// userRow is one user of the user export, keys in REDCap's order (docs/redcap.md#user-export).
func userRow(u *User, p *Project) row {
	r := u.Rights
	forms := row{}
	formsExport := row{}
	for _, in := range p.Instruments {
		forms = append(forms, kv{in.Name, formRight(r.Forms[in.Name], p.FormRights)})
		formsExport = append(formsExport, kv{in.Name, r.FormsExport[in.Name]})
	}
	return row{
		{"username", strings.ToLower(u.Username)},
		{"email", u.Email},
		{"firstname", u.FirstName},
		{"lastname", u.LastName},
		{"expiration", u.Expiration},
		{"data_access_group", ""},
		{"data_access_group_id", ""},
		{"design", r.Design},
		{"alerts", 0},
		{"user_rights", r.UserRights},
		{"data_access_groups", 0},
		{"reports", 1},
		{"stats_and_charts", 1},
		{"manage_survey_participants", 0},
		{"calendar", 0},
		{"data_import_tool", 0},
		{"data_comparison_tool", 0},
		{"logging", r.Logging},
		{"email_logging", 0},
		{"file_repository", 0},
		{"data_quality_create", 0},
		{"data_quality_execute", 0},
		{"api_export", r.APIExport},
		{"api_import", r.APIImport},
		{"api_modules", 0},
		{"record_create", 1},
		{"record_rename", 0},
		{"record_delete", 0},
		{"lock_records_all_forms", 0},
		{"lock_records", 0},
		{"lock_records_customization", 0},
		{"forms", forms},
		{"forms_export", formsExport},
	}
}

// exportFieldNames lists export names: checkboxes expand to field___code
// (code lowercased, - and . as _, other characters dropped); descriptive
// fields have none. field "" means all.
func exportFieldNames(p *Project, field string) ([]row, bool) {
	var out []row
	found := false
	for i := range p.Metadata {
		f := p.Metadata[i]
		if f.FieldType == "descriptive" || (field != "" && f.FieldName != field) {
			continue
		}
		found = true
		if f.FieldType == "checkbox" {
			for _, ch := range parseChoices(strings.ReplaceAll(f.Choices, storedNewline, "|")) {
				code := redcap.CheckboxExportCode(ch.code)
				out = append(out, row{{"original_field_name", f.FieldName}, {"choice_value", ch.code}, {"export_field_name", f.FieldName + "___" + code}})
			}
			continue
		}
		out = append(out, row{{"original_field_name", f.FieldName}, {"choice_value", ""}, {"export_field_name", f.FieldName}})
	}
	if field != "" && !found {
		return nil, false
	}
	return out, true
}

// writeRecords writes a success body: a JSON array (or one object), CSV
// with a header line, or XML with CDATA values.
func writeRecords(w http.ResponseWriter, format, root string, rows []row, single bool) {
	var body []byte
	switch format {
	case "json":
		body = encodeJSON(rows, single)
	case "csv":
		body = encodeCSV(rows)
	default:
		format = "xml"
		body = encodeXML(rows, root, single)
	}
	w.Header().Set("Content-Type", contentType(format))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(body)
}

func encodeJSON(rows []row, single bool) []byte {
	var b bytes.Buffer
	if single {
		writeJSONRow(&b, rows[0])
		return b.Bytes()
	}
	b.WriteByte('[')
	for i, r := range rows {
		if i > 0 {
			b.WriteByte(',')
		}
		writeJSONRow(&b, r)
	}
	b.WriteByte(']')
	return b.Bytes()
}

// writeJSONRow writes an object in the row's key order (a map would sort
// the keys).
func writeJSONRow(b *bytes.Buffer, r row) {
	b.WriteByte('{')
	for i, e := range r {
		if i > 0 {
			b.WriteByte(',')
		}
		writeJSONString(b, e.key)
		b.WriteByte(':')
		switch v := e.val.(type) {
		case row:
			writeJSONRow(b, v)
		case string:
			writeJSONString(b, v)
		case int:
			b.WriteString(strconv.Itoa(v))
		default:
			b.Write(jsonMarshal(v))
		}
	}
	b.WriteByte('}')
}

// writeJSONString writes s as a JSON string, like encoding/json without
// HTML escaping; a dictionary export is mostly this, so it avoids an
// encoder per value.
func writeJSONString(b *bytes.Buffer, s string) {
	const hex = "0123456789abcdef"
	b.WriteByte('"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' && c < utf8.RuneSelf {
			i++
			continue
		}
		if c < utf8.RuneSelf {
			b.WriteString(s[start:i])
			switch c {
			case '"', '\\':
				b.WriteByte('\\')
				b.WriteByte(c)
			case '\n':
				b.WriteString(`\n`)
			case '\r':
				b.WriteString(`\r`)
			case '\t':
				b.WriteString(`\t`)
			default:
				b.WriteString(`\u00`)
				b.WriteByte(hex[c>>4])
				b.WriteByte(hex[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b.WriteString(s[start:i])
			b.WriteString(`\ufffd`)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b.WriteString(s[start:i])
			b.WriteString(`\u202`)
			b.WriteByte(hex[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	b.WriteString(s[start:])
	b.WriteByte('"')
}

// cellString renders a value for CSV and XML; a nested object (form
// rights) becomes "form:1,form2:0".
func cellString(v any) string {
	switch t := v.(type) {
	case string:
		return t
	case int:
		return strconv.Itoa(t)
	case row:
		parts := make([]string, len(t))
		for i, e := range t {
			parts[i] = e.key + ":" + cellString(e.val)
		}
		return strings.Join(parts, ",")
	}
	return fmt.Sprint(v)
}

func encodeCSV(rows []row) []byte {
	var b bytes.Buffer
	cw := csv.NewWriter(&b)
	if len(rows) > 0 {
		header := make([]string, len(rows[0]))
		for i, e := range rows[0] {
			header[i] = e.key
		}
		_ = cw.Write(header)
	}
	for _, r := range rows {
		rec := make([]string, len(r))
		for i, e := range r {
			rec[i] = cellString(e.val)
		}
		_ = cw.Write(rec)
	}
	cw.Flush()
	return b.Bytes()
}

func cdata(s string) string {
	return "<![CDATA[" + strings.ReplaceAll(s, "]]>", "]]]]><![CDATA[>") + "]]>"
}

func encodeXML(rows []row, root string, single bool) []byte {
	var b bytes.Buffer
	b.WriteString(`<?xml version="1.0" encoding="UTF-8" ?>` + "\n")
	writeItem := func(r row) {
		for _, e := range r {
			b.WriteString("<" + e.key + ">")
			if _, ok := e.val.(int); ok {
				b.WriteString(cellString(e.val))
			} else {
				b.WriteString(cdata(cellString(e.val)))
			}
			b.WriteString("</" + e.key + ">")
		}
	}
	if single {
		b.WriteString("<" + root + ">")
		writeItem(rows[0])
		b.WriteString("</" + root + ">\n")
		return b.Bytes()
	}
	b.WriteString("<" + root + ">\n")
	for _, r := range rows {
		b.WriteString("<item>")
		writeItem(r)
		b.WriteString("</item>\n")
	}
	b.WriteString("</" + root + ">\n")
	return b.Bytes()
}
