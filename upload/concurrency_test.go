package upload

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rcolpipe/rcolpipe/redcap"
	"github.com/rcolpipe/rcolpipe/redcap/api"
	"github.com/rcolpipe/rcolpipe/redcap/sandbox"
)

// clockedSandbox is a demo sandbox whose clock stands still, so that every
// log entry of a test has the same minute, and clients for two demo users.
func clockedSandbox(t *testing.T) (*sandbox.Server, func(name string, opts ...api.Option) *api.Client) {
	t.Helper()
	state, tokens := sandbox.Demo()
	at := time.Date(2026, 12, 6, 10, 30, 0, 0, time.UTC)
	srv := sandbox.New(state, sandbox.WithClock(func() time.Time { return at }))
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	return srv, func(name string, opts ...api.Option) *api.Client {
		for _, tk := range tokens {
			if tk.Name == name {
				tok, err := api.NewToken(tk.Token, "test", "")
				if err != nil {
					t.Fatal(err)
				}
				c, err := api.New(hs.URL+"/api/", tok, append([]api.Option{api.WithRetries(1), api.WithTimeout(10 * time.Second)}, opts...)...)
				if err != nil {
					t.Fatal(err)
				}
				return c
			}
		}
		t.Fatalf("no demo user %s", name)
		return nil
	}
}

func moodForm() *redcap.Dictionary {
	return &redcap.Dictionary{Fields: []redcap.Field{
		{FieldName: "mood_today", FormName: "mood", FieldType: "radio", FieldLabel: "Mood", Choices: "1, Low | 2, Fine | 3, Good"},
	}}
}

// A change made while the user looks at the diff (here: inside the
// Confirm hook, another client uploads a form) stops the upload before
// the import: exit 1, nothing imported, no backup, the change named.
func TestUploadStopsWhenTheProjectChangesDuringThePrompt(t *testing.T) {
	_, client := clockedSandbox(t)
	c := client(sandbox.DemoFull)
	other := client(sandbox.DemoFull)
	ctx := context.Background()
	dir := t.TempDir()
	rep, err := Upload(ctx, c, sleepForm(), Options{BackupDir: dir, Confirm: func(context.Context, redcap.Diff) (bool, error) {
		if _, err := Upload(ctx, other, moodForm(), Options{BackupDir: t.TempDir()}); err != nil {
			t.Fatalf("the other upload: %v", err)
		}
		return true, nil
	}})
	var pc *ProjectChangedError
	if !errors.As(err, &pc) {
		t.Fatalf("err = %v, want a ProjectChangedError", err)
	}
	for _, want := range []string{"forms added: mood", "mood_today (mood)", "nothing was imported", "Run the upload again"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}
	if rep.BackupPath != "" || rep.Imported != 0 {
		t.Errorf("backup %q, %d imported; want neither", rep.BackupPath, rep.Imported)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("backup folder holds %d files, want none", len(entries))
	}
	after, err := c.ExportMetadata(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got := fieldNames(after); !strings.Contains(got, "mood_today") || strings.Contains(got, "sleep_hours") {
		t.Errorf("project fields %q: want the other upload's mood form and no sleep form", got)
	}
}

// Two uploads by one script, back to back in the same minute, with equal
// log entries: neither is taken for a concurrent change.
func TestUploadBackToBackIsNoConcurrentChange(t *testing.T) {
	_, client := clockedSandbox(t)
	c := client(sandbox.DemoFull)
	ctx := context.Background()
	for i, d := range []*redcap.Dictionary{sleepForm(), moodForm(), sleepForm2()} {
		rep, err := Upload(ctx, c, d, Options{BackupDir: t.TempDir()})
		if err != nil {
			t.Fatalf("upload %d: %v", i+1, err)
		}
		if !rep.Verified || !rep.LogChecked {
			t.Errorf("upload %d: verified %v, log checked %v", i+1, rep.Verified, rep.LogChecked)
		}
	}
}

func sleepForm2() *redcap.Dictionary {
	d := sleepForm()
	d.Fields[1].FieldLabel = "Hours slept last night"
	return d
}

// Another run's import that lands between this run's re-check and its
// log read after the import is reported by whom and when, with how to
// recover. Here the other upload runs inside the first one's import: the
// transport hands it over just before the import is sent.
func TestUploadReportsAnImportThatLandedMeanwhile(t *testing.T) {
	_, client := clockedSandbox(t)
	other := client(sandbox.DemoFull)
	ctx := context.Background()
	// The other change lands after c's re-check: straight into the
	// project, as an import already in flight would.
	var landed bool
	hook := func(content, action string) {
		if content == "metadata" && action == "import" && !landed {
			landed = true
			cur, err := other.ExportMetadata(ctx)
			if err != nil {
				t.Fatal(err)
			}
			m := redcap.Merge(cur, moodForm())
			if _, err := other.ImportMetadata(ctx, m.Dictionary); err != nil {
				t.Fatalf("the other import: %v", err)
			}
		}
	}
	c := client(sandbox.DemoFull, api.WithHTTPClient(&http.Client{Transport: hookTransport{before: hook, next: http.DefaultTransport}}))
	rep, err := Upload(ctx, c, sleepForm(), Options{BackupDir: t.TempDir()})
	var cc *ConcurrentChangeError
	if !errors.As(err, &cc) {
		t.Fatalf("err = %v, want a ConcurrentChangeError", err)
	}
	for _, want := range []string{"Upload data dictionary (API) by alice at 2026-12-06 10:30", "may have been overwritten", "run the other upload again", "data dictionary history", rep.BackupPath} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}
	if rep.Verified {
		t.Error("verified despite the concurrent change")
	}
}

