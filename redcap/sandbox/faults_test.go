package sandbox

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rcolpipe/rcolpipe/redcap"
)

func TestFaults(t *testing.T) {
	t.Run("latency", func(t *testing.T) {
		f := newFixture(t)
		var slept []time.Duration
		f.srv.sleep = func(d time.Duration) { slept = append(slept, d) }
		if err := f.srv.InjectFault(Fault{Kind: FaultLatency, Content: "metadata", Latency: Duration{250 * time.Millisecond}}); err != nil {
			t.Fatal(err)
		}
		f.call("full", "content", "version").expect(t, 200, ctCSV, "15.7.6")
		if len(slept) != 0 {
			t.Errorf("version was delayed: %v", slept)
		}
		if r := f.call("full", "content", "metadata", "format", "json"); r.status != 200 {
			t.Errorf("metadata with latency: %d", r.status)
		}
		if len(slept) != 1 || slept[0] != 250*time.Millisecond {
			t.Errorf("slept %v, want [250ms]", slept)
		}
	})

	t.Run("body answers the chosen JSON to matching requests only", func(t *testing.T) {
		f := newFixture(t)
		if err := f.srv.InjectFault(Fault{Kind: FaultBody, Body: "[]", Content: "metadata", Action: "export", Count: 1}); err != nil {
			t.Fatal(err)
		}
		if r := f.call("full", "content", "project", "format", "json"); r.status != 200 || r.body == "[]" {
			t.Errorf("project export got the metadata fault: %d %s", r.status, r.body)
		}
		f.call("full", "content", "metadata", "format", "csv").expect(t, 200, ctJSON, "[]")
		// Used up: the next export is the real dictionary.
		if got := f.exportDict("full"); len(got) != 3 {
			t.Errorf("after the body fault: %d fields, want 3", len(got))
		}
	})

	t.Run("5xx on the next 2 exports", func(t *testing.T) {
		f := newFixture(t)
		if err := f.srv.InjectFault(Fault{Kind: FaultStatus, Content: "metadata", Action: "export", Count: 2}); err != nil {
			t.Fatal(err)
		}
		if err := f.srv.InjectFault(Fault{Kind: FaultStatus, Content: "project", Status: 503, Count: 1}); err != nil {
			t.Fatal(err)
		}
		for i := 0; i < 2; i++ {
			f.call("full", "content", "metadata", "format", "json").expect(t, 500, ctJSON, jsonErr(msg500))
		}
		if r := f.call("full", "content", "metadata", "format", "json"); r.status != 200 {
			t.Errorf("third export: %d %s", r.status, r.body)
		}
		r := f.call("full", "content", "project", "format", "json")
		if r.status != 503 || !strings.HasPrefix(r.ctype, "text/html") {
			t.Errorf("proxy 503: %d %s", r.status, r.ctype)
		}
		if r := f.call("full", "content", "project", "format", "json"); r.status != 200 {
			t.Errorf("after the 503: %d", r.status)
		}
		if n := len(f.srv.State().Faults); n != 0 {
			t.Errorf("%d faults left, want 0", n)
		}
	})

	t.Run("html page with 200", func(t *testing.T) {
		f := newFixture(t)
		if err := f.srv.InjectFault(Fault{Kind: FaultHTML}); err != nil {
			t.Fatal(err)
		}
		r := f.call("export-only", "content", "version")
		if r.status != 200 || r.ctype != "text/html; charset=utf-8" || !strings.HasPrefix(r.body, "<!DOCTYPE html>") {
			t.Errorf("html fault: %d %q %q", r.status, r.ctype, r.body)
		}
	})

	t.Run("redirect", func(t *testing.T) {
		f := newFixture(t)
		if err := f.srv.InjectFault(Fault{Kind: FaultRedirect, Status: 302, Location: "https://redcap.example.org/api/"}); err != nil {
			t.Fatal(err)
		}
		c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		resp, err := c.PostForm(f.url, url.Values{"token": {f.tokens["full"]}, "content": {"version"}})
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 302 || resp.Header.Get("Location") != "https://redcap.example.org/api/" {
			t.Errorf("redirect: %d %q", resp.StatusCode, resp.Header.Get("Location"))
		}
		// Default target: the same path on https.
		if err := f.srv.InjectFault(Fault{Kind: FaultRedirect, Count: 1}); err != nil {
			t.Fatal(err)
		}
		if err := f.srv.Update(func(s *State) { s.Faults = s.Faults[1:] }); err != nil {
			t.Fatal(err)
		}
		resp, err = c.PostForm(f.url, url.Values{"token": {f.tokens["full"]}, "content": {"version"}})
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 301 || resp.Header.Get("Location") != "https://"+strings.TrimPrefix(f.url, "http://") {
			t.Errorf("default redirect: %d %q", resp.StatusCode, resp.Header.Get("Location"))
		}
	})

	newDict := []redcap.Field{
		{FieldName: "record_id", FormName: "participant", FieldType: "text", FieldLabel: "ID"},
		{FieldName: "extra", FormName: "participant", FieldType: "text", FieldLabel: "Extra"},
	}
	for _, tc := range []struct {
		kind    string
		applied bool
	}{{FaultDropBefore, false}, {FaultDropAfter, true}} {
		t.Run(tc.kind, func(t *testing.T) {
			f := newFixture(t)
			if err := f.srv.InjectFault(Fault{Kind: tc.kind, Content: "metadata", Action: "import", Count: 1}); err != nil {
				t.Fatal(err)
			}
			_, err := http.PostForm(f.url, url.Values{"token": {f.tokens["full"]}, "content": {"metadata"}, "format": {"json"}, "data": {dictJSON(t, newDict)}})
			if err == nil {
				t.Fatal("the import got an answer; want a dropped connection")
			}
			got := f.exportDict("full")
			if applied := len(got) == 2 && got[1].FieldName == "extra"; applied != tc.applied {
				t.Errorf("import applied = %v, want %v (%d fields)", applied, tc.applied, len(got))
			}
		})
	}
}

