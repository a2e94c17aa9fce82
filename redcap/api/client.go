// Package api is the client of REDCap's API for what rcolpipe needs: the
// version, project information, the data dictionary (export and import),
// instruments, users and their rights, and a preflight of what a token may
// do. Everything goes to one endpoint as a form-encoded POST with
// format=json&returnFormat=json; errors come back as typed values with
// advice for the user. The token never appears in an error, a log line or
// a debug dump (see Token).
//
// Facts about the server (messages, status codes, the order of its checks)
// are in docs/redcap.md.
package api

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/rs/zerolog"
)

// Defaults for Options.
const (
	DefaultTimeout = 30 * time.Second
	DefaultTries   = 3
	DefaultBackoff = 500 * time.Millisecond
	// maxBody bounds what is read of one response (a 10,000-field
	// dictionary is a few MB).
	maxBody = 256 << 20
	// dumpLimit bounds each body in a --debug-http dump.
	dumpLimit = 8 << 10
)

// Client talks to one REDCap project through its API endpoint with one
// token. It is safe for concurrent use.
type Client struct {
	url     string
	token   Token
	hc      *http.Client
	timeout time.Duration
	tries   int
	backoff time.Duration
	log     zerolog.Logger
	debug   bool

	mu        sync.Mutex
	projectID int // learnt from ProjectInfo; names exported dictionaries
}

// Option configures a Client.
type Option func(*Client)

// WithTimeout bounds every single HTTP exchange (default 30 s).
func WithTimeout(d time.Duration) Option {
	return func(c *Client) {
		if d > 0 {
			c.timeout = d
		}
	}
}

// WithRetries sets how many times an export is tried in all (default 3).
func WithRetries(tries int) Option {
	return func(c *Client) {
		if tries >= 1 {
			c.tries = tries
		}
	}
}

// WithBackoff sets the wait before the first retry; it doubles for each
// further retry (default 500 ms).
func WithBackoff(d time.Duration) Option {
	return func(c *Client) {
		if d >= 0 {
			c.backoff = d
		}
	}
}

// WithHTTPClient uses hc's transport (e.g. a test server's). Its redirect
// policy and timeout are replaced: the client never follows redirects and
// sets its own per-call timeout.
func WithHTTPClient(hc *http.Client) Option {
	return func(c *Client) {
		if hc != nil {
			c.hc.Transport = hc.Transport
			c.hc.Jar = hc.Jar
		}
	}
}

// WithLogger sets the logger for retries and debug dumps.
func WithLogger(l zerolog.Logger) Option { return func(c *Client) { c.log = l } }

// WithDebugHTTP dumps every request and response to the logger at debug
// level, with the token redacted.
func WithDebugHTTP(on bool) Option { return func(c *Client) { c.debug = on } }

// New returns a client for the API at rawURL (checked with CheckURL).
//
// A URL that holds the token is refused first, so that no error, log line
// or report of the client ever quotes a URL with the token in it.
func New(rawURL string, tok Token, opts ...Option) (*Client, error) {
	if tok.IsZero() {
		return nil, ErrNoToken
	}
	if err := checkURLHoldsNoToken(rawURL, tok); err != nil {
		return nil, err
	}
	u, err := CheckURL(rawURL)
	if err != nil {
		return nil, err
	}
	c := &Client{
		url:     u.String(),
		token:   tok,
		timeout: DefaultTimeout,
		tries:   DefaultTries,
		backoff: DefaultBackoff,
		log:     zerolog.Nop(),
		hc:      &http.Client{Transport: http.DefaultTransport},
	}
	for _, o := range opts {
		o(c)
	}
	// A redirected POST is re-sent as a GET without its body (REDCap then
	// answers 501), and following it could send the token elsewhere.
	c.hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return c, nil
}

// URL returns the API endpoint.
func (c *Client) URL() string { return c.url }

// Token returns the client's token (which prints as [REDACTED]).
func (c *Client) Token() Token { return c.token }

// param is one form parameter; requests keep their parameters in order.
type param struct{ key, value string }

// arrayParams renders values as a PHP array: name[0]=a&name[1]=b.
func arrayParams(name string, values []string) []param {
	out := make([]param, len(values))
	for i, v := range values {
		out[i] = param{fmt.Sprintf("%s[%d]", name, i), v}
	}
	return out
}

func encodeForm(ps []param) string {
	var b strings.Builder
	for i, p := range ps {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(url.QueryEscape(p.key))
		b.WriteByte('=')
		b.WriteString(url.QueryEscape(p.value))
	}
	return b.String()
}

// response is a successful (HTTP 200, not HTML, not an error object) answer.
type response struct {
	contentType string
	body        []byte
}

// call sends content with the given parameters (after token, content,
// format and returnFormat). Exports (retry true) are retried on network
// errors, 408 and 5xx with exponential backoff.
func (c *Client) call(ctx context.Context, content string, extra []param, retry bool) (*response, error) {
	ps := append([]param{
		{"token", c.token.secret},
		{"content", content},
		{"format", "json"},
		{"returnFormat", "json"},
	}, extra...)
	body := encodeForm(ps)
	tries := 1
	if retry {
		tries = c.tries
	}
	for attempt := 1; ; attempt++ {
		resp, err := c.once(ctx, content, ps, body)
		if err == nil || attempt >= tries || !retryable(err) || ctx.Err() != nil {
			return resp, err
		}
		wait := c.backoff << (attempt - 1)
		if wait > 0 {
			// Jitter keeps many clients from retrying in step.
			wait += time.Duration(rand.Int64N(int64(wait)/4 + 1))
		}
		c.log.Warn().Str("content", content).Int("attempt", attempt).Stringer("wait", wait).Msgf("REDCap request failed, retrying: %v", err)
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, err
		case <-t.C:
		}
	}
}

