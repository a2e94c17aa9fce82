package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rcolpipe/rcolpipe/redcap"
	"github.com/rs/zerolog"
)

func TestNewRejectsBadURLAndToken(t *testing.T) {
	tok := mustToken(t, tokFull)
	if _, err := New("https://redcap.example.org/redcap/", tok); err == nil || !strings.Contains(err.Error(), "/api/") {
		t.Errorf("URL without /api/: err = %v", err)
	}
	if _, err := New("https://redcap.example.org/redcap/api/", Token{}); !errors.Is(err, ErrNoToken) {
		t.Errorf("zero token: err = %v", err)
	}
}

func TestVersionAndProjectInfo(t *testing.T) {
	s := newFake(t)
	s.longitudinal = true
	c := s.client(tokFull)
	ctx := context.Background()
	v, err := c.Version(ctx)
	if err != nil || v != "15.7.6" {
		t.Fatalf("Version = %q, %v", v, err)
	}
	p, err := c.ProjectInfo(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if p.ProjectID != 42 || p.Title != "Test project" || p.InProduction != 0 || !p.IsLongitudinal || p.Purpose != 4 || !p.SurveysEnabled {
		t.Errorf("ProjectInfo = %+v", p)
	}
	body, _ := url.ParseQuery(s.lastBody())
	if body.Get("format") != "json" || body.Get("returnFormat") != "json" || body.Get("content") != "project" {
		t.Errorf("request = %v", body)
	}
}

func TestProjectInfoStringValues(t *testing.T) {
	// Some servers send numbers as strings; both must work.
	s := newFake(t)
	s.fault = func(w http.ResponseWriter, r *http.Request, form url.Values) bool {
		_, _ = io.WriteString(w, `{"project_id":"7","project_title":"T","in_production":"1","is_longitudinal":"0","purpose":""}`)
		return true
	}
	p, err := s.client(tokFull).ProjectInfo(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if p.ProjectID != 7 || p.InProduction != 1 || p.StatusName() != "Production" || p.IsLongitudinal {
		t.Errorf("ProjectInfo = %+v", p)
	}
}

// TestErrorTypes checks that each REDCap refusal, in each error body
// format, becomes its typed error with advice.
func TestErrorTypes(t *testing.T) {
	cases := []struct {
		status int
		msg    string
		check  func(error) bool
	}{
		{403, "You do not have permissions to use the API", func(err error) bool { var e *ErrUnknownToken; return errors.As(err, &e) }},
		{401, "Invalid token", func(err error) bool { var e *ErrUnknownToken; return errors.As(err, &e) }},
		{403, "You do not have API Export privileges", func(err error) bool { var e *ErrNoExport; return errors.As(err, &e) }},
		{403, "You do not have API Import/Update privileges", func(err error) bool { var e *ErrNoImport; return errors.As(err, &e) }},
		{400, "Insufficient user privileges: You must have 'API Import/Update' privileges and 'Project Design and Setup' privileges in the project in order to utilize this API method.", func(err error) bool { var e *ErrNoDesign; return errors.As(err, &e) }},
		{400, "Insufficient user privileges: You must have 'API Export' privileges and 'User Rights' privileges (Full Access or Read Only) in the project.", func(err error) bool { var e *ErrNoUserRights; return errors.As(err, &e) }},
		{403, "You do not have API rights because your privileges have expired for this project as of 2024-01-31.", func(err error) bool {
			var e *ErrExpired
			return errors.As(err, &e) && e.Date == "2024-01-31" && strings.Contains(err.Error(), "2024-01-31")
		}},
		{400, "This method cannot be used while the project is in Production status.", func(err error) bool { var e *ErrProduction; return errors.As(err, &e) }},
		{404, "The requested URI was not found.", func(err error) bool { var e *APIError; return errors.As(err, &e) && e.Status == 404 }},
	}
	for _, format := range []string{"json", "csv", "xml"} {
		for _, tc := range cases {
			s := newFake(t)
			s.fault = func(w http.ResponseWriter, r *http.Request, form url.Values) bool {
				form.Set("returnFormat", format) // answer in this format whatever was asked
				errorBody(w, form, tc.status, tc.msg)
				return true
			}
			_, err := s.client(tokFull).Instruments(context.Background())
			if err == nil || !tc.check(err) {
				t.Errorf("%s %d %q: err = %T %v", format, tc.status, tc.msg, err, err)
				continue
			}
			if !strings.Contains(err.Error(), tc.msg) {
				t.Errorf("%s: error %q does not quote the server's message", format, err)
			}
			if Advice(err) == "" {
				t.Errorf("%s %T: no advice", format, err)
			}
		}
	}
}

func TestTokenErrorsFromFake(t *testing.T) {
	s := newFake(t)
	ctx := context.Background()
	var ut *ErrUnknownToken
	if _, err := s.client(tokUnknown).Version(ctx); !errors.As(err, &ut) {
		t.Errorf("unknown token: %v", err)
	}
	var ne *ErrNoExport
	if _, err := s.client(tokImportOnly).Version(ctx); !errors.As(err, &ne) {
		t.Errorf("import-only token: %v", err)
	}
	var ee *ErrExpired
	if _, err := s.client(tokExpired).Version(ctx); !errors.As(err, &ee) || ee.Date != "2024-01-31" {
		t.Errorf("expired token: %v", err)
	}
}

func TestHTMLPage(t *testing.T) {
	for _, status := range []int{200, 404} {
		s := newFake(t)
		s.fault = func(w http.ResponseWriter, r *http.Request, form url.Values) bool {
			w.Header().Set("Content-Type", "text/html; charset=UTF-8")
			w.WriteHeader(status)
			_, _ = io.WriteString(w, "\n<!DOCTYPE html>\n<html><head><title>Log in | REDCap</title></head><body>login</body></html>")
			return true
		}
		c := s.client(tokFull)
		_, err := c.ProjectInfo(context.Background())
		var e *ErrWrongURL
		if !errors.As(err, &e) || e.Status != status || e.Title != "Log in | REDCap" {
			t.Fatalf("status %d: err = %T %v", status, err, err)
		}
		if !strings.Contains(err.Error(), "wrong URL or a login page") {
			t.Errorf("message: %v", err)
		}
		if s.count("project") != 1 {
			t.Errorf("HTML page retried: %d calls", s.count("project"))
		}
	}
}

func TestRedirectNotFollowed(t *testing.T) {
	s := newFake(t)
	s.fault = func(w http.ResponseWriter, r *http.Request, form url.Values) bool {
		if r.URL.Path == "/redcap/api/" {
			http.Redirect(w, r, "/new/redcap/api/", http.StatusFound)
			return true
		}
		t.Errorf("redirect was followed to %s %s", r.Method, r.URL.Path)
		return false
	}
	c := s.client(tokFull)
	_, err := c.Version(context.Background())
	var e *ErrRedirect
	if !errors.As(err, &e) || e.Status != 302 {
		t.Fatalf("err = %T %v", err, err)
	}
	want := strings.TrimSuffix(c.URL(), "/redcap/api/") + "/new/redcap/api/"
	if e.Location != want || !strings.Contains(err.Error(), want) || !strings.Contains(Advice(err), want) {
		t.Errorf("Location %q, error %q, advice %q; want %q", e.Location, err, Advice(err), want)
	}
	if n := s.count("version"); n != 1 {
		t.Errorf("%d requests, want 1", n)
	}
}

// TestRedirectToLoginPageNotSuggested: a redirect to a page CheckURL
// refuses (a login page with a query) is not suggested as --url.
func TestRedirectToLoginPageNotSuggested(t *testing.T) {
	s := newFake(t)
	s.fault = func(w http.ResponseWriter, r *http.Request, form url.Values) bool {
		http.Redirect(w, r, "https://sso.example.org/login?return=/redcap/api/", http.StatusFound)
		return true
	}
	_, err := s.client(tokFull).Version(context.Background())
	if !has[*ErrRedirect](err) {
		t.Fatalf("err = %T %v", err, err)
	}
	if strings.Contains(err.Error(), "use that URL") || strings.Contains(Advice(err), "--url") ||
		!strings.Contains(Advice(err), "administrator") {
		t.Errorf("error %q, advice %q: want no suggestion to use the login page", err, Advice(err))
	}
}

func TestRetryOn5xxAnd408(t *testing.T) {
	for _, status := range []int{500, 502, 503, 408} {
		s := newFake(t)
		var n atomic.Int32
		s.fault = func(w http.ResponseWriter, r *http.Request, form url.Values) bool {
			if n.Add(1) <= 2 {
				errorBody(w, form, status, "busy")
				return true
			}
			return false
		}
		v, err := s.client(tokFull).Version(context.Background())
		if err != nil || v != "15.7.6" {
			t.Errorf("%d: Version = %q, %v", status, v, err)
		}
		if got := s.count("version"); got != 3 {
			t.Errorf("%d: %d tries, want 3", status, got)
		}
	}
}

func TestRetryGivesUpAfterThreeTries(t *testing.T) {
	s := newFake(t)
	s.fault = func(w http.ResponseWriter, r *http.Request, form url.Values) bool {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(502)
		_, _ = io.WriteString(w, "<html><head><title>502 Bad Gateway</title></head></html>")
		return true
	}
	_, err := s.client(tokFull).ExportMetadata(context.Background())
	var ae *APIError
	if !errors.As(err, &ae) || ae.Status != 502 || ae.Message != "502 Bad Gateway" {
		t.Fatalf("err = %T %v", err, err)
	}
	if got := s.count("metadata"); got != 3 {
		t.Errorf("%d tries, want 3", got)
	}
}

func TestNoRetryOnClientErrors(t *testing.T) {
	s := newFake(t)
	_, err := s.client(tokUnknown).Version(context.Background())
	if err == nil || s.count("version") != 1 {
		t.Errorf("err %v after %d tries, want 1 try", err, s.count("version"))
	}
}

func TestRetryOnDroppedConnection(t *testing.T) {
	s := newFake(t)
	var n atomic.Int32
	s.fault = func(w http.ResponseWriter, r *http.Request, form url.Values) bool {
		if n.Add(1) == 1 {
			dropConnection(t, w)
			return true
		}
		return false
	}
	if _, err := s.client(tokFull).Version(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := s.count("version"); got != 2 {
		t.Errorf("%d tries, want 2", got)
	}
}

func dropConnection(t *testing.T, w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		t.Fatal("no hijacker")
	}
	conn, _, err := hj.Hijack()
	if err != nil {
		t.Fatal(err)
	}
	_ = conn.Close()
}

func TestRetryHonoursContext(t *testing.T) {
	s := newFake(t)
	ctx, cancel := context.WithCancel(context.Background())
	s.fault = func(w http.ResponseWriter, r *http.Request, form url.Values) bool {
		errorBody(w, form, 503, "busy")
		return true
	}
	// The client logs the retry, then waits an hour; the user gives up
	// as the log line appears.
	cancelOnLog := writerFunc(func(p []byte) (int, error) { cancel(); return len(p), nil })
	c, err := New(s.start(), mustToken(t, tokFull), WithBackoff(time.Hour), WithLogger(zerolog.New(cancelOnLog)))
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Version(ctx)
	var ae *APIError
	if !errors.As(err, &ae) || ae.Status != 503 {
		t.Errorf("err = %v", err)
	}
	if got := s.count("version"); got != 1 {
		t.Errorf("%d tries after cancel, want 1", got)
	}
}

// TestTimeout: a server that never answers is abandoned because of the
// client's own timeout. The handler holds every request until the test
// ends, so the call can only return by the client giving up; the handler
// then sees each try's request cancelled. The waits below are hang guards,
// hundreds of times the 20 ms timeout: with the timeout not applied (or
// raised to a minute) the guard fires and the test fails.
func TestTimeout(t *testing.T) {
	const hangGuard = 20 * time.Second
	s := newFake(t)
	release := make(chan struct{})
	cancelled := make(chan struct{}, 8)
	s.fault = func(w http.ResponseWriter, r *http.Request, form url.Values) bool {
		select {
		case <-r.Context().Done():
			cancelled <- struct{}{}
		case <-release:
		}
		<-release // never answers while the test runs
		return true
	}
	// Tries are counted where the client sends them: under load a 20ms
	// deadline can pass before the server has read the second request, so
	// the server's own count may stay at 1.
	var tries atomic.Int32
	rt := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		tries.Add(1)
		return http.DefaultTransport.RoundTrip(r)
	})
	c := s.client(tokFull, WithTimeout(20*time.Millisecond), WithRetries(2), WithHTTPClient(&http.Client{Transport: rt}))
	// Registered after the client started the fake's server: cleanups run
	// last-in first-out, so the handlers are released before the server's
	// Close waits for them.
	t.Cleanup(func() { close(release) })
	errc := make(chan error, 1)
	go func() {
		_, err := c.Version(context.Background())
		errc <- err
	}()
	var err error
	select {
	case err = <-errc:
	case <-time.After(hangGuard):
		t.Fatalf("the call to a server that never answers did not return within %s: the client's 20ms timeout was not applied", hangGuard)
	}
	var ne *NetworkError
	if !errors.As(err, &ne) || !ne.Timeout {
		t.Fatalf("err = %T %v, want a *NetworkError with Timeout set", err, err)
	}
	if !strings.Contains(err.Error(), "timed out") || tries.Load() != 2 {
		t.Errorf("err %q after %d tries", err, tries.Load())
	}
	// At least the first try reached the handler (the second may time
	// out before the server reads it); each that did was cancelled by the
	// client, not answered.
	select {
	case <-cancelled:
	case <-time.After(hangGuard):
		t.Fatalf("the handler never saw its request cancelled within %s", hangGuard)
	}
}