func TestFaultCheck(t *testing.T) {
	for _, f := range []Fault{
		{Kind: "explode"},
		{Kind: FaultLatency},
		{Kind: FaultStatus, Status: 200},
		{Kind: FaultRedirect, Status: 200},
		{Kind: FaultHTML, Action: "delete"},
		{Kind: FaultHTML, Count: -1},
		{Kind: FaultStatus, Body: "[]"},
	} {
		if err := f.check(); err == nil {
			t.Errorf("%+v accepted", f)
		}
	}
}

func TestPersistence(t *testing.T) {
	dir := t.TempDir()
	st, toks := Demo()
	if err := SaveState(dir, st); err != nil {
		t.Fatal(err)
	}
	open := func() (*Server, string) {
		srv, err := Open(dir)
		if err != nil {
			t.Fatal(err)
		}
		u, stop, err := Start(context.Background(), srv)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(stop)
		return srv, u
	}
	_, u := open()
	if !strings.HasPrefix(u, "http://127.0.0.1:") || !strings.HasSuffix(u, "/api/") {
		t.Errorf("Start URL %q", u)
	}
	dict := []redcap.Field{
		{FieldName: "record_id", FormName: "enrolment", FieldType: "text", FieldLabel: "ID"},
		{FieldName: "consent", FormName: "enrolment", FieldType: "yesno", FieldLabel: "Consent", RequiredField: "y"},
	}
	full := toks[0].Token
	r := postTo(t, u, url.Values{"token": {full}, "content": {"metadata"}, "format": {"json"}, "data": {dictJSON(t, dict)}})
	if r.status != 200 || r.body != "2" {
		t.Fatalf("import: %d %s", r.status, r.body)
	}
	// A second server on the same folder (a restart) sees the import.
	_, u2 := open()
	r = postTo(t, u2, url.Values{"token": {full}, "content": {"metadata"}, "format": {"json"}})
	if r.body != dictJSON(t, dict) {
		t.Errorf("after restart:\n%s\nwant\n%s", r.body, dictJSON(t, dict))
	}
	// Only state.json is left (no temporary files), readable by its owner.
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 || entries[0].Name() != StateFile {
		t.Errorf("state folder holds %v", entries)
	}
	fi, err := os.Stat(filepath.Join(dir, StateFile))
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("state.json mode %v, want 0600", fi.Mode().Perm())
	}
	// A used-up fault stays used up after a restart.
	srv3, u3 := open()
	if err := srv3.InjectFault(Fault{Kind: FaultStatus, Count: 1}); err != nil {
		t.Fatal(err)
	}
	if r := postTo(t, u3, url.Values{"token": {full}, "content": {"version"}}); r.status != 500 {
		t.Errorf("fault: %d", r.status)
	}
	if st, err := LoadState(dir); err != nil || len(st.Faults) != 0 {
		t.Errorf("faults after use: %v %v", st.Faults, err)
	}
}

