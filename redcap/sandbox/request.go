package sandbox

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/rcolpipe/rcolpipe/internal/lazyre"
)

// REDCap's messages (15.7.6 English; docs/redcap.md#responses-and-errors).
const (
	msg400            = "There were errors with your request. If you are sending data, then it might be due to the data being misformatted. "
	msg403            = "You do not have permissions to use the API"
	msg500            = "The server encountered an error processing your request."
	msg501            = "The requested method is not implemented."
	msgSuperToken     = "You do not have permissions to use the API 'Create Project' method. You must have been granted a 64-character Super API Token from a REDCap administrator in order to utilize this method."
	msgExpired        = "You do not have API rights because your privileges have expired for this project as of %s."
	msgJSON           = "The data being imported is not formatted correctly. PHP error from JSON decoder: %s. The JSON must be in an array, as in [{ ... }]."
	msgXML            = "The data being imported is not formatted correctly. Error: %s"
	msgBadContent     = `The value of the parameter "content" is not valid`
	msgBadAction      = `The value of the parameter "action" is not valid`
	msgNoExport       = "You do not have API Export privileges"
	msgNoImport       = "You do not have API Import/Update privileges"
	msgProjectDeleted = "The REDCap project no longer exists because it was deleted."
	msgProduction     = "This method cannot be used while the project is in Production status."
	msgNoDesign       = "Insufficient user privileges: You must have 'API Import/Update' privileges and 'Project Design and Setup' privileges in the project in order to utilize this API method."
	msgNoUserRights   = "Insufficient user privileges: You must have 'API Export' privileges and 'User Rights' privileges (Full Access or Read Only) in the project."
	msgNoDesignRepeat = "Insufficient user privileges: You must have 'API Export' privileges and 'Project Setup/Design' privileges in the project."
	msgNoRepeating    = "You cannot export repeating instruments and events because the project does not contain any repeating instruments and events"
	msgInvalidField   = "Invalid field"
	msgUploadFailed   = "An error occurred during the upload."
	msgClassic        = "You cannot export %s for classic projects"
	msgNotEmulated    = "The rcolpipe sandbox does not emulate this method (content=%s, action=%s)."
)

var validContents = map[string]bool{}

func init() {
	for _, c := range strings.Fields(`record metadata file fileRepository filesize fileinfo repeatingFormsEvents
		instrument event arm user project_settings report authkey version pdf surveyLink surveyAccessCode
		surveyQueueLink surveyReturnCode participantList exportFieldNames appRightsCheck formEventMapping
		fieldValidation attachment project generateNextRecordName project_xml dag userDagMapping log tableau
		mycap userRole userRoleMapping externalModule`) {
		validContents[c] = true
	}
}

// actionContents read the action parameter (the others ignore it).
var actionContents = map[string]bool{
	"file": true, "fileRepository": true, "event": true, "arm": true, "dag": true, "user": true,
	"userRole": true, "userRoleMapping": true, "version": true,
}

var validActions = map[string]bool{
	"export": true, "import": true, "delete": true, "switch": true, "createFolder": true, "list": true,
	"rename": true, "randomize": true,
}

// request is one API call's parameters, from $_POST.
type request struct {
	token, content, format, returnFormat, rawAction string
	data                                            string
	hasData                                         bool
	fields, forms                                   []string
	field                                           string
	dateFormat                                      string // POST date_format (metadata import reads this one, not dateFormat)
	xmlNoItems                                      bool   // xml data without <records><item>
	// content=log filters.
	logType, user, record, beginTime, endTime string
	// content=record parameters.
	recordType, overwrite string
	// content=arm/event parameters (structure.go).
	arms, events []string
	override     string
}