// Without the Logging right the upload goes on, and says that the check
// could not be made.
func TestUploadWithoutLoggingRightWarns(t *testing.T) {
	srv, client := clockedSandbox(t)
	if err := srv.Update(func(s *sandbox.State) {
		for _, u := range s.Users {
			u.Rights.Logging = 0
		}
	}); err != nil {
		t.Fatal(err)
	}
	rep, err := Upload(context.Background(), client(sandbox.DemoFull), sleepForm(), Options{BackupDir: t.TempDir()})
	if err != nil {
		t.Fatalf("upload: %v", err)
	}
	if !rep.Verified || rep.LogChecked {
		t.Errorf("verified %v, log checked %v; want verified, not log checked", rep.Verified, rep.LogChecked)
	}
	if w := strings.Join(rep.Warnings, "\n"); !strings.Contains(w, "project log could not be read") || !strings.Contains(w, "Logging right") {
		t.Errorf("warnings %q do not say the log check could not be made", w)
	}
}

// An export whose first field is not the record ID of the newest backup
// of the project is refused before anything is sent.
func TestUploadRefusesAnExportWithAnotherRecordID(t *testing.T) {
	srv, client := clockedSandbox(t)
	c := client(sandbox.DemoFull)
	ctx := context.Background()
	dir := t.TempDir()
	if _, err := Upload(ctx, c, sleepForm(), Options{BackupDir: dir}); err != nil {
		t.Fatal(err)
	}
	// The answer misses its first row.
	if err := srv.InjectFault(sandbox.Fault{Kind: sandbox.FaultBody, Content: "metadata", Action: "export", Count: 1,
		Body: `[{"field_name":"sleep_hours","form_name":"sleep","field_type":"text","field_label":"Hours"}]`}); err != nil {
		t.Fatal(err)
	}
	rep, err := Upload(ctx, c, moodForm(), Options{BackupDir: dir})
	var ie *api.ImpossibleExportError
	if !errors.As(err, &ie) {
		t.Fatalf("err = %v, want an ImpossibleExportError", err)
	}
	for _, want := range []string{"first field is sleep_hours", "record ID is record_id", filepath.Join(dir, "project-1-")} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}
	if rep.BackupPath != "" || rep.Imported != 0 {
		t.Errorf("backup %q, %d imported", rep.BackupPath, rep.Imported)
	}
}

func TestNewEntriesIsAMultiset(t *testing.T) {
	e := func(ts, user, details string) api.LogEntry {
		return api.LogEntry{Timestamp: ts, Username: user, Action: "Manage/Design", Details: details}
	}
	up := e("2026-12-06 10:30", "alice", detailsAPIUpload)
	before := projectLog{entries: []api.LogEntry{up, e("2026-12-06 10:29", "bob", "Create project field")}}
	after := projectLog{since: "2026-12-06 10:30", entries: []api.LogEntry{up, up, e("2026-12-06 10:30", "alice", detailsExportLog), up}}
	got := newEntries(before, after)
	if len(got) != 3 {
		t.Fatalf("new entries %v, want the two further uploads and the log export", got)
	}
	others, own := othersChanges(before, after, "alice")
	if !own || len(others) != 1 {
		t.Errorf("others %v (own found %v), want one other upload", others, own)
	}
	// Without a user name, the log's own reader names the run's user.
	if others, own := othersChanges(before, after, ""); !own || len(others) != 1 {
		t.Errorf("no user name: others %v (own found %v)", others, own)
	}
	for _, tc := range []struct {
		details string
		want    bool
	}{{detailsAPIUpload, true}, {"Upload data dictionary", true}, {"Create project field", true}, {"Delete data collection instrument", true},
		{detailsExportLog, false}, {"Download data dictionary", false}, {"Export data dictionary (API)", false}, {"Modify project settings", false}} {
		if got := isDictionaryChange(api.LogEntry{Details: tc.details}); got != tc.want {
			t.Errorf("isDictionaryChange(%q) = %v", tc.details, got)
		}
	}
}
