package api

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/rcolpipe/rcolpipe/redcap"
	"github.com/rs/zerolog"
)

// TestNoTokenInErrorsOrDumps makes a server echo the token everywhere it
// can (error messages in every format, HTML titles, redirect targets,
// headers, success bodies) and greps every error string, advice and debug
// dump for it, in upper and lower case.
func TestNoTokenInErrorsOrDumps(t *testing.T) {
	echo := func(form url.Values) string {
		return "bad token " + form.Get("token") + " / " + strings.ToLower(form.Get("token"))
	}
	faults := map[string]func(w http.ResponseWriter, r *http.Request, form url.Values){
		"json 403": func(w http.ResponseWriter, r *http.Request, form url.Values) {
			form.Set("returnFormat", "json")
			errorBody(w, form, 403, "You do not have permissions to use the API: "+echo(form))
		},
		"csv 400": func(w http.ResponseWriter, r *http.Request, form url.Values) {
			form.Set("returnFormat", "csv")
			errorBody(w, form, 400, echo(form))
		},
		"xml 500": func(w http.ResponseWriter, r *http.Request, form url.Values) {
			form.Set("returnFormat", "xml")
			errorBody(w, form, 500, echo(form))
		},
		"expired": func(w http.ResponseWriter, r *http.Request, form url.Values) {
			errorBody(w, form, 403, "privileges have expired for this project as of 2024-01-01 "+echo(form))
		},
		"plain text": func(w http.ResponseWriter, r *http.Request, form url.Values) {
			w.WriteHeader(418)
			_, _ = io.WriteString(w, echo(form))
		},
		"html title": func(w http.ResponseWriter, r *http.Request, form url.Values) {
			w.Header().Set("X-Echo", form.Get("token"))
			_, _ = io.WriteString(w, "<!DOCTYPE html><html><head><title>"+echo(form)+"</title></head></html>")
		},
		"redirect": func(w http.ResponseWriter, r *http.Request, form url.Values) {
			http.Redirect(w, r, "https://sso.example.org/login?t="+form.Get("token"), http.StatusMovedPermanently)
		},
		"odd success": func(w http.ResponseWriter, r *http.Request, form url.Values) {
			_, _ = io.WriteString(w, echo(form))
		},
		"error object 200": func(w http.ResponseWriter, r *http.Request, form url.Values) {
			_, _ = fmt.Fprintf(w, `{"error":%q}`, echo(form))
		},
		"dictionary errors": func(w http.ResponseWriter, r *http.Request, form url.Values) {
			errorBody(w, form, 400, "Each row MUST have a form name: "+echo(form)+" (B2)")
		},
		"echo in a value": func(w http.ResponseWriter, r *http.Request, form url.Values) {
			// Valid JSON whose value has the wrong type: the decoder's
			// message quotes the value.
			v := fmt.Sprintf(`{"t":%q}`, form.Get("token"))
			if form.Get("content") == "project" {
				_, _ = fmt.Fprintf(w, `{"in_production":%s}`, v)
				return
			}
			_, _ = fmt.Fprintf(w, `[{"field_name":%s,"username":%s,"event_name":%s}]`, v, v, v)
		},
		// The token placed where messages are cut short (titles at 120
		// characters, unparsed bodies at 500, values at 40): no part of it
		// may survive the cut.
		"cut html title": func(w http.ResponseWriter, r *http.Request, form url.Values) {
			_, _ = io.WriteString(w, "<html><head><title>"+strings.Repeat("x", 110)+form.Get("token")+"</title></head></html>")
		},
		"cut plain body": func(w http.ResponseWriter, r *http.Request, form url.Values) {
			w.WriteHeader(400)
			_, _ = io.WriteString(w, strings.Repeat("x", 490)+form.Get("token"))
		},
		"cut value": func(w http.ResponseWriter, r *http.Request, form url.Values) {
			v := fmt.Sprintf(`"%s%s"`, strings.Repeat("1", 30), form.Get("token"))
			if form.Get("content") == "project" {
				_, _ = fmt.Fprintf(w, `{"project_id":%s}`, v)
				return
			}
			_, _ = fmt.Fprintf(w, `[{"username":"alice","api_export":1,"forms":%s}]`, v)
		},
		"dropped": func(w http.ResponseWriter, r *http.Request, form url.Values) { dropConnection(t, w) },
		"timeout": func(w http.ResponseWriter, r *http.Request, form url.Values) { <-r.Context().Done() },
	}
	calls := map[string]func(c *Client) error{
		"version":  func(c *Client) error { _, err := c.Version(context.Background()); return err },
		"project":  func(c *Client) error { _, err := c.ProjectInfo(context.Background()); return err },
		"metadata": func(c *Client) error { _, err := c.ExportMetadata(context.Background(), "f"); return err },
		"import":   func(c *Client) error { _, err := c.ImportMetadata(context.Background(), newDict()); return err },
		"users":    func(c *Client) error { _, err := c.Users(context.Background()); return err },
		"repeating": func(c *Client) error {
			_, err := c.RepeatingFormsEvents(context.Background())
			return err
		},
		"preflight": func(c *Client) error {
			r := Preflight(context.Background(), c, PreflightOptions{Username: "alice"})
			var b strings.Builder
			for _, it := range r.Items {
				fmt.Fprintf(&b, "%s %s %s %s\n", it.Check, it.Result, it.Detail, it.Advice)
			}
			return fmt.Errorf("%s", b.String())
		},
	}
	for fname, fault := range faults {
		for cname, call := range calls {
			s := newFake(t)
			s.fault = func(w http.ResponseWriter, r *http.Request, form url.Values) bool { fault(w, r, form); return true }
			var dump bytes.Buffer
			c := s.client(tokFull, WithTimeout(100*time.Millisecond), WithRetries(2), WithDebugHTTP(true),
				WithLogger(zerolog.New(&dump).Level(zerolog.DebugLevel)))
			err := call(c)
			if err == nil {
				if fname != "cut value" { // a body some exports read without complaint
					t.Errorf("%s/%s: no error", fname, cname)
				}
				continue
			}
			for what, text := range map[string]string{"error": err.Error(), "advice": Advice(err), "%+v": fmt.Sprintf("%+v", err), "dump": dump.String()} {
				if strings.Contains(strings.ToUpper(text), tokFull[:8]) {
					t.Errorf("%s/%s: the token (or its first 8 characters) is in the %s: %s", fname, cname, what, text)
				}
			}
			if !strings.Contains(dump.String(), "[REDACTED]") {
				t.Errorf("%s/%s: the dump shows no redaction", fname, cname)
			}
		}
	}
}

// TestNoTokenInImportDump checks that a token pasted into a field label
// is redacted from the dump of the data sent.
func TestNoTokenInImportDump(t *testing.T) {
	s := newFake(t)
	var dump bytes.Buffer
	c := s.client(tokFull, WithDebugHTTP(true), WithLogger(zerolog.New(&dump).Level(zerolog.DebugLevel)))
	d := &redcap.Dictionary{Fields: []redcap.Field{{FieldName: "record_id", FormName: "f", FieldType: "text", FieldLabel: "oops " + tokFull}}}
	if _, err := c.ImportMetadata(context.Background(), d); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(dump.String(), tokFull) {
		t.Error("the dump contains the token")
	}
}
