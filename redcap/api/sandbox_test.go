package api_test

// Integration tests of the client against the sandbox server
// (redcap/sandbox), the REDCap emulator every other test of rcolpipe uses.

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/rcolpipe/rcolpipe/redcap"
	"github.com/rcolpipe/rcolpipe/redcap/api"
	"github.com/rcolpipe/rcolpipe/redcap/sandbox"
)

type sandboxEnv struct {
	srv    *sandbox.Server
	url    string
	tokens map[string]string
}

func startSandbox(t *testing.T) *sandboxEnv {
	t.Helper()
	state, demo := sandbox.Demo()
	srv := sandbox.New(state)
	url, stop, err := sandbox.Start(context.Background(), srv)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(stop)
	env := &sandboxEnv{srv: srv, url: url, tokens: map[string]string{}}
	for _, d := range demo {
		env.tokens[d.Name] = d.Token
	}
	return env
}

func (s *sandboxEnv) client(t *testing.T, name string, opts ...api.Option) *api.Client {
	t.Helper()
	tok, err := api.NewToken(s.tokens[name], "demo token "+name, "")
	if err != nil {
		t.Fatal(err)
	}
	c, err := api.New(s.url, tok, append([]api.Option{api.WithBackoff(time.Millisecond)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func sandboxDict() *redcap.Dictionary {
	return &redcap.Dictionary{Fields: []redcap.Field{
		{FieldName: "record_id", FormName: "participant", FieldType: "text", FieldLabel: "Record ID"},
		{FieldName: "part_initials", FormName: "participant", FieldType: "text", FieldLabel: "Initials", Identifier: "y"},
		{FieldName: "part_site", FormName: "participant", FieldType: "dropdown", FieldLabel: "Site", Choices: "1, Site A | 2, Site B", RequiredField: "y"},
		{FieldName: "mood", FormName: "visit", FieldType: "radio", FieldLabel: "Mood <b>today</b>", Choices: "1, Good | 2, Bad"},
		{FieldName: "mood_note", FormName: "visit", FieldType: "notes", FieldLabel: "Notes", BranchingLogic: "[mood] = '2'"},
		{FieldName: "score", FormName: "visit", FieldType: "text", FieldLabel: "Score", Validation: "integer", ValidationMin: "0", ValidationMax: "10"},
	}}
}

func TestSandboxRoundTrip(t *testing.T) {
	sb := startSandbox(t)
	c := sb.client(t, sandbox.DemoFull)
	ctx := context.Background()
	if v, err := c.Version(ctx); err != nil || v == "" {
		t.Fatalf("Version = %q, %v", v, err)
	}
	p, err := c.ProjectInfo(ctx)
	if err != nil || p.InProduction != 0 || p.ProjectID != 1 {
		t.Fatalf("ProjectInfo = %+v, %v", p, err)
	}
	d := sandboxDict()
	n, err := c.ImportMetadata(ctx, d)
	if err != nil {
		t.Fatal(err)
	}
	if n != d.Len() {
		t.Errorf("imported %d fields, want %d", n, d.Len())
	}
	got, err := c.ExportMetadata(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if ok, diff := api.MatchesExport(d, got); !ok {
		t.Errorf("export differs from import: %s", diff)
	}
	if got.Fields[0].Origin.File != "REDCap project 1" {
		t.Errorf("origin = %+v", got.Fields[0].Origin)
	}
	visit, err := c.ExportMetadata(ctx, "visit")
	if err != nil || visit.Len() != 3 || visit.Fields[0].FieldName != "mood" {
		t.Errorf("export of form visit = %v, %v", visit, err)
	}
	ins, err := c.Instruments(ctx)
	if err != nil || len(ins) != 2 || ins[1].Name != "visit" {
		t.Errorf("Instruments = %+v, %v", ins, err)
	}
}

func TestSandboxPreflight(t *testing.T) {
	sb := startSandbox(t)
	// A user with API Import but no API Export.
	const importOnly = "ABCDEF0123456789ABCDEF0123456789"
	if err := sb.srv.Update(func(s *sandbox.State) {
		s.Users = append(s.Users, &sandbox.User{Token: importOnly, Username: "ivan", ProjectID: 1,
			Rights: sandbox.Rights{APIImport: 1, Design: 1, Forms: map[string]int{"participant": 1}}})
	}); err != nil {
		t.Fatal(err)
	}
	sb.tokens["import-only"] = importOnly
	sb.tokens["unknown"] = strings.Repeat("0", 32)
	cases := []struct {
		token, username string
		ok              bool
		failed          string
		as              func(error) bool
	}{
		{token: sandbox.DemoFull, ok: true},
		{token: sandbox.DemoFull, username: "alice", ok: true},
		{token: "unknown", failed: api.CheckToken},
		{token: "import-only", failed: api.CheckToken},
		{token: sandbox.DemoExpired, failed: api.CheckToken},
		{token: sandbox.DemoProduction, failed: api.CheckStatus},
		{token: sandbox.DemoNoDesign, failed: api.CheckDesign},
		{token: sandbox.DemoExportOnly, failed: api.CheckDesign},
	}
	for _, tc := range cases {
		r := api.Preflight(context.Background(), sb.client(t, tc.token), api.PreflightOptions{Username: tc.username})
		if r.OK() != tc.ok {
			t.Errorf("%s: OK = %v: %v", tc.token, r.OK(), r.Err())
		}
		if tc.failed != "" {
			f := r.Failures()
			if len(f) == 0 || f[0].Check != tc.failed || f[0].Advice == "" {
				t.Errorf("%s: failures = %+v, want %s first", tc.token, f, tc.failed)
			}
		}
	}
}

func TestSandboxTypedErrors(t *testing.T) {
	sb := startSandbox(t)
	ctx := context.Background()
	var ee *api.ErrExpired
	if _, err := sb.client(t, sandbox.DemoExpired).Version(ctx); !errors.As(err, &ee) || ee.Date != "2020-01-01" {
		t.Errorf("expired: %v", err)
	}
	var pe *api.ErrProduction
	if _, err := sb.client(t, sandbox.DemoProduction).ImportMetadata(ctx, sandboxDict()); !errors.As(err, &pe) {
		t.Errorf("production: %v", err)
	}
	var nd *api.ErrNoDesign
	if _, err := sb.client(t, sandbox.DemoNoDesign).ImportMetadata(ctx, sandboxDict()); !errors.As(err, &nd) {
		t.Errorf("no design: %v", err)
	}
	var ni *api.ErrNoImport
	if _, err := sb.client(t, sandbox.DemoExportOnly).ImportMetadata(ctx, sandboxDict()); !errors.As(err, &ni) {
		t.Errorf("export-only import: %v", err)
	}
}

func TestSandboxDictionaryErrors(t *testing.T) {
	sb := startSandbox(t)
	d := sandboxDict()
	d.Fields = append(d.Fields,
		redcap.Field{FieldName: "mood", FormName: "visit", FieldType: "radio", FieldLabel: "Again", Choices: "1, A"},
		redcap.Field{FieldName: "bad_type", FormName: "visit", FieldType: "Text", FieldLabel: "Bad"},
		redcap.Field{FieldName: "choice_code", FormName: "visit", FieldType: "radio", FieldLabel: "C", Choices: "a b, x | c, y"},
	)
	_, err := sb.client(t, sandbox.DemoFull).ImportMetadata(context.Background(), d)
	var de *api.DictionaryErrors
	if !errors.As(err, &de) {
		t.Fatalf("err = %T %v", err, err)
	}
	lines := de.Lines()
	if len(lines) < 3 {
		t.Fatalf("%d problems:\n%s", len(lines), strings.Join(lines, "\n"))
	}
	// REDCap lists both rows of a duplicated name.
	for want, count := range map[string]int{"duplicated": 2, "field types": 1, "coded values": 1} {
		n := 0
		for _, l := range lines {
			if strings.Contains(l, want) {
				n++
			}
		}
		if n != count {
			t.Errorf("%d lines mention %q, want %d:\n%s", n, want, count, strings.Join(lines, "\n"))
		}
	}
	t.Logf("REDCap's problems, one per line:\n%s", strings.Join(lines, "\n"))
}

func TestSandboxFaults(t *testing.T) {
	ctx := context.Background()
	t.Run("html", func(t *testing.T) {
		sb := startSandbox(t)
		if err := sb.srv.InjectFault(sandbox.Fault{Kind: sandbox.FaultHTML}); err != nil {
			t.Fatal(err)
		}
		var e *api.ErrWrongURL
		if _, err := sb.client(t, sandbox.DemoFull).Version(ctx); !errors.As(err, &e) {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("redirect", func(t *testing.T) {
		sb := startSandbox(t)
		if err := sb.srv.InjectFault(sandbox.Fault{Kind: sandbox.FaultRedirect}); err != nil {
			t.Fatal(err)
		}
		var e *api.ErrRedirect
		_, err := sb.client(t, sandbox.DemoFull).Version(ctx)
		if !errors.As(err, &e) || !strings.HasPrefix(e.Location, "https://") {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("5xx retried", func(t *testing.T) {
		sb := startSandbox(t)
		if err := sb.srv.InjectFault(sandbox.Fault{Kind: sandbox.FaultStatus, Status: 503, Content: "metadata", Count: 2}); err != nil {
			t.Fatal(err)
		}
		if _, err := sb.client(t, sandbox.DemoFull).ExportMetadata(ctx); err != nil {
			t.Errorf("export after two 503s: %v", err)
		}
	})
	for _, tc := range []struct {
		kind string
		want api.ImportOutcome
	}{{sandbox.FaultDropAfter, api.ImportApplied}, {sandbox.FaultDropBefore, api.ImportUnknown}} {
		t.Run(tc.kind, func(t *testing.T) {
			sb := startSandbox(t)
			if err := sb.srv.InjectFault(sandbox.Fault{Kind: tc.kind, Content: "metadata", Action: "import", Count: 1}); err != nil {
				t.Fatal(err)
			}
			// A short timeout keeps the re-checks of a dropped import short.
			_, err := sb.client(t, sandbox.DemoFull, api.WithTimeout(200*time.Millisecond)).ImportMetadata(ctx, sandboxDict())
			var ie *api.ImportError
			if !errors.As(err, &ie) || ie.Outcome != tc.want {
				t.Errorf("err = %v", err)
			}
		})
	}
	t.Run("import timeout", func(t *testing.T) {
		sb := startSandbox(t)
		if err := sb.srv.InjectFault(sandbox.Fault{Kind: sandbox.FaultLatency, Latency: sandbox.Duration{Duration: 150 * time.Millisecond},
			Content: "metadata", Action: "import", Count: 1}); err != nil {
			t.Fatal(err)
		}
		// The sandbox, like PHP, goes on saving after the client gave up;
		// the client checks three times, 100 ms apart, and sees it.
		_, err := sb.client(t, sandbox.DemoFull, api.WithTimeout(100*time.Millisecond), api.WithBackoff(100*time.Millisecond)).
			ImportMetadata(ctx, sandboxDict())
		var ie *api.ImportError
		if !errors.As(err, &ie) || ie.Outcome != api.ImportApplied {
			t.Errorf("err = %v", err)
		}
	})
}

func TestSandboxUsers156(t *testing.T) {
	sb := startSandbox(t)
	if err := sb.srv.Update(func(s *sandbox.State) {
		s.Project(1).FormRights = sandbox.Rights156
		for _, u := range s.Users {
			if u.Username == "alice" {
				u.Rights.Forms = map[string]int{"participant": 3}
			}
		}
	}); err != nil {
		t.Fatal(err)
	}
	users, err := sb.client(t, sandbox.DemoFull).Users(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	a := api.FindUser(users, "alice")
	if a == nil {
		t.Fatal("no alice")
	}
	fr := a.Forms["participant"]
	if fr.Access != api.FormViewEdit || !fr.EditSurveyResponses || fr.Raw < 128 {
		t.Errorf("alice's form right = %+v", fr)
	}
	if a.APIImport != 1 || a.Design != 1 {
		t.Errorf("alice = %+v", a)
	}
}