// retryable: network errors, 408 and 5xx may succeed when tried again.
func retryable(err error) bool {
	var ne *NetworkError
	if errors.As(err, &ne) {
		return true
	}
	var ae *APIError
	return errors.As(err, &ae) && (ae.Status == http.StatusRequestTimeout || ae.Status >= 500)
}

// once makes one HTTP exchange and turns every failure into a typed error.
func (c *Client) once(ctx context.Context, content string, ps []param, body string) (*response, error) {
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.url, strings.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("REDCap %s request: %s", content, c.token.Redact(err.Error()))
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", "rcolpipe")
	if c.debug {
		c.dumpRequest(content, ps)
	}
	start := time.Now()
	resp, err := c.hc.Do(req)
	if err != nil {
		return nil, c.networkError(content, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		return nil, c.networkError(content, err)
	}
	ctype := resp.Header.Get("Content-Type")
	if c.debug {
		c.dumpResponse(content, resp, data, time.Since(start))
	}
	return c.interpret(resp.StatusCode, resp.Header.Get("Location"), ctype, data)
}

// interpret turns a status and body into a response or a typed error.
func (c *Client) interpret(status int, location, ctype string, data []byte) (*response, error) {
	if status >= 300 && status < 400 {
		loc := ""
		if location != "" {
			if base, err := url.Parse(c.url); err == nil {
				if u, err := base.Parse(location); err == nil {
					loc = u.String()
				}
			}
			if loc == "" {
				loc = location
			}
		}
		return nil, &ErrRedirect{Status: status, URL: c.url, Location: c.token.Redact(loc)}
	}
	// Error texts are cut short; redact before cutting, so that no part of
	// a token echoed by the server survives at the cut. The server's text
	// is redacted as it came and again once decoded (JSON \u escapes,
	// HTML entities), since decoding can spell out a token.
	if isHTML(data, ctype) {
		title := htmlTitle(c.token.RedactBytes(data), c.token.Redact)
		if status == http.StatusRequestTimeout || status >= 500 {
			// A proxy's error page: the server behind it is in trouble.
			return nil, &APIError{Status: status, Message: title}
		}
		return nil, &ErrWrongURL{Status: status, URL: c.url, Title: title}
	}
	if status == http.StatusOK {
		// Some servers and proxies answer errors with 200 and an error
		// object; PyCap judges by the body for this reason.
		if t := strings.TrimSpace(string(firstBytes(data, 16))); strings.HasPrefix(t, `{"error"`) || strings.HasPrefix(t, `{ "error"`) {
			if msg, ok := c.serverMessage(data); ok {
				if err := classify(status, msg); err != nil {
					return nil, err
				}
				return nil, &APIError{Status: status, Message: msg}
			}
		}
		return &response{contentType: ctype, body: data}, nil
	}
	msg, _ := c.serverMessage(data)
	if err := classify(status, msg); err != nil {
		return nil, err
	}
	return nil, &APIError{Status: status, Message: msg}
}

// serverMessage is parseErrorBody with the token redacted from the body
// and from the decoded message.
func (c *Client) serverMessage(data []byte) (string, bool) {
	msg, ok := parseErrorBody(c.token.RedactBytes(data))
	return c.token.Redact(msg), ok
}

func (c *Client) networkError(content string, err error) error {
	timeout := errors.Is(err, context.DeadlineExceeded)
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		timeout = true
	}
	// url.Error repeats method and URL; keep only the cause.
	cause := err
	var ue *url.Error
	if errors.As(err, &ue) {
		cause = ue.Err
	}
	msg := cause.Error()
	if errors.Is(err, context.DeadlineExceeded) {
		msg = fmt.Sprintf("no answer within %s", c.timeout)
	}
	return &NetworkError{Op: content, URL: c.url, Timeout: timeout, msg: c.token.Redact(msg), Err: err}
}

// dumpRequest logs a request with the token redacted and long values cut.
func (c *Client) dumpRequest(content string, ps []param) {
	var b strings.Builder
	for i, p := range ps {
		if i > 0 {
			b.WriteByte('&')
		}
		v := p.value
		if p.key == "token" {
			v = redacted
		}
		b.WriteString(p.key + "=" + c.token.redactShort(v, dumpLimit))
	}
	c.log.Debug().Str("content", content).Str("url", c.url).
		Str("body", c.token.Redact(b.String())).Msg("http request: POST")
}

func (c *Client) dumpResponse(content string, resp *http.Response, data []byte, took time.Duration) {
	hdr := make([]string, 0, len(resp.Header))
	for k, vs := range resp.Header {
		hdr = append(hdr, k+": "+strings.Join(vs, ", "))
	}
	sort.Strings(hdr)
	c.log.Debug().Str("content", content).Int("status", resp.StatusCode).Stringer("took", took).
		Str("headers", c.token.Redact(strings.Join(hdr, "; "))).
		Str("body", c.token.redactShort(string(data), dumpLimit)).Msg("http response")
}

// setProjectID remembers the project ID for naming exports.
func (c *Client) setProjectID(id int) {
	c.mu.Lock()
	c.projectID = id
	c.mu.Unlock()
}

// origin names an exported dictionary: "REDCap project <id>" once the
// project ID is known, else the URL.
func (c *Client) origin() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.projectID > 0 {
		return fmt.Sprintf("REDCap project %d", c.projectID)
	}
	return c.url
}
