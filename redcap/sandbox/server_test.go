package sandbox

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/rcolpipe/rcolpipe/redcap"
)

// fixture is a demo server under httptest with its tokens by name.
type fixture struct {
	t      *testing.T
	srv    *Server
	url    string
	tokens map[string]string
}

// fixedNow is the sandbox clock in tests: rights of "expired" (2020-01-01)
// have expired, others have not.
var fixedNow = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

func newFixture(t *testing.T, opts ...Option) *fixture {
	t.Helper()
	st, toks := Demo()
	opts = append([]Option{WithClock(func() time.Time { return fixedNow })}, opts...)
	srv := New(st, opts...)
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	f := &fixture{t: t, srv: srv, url: hs.URL + "/api/", tokens: map[string]string{}}
	for _, tk := range toks {
		f.tokens[tk.Name] = tk.Token
	}
	return f
}

type response struct {
	status int
	ctype  string
	body   string
}

func postTo(t *testing.T, u string, params url.Values) response {
	t.Helper()
	resp, err := http.PostForm(u, params)
	if err != nil {
		t.Fatalf("POST %s: %v", u, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("read body: %v", err)
	}
	return response{resp.StatusCode, resp.Header.Get("Content-Type"), string(b)}
}

// call posts with the named demo token; pairs are key, value, ...
func (f *fixture) call(token string, pairs ...string) response {
	f.t.Helper()
	v := url.Values{}
	if tok, ok := f.tokens[token]; ok {
		v.Set("token", tok)
	} else if token != "" {
		v.Set("token", token)
	}
	for i := 0; i+1 < len(pairs); i += 2 {
		v.Add(pairs[i], pairs[i+1])
	}
	return postTo(f.t, f.url, v)
}

func (r response) expect(t *testing.T, status int, ctype, body string) {
	t.Helper()
	if r.status != status || r.ctype != ctype || r.body != body {
		t.Errorf("got %d %q %q\nwant %d %q %q", r.status, r.ctype, r.body, status, ctype, body)
	}
}

const (
	ctJSON = "application/json; charset=utf-8"
	ctCSV  = "text/csv; charset=utf-8"
	ctXML  = "text/xml; charset=utf-8"
)

func jsonErr(msg string) string { return string(jsonMarshal(map[string]string{"error": msg})) }

func xmlErr(msg string) string {
	return `<?xml version="1.0" encoding="UTF-8" ?><hash><error>` + xmlEscape(msg) + `</error></hash>`
}

// dictJSON marshals fields as a client sends them (struct order).
func dictJSON(t *testing.T, fields []redcap.Field) string {
	t.Helper()
	b, err := json.Marshal(fields)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// exportDict exports the metadata of the "full" token's project.
func (f *fixture) exportDict(token string) []redcap.Field {
	f.t.Helper()
	r := f.call(token, "content", "metadata", "format", "json")
	if r.status != 200 {
		f.t.Fatalf("export: %d %s", r.status, r.body)
	}
	var out []redcap.Field
	if err := json.Unmarshal([]byte(r.body), &out); err != nil {
		f.t.Fatalf("export body: %v", err)
	}
	return out
}

func TestProtocol(t *testing.T) {
	f := newFixture(t)
	base := strings.TrimSuffix(f.url, "/api/")

	// Any method but POST: 501 in XML (no returnFormat can be read).
	resp, err := http.Get(f.url + "?content=version&returnFormat=json")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	response{resp.StatusCode, resp.Header.Get("Content-Type"), string(b)}.expect(t, 501, ctXML,
		`<?xml version="1.0" encoding="UTF-8" ?><hash><error>The requested method is not implemented.</error></hash>`)

	// The versioned path works like /api/.
	r := postTo(t, base+"/redcap/redcap_v15.7.6/API/", url.Values{"token": {f.tokens["full"]}, "content": {"version"}})
	r.expect(t, 200, ctCSV, "15.7.6")

	// Another path is Apache's 404 page.
	r = postTo(t, base+"/redcap/", url.Values{"token": {f.tokens["full"]}, "content": {"version"}})
	if r.status != 404 || !strings.Contains(r.body, "Not Found") {
		t.Errorf("other path: %d %s", r.status, r.body)
	}

	// /api without the slash: a redirect, not an answer.
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err = c.PostForm(base+"/api", url.Values{"content": {"version"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 301 || resp.Header.Get("Location") != "/api/" {
		t.Errorf("/api: %d Location %q", resp.StatusCode, resp.Header.Get("Location"))
	}
}

func TestTokenAndFormats(t *testing.T) {
	f := newFixture(t)
	if err := f.srv.Update(func(s *State) {
		s.Users = append(s.Users, &User{Token: NewToken(), Username: "sam", ProjectID: 1, Suspended: true, Rights: Rights{APIExport: 1}})
		s.Users = append(s.Users, &User{Token: "0123456789ABCDEF0123456789ABCDE1", Username: "ivy", ProjectID: 1, Rights: Rights{APIImport: 1}})
	}); err != nil {
		t.Fatal(err)
	}
	users := f.srv.State().Users
	suspended := users[len(users)-2].Token // sam, appended above
	expired := "You do not have API rights because your privileges have expired for this project as of 2020-01-01."
	tests := []struct {
		name   string
		token  string
		params []string
		status int
		ctype  string
		body   string
	}{
		{"missing token", "", []string{"content", "version", "format", "json"}, 403, ctJSON, jsonErr(msg403)},
		{"malformed token", "ABC-DEF", []string{"content", "version", "format", "json"}, 403, ctJSON, jsonErr(msg403)},
		{"token with newline", f.tokens["full"] + "\n", []string{"content", "version", "format", "json"}, 403, ctJSON, jsonErr(msg403)},
		{"unknown token", strings.Repeat("A", 32), []string{"content", "version", "format", "csv"}, 403, ctCSV, "ERROR: " + msg403},
		{"suspended user", suspended, []string{"content", "version", "format", "json"}, 403, ctJSON, jsonErr(msg403)},
		{"default xml", strings.Repeat("A", 32), []string{"content", "version"}, 403, ctXML, xmlErr(msg403)},
		{"odm errors in xml", strings.Repeat("A", 32), []string{"content", "version", "format", "odm"}, 403, ctXML, xmlErr(msg403)},
		{"returnFormat wins", strings.Repeat("A", 32), []string{"content", "version", "format", "json", "returnFormat", "csv"}, 403, ctCSV, "ERROR: " + msg403},
		{"bad returnFormat falls back to format", strings.Repeat("A", 32), []string{"content", "version", "format", "json", "returnFormat", "yaml"}, 403, ctJSON, jsonErr(msg403)},
		{"super token path", strings.Repeat("A", 64), []string{"content", "version", "format", "json"}, 403, ctJSON, jsonErr(msgSuperToken)},
		{"create project", "full", []string{"content", "project", "format", "json", "data", `[{"project_title":"x"}]`}, 403, ctJSON, jsonErr(msgSuperToken)},
		{"expired", "expired", []string{"content", "version", "format", "json"}, 403, ctJSON, jsonErr(expired)},
		{"expired before data decoding", "expired", []string{"content", "metadata", "format", "json", "data", "{bad"}, 403, ctJSON, jsonErr(expired)},
		{"lower-case token works", strings.ToLower(f.tokens["full"]), []string{"content", "version"}, 200, ctCSV, "15.7.6"},
		{"data decoded before the privilege gate", "export-only", []string{"content", "metadata", "format", "json", "data", "{bad"}, 400, ctJSON,
			jsonErr("The data being imported is not formatted correctly. PHP error from JSON decoder: Syntax error. The JSON must be in an array, as in [{ ... }].")},
		{"json with a BOM fails decoding", "full", []string{"content", "metadata", "format", "json", "data", "\ufeff[]"}, 400, ctJSON,
			jsonErr("The data being imported is not formatted correctly. PHP error from JSON decoder: Syntax error. The JSON must be in an array, as in [{ ... }].")},
		{"bad content", "export-only", []string{"content", "records", "format", "json"}, 400, ctJSON, jsonErr(msgBadContent)},
		{"content checked before the gate", "0123456789ABCDEF0123456789ABCDE1", []string{"content", "nope", "format", "json"}, 400, ctJSON, jsonErr(msgBadContent)},
		{"bad action", "full", []string{"content", "user", "action", "steal", "format", "json"}, 400, ctJSON, jsonErr(msgBadAction)},
		{"no export", "0123456789ABCDEF0123456789ABCDE1", []string{"content", "version", "format", "json"}, 403, ctJSON, jsonErr(msgNoExport)},
		{"no import", "export-only", []string{"content", "metadata", "format", "json", "data", "[]"}, 403, ctJSON, jsonErr(msgNoImport)},
		{"no import csv", "export-only", []string{"content", "metadata", "format", "csv", "returnFormat", "csv", "data", "field_name\nx\n"}, 403, ctCSV, "ERROR: " + msgNoImport},
		{"production", "production", []string{"content", "metadata", "format", "json", "data", "[]"}, 400, ctJSON, jsonErr(msgProduction)},
		{"no design", "no-design", []string{"content", "metadata", "format", "json", "data", "[]"}, 400, ctJSON, jsonErr(msgNoDesign)},
		{"no design xml", "no-design", []string{"content", "metadata", "format", "json", "returnFormat", "xml", "data", "[]"}, 400, ctXML, xmlErr(msgNoDesign)},
		{"not emulated", "full", []string{"content", "dag", "format", "json"}, 400, ctJSON, jsonErr(`The rcolpipe sandbox does not emulate this method (content=dag, action=export).`)},
		{"classic arms", "full", []string{"content", "arm", "format", "csv"}, 400, ctCSV, "ERROR: You cannot export arms for classic projects"},
		{"classic events", "full", []string{"content", "event", "format", "json"}, 400, ctJSON, jsonErr("You cannot export events for classic projects")},
		{"classic mapping", "full", []string{"content", "formEventMapping", "format", "json"}, 400, ctJSON, jsonErr("You cannot export form/event mappings for classic projects")},
		{"version ignores format", "full", []string{"content", "version", "format", "json"}, 200, ctCSV, "15.7.6"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f.t = t
			f.call(tt.token, tt.params...).expect(t, tt.status, tt.ctype, tt.body)
		})
	}
}

func TestProject(t *testing.T) {
	f := newFixture(t)
	r := f.call("production", "content", "project", "format", "json")
	if r.status != 200 || r.ctype != ctJSON {
		t.Fatalf("project: %d %s", r.status, r.body)
	}
	// Keys in REDCap's order, integers as numbers.
	wantPrefix := `{"project_id":2,"project_title":"rcolpipe demo (production)","creation_time":"2026-01-05 09:30:00","production_time":"2026-02-01 10:00:00","in_production":1,"project_language":"English","purpose":0,`
	if !strings.HasPrefix(r.body, wantPrefix) {
		t.Errorf("project json:\n%s\nwant prefix\n%s", r.body, wantPrefix)
	}
	var obj map[string]any
	if err := json.Unmarshal([]byte(r.body), &obj); err != nil {
		t.Fatal(err)
	}
	if len(obj) != 26 || obj["is_longitudinal"] != float64(0) {
		t.Errorf("project keys: %d, is_longitudinal %v", len(obj), obj["is_longitudinal"])
	}
	r = f.call("full", "content", "project", "format", "csv")
	lines := strings.Split(strings.TrimSpace(r.body), "\n")
	if r.ctype != ctCSV || len(lines) != 2 || !strings.HasPrefix(lines[0], "project_id,project_title,creation_time") || !strings.HasPrefix(lines[1], "1,rcolpipe demo (development),") {
		t.Errorf("project csv: %q", r.body)
	}
	r = f.call("full", "content", "project")
	if r.ctype != ctXML || !strings.Contains(r.body, "<project><project_id>1</project_id><project_title><![CDATA[rcolpipe demo (development)]]></project_title>") {
		t.Errorf("project xml: %q", r.body)
	}
}

func TestInstrumentsAndFieldValidation(t *testing.T) {
	f := newFixture(t)
	f.call("full", "content", "instrument", "format", "json").expect(t, 200, ctJSON,
		`[{"instrument_name":"participant","instrument_label":"Participant"}]`)
	r := f.call("full", "content", "fieldValidation", "format", "json")
	var rows []map[string]string
	if err := json.Unmarshal([]byte(r.body), &rows); err != nil {
		t.Fatal(err)
	}
	if len(rows) != 39 || rows[2]["validation_type"] != "date_ymd" || !strings.HasPrefix(rows[2]["regex"], "/^") {
		t.Errorf("fieldValidation: %d rows, third %v", len(rows), rows[2])
	}
	r = f.call("full", "content", "fieldValidation", "format", "csv")
	if !strings.HasPrefix(r.body, "validation_type,regex\n") || strings.Count(r.body, "\n") != 40 {
		t.Errorf("fieldValidation csv: %q", r.body)
	}
}

func TestUsers(t *testing.T) {
	f := newFixture(t)
	f.call("no-design", "content", "user", "format", "json").expect(t, 400, ctJSON, jsonErr(msgNoUserRights))

	r := f.call("full", "content", "user", "format", "json")
	var users []map[string]any
	if err := json.Unmarshal([]byte(r.body), &users); err != nil {
		t.Fatalf("%v: %s", err, r.body)
	}
	if len(users) != 4 {
		t.Fatalf("project 1 has 4 users, got %d", len(users))
	}
	if users[0]["username"] != "alice" || users[0]["api_import"] != float64(1) || users[1]["api_import"] != float64(0) {
		t.Errorf("users: %v", users[:2])
	}
	if diff := cmp.Diff(map[string]any{"participant": float64(1)}, users[0]["forms"]); diff != "" {
		t.Errorf("legacy forms: %s", diff)
	}
	if !strings.HasPrefix(r.body, `[{"username":"alice","email":"alice@example.org","firstname":"Alice","lastname":"Demo","expiration":"","data_access_group":"","data_access_group_id":"","design":1,`) {
		t.Errorf("user key order: %s", r.body[:200])
	}

	// The 15.6+ encoding: 130 view & edit, 129 read only, 128 none, 138 edit survey responses.
	if err := f.srv.Update(func(s *State) {
		s.Projects[0].FormRights = Rights156
		s.Users[1].Rights.Forms["participant"] = 2
		s.Users[2].Rights.Forms["participant"] = 0
		s.Users[4].Rights.Forms["participant"] = 3
	}); err != nil {
		t.Fatal(err)
	}
	users = nil
	r = f.call("full", "content", "user", "format", "json")
	if err := json.Unmarshal([]byte(r.body), &users); err != nil {
		t.Fatal(err)
	}
	var got []any
	for _, u := range users {
		got = append(got, u["forms"].(map[string]any)["participant"])
	}
	if diff := cmp.Diff([]any{float64(130), float64(129), float64(128), float64(138)}, got); diff != "" {
		t.Errorf("15.6 form rights: %s", diff)
	}
	r = f.call("full", "content", "user", "format", "csv")
	if !strings.Contains(r.body, ",forms,forms_export\n") || !strings.Contains(r.body, ",participant:130,participant:1\n") {
		t.Errorf("user csv: %s", r.body)
	}
}

func TestRepeatingFormsEvents(t *testing.T) {
	f := newFixture(t)
	f.call("no-design", "content", "repeatingFormsEvents", "format", "json").expect(t, 400, ctJSON, jsonErr(msgNoDesignRepeat))
	f.call("full", "content", "repeatingFormsEvents", "format", "json").expect(t, 400, ctJSON, jsonErr(msgNoRepeating))
	if err := f.srv.Update(func(s *State) {
		s.Projects[0].Repeating = []Repeating{{FormName: "participant"}}
	}); err != nil {
		t.Fatal(err)
	}
	f.call("full", "content", "repeatingFormsEvents", "format", "json").expect(t, 200, ctJSON,
		`[{"event_name":"","form_name":"participant","custom_form_label":""}]`)
}

func TestExportFieldNames(t *testing.T) {
	f := newFixture(t)
	dict := []redcap.Field{
		{FieldName: "record_id", FormName: "a", FieldType: "text", FieldLabel: "ID"},
		{FieldName: "intro", FormName: "a", FieldType: "descriptive", FieldLabel: "Hello"},
		{FieldName: "cb", FormName: "a", FieldType: "checkbox", FieldLabel: "CB", Choices: "1, One | A.b, Two | x-Y, Three"},
	}
	f.call("full", "content", "metadata", "format", "json", "data", dictJSON(t, dict)).expect(t, 200, ctJSON, "3")
	f.call("full", "content", "exportFieldNames", "format", "json").expect(t, 200, ctJSON,
		`[{"original_field_name":"record_id","choice_value":"","export_field_name":"record_id"},`+
			`{"original_field_name":"cb","choice_value":"1","export_field_name":"cb___1"},`+
			`{"original_field_name":"cb","choice_value":"A.b","export_field_name":"cb___a_b"},`+
			`{"original_field_name":"cb","choice_value":"x-Y","export_field_name":"cb___x_y"},`+
			`{"original_field_name":"a_complete","choice_value":"","export_field_name":"a_complete"}]`)
	f.call("full", "content", "exportFieldNames", "format", "json", "field", "intro").expect(t, 400, ctJSON, jsonErr(msgInvalidField))
}

func TestWriteJSONString(t *testing.T) {
	for _, s := range []string{"", "plain", `q"uo\te`, "line\nbreak\r\t", "\x01\x1f", "Größe ✓", "bad\xffbyte", "sep\u2028x", "<b>&</b>"} {
		var b bytes.Buffer
		writeJSONString(&b, s)
		if want := string(jsonMarshal(s)); b.String() != want {
			t.Errorf("writeJSONString(%q) = %s, want %s", s, b.String(), want)
		}
	}
}

func TestStatusAndExpiryEdges(t *testing.T) {
	f := newFixture(t)
	today := fixedNow.Format("2006-01-02")
	tomorrow := fixedNow.AddDate(0, 0, 1).Format("2006-01-02")
	if err := f.srv.Update(func(s *State) {
		s.Projects[1].Status = 2 // Analysis/Cleanup refuses imports too
		s.Users[1].Expiration = today
		s.Users[2].Expiration = tomorrow
	}); err != nil {
		t.Fatal(err)
	}
	f.call("production", "content", "metadata", "format", "json", "data", "[]").expect(t, 400, ctJSON, jsonErr(msgProduction))
	r := f.call("production", "content", "project", "format", "json")
	if !strings.Contains(r.body, `"in_production":2,`) {
		t.Errorf("in_production of analysis/cleanup: %s", r.body)
	}
	// Rights expire on their expiration day.
	f.call("export-only", "content", "version").expect(t, 403, ctXML,
		xmlErr("You do not have API rights because your privileges have expired for this project as of "+today+"."))
	f.call("no-design", "content", "version").expect(t, 200, ctCSV, "15.7.6")
}
