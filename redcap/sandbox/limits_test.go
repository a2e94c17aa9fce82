package sandbox

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// rawPost sends body with the given content type; a chunked body (no
// Content-Length) when chunked is set, so the server cannot refuse it
// before reading.
func rawPost(t *testing.T, u, ctype string, body []byte, chunked bool) (response, http.Header) {
	t.Helper()
	var r io.Reader = bytes.NewReader(body)
	if chunked {
		r = io.MultiReader(r) // hides the length from http.NewRequest
	}
	req, err := http.NewRequest(http.MethodPost, u, r)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", ctype)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("POST %s: %v", u, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("read body: %v", err)
	}
	return response{resp.StatusCode, resp.Header.Get("Content-Type"), string(b)}, resp.Header
}

// TestBodyOverLimitGets413: a body over the server's limit is refused with
// 413 and an error body saying so, whether its length is announced or only
// found while reading it, for url-encoded and multipart forms alike;
// one under the limit is imported.
func TestBodyOverLimitGets413(t *testing.T) {
	const limit = 1 << 20
	f := newFixture(t, WithMaxBody(limit))
	big := strings.Repeat("x", 2*limit)
	form := url.Values{"token": {f.tokens["full"]}, "content": {"metadata"}, "format": {"json"}, "data": {big}}.Encode()

	var mp bytes.Buffer
	mw := multipart.NewWriter(&mp)
	for _, kv := range [][2]string{{"token", f.tokens["full"]}, {"content", "metadata"}, {"format", "json"}, {"data", big}} {
		if err := mw.WriteField(kv[0], kv[1]); err != nil {
			t.Fatal(err)
		}
	}
	if err := mw.Close(); err != nil {
		t.Fatal(err)
	}

	want := jsonErr(fmt.Sprintf(msgTooLarge, limit))
	for _, tc := range []struct {
		name    string
		ctype   string
		body    []byte
		chunked bool
	}{
		{"urlencoded with length", "application/x-www-form-urlencoded", []byte(form), false},
		{"urlencoded chunked", "application/x-www-form-urlencoded", []byte(form), true},
		{"multipart with length", mw.FormDataContentType(), mp.Bytes(), false},
		{"multipart chunked", mw.FormDataContentType(), mp.Bytes(), true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, _ := rawPost(t, f.url, tc.ctype, tc.body, tc.chunked)
			r.expect(t, http.StatusRequestEntityTooLarge, ctJSON, want)
		})
	}

	// Under the limit, the same server imports.
	dict := dictJSON(t, benchDict(100))
	if len(dict) >= limit {
		t.Fatalf("test dictionary of %d bytes is not under the limit", len(dict))
	}
	f.call("full", "content", "metadata", "format", "json", "data", dict).expect(t, 200, ctJSON, "100")
}

// TestDefaultBodyLimitFitsLargeDictionaries: the default limit is well
// above a large real dictionary sent as rcolpipe sends it (url-encoded
// JSON), as docs/sandbox.md says.
func TestDefaultBodyLimitFitsLargeDictionaries(t *testing.T) {
	dict, err := json.Marshal(benchDict(10000))
	if err != nil {
		t.Fatal(err)
	}
	body := url.Values{"token": {"0123456789ABCDEF0123456789ABCDEF"}, "content": {"metadata"}, "format": {"json"}, "returnFormat": {"json"}, "data": {string(dict)}}.Encode()
	if 4*len(body) > DefaultMaxBody {
		t.Errorf("a 10,000-field import is %d bytes; the default limit %d is not four times that", len(body), DefaultMaxBody)
	}
}

// TestBusyServerAnswers503: with every slot taken, a further request is
// refused at once with 503, Retry-After and an error body instead of
// being read into memory; once the slot is free, requests are handled.
func TestBusyServerAnswers503(t *testing.T) {
	f := newFixture(t, WithMaxConcurrent(1, 0))
	entered := make(chan struct{})
	release := make(chan struct{})
	// The latency fault parks the first request inside the handler.
	f.srv.sleep = func(time.Duration) {
		close(entered)
		<-release
	}
	if err := f.srv.InjectFault(Fault{Kind: FaultLatency, Latency: Duration{time.Hour}, Content: "metadata", Count: 1}); err != nil {
		t.Fatal(err)
	}
	first := make(chan response, 1)
	go func() {
		resp, err := http.PostForm(f.url, url.Values{"token": {f.tokens["full"]}, "content": {"metadata"}, "format": {"json"}})
		if err != nil {
			first <- response{body: err.Error()}
			return
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		if err != nil {
			first <- response{body: err.Error()}
			return
		}
		first <- response{status: resp.StatusCode, body: string(b)}
	}()
	select {
	case <-entered:
	case <-time.After(time.Minute): // hang guard only
		t.Fatal("the first request never reached the handler")
	}

	form := url.Values{"token": {f.tokens["full"]}, "content": {"version"}, "format": {"json"}}.Encode()
	r, h := rawPost(t, f.url, "application/x-www-form-urlencoded", []byte(form), false)
	r.expect(t, http.StatusServiceUnavailable, ctJSON, jsonErr(fmt.Sprintf(msgBusy, 1)))
	if got := h.Get("Retry-After"); got != "1" {
		t.Errorf("Retry-After %q, want \"1\"", got)
	}

	close(release)
	if r := <-first; r.status != 200 {
		t.Fatalf("the parked request: %d %s", r.status, r.body)
	}
	f.call("full", "content", "version").expect(t, 200, ctCSV, DefaultVersion)
}

// TestOpenRemovesStaleTempFiles: temporary state files left by a server
// killed while saving (they hold tokens) are removed when a server opens
// the folder; symbolic links, folders and other files stay.
func TestOpenRemovesStaleTempFiles(t *testing.T) {
	dir := t.TempDir()
	st, _ := Demo()
	if err := SaveState(dir, st); err != nil {
		t.Fatal(err)
	}
	stale := filepath.Join(dir, ".state-1234567.json")
	if err := os.WriteFile(stale, []byte(`{"users":[{"token":"0123456789ABCDEF0123456789ABCDEF"}]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	outside := filepath.Join(t.TempDir(), "keep.json")
	if err := os.WriteFile(outside, []byte("{}"), 0o600); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, ".state-link.json")
	if err := os.Symlink(outside, link); err != nil {
		t.Fatal(err)
	}
	sub := filepath.Join(dir, ".state-dir.json")
	if err := os.Mkdir(sub, 0o700); err != nil {
		t.Fatal(err)
	}
	other := filepath.Join(dir, "state.json.bak-20260101-000000")
	if err := os.WriteFile(other, []byte("{}"), 0o600); err != nil {
		t.Fatal(err)
	}

	if _, err := Open(dir); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Lstat(stale); !os.IsNotExist(err) {
		t.Errorf("stale temporary state file still there (Lstat: %v)", err)
	}
	for _, p := range []string{link, outside, sub, other, filepath.Join(dir, StateFile)} {
		if _, err := os.Lstat(p); err != nil {
			t.Errorf("%s was removed: %v", filepath.Base(p), err)
		}
	}
}
