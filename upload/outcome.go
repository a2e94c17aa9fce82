package upload

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/rcolpipe/rcolpipe/redcap"
	"github.com/rcolpipe/rcolpipe/redcap/api"
)

// sendImport imports send and says truthfully what happened: the number
// of fields imported, or an error that claims "did not apply" only when
// REDCap refused (api.ImportError keeps an outcome it could not prove
// unknown). A lost answer whose export shows the dictionary arrived is a
// warning, not a failure.
func sendImport(ctx context.Context, c *api.Client, send, current *redcap.Dictionary, rep *Report, opts Options) (int, error) {
	n, err := c.ImportMetadataFrom(ctx, send, current)
	var ie *api.ImportError
	switch {
	case err == nil:
		return n, nil
	case errors.As(err, &ie) && ie.Outcome == api.ImportApplied:
		rep.Warnings = append(rep.Warnings, err.Error())
		opts.Log.Warn().Msg(err.Error())
		return send.Len(), nil
	case errors.As(err, &ie) && ie.Outcome == api.ImportUnknown:
		rep.Outcome = OutcomeUnknown
		return 0, fmt.Errorf("import (the project's dictionary before the upload is saved in %s; if the import lands late, it replaces whatever the project holds then, "+
			"and restoring means uploading that file with --replace-all --allow-delete): %w", rep.BackupPath, err)
	default:
		rep.Outcome = OutcomeNotApplied
		return 0, fmt.Errorf("import (the project's dictionary before the upload is saved in %s): %w", rep.BackupPath, err)
	}
}

// Outcomes of an upload that sent an import.
const (
	OutcomeApplied    = "applied"
	OutcomeNotApplied = "not applied"
	OutcomeUnknown    = "unknown"
)

// verify exports the dictionary after the import and reads the project log
// at the same time (one round trip), then tells apart a verified import, a
// concurrent change (the log shows someone else's) and a failed import.
func verify(ctx context.Context, c *api.Client, send *redcap.Dictionary, baseLog projectLog, rep *Report, opts Options) error {
	var (
		after    *redcap.Dictionary
		afterErr error
		log      projectLog
		wg       sync.WaitGroup
	)
	wg.Go(func() { after, afterErr = c.ExportMetadata(ctx) })
	if baseLog.err == nil {
		wg.Go(func() { log = readLog(ctx, c, baseLog.newest()) })
	}
	wg.Wait()
	if afterErr != nil {
		return fmt.Errorf("export after the import to verify it (backup in %s): %w", rep.BackupPath, afterErr)
	}
	same, why := api.MatchesExport(send, after)

	var others []api.LogEntry
	switch {
	case baseLog.err != nil:
		// Already warned when the baseline was read.
	case log.err != nil:
		rep.Warnings = append(rep.Warnings, unavailable(log.err))
	default:
		var ownFound bool
		others, ownFound = othersChanges(baseLog, log, opts.Username)
		rep.LogChecked = true
		if !ownFound && same {
			rep.Warnings = append(rep.Warnings, "the project log shows no upload by this run, so it could not be checked for changes by others")
		}
	}
	if len(others) > 0 {
		// The export and the log read went out together, so their order
		// is unknown: export once more to say which change the project
		// holds now (only when there is an alarm to explain).
		holds := "other"
		if now, err := c.ExportMetadata(ctx); err == nil {
			if ok, _ := api.MatchesExport(send, now); ok {
				holds = "sent"
			}
		} else if same {
			holds = "unknown"
		}
		return &ConcurrentChangeError{Changes: others, Holds: holds, BackupPath: rep.BackupPath, Unsure: opts.Username == "" && logReader(newEntries(baseLog, log)) == "" && hasAPIUpload(others)}
	}
	if !same {
		return fmt.Errorf("the project's dictionary after the import differs from what was sent, and the project log shows no other change: %s (backup in %s)", why, rep.BackupPath)
	}
	rep.Verified = true
	return nil
}

func hasAPIUpload(es []api.LogEntry) bool {
	for _, e := range es {
		if e.Details == detailsAPIUpload {
			return true
		}
	}
	return false
}
