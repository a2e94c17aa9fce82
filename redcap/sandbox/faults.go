package sandbox

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// Fault kinds.
const (
	// FaultLatency delays the request by Latency, then handles it.
	FaultLatency = "latency"
	// FaultStatus answers Status (default 500) without handling the request.
	FaultStatus = "status"
	// FaultHTML answers 200 with an HTML login page, as some sites' proxies
	// or SSO pages do.
	FaultHTML = "html"
	// FaultRedirect answers Status (301 or 302, default 301) with Location
	// (default: the same path on https, as an http->https redirect).
	FaultRedirect = "redirect"
	// FaultDropBefore closes the connection without handling the request:
	// an import did not apply.
	FaultDropBefore = "drop-before"
	// FaultDropAfter handles the request (an import applies and is saved),
	// then closes the connection without an answer.
	FaultDropAfter = "drop-after"
	// FaultBody answers 200 with Body as JSON without handling the
	// request: a server (or proxy) that returns something impossible, such
	// as an empty dictionary.
	FaultBody = "body"
)

// Fault is an injected failure for the requests that match Content and
// Action.
type Fault struct {
	Kind string `json:"kind"`
	// Content limits the fault to one content ("" = any).
	Content string `json:"content,omitempty"`
	// Action limits it to "export" or "import" ("" = either).
	Action string `json:"action,omitempty"`
	// Count is how many matching requests get the fault; 0 means all.
	Count int `json:"count,omitempty"`
	// Skip is how many matching requests pass untouched before the fault
	// applies: e.g. skip 1 slows an upload's second log read, after its
	// import, and not the first.
	Skip     int      `json:"skip,omitempty"`
	Status   int      `json:"status,omitempty"`
	Latency  Duration `json:"latency,omitzero"`
	Location string   `json:"location,omitempty"`
	// Body is what a body fault answers.
	Body string `json:"body,omitempty"`
}

// Duration is a time.Duration written as "250ms" in JSON.
type Duration struct{ time.Duration }

// MarshalText writes the duration as Go does ("1.5s").
func (d Duration) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText reads "250ms", "2s".
func (d *Duration) UnmarshalText(b []byte) error {
	v, err := time.ParseDuration(string(b))
	if err != nil {
		return fmt.Errorf("latency: %w", err)
	}
	d.Duration = v
	return nil
}

func (f Fault) check() error {
	switch f.Kind {
	case FaultLatency:
		if f.Latency.Duration <= 0 {
			return errors.New("latency fault needs a positive latency")
		}
	case FaultStatus:
		if f.Status != 0 && (f.Status < 400 || f.Status > 599) {
			return fmt.Errorf("status fault: status %d (want 4xx or 5xx)", f.Status)
		}
	case FaultRedirect:
		if f.Status != 0 && f.Status != 301 && f.Status != 302 && f.Status != 303 && f.Status != 307 && f.Status != 308 {
			return fmt.Errorf("redirect fault: status %d (want 301, 302, 303, 307 or 308)", f.Status)
		}
	case FaultHTML, FaultDropBefore, FaultDropAfter, FaultBody:
	default:
		return fmt.Errorf("unknown fault kind %q (want latency, status, html, redirect, drop-before, drop-after or body)", f.Kind)
	}
	if f.Body != "" && f.Kind != FaultBody {
		return fmt.Errorf("%s fault: a body is only for body faults", f.Kind)
	}
	if f.Action != "" && f.Action != "export" && f.Action != "import" {
		return fmt.Errorf("fault action %q (want export, import or empty)", f.Action)
	}
	if f.Count < 0 {
		return fmt.Errorf("fault count %d is negative", f.Count)
	}
	if f.Skip < 0 {
		return fmt.Errorf("fault skip %d is negative", f.Skip)
	}
	return nil
}

func (f Fault) matches(req *request) bool {
	return (f.Content == "" || f.Content == req.content) && (f.Action == "" || f.Action == req.action())
}

