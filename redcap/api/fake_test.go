package api

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/rcolpipe/rcolpipe/redcap"
)

// Tokens of the fake server's users.
const (
	tokFull       = "0123456789ABCDEF0123456789ABCDEF"
	tokExportOnly = "11111111111111111111111111111111"
	tokNoDesign   = "22222222222222222222222222222222"
	tokImportOnly = "33333333333333333333333333333333"
	tokExpired    = "44444444444444444444444444444444"
	tokUnknown    = "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF"
)

type fakeUser struct {
	name                      string
	export, imp, design, urts bool
	expired                   string
}

// fakeREDCap is a small REDCap API written for these tests, following
// shared/redcap-api.md §1.4 (order of checks) and §2 (methods). The
// sandbox package is the faithful one; this one exists so that the
// client's tests do not depend on it and can inject faults.
type fakeREDCap struct {
	t            *testing.T
	mu           sync.Mutex
	users        map[string]fakeUser
	status       int
	longitudinal bool
	dict         []redcap.Field
	usersJSON    string
	// fault, when set, may answer a request itself (return true).
	fault func(w http.ResponseWriter, r *http.Request, form url.Values) bool
	// calls counts requests by content ("metadata-import" for imports).
	calls  map[string]int
	bodies []string // raw request bodies in order
}

func newFake(t *testing.T) *fakeREDCap {
	return &fakeREDCap{
		t: t,
		users: map[string]fakeUser{
			tokFull:       {name: "alice", export: true, imp: true, design: true, urts: true},
			tokExportOnly: {name: "bob", export: true, design: true},
			tokNoDesign:   {name: "carol", export: true, imp: true},
			tokImportOnly: {name: "dave", imp: true, design: true},
			tokExpired:    {name: "erin", export: true, imp: true, design: true, expired: "2024-01-31"},
		},
		dict: []redcap.Field{
			{FieldName: "record_id", FormName: "demographics", FieldType: "text", FieldLabel: "Record ID"},
			{FieldName: "age", FormName: "demographics", FieldType: "text", FieldLabel: "Age", Validation: "integer"},
		},
		usersJSON: `[{"username":"alice","email":"a@x","firstname":"A","lastname":"L","expiration":"","data_access_group":"","design":1,"user_rights":1,"api_export":1,"api_import":1,"forms":{"demographics":1},"forms_export":{"demographics":1}},
{"username":"carol","expiration":"","design":0,"user_rights":0,"api_export":1,"api_import":0,"forms":{"demographics":130,"visit":129},"forms_export":{"demographics":1}}]`,
		calls: map[string]int{},
	}
}

func (s *fakeREDCap) count(key string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls[key]
}

func (s *fakeREDCap) lastBody() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.bodies) == 0 {
		return ""
	}
	return s.bodies[len(s.bodies)-1]
}

// errorBody encodes msg in the request's returnFormat, as REDCap does.
func errorBody(w http.ResponseWriter, form url.Values, status int, msg string) {
	rf := form.Get("returnFormat")
	if rf == "" {
		rf = form.Get("format")
	}
	switch rf {
	case "json":
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.WriteHeader(status)
		b, _ := json.Marshal(map[string]string{"error": msg})
		_, _ = w.Write(b)
	case "csv":
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		w.WriteHeader(status)
		_, _ = io.WriteString(w, "ERROR: "+msg)
	default:
		w.Header().Set("Content-Type", "text/xml; charset=utf-8")
		w.WriteHeader(status)
		_, _ = io.WriteString(w, `<?xml version="1.0" encoding="UTF-8" ?><hash><error>`+msg+`</error></hash>`)
	}
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	b, _ := json.Marshal(v)
	_, _ = w.Write(b)
}

