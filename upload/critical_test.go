package upload

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rcolpipe/rcolpipe/redcap"
	"github.com/rcolpipe/rcolpipe/redcap/sandbox"
)

// A critical change (here the demo's site codes swapped) is refused before
// anything is sent: no backup, no import; AllowCritical lets it through.
func TestUploadRefusesCriticalUnlessAllowed(t *testing.T) {
	c, _ := sandboxClient(t, sandbox.DemoFull)
	ctx := context.Background()
	before, err := c.ExportMetadata(ctx)
	if err != nil {
		t.Fatal(err)
	}
	in := before.Clone()
	site := in.Field("part_site")
	site.Choices = "1, Site B | 2, Site A"
	in.Field("part_initials").FieldType = "notes"

	bk := filepath.Join(t.TempDir(), "bk")
	rep, err := Upload(ctx, c, in, Options{BackupDir: bk})
	var ce *CriticalError
	if !errors.As(err, &ce) {
		t.Fatalf("err = %v, want a CriticalError", err)
	}
	var kinds []string
	for _, ch := range ce.Changes {
		kinds = append(kinds, string(ch.Kind)+" "+ch.Field+" "+ch.Code)
	}
	if got := strings.Join(kinds, ", "); got != "type-changed part_initials , choice-recoded part_site 1, choice-recoded part_site 2" {
		t.Errorf("changes = %s", got)
	}
	for _, want := range []string{"--allow-critical", "nothing was sent", "part_site (participant) recodes choice 1"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q: %v", want, err)
		}
	}
	if rep == nil || len(rep.Diff.Critical) != 3 || rep.BackupPath != "" {
		t.Errorf("report: %+v", rep)
	}
	if _, err := os.Stat(bk); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a refused upload wrote a backup folder: %v", err)
	}
	now, _ := c.ExportMetadata(ctx)
	if got := redcap.Compare(before, now); !got.Empty() {
		t.Fatalf("a refused upload changed the project: %+v", got)
	}

	if _, err := Upload(ctx, c, in, Options{BackupDir: bk, AllowCritical: true}); err != nil {
		t.Fatalf("with AllowCritical: %v", err)
	}
	now, _ = c.ExportMetadata(ctx)
	if now.Field("part_site").Choices != "1, Site B | 2, Site A" {
		t.Errorf("choices after an allowed upload: %q", now.Field("part_site").Choices)
	}
}

// A deletion still needs AllowDelete, even with AllowCritical.
func TestAllowCriticalDoesNotAllowDeletes(t *testing.T) {
	c, _ := sandboxClient(t, sandbox.DemoFull)
	ctx := context.Background()
	before, _ := c.ExportMetadata(ctx)
	in := before.Clone()
	in.Fields = in.Fields[:len(in.Fields)-1]
	_, err := Upload(ctx, c, in, Options{BackupDir: t.TempDir(), AllowCritical: true})
	var de *DeleteError
	if !errors.As(err, &de) {
		t.Fatalf("err = %v, want a DeleteError", err)
	}
}