func TestLoadStateRejects(t *testing.T) {
	for name, body := range map[string]string{
		"unknown key":       `{"projects":[],"users":[],"bogus":1}`,
		"duplicate project": `{"projects":[{"project_id":1},{"project_id":1}],"users":[]}`,
		"orphan user":       `{"projects":[],"users":[{"token":"A","username":"x","project_id":3}]}`,
		"bad status":        `{"projects":[{"project_id":1,"status":5}],"users":[]}`,
		"bad fault":         `{"projects":[],"users":[],"faults":[{"kind":"boom"}]}`,
		"not json":          `{`,
	} {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, StateFile), []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		if _, err := LoadState(dir); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	if _, err := LoadState(t.TempDir()); err == nil {
		t.Error("missing state.json accepted")
	}
}

// TestConcurrency runs imports and exports in parallel; run with -race.
// Every export must see one whole dictionary, never a mix.
func TestConcurrency(t *testing.T) {
	dir := t.TempDir()
	st, toks := Demo()
	if err := SaveState(dir, st); err != nil {
		t.Fatal(err)
	}
	srv, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	u, stop, err := Start(context.Background(), srv)
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	full := toks[0].Token
	var wg sync.WaitGroup
	errs := make(chan string, 100)
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; i < 5; i++ {
				n := 1 + (w+i)%4
				dict := []redcap.Field{{FieldName: "record_id", FormName: "f", FieldType: "text", FieldLabel: "ID"}}
				for k := 1; k < n; k++ {
					dict = append(dict, redcap.Field{FieldName: "v" + strconv.Itoa(k), FormName: "f", FieldType: "text", FieldLabel: strconv.Itoa(n)})
				}
				resp, err := http.PostForm(u, url.Values{"token": {full}, "content": {"metadata"}, "format": {"json"}, "data": {dictJSON(t, dict)}})
				if err != nil {
					errs <- err.Error()
					return
				}
				resp.Body.Close()
				if resp.StatusCode != 200 {
					errs <- "import status " + resp.Status
				}
				resp, err = http.PostForm(u, url.Values{"token": {full}, "content": {"metadata"}, "format": {"csv"}})
				if err != nil {
					errs <- err.Error()
					return
				}
				body, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				lines := strings.Split(strings.TrimSpace(string(body)), "\n")
				rows := len(lines) - 1
				if rows > 1 && !strings.Contains(lines[2], ","+strconv.Itoa(rows)+",") {
					errs <- "an export mixed two dictionaries: " + string(body)
				}
			}
		}(w)
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
	// The file on disk is whole and matches the server.
	disk, err := LoadState(dir)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := len(disk.Projects[0].Metadata), len(srv.State().Projects[0].Metadata); got != want {
		t.Errorf("disk has %d rows, server %d", got, want)
	}
}

func TestStartStops(t *testing.T) {
	st, _ := Demo()
	u, stop, err := Start(context.Background(), New(st))
	if err != nil {
		t.Fatal(err)
	}
	stop()
	if _, err := http.PostForm(u, url.Values{"content": {"version"}}); err == nil {
		t.Error("server still answers after stop")
	}
	ctx, cancel := context.WithCancel(context.Background())
	u, stop, err = Start(ctx, New(st))
	if err != nil {
		t.Fatal(err)
	}
	cancel()
	stop() // waits for the shutdown that cancel started
	if _, err := http.PostForm(u, url.Values{"content": {"version"}}); err == nil {
		t.Error("server still answers after cancel")
	}
}