func (s *fakeREDCap) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	raw, _ := io.ReadAll(r.Body)
	form, _ := url.ParseQuery(string(raw))
	content := form.Get("content")
	key := content
	if form.Has("data") {
		key += "-import"
	}
	s.mu.Lock()
	s.calls[key]++
	s.bodies = append(s.bodies, string(raw))
	fault := s.fault
	s.mu.Unlock()
	if fault != nil && fault(w, r, form) {
		return
	}
	if r.Method != http.MethodPost {
		errorBody(w, form, 501, "The requested method is not implemented.")
		return
	}
	u, ok := s.users[form.Get("token")]
	if !ok {
		errorBody(w, form, 403, "You do not have permissions to use the API")
		return
	}
	if u.expired != "" {
		errorBody(w, form, 403, "You do not have API rights because your privileges have expired for this project as of "+u.expired+".")
		return
	}
	importing := form.Has("data") && content != "version"
	if importing && !u.imp {
		errorBody(w, form, 403, "You do not have API Import/Update privileges")
		return
	}
	if !importing && !u.export {
		errorBody(w, form, 403, "You do not have API Export privileges")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case content == "version":
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		_, _ = io.WriteString(w, "15.7.6")
	case content == "project":
		writeJSON(w, map[string]any{"project_id": 42, "project_title": "Test project", "creation_time": "2025-01-02 03:04:05",
			"production_time": "", "in_production": s.status, "project_language": "English", "purpose": 4,
			"is_longitudinal": boolInt(s.longitudinal), "has_repeating_instruments_or_events": 0, "surveys_enabled": 1,
			"record_autonumbering_enabled": 1, "missing_data_codes": ""})
	case content == "repeatingFormsEvents":
		if !u.design {
			errorBody(w, form, 400, "Insufficient user privileges: You must have 'API Export' privileges and 'Project Setup/Design' privileges in the project.")
			return
		}
		errorBody(w, form, 400, "You cannot export repeating instruments and events because the project does not contain any repeating instruments and events")
	case content == "user":
		if !u.urts {
			errorBody(w, form, 400, "Insufficient user privileges: You must have 'API Export' privileges and 'User Rights' privileges (Full Access or Read Only) in the project.")
			return
		}
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		_, _ = io.WriteString(w, s.usersJSON)
	case content == "instrument":
		writeJSON(w, []map[string]string{{"instrument_name": "demographics", "instrument_label": "Demographics"}})
	case content == "metadata" && importing:
		if s.status > 0 {
			errorBody(w, form, 400, "This method cannot be used while the project is in Production status.")
			return
		}
		if !u.design {
			errorBody(w, form, 400, "Insufficient user privileges: You must have 'API Import/Update' privileges and 'Project Design and Setup' privileges in the project in order to utilize this API method.")
			return
		}
		var rows []redcap.Field
		if err := json.Unmarshal([]byte(form.Get("data")), &rows); err != nil {
			errorBody(w, form, 400, "The data being imported is not formatted correctly. PHP error from JSON decoder: "+err.Error())
			return
		}
		s.dict = rows
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		fmt.Fprintf(w, "%d", len(rows))
	case content == "metadata":
		forms := map[string]bool{}
		for k, v := range form {
			if strings.HasPrefix(k, "forms[") {
				forms[v[0]] = true
			}
		}
		out := []redcap.Field{}
		for _, f := range s.dict {
			if len(forms) == 0 || forms[f.FormName] {
				out = append(out, f)
			}
		}
		writeJSON(w, out)
	default:
		errorBody(w, form, 400, `The value of the parameter "content" is not valid`)
	}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// start serves the fake and returns its API URL.
func (s *fakeREDCap) start() string {
	srv := httptest.NewServer(s)
	s.t.Cleanup(srv.Close)
	return srv.URL + "/redcap/api/"
}

func mustToken(t *testing.T, s string) Token {
	t.Helper()
	tok, err := NewToken(s, "test", "")
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// client returns a client of the fake with the given token and fast
// retries.
func (s *fakeREDCap) client(tok string, opts ...Option) *Client {
	s.t.Helper()
	c, err := New(s.start(), mustToken(s.t, tok), append([]Option{WithBackoff(0)}, opts...)...)
	if err != nil {
		s.t.Fatal(err)
	}
	return c
}
