// Package sandbox is a REDCap-compatible API server for tests and for
// trying uploads without a REDCap account: an http.Handler that answers
// the methods rcolpipe uses with REDCap 15.7.6's status codes, messages and
// order of checks (docs/redcap.md#order-of-checks and on), keeps its state
// in a JSON file (docs/sandbox.md), and can inject faults (latency, 5xx,
// HTML pages, redirects, dropped connections).
//
// REDCap's facts come from package redcap, as for the client: reserved
// field names, field types and their legacy names, legacy validation names,
// the type classes, the reading of column F, the cleaning of field, form,
// matrix-group names and checkbox export codes; Smart Variables and the
// function whitelist from redcap/logic. The sandbox's own checks of logic
// (brackets, references, function calls) are a scanner written apart from
// redcap/logic's parser, an independent oracle for the client's validator.
// The one table it keeps a copy of on purpose is the validation-type table
// with its patterns (validation.go): the server's redcap_validation_types,
// which a state file can extend and content=fieldValidation exports; the
// client has only the names (redcap.DefaultValidationTypes).
// TestFactsDefinedOnce (package redcap) allows that copy and no other.
package sandbox

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/rcolpipe/rcolpipe/internal/lazyre"
)

// Server is the REDCap emulator. It is safe for concurrent use.
type Server struct {
	mu    sync.Mutex // guards state and every file write
	state *State
	dir   string // where state.json lives; "" keeps the state in memory
	now   func() time.Time
	vt    *validationTable
	log   func(RequestInfo)
	sleep func(time.Duration)

	maxBody   int64         // bytes of one request body; more gets 413
	slots     chan struct{} // one token per request being handled; full gets 503
	queueWait time.Duration // how long a request waits for a slot
}

// Limits of one server (docs/sandbox.md, "Limits"). They keep a burst of
// large uploads from taking the machine's memory: each request in hand
// may hold a few copies of its body while it is parsed.
const (
	// DefaultMaxBody is the largest request body accepted: 32 MiB, over
	// four times the 7.3 MB that rcolpipe sends for a 10,000-field
	// dictionary.
	DefaultMaxBody = 32 << 20
	// DefaultMaxConcurrent is how many API requests are handled at once:
	// two uploads at once, each sending its preflight, baseline export and
	// log read together (six requests), plus a little.
	DefaultMaxConcurrent = 8
	// DefaultQueueWait is how long a request waits for one of them
	// before it gets 503.
	DefaultQueueWait = 2 * time.Second
)

// Option configures a Server.
type Option func(*Server)

// WithClock sets the clock used for expired rights (default time.Now).
func WithClock(now func() time.Time) Option { return func(s *Server) { s.now = now } }

// WithRequestLog calls fn after every request. RequestInfo never holds the
// token.
func WithRequestLog(fn func(RequestInfo)) Option { return func(s *Server) { s.log = fn } }

// WithMaxBody sets the largest request body accepted (default
// DefaultMaxBody); a larger one gets 413 before it is read.
func WithMaxBody(n int64) Option { return func(s *Server) { s.maxBody = n } }

// WithMaxConcurrent sets how many API requests are handled at once
// (default DefaultMaxConcurrent) and how long another waits for its turn
// (default DefaultQueueWait; 0 answers 503 at once) before it gets 503.
func WithMaxConcurrent(n int, wait time.Duration) Option {
	return func(s *Server) {
		s.slots = make(chan struct{}, max(n, 1))
		s.queueWait = wait
	}
}

// WithFaults adds faults to inject (see Fault).
func WithFaults(faults ...Fault) Option {
	return func(s *Server) { s.state.Faults = append(s.state.Faults, faults...) }
}

// RequestInfo describes one request for a log line.
type RequestInfo struct {
	Method   string
	Path     string
	Content  string
	Action   string // "export" or "import"
	Format   string
	Username string // "" when the token was not accepted
	Status   int
	Fault    string // the kind of fault injected, if any
	Duration time.Duration
}

// New returns a server over state, kept in memory only. The server owns
// state from now on; read it back with State.
func New(state *State, opts ...Option) *Server {
	if state == nil {
		state = &State{}
	}
	s := &Server{state: state, now: time.Now, sleep: time.Sleep,
		maxBody: DefaultMaxBody, slots: make(chan struct{}, DefaultMaxConcurrent), queueWait: DefaultQueueWait}
	for _, o := range opts {
		o(s)
	}
	s.vt = newValidationTable(state.ExtraValidationTypes)
	return s
}