// takeFaults returns the faults for this request: every matching latency
// fault and the first other matching fault, using up their counts.
func (s *Server) takeFaults(req *request) []Fault {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.state.Faults) == 0 {
		return nil
	}
	var out []Fault
	kept := s.state.Faults[:0:0]
	other := false
	changed := false
	for _, f := range s.state.Faults {
		use := f.matches(req) && (f.Kind == FaultLatency || !other)
		if use && f.Skip > 0 {
			f.Skip--
			changed = true
			use = false
		}
		if use {
			out = append(out, f)
			if f.Kind != FaultLatency {
				other = true
			}
			if f.Count > 0 {
				changed = true
				f.Count--
				if f.Count == 0 {
					continue
				}
			}
		}
		kept = append(kept, f)
	}
	s.state.Faults = kept
	if changed {
		// Best effort: a used-up fault must not come back after a restart,
		// but failing to record that is no reason to fail the request.
		_ = s.saveLocked()
	}
	return out
}

const htmlPage = `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>REDCap | Log In</title></head>
<body>
<form method="post" action="/"><p>Please log in with your user name and password.</p>
<input name="username"><input name="password" type="password"><button>Log In</button></form>
</body>
</html>
`

// inject applies a non-latency fault; it reports whether the request is
// finished.
func (s *Server) inject(w http.ResponseWriter, r *http.Request, req *request, f Fault, info *RequestInfo) bool {
	switch f.Kind {
	case FaultStatus:
		status := f.Status
		if status == 0 {
			status = http.StatusInternalServerError
		}
		if status == http.StatusInternalServerError {
			writeError(w, status, "", req.returnFormat)
			return true
		}
		// Other 5xx come from a proxy in front of REDCap: HTML.
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(status)
		fmt.Fprintf(w, "<html><head><title>%d %s</title></head><body><h1>%s</h1></body></html>\n", status, http.StatusText(status), http.StatusText(status))
		return true
	case FaultHTML:
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write([]byte(htmlPage))
		return true
	case FaultRedirect:
		status := f.Status
		if status == 0 {
			status = http.StatusMovedPermanently
		}
		loc := f.Location
		if loc == "" {
			loc = "https://" + r.Host + r.URL.Path
		}
		w.Header().Set("Location", loc)
		w.Header().Set("Content-Type", "text/html; charset=iso-8859-1")
		w.WriteHeader(status)
		fmt.Fprintf(w, "<!DOCTYPE HTML PUBLIC \"-//IETF//DTD HTML 2.0//EN\">\n<html><head><title>%d %s</title></head><body><p>The document has moved <a href=\"%s\">here</a>.</p></body></html>\n", status, http.StatusText(status), htmlEscape(loc))
		return true
	case FaultBody:
		w.Header().Set("Content-Type", contentType("json"))
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write([]byte(f.Body))
		return true
	case FaultDropBefore:
		dropConnection(w)
		return true
	case FaultDropAfter:
		// Handle the request fully (an import is applied and saved), throw
		// the answer away, then drop the connection.
		bw := &discardWriter{header: http.Header{}}
		s.handle(bw, req, info)
		dropConnection(w)
		return true
	}
	return false
}

// discardWriter is a ResponseWriter whose output nobody reads.
type discardWriter struct {
	header http.Header
	body   bytes.Buffer
}

func (d *discardWriter) Header() http.Header         { return d.header }
func (d *discardWriter) Write(b []byte) (int, error) { return d.body.Write(b) }
func (d *discardWriter) WriteHeader(int)             {}

// dropConnection closes the client's connection without an answer.
func dropConnection(w http.ResponseWriter) {
	if sw, ok := w.(*statusWriter); ok {
		w = sw.ResponseWriter
	}
	if hj, ok := w.(http.Hijacker); ok {
		if conn, _, err := hj.Hijack(); err == nil {
			_ = conn.Close()
			return
		}
	}
	// HTTP/2 or a recorder: abort the handler, which resets the stream.
	panic(http.ErrAbortHandler)
}

// String names a fault for logs.
func (f Fault) String() string {
	var b strings.Builder
	b.WriteString(f.Kind)
	if f.Content != "" {
		b.WriteString(" content=" + f.Content)
	}
	if f.Action != "" {
		b.WriteString(" action=" + f.Action)
	}
	return b.String()
}