func newRequest(r *http.Request) *request {
	pf := r.PostForm
	req := &request{
		token:     pf.Get("token"),
		content:   pf.Get("content"),
		rawAction: pf.Get("action"),
		field:     pf.Get("field"),
	}
	req.dateFormat = pf.Get("date_format")
	_, req.hasData = pf["data"]
	req.data = pf.Get("data")
	req.format = pf.Get("format")
	switch req.format {
	case "csv", "json", "xml", "odm":
	default:
		req.format = "xml"
	}
	req.returnFormat = pf.Get("returnFormat")
	switch req.returnFormat {
	case "csv", "json", "xml":
	default:
		req.returnFormat = req.format
		if req.returnFormat == "odm" {
			req.returnFormat = "xml"
		}
	}
	req.fields = phpArray(pf, "fields")
	if s := pf.Get("fields"); s != "" {
		// metadata export also takes fields as a comma list; forms must be an array.
		for _, f := range strings.Split(s, ",") {
			req.fields = append(req.fields, strings.TrimSpace(f))
		}
	}
	req.forms = phpArray(pf, "forms")
	req.logType, req.user, req.record = pf.Get("logtype"), pf.Get("user"), pf.Get("record")
	req.beginTime, req.endTime = pf.Get("beginTime"), pf.Get("endTime")
	req.recordType, req.overwrite = pf.Get("type"), pf.Get("overwriteBehavior")
	req.arms, req.events, req.override = phpArray(pf, "arms"), phpArray(pf, "events"), pf.Get("override")
	return req
}

var reArrayKey = lazyre.New(`^([A-Za-z_]+)\[([0-9]*)\]$`)

// phpArray collects name[0]=…, name[1]=… and name[]=… as PHP builds an
// array from them, ordered by index.
func phpArray(pf map[string][]string, name string) []string {
	type item struct {
		idx int
		v   string
	}
	var items []item
	for k, vs := range pf {
		m := reArrayKey.FindStringSubmatch(k)
		if m == nil || m[1] != name {
			continue
		}
		idx := -1
		if m[2] != "" {
			idx, _ = strconv.Atoi(m[2])
		}
		for _, v := range vs {
			items = append(items, item{idx, v})
		}
	}
	sort.SliceStable(items, func(i, j int) bool { return items[i].idx < items[j].idx })
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = it.v
	}
	return out
}

// action is "export" or "import": the presence of data switches most
// methods to import; version is always an export.
func (r *request) action() string {
	if r.content == "version" {
		return "export"
	}
	if actionContents[r.content] && r.rawAction != "" {
		return r.rawAction
	}
	if r.hasData {
		return "import"
	}
	return "export"
}

// writeError sends an error in the requested returnFormat. An empty msg
// means the status's default message.
func writeError(w http.ResponseWriter, status int, msg, returnFormat string) {
	if msg == "" {
		switch status {
		case http.StatusBadRequest:
			msg = msg400
		case http.StatusForbidden:
			msg = msg403
		case http.StatusNotImplemented:
			msg = msg501
		default:
			msg = msg500
		}
	}
	var body []byte
	switch returnFormat {
	case "json":
		if strings.HasPrefix(msg, `{"error"`) {
			body = []byte(msg)
		} else {
			body = jsonMarshal(map[string]string{"error": msg})
		}
	case "csv":
		body = []byte("ERROR: " + msg)
	default:
		returnFormat = "xml"
		body = []byte(`<?xml version="1.0" encoding="UTF-8" ?><hash><error>` + xmlEscape(msg) + `</error></hash>`)
	}
	w.Header().Set("Content-Type", contentType(returnFormat))
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

func contentType(format string) string {
	switch format {
	case "json":
		return "application/json; charset=utf-8"
	case "csv":
		return "text/csv; charset=utf-8"
	}
	return "text/xml; charset=utf-8"
}

// jsonMarshal encodes without HTML escaping and without the newline.
func jsonMarshal(v any) []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		panic(fmt.Sprintf("sandbox: encode json: %v", err)) // only plain values are encoded
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n"))
}

func xmlEscape(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}

// row is one imported row: its keys in order with PHP array semantics (a
// repeated key keeps its first position and takes the last value).
type row []kv

type kv struct {
	key string
	val any // string, int, or row (a nested object)
}

func (r *row) set(key string, val any) {
	for i := range *r {
		if (*r)[i].key == key {
			(*r)[i].val = val
			return
		}
	}
	*r = append(*r, kv{key, val})
}

// values returns the row's values in key order, as strings.
func (r row) values() []string {
	out := make([]string, len(r))
	for i, e := range r {
		out[i], _ = e.val.(string)
	}
	return out
}

