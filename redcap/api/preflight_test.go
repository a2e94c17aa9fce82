package api

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// results renders a report as "check=result" pairs for comparison.
func results(r PreflightReport) string {
	var parts []string
	for _, it := range r.Items {
		parts = append(parts, it.Check+"="+string(it.Result))
	}
	return strings.Join(parts, ", ")
}

func TestPreflight(t *testing.T) {
	cases := []struct {
		name     string
		token    string
		status   int
		username string
		setup    func(s *fakeREDCap)
		want     string
		ok       bool
		advice   string // in the advice of the first failure
	}{
		{name: "ok", token: tokFull,
			want: "token and API Export=ok, project status=ok, project type=ok, Project Design rights=ok, API Import/Update=skipped", ok: true},
		{name: "ok with user", token: tokFull, username: "Alice",
			want: "token and API Export=ok, project status=ok, project type=ok, Project Design rights=ok, user rights=ok, API Import/Update=ok, Project Design (user)=ok, form rights=ok", ok: true},
		{name: "unknown token", token: tokUnknown,
			want:   "token and API Export=fail, project status=skipped, Project Design rights=skipped, API Import/Update=skipped",
			advice: "request an API token from your REDCap administrator"},
		{name: "no export", token: tokImportOnly,
			want:   "token and API Export=fail, project status=skipped, Project Design rights=skipped, API Import/Update=skipped",
			advice: "API Export right"},
		{name: "expired", token: tokExpired,
			want:   "token and API Export=fail, project status=skipped, Project Design rights=skipped, API Import/Update=skipped",
			advice: "expiration date"},
		{name: "production", token: tokFull, status: 1,
			want:   "token and API Export=ok, project status=fail, project type=ok, Project Design rights=ok, API Import/Update=skipped",
			advice: "Draft Mode"},
		{name: "analysis/cleanup", token: tokFull, status: 2,
			want:   "token and API Export=ok, project status=fail, project type=ok, Project Design rights=ok, API Import/Update=skipped",
			advice: "back to Development"},
		{name: "no design", token: tokNoDesign,
			want:   "token and API Export=ok, project status=ok, project type=ok, Project Design rights=fail, API Import/Update=skipped",
			advice: "Project Design and Setup right"},
		{name: "longitudinal", token: tokFull, setup: func(s *fakeREDCap) { s.longitudinal = true },
			want: "token and API Export=ok, project status=ok, project type=warn, Project Design rights=ok, API Import/Update=skipped", ok: true},
		{name: "no user rights privilege", token: tokExportOnly, username: "bob",
			want: "token and API Export=ok, project status=ok, project type=ok, Project Design rights=ok, user rights=warn, API Import/Update=skipped", ok: true},
		{name: "unknown user", token: tokFull, username: "zed",
			want:   "token and API Export=ok, project status=ok, project type=ok, Project Design rights=ok, user rights=fail, API Import/Update=skipped",
			advice: "--username"},
		{name: "user without import and design (15.6 form rights)", token: tokFull, username: "carol",
			want:   "token and API Export=ok, project status=ok, project type=ok, Project Design rights=ok, user rights=ok, API Import/Update=fail, Project Design (user)=fail, form rights=warn",
			advice: "API Import/Update right"},
		{name: "HTML page", token: tokFull, setup: func(s *fakeREDCap) {
			s.fault = func(w http.ResponseWriter, r *http.Request, form url.Values) bool {
				_, _ = io.WriteString(w, "<html><title>Login</title></html>")
				return true
			}
		}, want: "token and API Export=fail, project status=skipped, Project Design rights=skipped, API Import/Update=skipped", advice: "ends in /api/"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := newFake(t)
			s.status = tc.status
			if tc.setup != nil {
				tc.setup(s)
			}
			r := Preflight(context.Background(), s.client(tc.token), PreflightOptions{Username: tc.username})
			if got := results(r); got != tc.want {
				t.Errorf("got  %s\nwant %s", got, tc.want)
			}
			if r.OK() != tc.ok || (r.Err() == nil) != tc.ok {
				t.Errorf("OK = %v, Err = %v", r.OK(), r.Err())
			}
			if f := r.Failures(); tc.advice != "" && (len(f) == 0 || !strings.Contains(f[0].Advice, tc.advice)) {
				t.Errorf("failures %+v lack advice %q", f, tc.advice)
			}
			for _, it := range r.Items {
				if it.Detail == "" {
					t.Errorf("%s has no detail", it.Check)
				}
				if it.Result == ResultFail && it.Advice == "" {
					t.Errorf("%s failed without advice", it.Check)
				}
			}
		})
	}
}

func TestPreflightImportNotProbed(t *testing.T) {
	s := newFake(t)
	r := Preflight(context.Background(), s.client(tokFull), PreflightOptions{})
	var item *PreflightItem
	for i := range r.Items {
		if r.Items[i].Check == CheckImport {
			item = &r.Items[i]
		}
	}
	if item == nil || item.Result != ResultSkipped || item.Required ||
		!strings.Contains(item.Detail, "fails before changing anything") {
		t.Errorf("API Import item = %+v", item)
	}
	// Preflight only reads.
	if n := s.count("metadata-import"); n != 0 {
		t.Errorf("preflight imported %d times", n)
	}
	b, err := json.Marshal(r)
	if err != nil || !strings.Contains(string(b), `"check":"project status","result":"ok"`) {
		t.Errorf("JSON = %s, %v", b, err)
	}
	if r.Version != "15.7.6" || r.Project == nil || r.Project.ProjectID != 42 {
		t.Errorf("report = %+v", r)
	}
}
