package api_test

import (
	"context"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rcolpipe/rcolpipe/redcap/api"
)

func TestSandboxExportRecords(t *testing.T) {
	env := startSandbox(t)
	ctx := context.Background()
	got, err := env.client(t, "full").ExportRecords(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := []map[string]string{
		{"record_id": "1", "part_initials": "AB", "part_site": "1", "participant_complete": "2"},
		{"record_id": "2", "part_initials": "CD", "part_site": "2", "participant_complete": "2"},
		{"record_id": "3", "part_initials": "EF", "part_site": "", "participant_complete": "0"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("demo records (-want +got):\n%s", diff)
	}
	// fields reach the server as an array; the record ID comes along.
	sites, err := env.client(t, "full").ExportRecords(ctx, []string{"part_site"})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]map[string]string{{"record_id": "1", "part_site": "1"}, {"record_id": "2", "part_site": "2"}, {"record_id": "3", "part_site": ""}}, sites); diff != "" {
		t.Errorf("part_site only (-want +got):\n%s", diff)
	}
	// An unknown field is the server's 400, as an *api.APIError.
	_, err = env.client(t, "full").ExportRecords(ctx, []string{"nope"})
	var ae *api.APIError
	if !errors.As(err, &ae) || ae.Status != 400 {
		t.Errorf("unknown field: %v (%T)", err, err)
	}
}
