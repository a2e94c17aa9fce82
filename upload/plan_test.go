package upload

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rcolpipe/rcolpipe/redcap/sandbox"
)

// A plan round-trips through its file, holds no token, and fits only the
// server, project and dictionary it was made against.
func TestPlanFitsOnlyItsProject(t *testing.T) {
	c, _ := sandboxClient(t, sandbox.DemoFull)
	ctx := context.Background()
	rep, err := Upload(ctx, c, sleepForm(), Options{DryRun: true})
	if err != nil {
		t.Fatal(err)
	}
	p, err := NewPlan(c.URL(), rep)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "plan.json")
	if err := WritePlan(path, p); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if c.Token().Redact(string(data)) != string(data) {
		t.Fatal("the plan file holds the token")
	}
	got, err := ReadPlan(path)
	if err != nil {
		t.Fatal(err)
	}
	if got.Dict().Len() != rep.Sent.Len() || got.Fingerprint != p.Fingerprint {
		t.Fatalf("read back %d fields, fingerprint %s; want %d, %s", got.Dict().Len(), got.Fingerprint, rep.Sent.Len(), p.Fingerprint)
	}
	if err := got.Check(c.URL(), 1, rep.Baseline, nil); err != nil {
		t.Fatalf("the plan does not fit the state it was made against: %v", err)
	}
	changed := rep.Baseline.Clone()
	changed.Fields[1].FieldLabel += "!"
	var pe *PlanError
	for _, tc := range []struct {
		name, url string
		pid       int
		want      string
	}{
		{"other server", "https://redcap.example.org/api/", 1, "it was made for 127.0.0.1"},
		{"other project", c.URL(), 2, "it was made for project 1, and the token belongs to project 2"},
	} {
		if err := got.Check(tc.url, tc.pid, rep.Baseline, nil); !errors.As(err, &pe) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v; want a PlanError saying %q", tc.name, err, tc.want)
		}
	}
	if err := got.Check(c.URL(), 1, changed, nil); !errors.As(err, &pe) || !strings.Contains(err.Error(), "changed since the plan was made") {
		t.Errorf("changed label: %v; want a PlanError", err)
	}
}

// ReadPlan refuses what is not a plan it can trust the shape of.
func TestReadPlanRefusesBadFiles(t *testing.T) {
	const fp = `"fingerprint": "` + "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef" + `"`
	const dict = `"dictionary": [{"field_name":"record_id","form_name":"a","field_type":"text","field_label":"R"}]`
	for _, tc := range []struct{ name, body, want string }{
		{"ok", `{"version": 1, "server": "h/api/", "project_id": 1, ` + fp + `, ` + dict + `}`, ""},
		{"unknown key", `{"version": 1, "server": "h/api/", "project_id": 1, ` + fp + `, ` + dict + `, "token": "x"}`, `unknown field "token"`},
		{"version", `{"version": 9, "server": "h/api/", "project_id": 1, ` + fp + `, ` + dict + `}`, "version 9"},
		{"fingerprint", `{"version": 1, "server": "h/api/", "project_id": 1, "fingerprint": "abc", ` + dict + `}`, "not a SHA-256"},
		{"no project", `{"version": 1, "server": "h/api/", ` + fp + `, ` + dict + `}`, "no server or project ID"},
		{"empty dictionary", `{"version": 1, "server": "h/api/", "project_id": 1, ` + fp + `, "dictionary": []}`, "no rows"},
		{"bad dictionary", `{"version": 1, "server": "h/api/", "project_id": 1, ` + fp + `, "dictionary": [{"nope": 1}]}`, "cannot be read"},
		{"trailing", `{"version": 1, "server": "h/api/", "project_id": 1, ` + fp + `, ` + dict + `} []`, "more data"},
		{"not json", `version: 1`, "not a plan file"},
		// A plan edited by hand still passes REDCap's own checks before it is sent.
		{"repeated field", `{"version": 1, "server": "h/api/", "project_id": 1, ` + fp + `, "dictionary": [{"field_name":"record_id","form_name":"a","field_type":"text","field_label":"R"},{"field_name":"record_id","form_name":"a","field_type":"text","field_label":"R"}]}`, "error RC113"},
		// The server is shown when the plan does not fit: no terminal escapes, no bidi overrides.
		{"escape in server", `{"version": 1, "server": "h/api/\u001b]0;x\u0007\u202e", "project_id": 1, ` + fp + `, ` + dict + `}`, "the server holds control characters"},
	} {
		path := filepath.Join(t.TempDir(), "plan.json")
		if err := os.WriteFile(path, []byte(tc.body), 0o600); err != nil {
			t.Fatal(err)
		}
		_, err := ReadPlan(path)
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%s: %v", tc.name, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), path)):
			t.Errorf("%s: %v; want an error naming the file and saying %q", tc.name, err, tc.want)
		}
	}
}