// decodeData decodes data as index.php does before any privilege check:
// json and xml must parse (else a 400 message); csv stays raw and is parsed
// by the method. ok is false for xml without <records><item>.
func decodeData(format, data string) (rows []row, ok bool, msg string) {
	switch format {
	case "json":
		rows, reason := decodeJSONRows(data)
		if reason != "" {
			return nil, false, fmt.Sprintf(msgJSON, reason)
		}
		return rows, true, ""
	case "xml", "odm":
		rows, ok, err := decodeXMLRows(data)
		if err != nil {
			return nil, false, fmt.Sprintf(msgXML, err)
		}
		return rows, ok, ""
	}
	return nil, true, ""
}

// decodeJSONRows decodes an array of objects keeping key order. The
// failure reason uses PHP's json_last_error_msg() texts.
func decodeJSONRows(data string) ([]row, string) {
	if !utf8.ValidString(data) {
		return nil, "Malformed UTF-8 characters, possibly incorrectly encoded"
	}
	v, err := parseJSON(data)
	if err != nil {
		return nil, err.Error()
	}
	arr, ok := v.([]any)
	if !ok {
		return nil, errJSONSyntax.Error()
	}
	rows := make([]row, 0, len(arr))
	for _, el := range arr {
		r, ok := el.(row)
		if !ok {
			return nil, errJSONSyntax.Error()
		}
		rows = append(rows, r)
	}
	return rows, ""
}

// scalarString is PHP's string conversion of a decoded value inside a row.
func scalarString(v any) string {
	switch t := v.(type) {
	case string:
		return t
	case []any, row:
		return "Array"
	}
	return ""
}

// decodeXMLRows reads <records><item><key>value</key>…</item>…</records>.
func decodeXMLRows(data string) ([]row, bool, error) {
	dec := xml.NewDecoder(strings.NewReader(strings.TrimPrefix(data, "\ufeff")))
	var rows []row
	var cur *row
	var key string
	var text strings.Builder
	depth := 0
	rootIsRecords := false
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, false, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			switch depth {
			case 1:
				rootIsRecords = t.Name.Local == "records"
			case 2:
				if t.Name.Local == "item" {
					cur = &row{}
				}
			case 3:
				key = t.Name.Local
				text.Reset()
			}
		case xml.CharData:
			if depth == 3 {
				text.Write(t)
			}
		case xml.EndElement:
			switch depth {
			case 3:
				if cur != nil {
					cur.set(key, text.String())
				}
			case 2:
				if cur != nil {
					rows = append(rows, *cur)
					cur = nil
				}
			}
			depth--
		}
	}
	if depth != 0 {
		return nil, false, errors.New("unexpected end of document")
	}
	if !rootIsRecords || len(rows) == 0 {
		return nil, false, nil
	}
	return rows, true, nil
}

// decodeCSVRows parses csv data as REDCap's csvToArray: the first line is
// the header, blank header cells are dropped (their data cells are not, so
// the columns shift), each row is padded or cut to the header's width, a
// repeated header keeps its first position, completely blank rows are
// skipped.
func decodeCSVRows(data string) ([]row, error) {
	data = strings.TrimPrefix(data, "\ufeff")
	if !strings.Contains(data, "\n") {
		// Classic-Mac files end lines with CR alone; read as one header
		// line they would wipe the project.
		data = strings.ReplaceAll(data, "\r", "\n")
	}
	rd := csv.NewReader(strings.NewReader(data))
	rd.FieldsPerRecord = -1
	rd.LazyQuotes = true
	recs, err := rd.ReadAll()
	if err != nil {
		return nil, err
	}
	if len(recs) == 0 {
		return nil, nil
	}
	var header []string
	for _, h := range recs[0] {
		if strings.TrimSpace(h) != "" {
			header = append(header, h)
		}
	}
	var rows []row
	for _, rec := range recs[1:] {
		blank := true
		for _, v := range rec {
			if strings.TrimSpace(v) != "" {
				blank = false
				break
			}
		}
		if blank {
			continue
		}
		r := row{}
		for i, h := range header {
			v := ""
			if i < len(rec) {
				v = rec[i]
			}
			r.set(h, v)
		}
		rows = append(rows, r)
	}
	return rows, nil
}
