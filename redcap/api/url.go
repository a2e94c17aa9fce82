package api

import (
	"fmt"
	"net"
	"net/url"
	"strings"
)

// CheckURL checks a REDCap API URL: http(s) with a host, a path ending in
// /api/ (REDCap's single API endpoint; the versioned …/redcap_vX.Y.Z/API/
// also passes), no query or credentials, and https unless the host is
// loopback. The error says what to change.
func CheckURL(raw string) (*url.URL, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return nil, fmt.Errorf("no REDCap API URL: pass --url https://redcap.example.org/redcap/api/")
	}
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("REDCap API URL %q: %w", raw, err)
	}
	if u.Scheme != "https" && u.Scheme != "http" {
		return nil, fmt.Errorf("REDCap API URL %q: want an https:// URL such as https://redcap.example.org/redcap/api/", raw)
	}
	if u.Host == "" {
		return nil, fmt.Errorf("REDCap API URL %q has no host", raw)
	}
	if u.User != nil {
		return nil, fmt.Errorf("REDCap API URL must not contain a user name or password")
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("REDCap API URL %q must not have a query or fragment: the API takes its parameters in the POST body", raw)
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
