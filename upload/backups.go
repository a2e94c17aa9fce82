package upload

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"time"

	"github.com/rcolpipe/rcolpipe/internal/lazyre"
	"github.com/rcolpipe/rcolpipe/redcap"
)

// BackupInfo describes one backup file of WriteBackup.
type BackupInfo struct {
	Path      string    `json:"path"`
	ProjectID int       `json:"project_id"`
	Time      time.Time `json:"time"`
	// Fields is the number of fields in the backup; Error says why the
	// file could not be read (then Fields is 0).
	Fields int    `json:"fields"`
	Error  string `json:"error,omitempty"`
}

// backupName matches the names WriteBackup gives: project-ID-TIME[-N].json.
var backupName = lazyre.New(`^project-([0-9]+)-([0-9]{8}T[0-9]{6}Z)(?:-([0-9]+))?\.json$`)

// ListBackups lists the backups in dir, oldest first (then by name).
// Other files are ignored; a backup that cannot be read is listed with
// its error. A missing folder has no backups.
func ListBackups(dir string) ([]BackupInfo, error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("list backups: %w", err)
	}
	var out []BackupInfo
	seq := map[string]int{} // the -N of a name, for backups made within one second
	for _, e := range entries {
		m := backupName.FindStringSubmatch(e.Name())
		if m == nil || !e.Type().IsRegular() {
			continue
		}
		pid, err := strconv.Atoi(m[1])
		if err != nil {
			continue
		}
		at, err := time.Parse("20060102T150405Z", m[2])
		if err != nil {
			continue
		}
		b := BackupInfo{Path: filepath.Join(dir, e.Name()), ProjectID: pid, Time: at}
		seq[b.Path], _ = strconv.Atoi(m[3])
		d, diags, err := redcap.Load(b.Path)
		switch {
		case err != nil:
			b.Error = err.Error()
		case diags.HasErrors():
			for _, dg := range diags {
				if dg.Severity == redcap.SeverityError {
					b.Error = dg.Printable().String()
					break
				}
			}
		default:
			b.Fields = d.Len()
		}
		out = append(out, b)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if !out[i].Time.Equal(out[j].Time) {
			return out[i].Time.Before(out[j].Time)
		}
		if seq[out[i].Path] != seq[out[j].Path] {
			return seq[out[i].Path] < seq[out[j].Path]
		}
		return out[i].Path < out[j].Path
	})
	return out, nil
}
