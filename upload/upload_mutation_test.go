package upload

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rcolpipe/rcolpipe/redcap/api"
	"github.com/rcolpipe/rcolpipe/redcap/sandbox"
)

// Tests written to kill mutants of upload.go that scripts/mutation.sh found
// alive; each asserts behaviour a user relies on.

// The backup goes into the folder asked for, named by the project's ID and
// the time, so that backups of several projects in one folder stay apart.
func TestUploadBackupNamedByProjectAndTime(t *testing.T) {
	c, _ := sandboxClient(t, sandbox.DemoFull)
	dir := t.TempDir()
	now := time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)
	rep, err := Upload(context.Background(), c, sleepForm(), Options{BackupDir: dir, Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(dir, "project-1-20260304T050607Z.json"); rep.BackupPath != want {
		t.Errorf("backup %s, want %s", rep.BackupPath, want)
	}
}

// Without a BackupDir the backup goes to ./rcolpipe-backups.
func TestUploadBackupDefaultsToRcolpipeBackups(t *testing.T) {
	c, _ := sandboxClient(t, sandbox.DemoFull)
	t.Chdir(t.TempDir())
	rep, err := Upload(context.Background(), c, sleepForm(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Dir(rep.BackupPath) != "rcolpipe-backups" {
		t.Errorf("backup %s, want it in rcolpipe-backups", rep.BackupPath)
	}
}

// New forms in a longitudinal project are in no event: the report says so,
// and does not for a classic project.
func TestUploadWarnsThatNewFormsNeedEventsInLongitudinalProjects(t *testing.T) {
	for _, longitudinal := range []bool{false, true} {
		c, srv := sandboxClient(t, sandbox.DemoFull)
		if err := srv.Update(func(st *sandbox.State) { st.Project(1).IsLongitudinal = longitudinal }); err != nil {
			t.Fatal(err)
		}
		rep, err := Upload(context.Background(), c, sleepForm(), Options{BackupDir: t.TempDir()})
		if err != nil {
			t.Fatal(err)
		}
		warned := strings.Contains(strings.Join(rep.Warnings, "\n"), "designate them to events")
		if warned != longitudinal {
			t.Errorf("longitudinal=%v: warnings %q", longitudinal, rep.Warnings)
		}
	}
}

// A lost answer to an import that did apply is a warning, not a failure:
// the export afterwards shows the dictionary arrived and is verified.
func TestUploadImportAppliedDespiteLostAnswer(t *testing.T) {
	c, srv := sandboxClient(t, sandbox.DemoFull)
	if err := srv.InjectFault(sandbox.Fault{Kind: sandbox.FaultDropAfter, Content: "metadata", Action: "import", Count: 1}); err != nil {
		t.Fatal(err)
	}
	rep, err := Upload(context.Background(), c, sleepForm(), Options{BackupDir: t.TempDir()})
	if err != nil {
		t.Fatalf("upload: %v", err)
	}
	if !rep.Verified || rep.Imported != rep.Sent.Len() {
		t.Errorf("verified=%v imported=%d, want verified and %d", rep.Verified, rep.Imported, rep.Sent.Len())
	}
	if !strings.Contains(strings.Join(rep.Warnings, "\n"), "applied despite the error") {
		t.Errorf("warnings %q lack the lost answer", rep.Warnings)
	}
}

// An import that did not apply (a 500 answered by the server, which
// finished with the request) fails the upload, says where the backup is,
// and keeps the client's typed error.
func TestUploadImportNotAppliedFailsNamingTheBackup(t *testing.T) {
	c, srv := sandboxClient(t, sandbox.DemoFull)
	if err := srv.InjectFault(sandbox.Fault{Kind: sandbox.FaultStatus, Status: 500, Content: "metadata", Action: "import"}); err != nil {
		t.Fatal(err)
	}
	rep, err := Upload(context.Background(), c, sleepForm(), Options{BackupDir: t.TempDir()})
	var ie *api.ImportError
	if !errors.As(err, &ie) || ie.Outcome != api.ImportNotApplied {
		t.Fatalf("err = %v, want an ImportError that did not apply", err)
	}
	if rep == nil || rep.BackupPath == "" || !strings.Contains(err.Error(), rep.BackupPath) {
		t.Errorf("error %q does not name the backup", err)
	}
	if rep.Verified || rep.Imported != 0 {
		t.Errorf("verified=%v imported=%d after a failed import", rep.Verified, rep.Imported)
	}
}
