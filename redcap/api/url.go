package api

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"

	"github.com/rcolpipe/rcolpipe/internal/lazyre"
)

// tokenShapedRe finds 32 hexadecimal characters in a row: the shape of a
// REDCap token, and of nothing a REDCap API URL needs.
var tokenShapedRe = lazyre.New(`(?i)(?:^|[^0-9a-f])[0-9a-f]{32}(?:[^0-9a-f]|$)`)

// CheckURL checks a REDCap API URL: http(s) with a host, a path ending in
// /api/ (REDCap's single API endpoint; the versioned …/redcap_vX.Y.Z/API/
// also passes), and https unless the host is loopback. It refuses a URL
// with credentials, a query, a fragment, or something shaped like a token
// (these may hold a secret), and those errors name the part without
// repeating the URL. The error says what to change.
func CheckURL(raw string) (*url.URL, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return nil, fmt.Errorf("no REDCap API URL: pass --url https://redcap.example.org/redcap/api/")
	}
	// Checked before anything quotes the URL, in its written and its
	// %-decoded form.
	decoded, derr := url.PathUnescape(raw)
	if tokenShapedRe.MatchString(raw) || derr == nil && tokenShapedRe.MatchString(decoded) {
		return nil, errors.New("the REDCap API URL contains 32 hexadecimal characters in a row, the shape of an API token: " +
			"remove them (the URL is not repeated here for that reason); the token goes in RC_API_KEY or --token-file, never in the URL")
	}
	u, err := url.Parse(raw)
	if err != nil {
		// url.Parse's message repeats the URL, or the part it stumbled on.
		return nil, fmt.Errorf("the REDCap API URL cannot be read as a URL (%s); it should look like https://redcap.example.org/redcap/api/", parseProblem(err))
	}
	if u.User != nil {
		return nil, errors.New("the REDCap API URL must not contain a user name or password (the part before '@' in the host): " +
			"remove it; REDCap's API takes only the token, from RC_API_KEY or --token-file")
	}
	if u.RawQuery != "" || u.ForceQuery {
		return nil, errors.New("the REDCap API URL must not have a query (the part from '?' on): remove it; " +
			"the API takes its parameters, and the token, in the POST body")
	}
	if u.Fragment != "" || strings.Contains(raw, "#") {
		return nil, errors.New("the REDCap API URL must not have a fragment (the part from '#' on): remove it")
	}
	// From here on the URL holds nothing secret and may be quoted.
	if u.Scheme != "https" && u.Scheme != "http" {
		return nil, fmt.Errorf("REDCap API URL %q: want an https:// URL such as https://redcap.example.org/redcap/api/", raw)
	}
	if u.Host == "" {
		return nil, fmt.Errorf("REDCap API URL %q has no host", raw)
	}
	if !strings.HasSuffix(strings.ToLower(u.Path), "/api/") {
		return nil, fmt.Errorf("REDCap API URL %q must end in /api/: use %s", raw, suggestAPIURL(u))
	}
	if u.Scheme == "http" && !IsLoopback(u.Hostname()) {
		fixed := *u
		fixed.Scheme = "https"
		return nil, fmt.Errorf("REDCap API URL %q uses http: the token would travel unencrypted; use %s (plain http is only allowed on loopback)", raw, fixed.String())
	}
	return u, nil
}

// parseProblem says what url.Parse disliked, without quoting the URL.
func parseProblem(err error) string {
	msg := err.Error()
	switch {
	case strings.Contains(msg, "invalid control character"):
		return "it contains a control character, such as a line end"
	case strings.Contains(msg, "invalid URL escape"):
		return "a % is not followed by two hexadecimal digits"
	case strings.Contains(msg, "invalid port"):
		return "the port is not a number"
	case strings.Contains(msg, "missing protocol scheme"):
		return "it does not start with https://"
	case strings.Contains(msg, "invalid character") && strings.Contains(msg, "host"):
		return "the host name has a character not allowed there"
	}
	return "it is malformed"
}

// checkURLHoldsNoToken refuses a URL in which tok appears, as written,
// in any case, %-escaped or decoded, before anything can quote it.
func checkURLHoldsNoToken(raw string, tok Token) error {
	holds := tok.Redact(raw) != raw
	if decoded, err := url.PathUnescape(raw); err == nil && tok.Redact(decoded) != decoded {
		holds = true
	}
	if holds {
		return errors.New("the REDCap API URL contains the API token: remove it (the URL is not repeated here for that reason); " +
			"the token goes in RC_API_KEY or --token-file and travels in the POST body, never in the URL")
	}
	return nil
}

// suggestAPIURL guesses the API URL a user meant: the path up to and
// including a "redcap" segment, or the path as given, followed by api/.
func suggestAPIURL(u *url.URL) string {
	s := *u
	p := s.Path
	switch {
	case strings.HasSuffix(strings.ToLower(p), "/api"):
		p += "/"
	default:
		segs := strings.Split(strings.Trim(p, "/"), "/")
		keep := segs
		for i, seg := range segs {
			// Project pages live under redcap_vX.Y.Z/; the API is beside it.
			if strings.HasPrefix(strings.ToLower(seg), "redcap_v") || strings.HasSuffix(seg, ".php") {
				keep = segs[:i]
				break
			}
		}
		p = "/" + strings.Join(keep, "/")
		if !strings.HasSuffix(p, "/") {
			p += "/"
		}
		p += "api/"
	}
	s.Path = p
	s.RawPath = ""
	return s.String()
}

// IsLoopback reports whether host (without port) is localhost, in
// 127.0.0.0/8 or ::1.
func IsLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(strings.Trim(host, "[]"))
	return ip != nil && ip.IsLoopback()
}
