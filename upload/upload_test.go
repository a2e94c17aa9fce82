package upload

import (
	"context"
	"errors"
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

// sandboxClient starts a demo sandbox and returns a client with the
// token of the given demo user.
func sandboxClient(t *testing.T, name string) (*api.Client, *sandbox.Server) {
	t.Helper()
	state, tokens := sandbox.Demo()
	srv := sandbox.New(state)
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	var secret string
	for _, tk := range tokens {
		if tk.Name == name {
			secret = tk.Token
		}
	}
	tok, err := api.NewToken(secret, "test", "")
	if err != nil {
		t.Fatal(err)
	}
	c, err := api.New(hs.URL+"/api/", tok, api.WithRetries(1), api.WithTimeout(10*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	return c, srv
}

func sleepForm() *redcap.Dictionary {
	return &redcap.Dictionary{Fields: []redcap.Field{
		{FieldName: "record_id", FormName: "sleep", FieldType: "text", FieldLabel: "ID"},
		{FieldName: "sleep_hours", FormName: "sleep", FieldType: "text", FieldLabel: "Hours slept", Validation: "number", ValidationMin: "0", ValidationMax: "24"},
		{FieldName: "sleep_ok", FormName: "sleep", FieldType: "yesno", FieldLabel: "Slept well?"},
	}}
}

func fieldNames(d *redcap.Dictionary) string {
	var out []string
	for _, f := range d.Fields {
		out = append(out, f.FieldName)
	}
	return strings.Join(out, " ")
}

func TestUploadMergesAndVerifies(t *testing.T) {
	c, _ := sandboxClient(t, sandbox.DemoFull)
	ctx := context.Background()
	before, err := c.ExportMetadata(ctx)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	rep, err := Upload(ctx, c, sleepForm(), Options{BackupDir: dir})
	if err != nil {
		t.Fatalf("upload: %v", err)
	}
	if !rep.Verified || rep.Imported == 0 {
		t.Errorf("verified=%v imported=%d", rep.Verified, rep.Imported)
	}
	after, err := c.ExportMetadata(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// The project's own form stays first and whole; the new form follows.
	want := fieldNames(before) + " sleep_hours sleep_ok"
	if got := fieldNames(after); got != want {
		t.Errorf("after upload:\n got %s\nwant %s", got, want)
	}
	if strings.Join(rep.Added, ",") != "sleep" || strings.Join(rep.Kept, ",") != "participant" {
		t.Errorf("added %v kept %v", rep.Added, rep.Kept)
	}
	if len(rep.Warnings) == 0 || !strings.Contains(rep.Warnings[0], `"Sleep"`) {
		t.Errorf("warnings = %v, want the instrument label REDCap gives", rep.Warnings)
	}
	// The backup holds the dictionary as it was.
	backup, diags, err := redcap.Load(rep.BackupPath)
	if err != nil || diags.HasErrors() {
		t.Fatalf("read backup: %v %v", err, diags)
	}
	if same, why := api.MatchesExport(backup, before); !same {
		t.Errorf("backup differs from the project before the upload: %s", why)
	}
	for _, s := range []string{"preflight+export", "recheck", "backup", "import", "verify"} {
		found := false
		for _, st := range rep.Steps {
			found = found || st.Step == s
		}
		if !found {
			t.Errorf("no timing for step %s in %v", s, rep.Steps)
		}
	}
}

func TestUploadRefusesDeleteUnlessAllowed(t *testing.T) {
	c, _ := sandboxClient(t, sandbox.DemoFull)
	ctx := context.Background()
	before, _ := c.ExportMetadata(ctx)
	// The project's participant form without part_site.
	in := before.Clone()
	in.Fields = in.Fields[:len(in.Fields)-1]
	_, err := Upload(ctx, c, in, Options{BackupDir: t.TempDir()})
	var de *DeleteError
	if !errors.As(err, &de) || len(de.Fields) != 1 || de.Fields[0].Field != "part_site" {
		t.Fatalf("err = %v, want a DeleteError naming part_site", err)
	}
	if !strings.Contains(err.Error(), "--allow-delete") {
		t.Errorf("error lacks the hint: %v", err)
	}
	now, _ := c.ExportMetadata(ctx)
	if fieldNames(now) != fieldNames(before) {
		t.Fatalf("a refused upload changed the project: %s", fieldNames(now))
	}
	if _, err := Upload(ctx, c, in, Options{BackupDir: t.TempDir(), AllowDelete: true}); err != nil {
		t.Fatalf("with AllowDelete: %v", err)
	}
	now, _ = c.ExportMetadata(ctx)
	if now.Field("part_site") != nil {
		t.Error("part_site still there after an allowed delete")
	}
}

func TestUploadDryRunChangesNothing(t *testing.T) {
	c, srv := sandboxClient(t, sandbox.DemoFull)
	ctx := context.Background()
	before := srv.State().Clone()
	dir := t.TempDir()
	rep, err := Upload(ctx, c, sleepForm(), Options{BackupDir: dir, DryRun: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Diff.FieldsAdded) != 2 || rep.Imported != 0 {
		t.Errorf("diff %+v imported %d", rep.Diff, rep.Imported)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 0 {
		t.Errorf("a dry run wrote files: %v", ents)
	}
	after := srv.State()
	if fieldNames(&redcap.Dictionary{Fields: after.Project(1).Metadata}) != fieldNames(&redcap.Dictionary{Fields: before.Project(1).Metadata}) {
		t.Error("a dry run changed the project")
	}
}

func TestUploadBackupAndRestore(t *testing.T) {
	c, _ := sandboxClient(t, sandbox.DemoFull)
	ctx := context.Background()
	original, _ := c.ExportMetadata(ctx)
	rep, err := Upload(ctx, c, sleepForm(), Options{BackupDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	backup, _, err := redcap.Load(rep.BackupPath)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Upload(ctx, c, backup, Options{BackupDir: t.TempDir(), ReplaceAll: true, AllowDelete: true}); err != nil {
		t.Fatalf("restore: %v", err)
	}
	restored, _ := c.ExportMetadata(ctx)
	if len(restored.Fields) != len(original.Fields) {
		t.Fatalf("restored %d fields, want %d", len(restored.Fields), len(original.Fields))
	}
	for i := range original.Fields {
		if !original.Fields[i].SameData(&restored.Fields[i]) {
			t.Errorf("field %d: %+v, want %+v", i, restored.Fields[i], original.Fields[i])
		}
	}
}

func TestUploadRefusals(t *testing.T) {
	ctx := context.Background()
	c, _ := sandboxClient(t, sandbox.DemoFull)
	if _, err := Upload(ctx, c, &redcap.Dictionary{}, Options{BackupDir: t.TempDir()}); err == nil || !strings.Contains(err.Error(), "empty") {
		t.Errorf("empty dictionary: err = %v", err)
	}
	_, err := Upload(ctx, c, sleepForm(), Options{BackupDir: t.TempDir(), Confirm: func(context.Context, redcap.Diff) (bool, error) { return false, nil }})
	if !errors.Is(err, ErrDeclined) {
		t.Errorf("declined: err = %v", err)
	}
	prod, _ := sandboxClient(t, sandbox.DemoProduction)
	dir := t.TempDir()
	_, err = Upload(ctx, prod, sleepForm(), Options{BackupDir: dir})
	if err == nil || !strings.Contains(err.Error(), "project status") {
		t.Errorf("production: err = %v", err)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 0 {
		t.Errorf("a refused preflight wrote a backup: %v", ents)
	}
}

func TestWriteBackupNeverOverwrites(t *testing.T) {
	dir := t.TempDir()
	now := time.Date(2026, 11, 28, 10, 0, 0, 0, time.UTC)
	d := sleepForm()
	a, err := WriteBackup(dir, 7, d, now)
	if err != nil {
		t.Fatal(err)
	}
	b, err := WriteBackup(dir, 7, d, now)
	if err != nil {
		t.Fatal(err)
	}
	if a == b || filepath.Base(a) != "project-7-20261128T100000Z.json" {
		t.Errorf("backups %s and %s", a, b)
	}
	if fi, _ := os.Stat(a); fi.Mode().Perm() != 0o600 {
		t.Errorf("backup mode %v", fi.Mode().Perm())
	}
}

func TestUploadRefusesNameClashAfterMerge(t *testing.T) {
	c, _ := sandboxClient(t, sandbox.DemoFull)
	ctx := context.Background()
	before, _ := c.ExportMetadata(ctx)
	// part_site belongs to the project's participant form, which stays.
	in := &redcap.Dictionary{Fields: []redcap.Field{
		{FieldName: "part_site", FormName: "visit", FieldType: "text", FieldLabel: "Site of the visit"},
	}}
	_, err := Upload(ctx, c, in, Options{BackupDir: t.TempDir()})
	if err == nil || !strings.Contains(err.Error(), "part_site (form visit of the input, and form participant that stays in the project)") ||
		!strings.Contains(err.Error(), "nothing was changed") {
		t.Fatalf("err = %v, want the clash named", err)
	}
	now, _ := c.ExportMetadata(ctx)
	if fieldNames(now) != fieldNames(before) {
		t.Errorf("a refused upload changed the project: %s", fieldNames(now))
	}
}