// Open loads dir/state.json and returns a server that writes every change
// back to it. Temporary state files left by a server that was killed
// while saving are removed first: they hold tokens.
func Open(dir string, opts ...Option) (*Server, error) {
	if err := RemoveStaleTemps(dir); err != nil {
		return nil, err
	}
	st, err := LoadState(dir)
	if err != nil {
		return nil, err
	}
	s := New(st, opts...)
	s.dir = dir
	return s, nil
}

// State returns a copy of the current state.
func (s *Server) State() *State {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.state.Clone()
}

// Update changes the state under the server's lock (and saves it when the
// server has a folder), e.g. to put a project into production in a test.
func (s *Server) Update(fn func(*State)) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	fn(s.state)
	if err := s.state.Check(); err != nil {
		return fmt.Errorf("sandbox state after update: %w", err)
	}
	s.vt = newValidationTable(s.state.ExtraValidationTypes)
	return s.saveLocked()
}

// InjectFault adds a fault for the next matching requests.
func (s *Server) InjectFault(f Fault) error {
	if err := f.check(); err != nil {
		return err
	}
	return s.Update(func(st *State) { st.Faults = append(st.Faults, f) })
}

// saveLocked writes the state file; the caller holds s.mu.
func (s *Server) saveLocked() error {
	if s.dir == "" {
		return nil
	}
	return SaveState(s.dir, s.state)
}

// reVersioned matches REDCap's versioned API path, which also works.
var reVersioned = lazyre.New(`/redcap_v[0-9]+\.[0-9]+\.[0-9]+/API/$`)

// isAPIPath accepts ".../api/" and ".../redcap_vX.Y.Z/API/".
func isAPIPath(p string) bool {
	return strings.HasSuffix(p, "/api/") || reVersioned.MatchString(p)
}

// Messages of the sandbox's own limits, which REDCap leaves to its web
// server and PHP.
const (
	msgTooLarge = "The request body is larger than the rcolpipe sandbox accepts (%d bytes). Send a smaller dictionary, or start the sandbox with a higher limit (sandbox.WithMaxBody)."
	msgBusy     = "The rcolpipe sandbox is handling %d requests already. Try again in a moment (see Retry-After)."
)

// limitedBody notes whether http.MaxBytesReader refused to read on, since
// form parsers do not all pass its error through.
type limitedBody struct {
	io.ReadCloser
	over bool
}

func (b *limitedBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		b.over = true
	}
	return n, err
}

// acquire waits up to s.queueWait for a slot to handle a request; release
// gives it back.
func (s *Server) acquire(r *http.Request) bool {
	select {
	case s.slots <- struct{}{}:
		return true
	default:
	}
	if s.queueWait <= 0 {
		return false
	}
	t := time.NewTimer(s.queueWait)
	defer t.Stop()
	select {
	case s.slots <- struct{}{}:
		return true
	case <-t.C:
	case <-r.Context().Done():
	}
	return false
}

func (s *Server) release() { <-s.slots }

// writeLimitError answers a request refused before its body was read, so
// before its format is known: REDCap's JSON error body, which is what
// rcolpipe asks for.
func writeLimitError(w http.ResponseWriter, status int, msg string) {
	if status == http.StatusServiceUnavailable {
		w.Header().Set("Retry-After", "1")
	}
	writeError(w, status, msg, "json")
}

