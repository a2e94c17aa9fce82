package upload

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"github.com/rcolpipe/rcolpipe/redcap"
	"github.com/rcolpipe/rcolpipe/redcap/api"
)

// baseline is the project as the upload found it: the preflight, the
// dictionary that is diffed, merged and backed up, and the project log's
// design entries at that moment. Its requests do not depend on each other
// and are sent at once, so reading it costs one round trip.
type baseline struct {
	preflight api.PreflightReport
	dict      *redcap.Dictionary
	dictErr   error
	log       projectLog
}

// readBaseline sends the preflight's requests, the dictionary export and
// the log read together and waits for all of them.
func readBaseline(ctx context.Context, c *api.Client, opts Options) *baseline {
	var b baseline
	var wg sync.WaitGroup
	wg.Go(func() { b.preflight = api.Preflight(ctx, c, api.PreflightOptions{Username: opts.Username}) })
	wg.Go(func() { b.dict, b.dictErr = c.ExportMetadata(ctx) })
	wg.Go(func() { b.log = readLog(ctx, c, "") })
	wg.Wait()
	return &b
}

// dictionary returns the exported dictionary once it is shown to be
// plausible: its first field is the record ID that the newest backup of
// the project in backupDir has (REDCap exports the record-ID field first,
// always).
func (b *baseline) dictionary(backupDir string) (*redcap.Dictionary, error) {
	if b.dictErr != nil {
		return nil, fmt.Errorf("export the project's dictionary before the upload: %w", b.dictErr)
	}
	d := b.dict
	if p := b.preflight.Project; p != nil && p.ProjectID > 0 {
		// The export may have been answered before the project's ID was
		// known: name its fields by the project, as later exports are.
		origin := fmt.Sprintf("REDCap project %d", p.ProjectID)
		for i := range d.Fields {
			d.Fields[i].Origin.File = origin
		}
		d.Files = []string{origin}
		if err := checkRecordID(backupDir, p.ProjectID, d); err != nil {
			return nil, err
		}
	}
	return d, nil
}

// checkRecordID compares the export's first field with the record ID in
// the newest backup of the project. No backup: nothing to compare with.
func checkRecordID(dir string, projectID int, d *redcap.Dictionary) error {
	path, want, err := newestBackupRecordID(dir, projectID)
	if err != nil || path == "" {
		return err
	}
	got := d.RecordID()
	if strings.EqualFold(got, want) {
		return nil
	}
	return &api.ImpossibleExportError{Reason: fmt.Sprintf(
		"its first field is %s, but the project's record ID is %s (the first field in %s, the newest backup of project %d); "+
			"REDCap always exports the record-ID field first. If the record-ID field was renamed on purpose since that backup, move the project's older backups out of %s",
		got, want, path, projectID, dir)}
}

// newestBackupRecordID finds the newest backup of the project in dir
// (the names sort by time) and reads its first field name.
func newestBackupRecordID(dir string, projectID int) (path, recordID string, err error) {
	matches, err := filepath.Glob(filepath.Join(dir, fmt.Sprintf("project-%d-*.json", projectID)))
	if err != nil {
		return "", "", fmt.Errorf("list the backups in %s: %w", dir, err)
	}
	// project-12-20261128T101500Z.json sorts before
	// project-12-20261128T101500Z-1.json: compare the names without .json.
	sort.Slice(matches, func(i, j int) bool {
		return strings.TrimSuffix(matches[i], ".json") < strings.TrimSuffix(matches[j], ".json")
	})
	for i := len(matches) - 1; i >= 0; i-- {
		data, err := redcap.ReadSmallFile(matches[i], 256<<20)
		if err != nil {
			if errors.Is(err, os.ErrNotExist) {
				continue
			}
			return "", "", fmt.Errorf("read the backup %s: %w", matches[i], err)
		}
		var rows []struct {
			FieldName string `json:"field_name"`
		}
		if err := json.Unmarshal(data, &rows); err != nil || len(rows) == 0 || rows[0].FieldName == "" {
			// Not a backup rcolpipe wrote (or an empty one): it says
			// nothing about the record ID.
			continue
		}
		return matches[i], rows[0].FieldName, nil
	}
	return "", "", nil
}