// TestImportSaveFailure: when the state file cannot be written the import
// is undone and answered as REDCap answers a database failure.
func TestImportSaveFailure(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "state")
	st, toks := Demo()
	if err := SaveState(dir, st); err != nil {
		t.Fatal(err)
	}
	srv, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	u, stop, err := Start(context.Background(), srv)
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	// The folder becomes a file: nothing can be written there any more.
	if err := os.RemoveAll(dir); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dir, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	dict := []redcap.Field{{FieldName: "record_id", FormName: "x", FieldType: "text", FieldLabel: "ID"}}
	r := postTo(t, u, url.Values{"token": {toks[0].Token}, "content": {"metadata"}, "format": {"json"}, "data": {dictJSON(t, dict)}})
	r.expect(t, 500, ctJSON, jsonErr(msgUploadFailed))
	if got := srv.State().Projects[0].Metadata[0].FormName; got != "participant" {
		t.Errorf("the failed import stayed in memory: form %q", got)
	}
	if got := srv.State().Users[0].Rights.Forms; len(got) != 1 || got["participant"] != 1 {
		t.Errorf("form rights changed: %v", got)
	}
}

func TestFaultsInStateFile(t *testing.T) {
	dir := t.TempDir()
	st, _ := Demo()
	st.Faults = []Fault{{Kind: FaultLatency, Latency: Duration{1500 * time.Millisecond}, Content: "metadata"}}
	if err := SaveState(dir, st); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(filepath.Join(dir, StateFile))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(raw), `"latency": "1.5s"`) {
		t.Errorf("latency not written as a duration:\n%s", raw)
	}
	back, err := LoadState(dir)
	if err != nil {
		t.Fatal(err)
	}
	if got := back.Faults[0]; got.Latency.Duration != 1500*time.Millisecond || got.String() != "latency content=metadata" {
		t.Errorf("read back %+v (%s)", got, got)
	}
	bad := strings.Replace(string(raw), `"1.5s"`, `"soon"`, 1)
	if err := os.WriteFile(filepath.Join(dir, StateFile), []byte(bad), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadState(dir); err == nil || !strings.Contains(err.Error(), "latency") {
		t.Errorf("bad latency: %v", err)
	}
}

// TestRequestLog: one entry per request, with the user's name but never
// the token; WithFaults faults are injected.
func TestRequestLog(t *testing.T) {
	var mu sync.Mutex
	var infos []RequestInfo
	f := newFixture(t, WithRequestLog(func(ri RequestInfo) {
		mu.Lock()
		defer mu.Unlock()
		infos = append(infos, ri)
	}), WithFaults(Fault{Kind: FaultHTML, Content: "project", Count: 1}))
	f.call("full", "content", "version")
	f.call("nobody", "content", "metadata", "format", "json")
	if r := f.call("full", "content", "project", "format", "json"); r.status != 200 || !strings.Contains(r.body, "<html") {
		t.Errorf("WithFaults html: %d %.40s", r.status, r.body)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(infos) != 3 {
		t.Fatalf("%d log entries, want 3", len(infos))
	}
	if i := infos[0]; i.Username != "alice" || i.Content != "version" || i.Action != "export" || i.Status != 200 || i.Method != "POST" || i.Path != "/api/" {
		t.Errorf("first entry %+v", i)
	}
	if i := infos[1]; i.Username != "" || i.Status != 403 {
		t.Errorf("bad-token entry %+v", i)
	}
	if i := infos[2]; i.Fault != FaultHTML {
		t.Errorf("fault entry %+v", i)
	}
	for _, i := range infos {
		if strings.Contains(fmt.Sprintf("%+v", i), f.tokens["full"]) {
			t.Errorf("the token is in the log entry %+v", i)
		}
	}
}
