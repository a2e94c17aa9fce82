// Package redact keeps secrets out of rcolpipe's output. Every byte
// rcolpipe writes to stdout and stderr passes a Redactor that replaces each
// token rcolpipe knows of (RC_API_KEY in the environment from the start; a
// token read from .env or a token file as soon as it is read) with
// [REDACTED]. The API client already keeps the token out of what it
// produces; this catches what it cannot see: a token quoted back from an
// input file, a plugin's log line, a server's answer in a report.
package redact

import (
	"encoding/json"
	"io"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// redactedText replaces a secret in the output (the same text api.Token prints).
const redactedText = "[REDACTED]"

// minSecretLen keeps a short or empty value (RC_API_KEY= set to "x") from
// turning every output into [REDACTED]; REDCap tokens have 32 characters.
const minSecretLen = 8

// Redactor holds the secrets and serialises the writers that share them, so
// that a line written to stderr by a plugin's log goroutine and a report
// written to stdout never interleave mid-secret.
type Redactor struct {
	mu      sync.Mutex
	secrets [][]byte // lower-case ASCII, longest first
	maxLen  int
	writers []*redactingWriter
}

// AddSecret registers s (and the forms it takes inside JSON and Go-quoted
// strings) for redaction; api.Token hands itself over through this method.
func (r *Redactor) AddSecret(s string) {
	s = strings.TrimSpace(s)
	if len(s) < minSecretLen {
		return
	}
	forms := []string{s}
	if b, err := json.Marshal(s); err == nil {
		forms = append(forms, string(b[1:len(b)-1]))
	}
	if q := strconv.Quote(s); len(q) > 2 {
		forms = append(forms, q[1:len(q)-1])
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, f := range forms {
		lf := lowerASCII([]byte(f))
		if slices.ContainsFunc(r.secrets, func(x []byte) bool { return string(x) == string(lf) }) {
			continue
		}
		r.secrets = append(r.secrets, lf)
		r.maxLen = max(r.maxLen, len(lf))
	}
	slices.SortStableFunc(r.secrets, func(a, b []byte) int { return len(b) - len(a) })
}

// Wrap returns a writer to w that redacts r's secrets. Writes are passed on
// at once except for a tail that could be the start of a secret; Flush
// writes that tail.
func (r *Redactor) Wrap(w io.Writer) io.Writer {
	rw := &redactingWriter{r: r, w: w}
	r.mu.Lock()
	r.writers = append(r.writers, rw)
	r.mu.Unlock()
	return rw
}

// Flush writes out every wrapped writer's held-back tail (before a prompt
// waits for input, and at exit).
func (r *Redactor) Flush() {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, rw := range r.writers {
		rw.flushLocked()
	}
}

// redactingWriter is one output stream behind a redactor.
type redactingWriter struct {
	r       *Redactor
	w       io.Writer
	pending []byte // a tail that may be the start of a secret
}

func (rw *redactingWriter) Write(p []byte) (int, error) {
	rw.r.mu.Lock()
	defer rw.r.mu.Unlock()
	if len(rw.r.secrets) == 0 && len(rw.pending) == 0 {
		return rw.w.Write(p)
	}
	buf := append(rw.pending, p...)
	rw.pending = nil
	buf = replaceSecrets(buf, rw.r.secrets)
	keep := heldBack(buf, rw.r.secrets)
	if _, err := rw.w.Write(buf[:len(buf)-keep]); err != nil {
		return 0, err
	}
	rw.pending = append([]byte(nil), buf[len(buf)-keep:]...)
	return len(p), nil
}

func (rw *redactingWriter) flushLocked() {
	if len(rw.pending) > 0 {
		_, _ = rw.w.Write(rw.pending) // at exit there is nobody left to tell
		rw.pending = nil
	}
}

// replaceSecrets replaces every secret in b, in any ASCII letter case
// (REDCap compares tokens case-insensitively, so an echo may differ in case).
func replaceSecrets(b []byte, secrets [][]byte) []byte {
	lower := lowerASCII(b)
	var out []byte
	last := 0
	for i := 0; i < len(b); {
		n := matchAt(lower[i:], secrets)
		if n == 0 {
			i++
			continue
		}
		out = append(out, b[last:i]...)
		out = append(out, redactedText...)
		i += n
		last = i
	}
	if out == nil {
		return b
	}
	return append(out, b[last:]...)
}

// matchAt returns the length of the longest secret at the start of b, or 0.
func matchAt(b []byte, secrets [][]byte) int {
	for _, s := range secrets { // longest first
		if len(b) >= len(s) && string(b[:len(s)]) == string(s) {
			return len(s)
		}
	}
	return 0
}

// heldBack is the length of the longest tail of b that is a proper prefix
// of a secret: it may be completed by the next write.
func heldBack(b []byte, secrets [][]byte) int {
	lower := lowerASCII(b[max(0, len(b)-longest(secrets)):])
	for n := len(lower); n > 0; n-- {
		tail := lower[len(lower)-n:]
		for _, s := range secrets {
			if n < len(s) && string(s[:n]) == string(tail) {
				return n
			}
		}
	}
	return 0
}

func longest(secrets [][]byte) int {
	if len(secrets) == 0 {
		return 0
	}
	return len(secrets[0])
}

// lowerASCII lower-cases ASCII letters only, so byte offsets stay the same.
func lowerASCII(b []byte) []byte {
	out := make([]byte, len(b))
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		out[i] = c
	}
	return out
}
