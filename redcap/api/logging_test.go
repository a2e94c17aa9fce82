package api_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/rcolpipe/rcolpipe/redcap/api"
)

func TestSandboxExportLog(t *testing.T) {
	env := startSandbox(t)
	ctx := context.Background()
	c := env.client(t, "full")
	if _, err := c.ImportMetadata(ctx, sandboxDict()); err != nil {
		t.Fatal(err)
	}
	got, err := c.ExportLog(ctx, api.LogOptions{Type: "manage"})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Username != "alice" || got[0].Action != "Manage/Design" || got[0].Details != "Upload data dictionary (API)" {
		t.Fatalf("log after one import: %+v", got)
	}
	if _, err := time.Parse(api.LogTimeLayout, got[0].Timestamp); err != nil {
		t.Errorf("timestamp %q: %v", got[0].Timestamp, err)
	}
	// The filters reach the server: a begin time after the import, and
	// another user, leave nothing.
	later, err := c.ExportLog(ctx, api.LogOptions{Type: "manage", Begin: time.Now().Add(48 * time.Hour)})
	if err != nil || len(later) != 0 {
		t.Errorf("log from tomorrow: %+v, %v", later, err)
	}
	other, err := c.ExportLog(ctx, api.LogOptions{User: "bob"})
	if err != nil || len(other) != 0 {
		t.Errorf("log of bob: %+v, %v", other, err)
	}
	// The earlier log exports are logged, newest first.
	all, err := c.ExportLog(ctx, api.LogOptions{Type: "manage", User: "alice"})
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 4 || all[0].Details != "Export Logging (API)" || all[3].Details != "Upload data dictionary (API)" {
		t.Errorf("log: %+v", all)
	}
}

func TestSandboxExportLogWithoutLoggingRight(t *testing.T) {
	env := startSandbox(t)
	_, err := env.client(t, "export-only").ExportLog(context.Background(), api.LogOptions{Type: "manage"})
	var nl *api.ErrNoLogging
	if !errors.As(err, &nl) || nl.Status != 403 {
		t.Fatalf("export-only token: %v (%T), want *api.ErrNoLogging with 403", err, err)
	}
	if api.Advice(err) == "" {
		t.Error("no advice for the missing Logging right")
	}
}
