package upload

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rcolpipe/rcolpipe/redcap"
	"github.com/rcolpipe/rcolpipe/redcap/api"
	"github.com/rcolpipe/rcolpipe/redcap/sandbox"
)

// TestUploadStopsWhenTheBackupFails: the backup is what makes an upload
// undoable, so when it cannot be written nothing may be sent: no
// confirmation is asked, nothing is imported, and the error names the
// backup folder and what to do. (Tests run as root in CI containers, where
// file modes do not stop a write; a regular file where the folder should
// be, or under the path, does.)
func TestUploadStopsWhenTheBackupFails(t *testing.T) {
	ctx := context.Background()
	notADir := filepath.Join(t.TempDir(), "backups")
	if err := os.WriteFile(notADir, []byte("not a folder\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ name, dir string }{
		{"a file where the folder should be", notADir},
		{"a folder under a file", filepath.Join(notADir, "sub")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, _ := sandboxClient(t, sandbox.DemoFull)
			before, err := c.ExportMetadata(ctx)
			if err != nil {
				t.Fatal(err)
			}
			asked := false
			rep, err := Upload(ctx, c, sleepForm(), Options{BackupDir: tc.dir,
				Confirm: func(context.Context, redcap.Diff) (bool, error) { asked = true; return true, nil }})
			if err == nil {
				t.Error("the upload went on without a backup")
			} else {
				for _, want := range []string{tc.dir, "nothing was sent", "--backup-dir"} {
					if !strings.Contains(err.Error(), want) {
						t.Errorf("error %q does not say %q", err, want)
					}
				}
			}
			// The backup is written only when the import is about to be
			// sent: after the answer at the prompt.
			if !asked {
				t.Error("the backup was written before the user was asked")
			}
			if rep == nil {
				t.Fatal("no report")
			}
			if rep.BackupPath != "" || rep.Imported != 0 || rep.Verified {
				t.Errorf("report: backup %q, %d imported, verified %v; want no backup, nothing imported", rep.BackupPath, rep.Imported, rep.Verified)
			}
			after, err := c.ExportMetadata(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if same, why := api.MatchesExport(before, after); !same {
				t.Errorf("the project changed although the backup failed: %s", why)
			}
		})
	}
}