// roundTripFunc is an http.RoundTripper made of a function.
type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func TestExportMetadata(t *testing.T) {
	s := newFake(t)
	s.dict = append(s.dict, redcap.Field{FieldName: "mood", FormName: "visit", FieldType: "radio", FieldLabel: "Mood", Choices: "1, Good | 2, Bad"})
	c := s.client(tokFull)
	ctx := context.Background()
	d, err := c.ExportMetadata(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if d.Len() != 3 || d.Fields[2].Choices != "1, Good | 2, Bad" || d.Fields[1].Validation != "integer" {
		t.Fatalf("export = %+v", d.Fields)
	}
	if o := d.Fields[1].Origin; o.File != c.URL() || o.Line != 3 || o.Row != 2 {
		t.Errorf("origin before ProjectInfo = %+v", o)
	}
	if _, err := c.ProjectInfo(ctx); err != nil {
		t.Fatal(err)
	}
	d, err = c.ExportMetadata(ctx, "demographics", "visit")
	if err != nil {
		t.Fatal(err)
	}
	if o := d.Fields[0].Origin; o.File != "REDCap project 42" || o.Line != 2 {
		t.Errorf("origin = %+v", o)
	}
	if len(d.Files) != 1 || d.Files[0] != "REDCap project 42" {
		t.Errorf("Files = %v", d.Files)
	}
	raw := s.lastBody()
	if !strings.Contains(raw, "&forms%5B0%5D=demographics&forms%5B1%5D=visit") {
		t.Errorf("forms not sent as a PHP array: %s", redactForTest(raw))
	}
}

func redactForTest(s string) string { return strings.ReplaceAll(s, tokFull, "[T]") }

func TestExportMetadataNonStringValues(t *testing.T) {
	s := newFake(t)
	s.fault = func(w http.ResponseWriter, r *http.Request, form url.Values) bool {
		_, _ = io.WriteString(w, `[{"field_name":"x","form_name":"f","field_type":"text","text_validation_min":0,"identifier":null,"extra_key":"ignored"}]`)
		return true
	}
	d, err := s.client(tokFull).ExportMetadata(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if f := d.Fields[0]; f.ValidationMin != "0" || f.Identifier != "" || f.FieldType != "text" {
		t.Errorf("field = %+v", f)
	}
}

func TestExportMetadataRowWithoutName(t *testing.T) {
	s := newFake(t)
	s.fault = func(w http.ResponseWriter, r *http.Request, form url.Values) bool {
		_, _ = io.WriteString(w, `[{"field_name":"record_id","form_name":"f"},{"form_name":"f","field_type":"text"}]`)
		return true
	}
	_, err := s.client(tokFull).ExportMetadata(context.Background())
	if err == nil || !strings.Contains(err.Error(), "row 2 has no field_name") {
		t.Errorf("err = %v", err)
	}
}

// TestImportRequestBody checks the raw request: parameters in order, the
// data a JSON array whose objects have the 18 keys in column order, every
// value a string.
func TestImportRequestBody(t *testing.T) {
	s := newFake(t)
	c := s.client(tokFull)
	d := &redcap.Dictionary{Fields: []redcap.Field{
		{FieldName: "record_id", FormName: "f", FieldType: "text", FieldLabel: "ID"},
		{FieldName: "q1", FormName: "f", FieldType: "radio", FieldLabel: "Q <b>1</b> & more", Choices: "1, A | 2, B", FieldAnnotation: "@HIDDEN"},
	}}
	n, err := c.ImportMetadata(context.Background(), d)
	if err != nil || n != 2 {
		t.Fatalf("ImportMetadata = %d, %v", n, err)
	}
	raw := s.lastBody()
	var keys []string
	for _, kv := range strings.Split(raw, "&") {
		k, _, _ := strings.Cut(kv, "=")
		keys = append(keys, k)
	}
	if got := strings.Join(keys, ","); got != "token,content,format,returnFormat,data" {
		t.Errorf("parameters %s", got)
	}
	form, _ := url.ParseQuery(raw)
	if form.Get("format") != "json" || form.Get("returnFormat") != "json" || form.Get("content") != "metadata" {
		t.Errorf("form = %v", form)
	}
	objs := jsonObjectKeys(t, form.Get("data"))
	if len(objs) != 2 {
		t.Fatalf("%d objects", len(objs))
	}
	for i, obj := range objs {
		if len(obj) != redcap.NumColumns {
			t.Fatalf("object %d has %d keys", i, len(obj))
		}
		for col, kv := range obj {
			if kv.key != redcap.Columns[col].Key {
				t.Errorf("object %d key %d = %s, want %s", i, col, kv.key, redcap.Columns[col].Key)
			}
			if _, ok := kv.value.(string); !ok {
				t.Errorf("object %d %s = %T, want a string", i, kv.key, kv.value)
			}
		}
	}
	if !strings.Contains(form.Get("data"), `"Q <b>1</b> & more"`) {
		t.Errorf("HTML in labels escaped: %s", form.Get("data"))
	}
}

type keyValue struct {
	key   string
	value any
}

// jsonObjectKeys reads a JSON array of flat objects keeping key order.
func jsonObjectKeys(t *testing.T, data string) [][]keyValue {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(data))
	tok := func() json.Token {
		tk, err := dec.Token()
		if err != nil {
			t.Fatalf("data is not JSON: %v", err)
		}
		return tk
	}
	if d, ok := tok().(json.Delim); !ok || d != '[' {
		t.Fatal("data is not an array")
	}
	var out [][]keyValue
	for dec.More() {
		if d, ok := tok().(json.Delim); !ok || d != '{' {
			t.Fatal("element is not an object")
		}
		var obj []keyValue
		for dec.More() {
			k := tok().(string)
			obj = append(obj, keyValue{k, tok()})
		}
		tok() // }
		out = append(out, obj)
	}
	return out
}

func TestImportRefusesEmptyDictionary(t *testing.T) {
	s := newFake(t)
	c := s.client(tokFull)
	for _, d := range []*redcap.Dictionary{nil, {}} {
		if _, err := c.ImportMetadata(context.Background(), d); !errors.Is(err, ErrEmptyDictionary) {
			t.Errorf("err = %v", err)
		}
	}
	if n := s.count("metadata-import"); n != 0 {
		t.Errorf("%d imports sent", n)
	}
}

func TestImportRefusals(t *testing.T) {
	ctx := context.Background()
	d := &redcap.Dictionary{Fields: []redcap.Field{{FieldName: "record_id", FormName: "f", FieldType: "text"}}}

	s := newFake(t)
	var ni *ErrNoImport
	if _, err := s.client(tokExportOnly).ImportMetadata(ctx, d); !errors.As(err, &ni) {
		t.Errorf("export-only: %v", err)
	}
	var nd *ErrNoDesign
	if _, err := s.client(tokNoDesign).ImportMetadata(ctx, d); !errors.As(err, &nd) {
		t.Errorf("no design: %v", err)
	}
	s.status = 2
	var pe *ErrProduction
	if _, err := s.client(tokFull).ImportMetadata(ctx, d); !errors.As(err, &pe) {
		t.Errorf("analysis/cleanup: %v", err)
	}
	// Refusals are not checked by exporting again.
	if n := s.count("metadata"); n != 0 {
		t.Errorf("%d verification exports after refusals", n)
	}
}

// pycap190 is the shape of REDCap's answer in PyCap#190: an exported
// dictionary re-imported with its columns shifted by one.
const pycap190 = "The following variable/field names were duplicated. Please rename these field names so that they only appear once.demographics (A3)demographics (A4)\n" +
	"Each row MUST have a form name, but the following cells have a form name missing: B2, B3.\n" +
	"The only valid field types are text, notes, radio, dropdown, calc, file, checkbox, yesno, truefalse, descriptive, slider and must all be lower-case. The following are invalid field types listed in your data dictionary:Name (D2)Age (D3)"

func TestImportDictionaryErrors(t *testing.T) {
	s := newFake(t)
	s.fault = func(w http.ResponseWriter, r *http.Request, form url.Values) bool {
		if form.Has("data") {
			errorBody(w, form, 400, pycap190)
			return true
		}
		return false
	}
	d := &redcap.Dictionary{Fields: []redcap.Field{{FieldName: "record_id", FormName: "f", FieldType: "text"}}}
	_, err := s.client(tokFull).ImportMetadata(context.Background(), d)
	var de *DictionaryErrors
	if !errors.As(err, &de) {
		t.Fatalf("err = %T %v", err, err)
	}
	want := []string{
		"The following variable/field names were duplicated. Please rename these field names so that they only appear once: demographics (A3)",
		"The following variable/field names were duplicated. Please rename these field names so that they only appear once: demographics (A4)",
		"Each row MUST have a form name, but the following cells have a form name missing: B2, B3.",
		"The only valid field types are text, notes, radio, dropdown, calc, file, checkbox, yesno, truefalse, descriptive, slider and must all be lower-case. The following are invalid field types listed in your data dictionary: Name (D2)",
		"The only valid field types are text, notes, radio, dropdown, calc, file, checkbox, yesno, truefalse, descriptive, slider and must all be lower-case. The following are invalid field types listed in your data dictionary: Age (D3)",
	}
	got := de.Lines()
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("lines:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if p := de.Problems[1]; p.Column != "A" || p.Row != 4 || p.Item != "demographics (A4)" {
		t.Errorf("problem 1 = %+v", p)
	}
	if n := strings.Count(err.Error(), "\n"); n != len(want) {
		t.Errorf("error has %d lines after the first, want %d:\n%s", n, len(want), err)
	}
	if s.count("metadata") != 0 {
		t.Error("dictionary errors were verified by an export")
	}
}

func TestSplitDictionaryErrors(t *testing.T) {
	cases := []struct {
		in   string
		want []string
	}{
		// Two messages run together without a newline.
		{"Each row MUST have a field type, but the following cells have a field type missing: D5.Variables/field names cannot begin with a number. Remove the numeral from the beginning of the following field names:1abc (A6)",
			[]string{
				"Each row MUST have a field type, but the following cells have a field type missing: D5.",
				"Variables/field names cannot begin with a number. Remove the numeral from the beginning of the following field names: 1abc (A6)",
			}},
		// Suggestions stay with their entry; quotes protect dots.
		{`Multiple choice fields can only have coded values (in the choices in column F) that are numeric or alpha-numeric (lower case or upper case, with or without underscores), thus they cannot have codings that contain spaces or other characters. Please make the following corrections:"a b" (F5) - Suggestion: replace with "a_b""1.5 x" (F6) - Suggestion: replace with "1_5_x"`,
			[]string{
				`Multiple choice fields can only have coded values (in the choices in column F) that are numeric or alpha-numeric (lower case or upper case, with or without underscores), thus they cannot have codings that contain spaces or other characters. Please make the following corrections: "a b" (F5) - Suggestion: replace with "a_b"`,
				`Multiple choice fields can only have coded values (in the choices in column F) that are numeric or alpha-numeric (lower case or upper case, with or without underscores), thus they cannot have codings that contain spaces or other characters. Please make the following corrections: "1.5 x" (F6) - Suggestion: replace with "1_5_x"`,
			}},
		// A prefix's words inside a sentence do not split it.
		{"Each row MUST have a form name, but the following Form names are blank: B5.", []string{"Each row MUST have a form name, but the following Form names are blank: B5."}},
		{"There is a syntactical error in the branching logic for the following cells: L5\n\n", []string{"There is a syntactical error in the branching logic for the following cells: L5"}},
	}
	for _, tc := range cases {
		var got []string
		for _, p := range splitDictionaryErrors(tc.in) {
			got = append(got, p.String())
		}
		if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
			t.Errorf("split(%q):\n%s\nwant:\n%s", tc.in, strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
		}
	}
}

// importFault makes the import fail after (apply=true) or before storing
// the dictionary, the way a timeout or a dropped connection does.
func importFault(s *fakeREDCap, apply bool, fail func(w http.ResponseWriter, r *http.Request, form url.Values)) {
	s.fault = func(w http.ResponseWriter, r *http.Request, form url.Values) bool {
		if !form.Has("data") {
			return false
		}
		if apply {
			var rows []redcap.Field
			if err := json.Unmarshal([]byte(form.Get("data")), &rows); err != nil {
				s.t.Error(err)
			}
			s.mu.Lock()
			s.dict = rows
			s.mu.Unlock()
		}
		fail(w, r, form)
		return true
	}
}

func newDict() *redcap.Dictionary {
	return &redcap.Dictionary{Fields: []redcap.Field{
		{FieldName: "record_id", FormName: "demographics", FieldType: "text", FieldLabel: "Record ID"},
		{FieldName: "age", FormName: "demographics", FieldType: "text", FieldLabel: "Age in years", Validation: "integer"},
		{FieldName: "mood", FormName: "visit", FieldType: "radio", FieldLabel: "Mood", Choices: "1,Good|2,Bad", RequiredField: "Y"},
	}}
}

func TestImportTimeoutVerified(t *testing.T) {
	hang := func(w http.ResponseWriter, r *http.Request, form url.Values) { <-r.Context().Done() }
	serverError := func(w http.ResponseWriter, r *http.Request, form url.Values) { errorBody(w, form, 500, "oops") }
	drop := func(w http.ResponseWriter, r *http.Request, form url.Values) { dropConnection(t, w) }
	for _, tc := range []struct {
		name  string
		apply bool
		fail  func(w http.ResponseWriter, r *http.Request, form url.Values)
		want  ImportOutcome
		text  string
		// exports is the number of verification exports: a server that
		// may still be saving (timeout, dropped connection) is checked
		// three times, and a project that still does not hold what was
		// sent leaves the outcome unknown: only an answer from REDCap
		// proves that an import did not apply.
		exports int
	}{
		{"timeout, applied", true, hang, ImportApplied, "the import applied despite the error", 1},
		{"timeout, not applied yet", false, hang, ImportUnknown, "not known whether it applied: it had not applied when checked (checked 3 times", 3},
		{"500, applied", true, serverError, ImportApplied, "the import applied despite the error", 1},
		{"500, not applied", false, serverError, ImportNotApplied, "differs from what was sent: 3 fields sent, 2 in the project", 1},
		{"dropped, not applied yet", false, drop, ImportUnknown, "REDCap may still be saving it", 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newFake(t)
			importFault(s, tc.apply, tc.fail)
			c := s.client(tokFull, WithTimeout(200*time.Millisecond))
			_, err := c.ImportMetadata(context.Background(), newDict())
			var ie *ImportError
			if !errors.As(err, &ie) || ie.Outcome != tc.want {
				t.Fatalf("err = %T %v", err, err)
			}
			if !strings.Contains(err.Error(), tc.text) || Advice(err) == "" {
				t.Errorf("error %q", err)
			}
			if n := s.count("metadata-import"); n != 1 {
				t.Errorf("import sent %d times, want 1", n)
			}
			if n := s.count("metadata"); n != tc.exports {
				t.Errorf("%d verification exports, want %d", n, tc.exports)
			}
		})
	}
}