// statusWriter remembers the status written.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// ServeHTTP answers one API request.
func (s *Server) ServeHTTP(rw http.ResponseWriter, r *http.Request) {
	start := time.Now()
	w := &statusWriter{ResponseWriter: rw}
	info := RequestInfo{Method: r.Method, Path: r.URL.Path}
	defer func() {
		if s.log != nil {
			info.Status = w.status
			info.Duration = time.Since(start)
			s.log(info)
		}
	}()

	if !isAPIPath(r.URL.Path) {
		if strings.HasSuffix(r.URL.Path, "/api") {
			// Apache adds the slash with a redirect, which turns a POST
			// into a GET in most clients.
			http.Redirect(w, r, r.URL.Path+"/", http.StatusMovedPermanently)
			return
		}
		notFound(w, r.URL.Path)
		return
	}
	if r.Method != http.MethodPost {
		writeError(w, http.StatusNotImplemented, "", "xml")
		return
	}
	if r.ContentLength > s.maxBody {
		writeLimitError(w, http.StatusRequestEntityTooLarge, fmt.Sprintf(msgTooLarge, s.maxBody))
		return
	}
	// Bound the work in hand before reading the body, which is where the
	// memory goes.
	if !s.acquire(r) {
		writeLimitError(w, http.StatusServiceUnavailable, fmt.Sprintf(msgBusy, cap(s.slots)))
		return
	}
	defer s.release()
	body := &limitedBody{ReadCloser: http.MaxBytesReader(w, r.Body, s.maxBody)}
	r.Body = body
	var parseErr error
	if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
		// Parts beyond the memory bound would go to temporary files;
		// the body limit keeps them in memory.
		parseErr = r.ParseMultipartForm(s.maxBody)
	} else {
		parseErr = r.ParseForm()
	}
	if body.over {
		writeLimitError(w, http.StatusRequestEntityTooLarge, fmt.Sprintf(msgTooLarge, s.maxBody))
		return
	}
	if parseErr != nil {
		writeError(w, http.StatusBadRequest, "", "xml")
		return
	}
	req := newRequest(r)
	info.Content, info.Action, info.Format = req.content, req.action(), req.format

	faults := s.takeFaults(req)
	for _, f := range faults {
		if f.Kind == FaultLatency {
			s.sleep(f.Latency.Duration)
		}
	}
	for _, f := range faults {
		if f.Kind == FaultLatency {
			continue
		}
		info.Fault = f.Kind
		if s.inject(w, r, req, f, &info) {
			return
		}
	}
	s.handle(w, req, &info)
}

// handle runs REDCap's checks in its order (docs/redcap.md#order-of-checks) and
// then the method.
func (s *Server) handle(w http.ResponseWriter, req *request, info *RequestInfo) {
	rf := req.returnFormat
	// Create Project and 64-character tokens go to the super-token path;
	// the sandbox has no super tokens.
	if (req.content == "version" && len(req.token) == 64) || (req.content == "project" && req.data != "") {
		writeError(w, http.StatusForbidden, msgSuperToken, rf)
		return
	}
	if !reToken.MatchString(req.token) {
		writeError(w, http.StatusForbidden, "", rf)
		return
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.lookup(req.token)
	if u == nil {
		writeError(w, http.StatusForbidden, "", rf)
		return
	}
	info.Username = u.Username
	if u.Expiration != "" && u.Expiration <= s.now().Format("2006-01-02") {
		writeError(w, http.StatusForbidden, fmt.Sprintf(msgExpired, u.Expiration), rf)
		return
	}
	var rows []row
	if req.hasData {
		var msg string
		var ok bool
		rows, ok, msg = decodeData(req.format, req.data)
		if msg != "" {
			writeError(w, http.StatusBadRequest, msg, rf)
			return
		}
		req.xmlNoItems = !ok
	}
	if !validContents[req.content] {
		writeError(w, http.StatusBadRequest, msgBadContent, rf)
		return
	}
	if actionContents[req.content] && req.rawAction != "" && !validActions[req.rawAction] {
		writeError(w, http.StatusBadRequest, msgBadAction, rf)
		return
	}
	switch req.action() {
	case "export":
		if u.Rights.APIExport == 0 {
			writeError(w, http.StatusForbidden, msgNoExport, rf)
			return
		}
	case "import":
		if u.Rights.APIImport == 0 {
			writeError(w, http.StatusForbidden, msgNoImport, rf)
			return
		}
	}
	p := s.state.Project(u.ProjectID)
	if p == nil {
		writeError(w, http.StatusBadRequest, msgProjectDeleted, rf)
		return
	}
	s.method(w, req, u, p, rows)
}

// lookup finds a non-suspended user by token. MySQL compares the token
// column case-insensitively, so the sandbox does too.
func (s *Server) lookup(token string) *User {
	for _, u := range s.state.Users {
		if strings.EqualFold(u.Token, token) && !u.Suspended {
			return u
		}
	}
	return nil
}

var reToken = lazyre.New(`^[A-Za-z0-9]+$`)

// notFound answers like Apache for a path that is not the API.
func notFound(w http.ResponseWriter, path string) {
	w.Header().Set("Content-Type", "text/html; charset=iso-8859-1")
	w.WriteHeader(http.StatusNotFound)
	fmt.Fprintf(w, "<!DOCTYPE HTML PUBLIC \"-//IETF//DTD HTML 2.0//EN\">\n<html><head>\n<title>404 Not Found</title>\n</head><body>\n<h1>Not Found</h1>\n<p>The requested URL %s was not found on this server.</p>\n</body></html>\n", htmlEscape(path))
}

func htmlEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;").Replace(s)
}
