package api

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
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

// revealed decodes text the ways a reader might (JSON \u escapes, also
// inside JSON log lines; HTML/XML numeric entities; URL %-escapes) and
// reports whether the token, or its first 8 characters, shows in any case.
func revealed(text string) bool {
	for strings.Contains(text, `\\`) {
		text = strings.ReplaceAll(text, `\\`, `\`)
	}
	text = escapeRe.ReplaceAllStringFunc(text, func(m string) string {
		var v int64
		var err error
		switch {
		case strings.HasPrefix(m, `\`):
			v, err = strconv.ParseInt(m[2:], 16, 32)
		case strings.HasPrefix(strings.ToLower(m), "&#x"):
			v, err = strconv.ParseInt(strings.TrimSuffix(m[3:], ";"), 16, 32)
		case strings.HasPrefix(m, "&#"):
			v, err = strconv.ParseInt(strings.TrimSuffix(m[2:], ";"), 10, 32)
		default:
			v, err = strconv.ParseInt(m[1:], 16, 32)
		}
		if err != nil {
			return m
		}
		return string(rune(v))
	})
	return strings.Contains(strings.ToUpper(text), tokFull[:8])
}

var escapeRe = regexp.MustCompile(`\\[uU][0-9a-fA-F]{4}|&#[xX][0-9a-fA-F]+;?|&#[0-9]+;?|%[0-9a-fA-F]{2}`)

// TestNoTokenWhenServerEscapesIt: a server that echoes the token with
// every character escaped (JSON \u0030, XML/HTML &#48;, URL %30) must not
// get it shown once the client has decoded its answer: not in errors,
// advice, preflight details, project information, or debug dumps.
func TestNoTokenWhenServerEscapesIt(t *testing.T) {
	jsonEcho := escapeEach(tokFull, `\u%04x`)
	entityEcho := escapeEach(strings.ToLower(tokFull), "&#%d;")
	faults := map[string]func(w http.ResponseWriter, r *http.Request, form url.Values) bool{
		"json 403": func(w http.ResponseWriter, r *http.Request, form url.Values) bool {
			w.WriteHeader(403)
			_, _ = io.WriteString(w, `{"error":"You do not have permissions to use the API: bad token `+jsonEcho+`"}`)
			return true
		},
		"json 400": func(w http.ResponseWriter, r *http.Request, form url.Values) bool {
			w.WriteHeader(400)
			_, _ = io.WriteString(w, `{"error":"Each row MUST have a form name: `+jsonEcho+` (B2)"}`)
			return true
		},
		"json error object 200": func(w http.ResponseWriter, r *http.Request, form url.Values) bool {
			_, _ = io.WriteString(w, `{"error":"bad token `+jsonEcho+`"}`)
			return true
		},
		"xml entities 500": func(w http.ResponseWriter, r *http.Request, form url.Values) bool {
			w.WriteHeader(500)
			_, _ = io.WriteString(w, `<?xml version="1.0" encoding="UTF-8" ?><hash><error>bad token `+entityEcho+`</error></hash>`)
			return true
		},
		"html title entities": func(w http.ResponseWriter, r *http.Request, form url.Values) bool {
			_, _ = io.WriteString(w, "<!DOCTYPE html><html><head><title>"+strings.Repeat("x", 100)+entityEcho+"</title></head></html>")
			return true
		},
		"redirect %-escaped": func(w http.ResponseWriter, r *http.Request, form url.Values) bool {
			w.Header().Set("Location", "https://sso.example.org/login?t="+escapeEach(tokFull, "%%%02x"))
			w.WriteHeader(http.StatusFound)
			return true
		},
		"project title": func(w http.ResponseWriter, r *http.Request, form url.Values) bool {
			if form.Get("content") != "project" {
				return false
			}
			_, _ = io.WriteString(w, `{"project_id":"7","project_title":"P `+jsonEcho+`","in_production":"1","project_language":"`+jsonEcho+`"}`)
			return true
		},
		"form name": func(w http.ResponseWriter, r *http.Request, form url.Values) bool {
			if form.Get("content") != "user" {
				return false
			}
			_, _ = io.WriteString(w, `[{"username":"alice","design":1,"user_rights":1,"api_export":1,"api_import":1,"forms":{"`+jsonEcho+`":0}}]`)
			return true
		},
		"bad value": func(w http.ResponseWriter, r *http.Request, form url.Values) bool {
			_, _ = io.WriteString(w, `[{"field_name":{"t":"`+jsonEcho+`"},"username":["`+jsonEcho+`"]}]`)
			return true
		},
		"import check diff": func(w http.ResponseWriter, r *http.Request, form url.Values) bool {
			if form.Get("content") != "metadata" {
				return false
			}
			if form.Has("data") {
				w.WriteHeader(500)
				return true
			}
			var rows []map[string]string
			b, _ := MarshalDictionary(newDict())
			_ = json.Unmarshal(b, &rows)
			rows[0]["field_label"] = "TOKEN"
			b, _ = json.Marshal(rows)
			_, _ = w.Write(bytes.Replace(b, []byte("TOKEN"), []byte(jsonEcho), 1))
			return true
		},
	}
	calls := map[string]func(c *Client) (string, error){
		"version": func(c *Client) (string, error) { return c.Version(context.Background()) },
		"project": func(c *Client) (string, error) {
			p, err := c.ProjectInfo(context.Background())
			return fmt.Sprintf("%+v", p), err
		},
		"metadata": func(c *Client) (string, error) {
			_, err := c.ExportMetadata(context.Background(), "f")
			return "", err
		},
		"import": func(c *Client) (string, error) {
			_, err := c.ImportMetadata(context.Background(), newDict())
			return "", err
		},
		"users": func(c *Client) (string, error) {
			u, err := c.Users(context.Background())
			return fmt.Sprintf("%d users", len(u)), err
		},
		"preflight": func(c *Client) (string, error) {
			r := Preflight(context.Background(), c, PreflightOptions{Username: "alice"})
			var b strings.Builder
			for _, it := range r.Items {
				fmt.Fprintf(&b, "%s %s %s %s\n", it.Check, it.Result, it.Detail, it.Advice)
			}
			if r.Project != nil {
				fmt.Fprintf(&b, "%+v\n", *r.Project)
			}
			return b.String(), nil
		},
	}
	for fname, fault := range faults {
		shownRedacted := false
		for cname, call := range calls {
			s := newFake(t)
			s.fault = fault
			var dump bytes.Buffer
			c := s.client(tokFull, WithTimeout(time.Second), WithRetries(1), WithBackoff(0), WithDebugHTTP(true),
				WithLogger(zerolog.New(&dump).Level(zerolog.DebugLevel)))
			shown, err := call(c)
			texts := map[string]string{"shown": shown, "dump": dump.String()}
			if err != nil {
				texts["error"], texts["advice"], texts["%+v"] = err.Error(), Advice(err), fmt.Sprintf("%+v", err)
			}
			for what, text := range texts {
				if revealed(text) {
					t.Errorf("%s/%s: the token, escaped or decoded, is in the %s: %s", fname, cname, what, text)
				}
				if what != "dump" && strings.Contains(text, redacted) {
					shownRedacted = true
				}
			}
		}
		// Else the echo never reached a message, and the case shows nothing.
		if !shownRedacted {
			t.Errorf("%s: no call showed the echo as [REDACTED]", fname)
		}
	}
}