func TestImportCancelledIsChecked(t *testing.T) {
	s := newFake(t)
	ctx, cancel := context.WithCancel(context.Background())
	importFault(s, false, func(w http.ResponseWriter, r *http.Request, form url.Values) {
		cancel() // the user presses Ctrl-C while REDCap works
		<-r.Context().Done()
	})
	_, err := s.client(tokFull).ImportMetadata(ctx, newDict())
	var ie *ImportError
	if !errors.As(err, &ie) || ie.Outcome != ImportUnknown || !strings.Contains(err.Error(), "may still be saving") {
		t.Fatalf("err = %v", err)
	}
	if n := s.count("metadata"); n != 1 {
		t.Errorf("%d checks after a cancel, want 1", n)
	}
}

func TestImportWithBeforeState(t *testing.T) {
	s := newFake(t)
	c := s.client(tokFull, WithTimeout(200*time.Millisecond))
	before, err := c.ExportMetadata(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	importFault(s, false, func(w http.ResponseWriter, r *http.Request, form url.Values) { errorBody(w, form, 503, "down") })
	_, err = c.ImportMetadataFrom(context.Background(), newDict(), before)
	var ie *ImportError
	if !errors.As(err, &ie) || ie.Outcome != ImportNotApplied || !strings.Contains(err.Error(), "still holds the dictionary it had before") {
		t.Fatalf("err = %v", err)
	}
	// Something else changed the project meanwhile: neither state.
	importFault(s, false, func(w http.ResponseWriter, r *http.Request, form url.Values) {
		s.mu.Lock()
		s.dict = s.dict[:1]
		s.mu.Unlock()
		errorBody(w, form, 503, "down")
	})
	_, err = c.ImportMetadataFrom(context.Background(), newDict(), before)
	if !errors.As(err, &ie) || ie.Outcome != ImportUnknown {
		t.Fatalf("err = %v", err)
	}
}

func TestImportVerificationFails(t *testing.T) {
	s := newFake(t)
	s.fault = func(w http.ResponseWriter, r *http.Request, form url.Values) bool {
		errorBody(w, form, 503, "maintenance")
		return true
	}
	_, err := s.client(tokFull).ImportMetadata(context.Background(), newDict())
	var ie *ImportError
	if !errors.As(err, &ie) || ie.Outcome != ImportUnknown || ie.VerifyErr == nil {
		t.Fatalf("err = %v", err)
	}
	if !strings.Contains(err.Error(), "not known whether it applied") {
		t.Errorf("error %q", err)
	}
	if n := s.count("metadata-import"); n != 1 {
		t.Errorf("import sent %d times", n)
	}
}

func TestRepeatingFormsEvents(t *testing.T) {
	s := newFake(t)
	rows, err := s.client(tokFull).RepeatingFormsEvents(context.Background())
	if err != nil || rows == nil || len(rows) != 0 {
		t.Errorf("no repeating instruments: %v, %v", rows, err)
	}
	var nd *ErrNoDesign
	if _, err := s.client(tokNoDesign).RepeatingFormsEvents(context.Background()); !errors.As(err, &nd) {
		t.Errorf("no design: %v", err)
	}
}

func TestFieldValidation(t *testing.T) {
	s := newFake(t)
	_, err := s.client(tokFull).FieldValidation(context.Background())
	var ae *APIError
	if !errors.As(err, &ae) || ae.Status != 400 {
		t.Errorf("unsupported: %v", err)
	}
	s.fault = func(w http.ResponseWriter, r *http.Request, form url.Values) bool {
		_, _ = io.WriteString(w, `[{"validation_type":"date_ymd","regex":"/^\\d{4}$/"},{"validation_type":"vmrn","regex":"/^x$/"}]`)
		return true
	}
	vt, err := s.client(tokFull).FieldValidation(context.Background())
	if err != nil || len(vt) != 2 || vt[1].Name != "vmrn" || vt[0].Regex != `/^\d{4}$/` {
		t.Errorf("FieldValidation = %+v, %v", vt, err)
	}
}

func TestInstruments(t *testing.T) {
	s := newFake(t)
	in, err := s.client(tokFull).Instruments(context.Background())
	if err != nil || len(in) != 1 || in[0].Name != "demographics" || in[0].Label != "Demographics" {
		t.Errorf("Instruments = %+v, %v", in, err)
	}
}

func TestErrorObjectWith200(t *testing.T) {
	s := newFake(t)
	s.fault = func(w http.ResponseWriter, r *http.Request, form url.Values) bool {
		_, _ = io.WriteString(w, `{"error":"You do not have API Export privileges"}`)
		return true
	}
	var ne *ErrNoExport
	if _, err := s.client(tokFull).ExportMetadata(context.Background()); !errors.As(err, &ne) {
		t.Errorf("err = %v", err)
	}
}

func TestDebugHTTPDump(t *testing.T) {
	s := newFake(t)
	var buf bytes.Buffer
	c := s.client(tokFull, WithDebugHTTP(true), WithLogger(zerolog.New(&buf).Level(zerolog.DebugLevel)))
	if _, err := c.ImportMetadata(context.Background(), newDict()); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{"http request: POST", "http response", "content=metadata", "token=[REDACTED]", `"status":200`} {
		if !strings.Contains(out, want) {
			t.Errorf("dump lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, tokFull) {
		t.Error("dump contains the token")
	}
	buf.Reset()
	c = s.client(tokFull, WithLogger(zerolog.New(&buf).Level(zerolog.DebugLevel)))
	if _, err := c.Version(context.Background()); err != nil {
		t.Fatal(err)
	}
	if buf.Len() != 0 {
		t.Errorf("dump without --debug-http: %s", buf.String())
	}
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }
