package upload

// REDCap has no lock and no version number on a project's dictionary, so
// an upload cannot make another one wait. What it can do (docs/concurrency.md):
//
//   - export again right before the import and stop if the project changed
//     since the export that was diffed (ProjectChangedError), and
//   - read the project log (logtype=manage) with the baseline and again
//     after the import: a data-dictionary change other than the run's own
//     in between means one upload may have overwritten the other
//     (ConcurrentChangeError).
//
// Log times have minute precision, so entries are compared as a multiset
// (time, user, action, details), never by time alone: two uploads by one
// script in the same minute are two equal entries, and the second run's
// baseline already holds the first one's.

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/rcolpipe/rcolpipe/redcap"
	"github.com/rcolpipe/rcolpipe/redcap/api"
)

// detailsAPIUpload is what REDCap logs for a metadata import through the
// API (docs/redcap.md#project-log).
const (
	detailsAPIUpload = "Upload data dictionary (API)"
	detailsExportLog = "Export Logging (API)"
)

// projectLog is one read of the project's design log.
type projectLog struct {
	entries []api.LogEntry
	// err is why the log could not be read (no Logging right, ...).
	err error
	// since is the minute the read started from ("" = the whole log).
	since string
}

// readLog reads the manage entries of the project log from the minute
// since on ("" = all of it).
func readLog(ctx context.Context, c *api.Client, since string) projectLog {
	opts := api.LogOptions{Type: "manage"}
	if since != "" {
		t, err := time.Parse(api.LogTimeLayout, since)
		if err == nil {
			opts.Begin = t
		} else {
			since = ""
		}
	}
	entries, err := c.ExportLog(ctx, opts)
	return projectLog{entries: entries, err: err, since: since}
}

// newest is the newest minute in the log ("" when it is empty).
func (l projectLog) newest() string {
	n := ""
	for _, e := range l.entries {
		n = max(n, e.Timestamp)
	}
	return n
}

// unavailable is the warning when the log check cannot be made.
func unavailable(err error) string {
	msg := "the project log could not be read (" + err.Error() + "), so this upload could not check whether someone else changed the data dictionary while it ran"
	var nl *api.ErrNoLogging
	var nd *api.ErrNoDataExport
	if errors.As(err, &nl) || errors.As(err, &nd) {
		msg += "; the check needs the Logging right and some data export right for the token's user"
	}
	return msg
}

// isDictionaryChange reports whether a manage entry of the log changed the
// data dictionary: an upload (API or Data Dictionary page) or an Online
// Designer edit of fields, instruments or section headers. Exports and
// downloads change nothing.
func isDictionaryChange(e api.LogEntry) bool {
	d := strings.ToLower(strings.TrimSpace(e.Details))
	if strings.HasPrefix(d, "export") || strings.HasPrefix(d, "download") {
		return false
	}
	for _, k := range []string{"data dictionary", "project field", "instrument", "section header", "matrix"} {
		if strings.Contains(d, k) {
			return true
		}
	}
	return false
}

// logKey is what makes two entries the same entry.
func logKey(e api.LogEntry) string {
	return strings.Join([]string{e.Timestamp, strings.ToLower(e.Username), e.Action, e.Details, e.Record}, "\x00")
}

// newEntries returns the entries of after that before does not hold,
// counted as a multiset. Only the minutes both reads cover are compared.
func newEntries(before, after projectLog) []api.LogEntry {
	seen := map[string]int{}
	for _, e := range before.entries {
		if e.Timestamp >= after.since {
			seen[logKey(e)]++
		}
	}
	var out []api.LogEntry
	for _, e := range after.entries {
		k := logKey(e)
		if seen[k] > 0 {
			seen[k]--
			continue
		}
		out = append(out, e)
	}
	return out
}

// othersChanges returns the data-dictionary changes logged between the two
// reads other than this run's own import (one API upload, by username when
// it is known), and whether the own one was found.
func othersChanges(before, after projectLog, username string) (others []api.LogEntry, ownFound bool) {
	var changes []api.LogEntry
	fresh := newEntries(before, after)
	for _, e := range fresh {
		if isDictionaryChange(e) {
			changes = append(changes, e)
		}
	}
	if username == "" {
		username = logReader(fresh)
	}
	own := -1
	for i, e := range changes {
		if e.Details == detailsAPIUpload && (username == "" || strings.EqualFold(e.Username, username)) {
			own = i
			break
		}
	}
	for i, e := range changes {
		if i != own {
			others = append(others, e)
		}
	}
	return others, own >= 0
}

// logReader is the user who read the log between the two reads, when
// there is one: the baseline's read logs itself ("Export Logging (API)"),
// so without --username this names the run's own user unless several
// users read the log meanwhile.
func logReader(fresh []api.LogEntry) string {
	users := map[string]bool{}
	for _, e := range fresh {
		if e.Details == detailsExportLog {
			users[strings.ToLower(e.Username)] = true
		}
	}
	if len(users) != 1 {
		return ""
	}
	for u := range users {
		return u
	}
	return ""
}

// ProjectChangedError stops an upload whose project changed between the
// export that was diffed and the moment of the import: nothing was sent.
type ProjectChangedError struct {
	Diff redcap.Diff
}

func (e *ProjectChangedError) Error() string {
	return "the project's data dictionary changed after rcolpipe exported it (someone else changed it meanwhile): " +
		describeChange(e.Diff) + "; nothing was imported. Run the upload again: it will merge into the project as it is now"
}

// describeChange names the forms and fields a diff touches.
func describeChange(d redcap.Diff) string {
	var parts []string
	add := func(what string, names []string) {
		if len(names) > 0 {
			parts = append(parts, what+" "+strings.Join(names, ", "))
		}
	}
	refs := func(rs []redcap.FieldRef) []string {
		var out []string
		for _, r := range rs {
			out = append(out, r.Field+" ("+r.Form+")")
		}
		return out
	}
	add("forms added:", d.FormsAdded)
	add("forms removed:", d.FormsRemoved)
	add("fields added:", refs(d.FieldsAdded))
	add("fields removed:", refs(d.FieldsRemoved))
	var changed []string
	for _, c := range d.FieldsChanged {
		changed = append(changed, c.Field+" ("+c.Form+")")
	}
	add("fields changed:", changed)
	var renamed []string
	for _, r := range d.FieldsRenamed {
		renamed = append(renamed, r.From+" → "+r.To+" ("+r.Form+")")
	}
	add("fields renamed:", renamed)
	if len(parts) == 0 && d.OrderChanged {
		parts = append(parts, "fields reordered")
	}
	if len(parts) == 0 {
		return "the export differs from the first one"
	}
	return strings.Join(parts, "; ")
}

// recheck exports the dictionary again right before the import and
// compares it with the baseline that was diffed and merged.
func recheck(ctx context.Context, c *api.Client, base *redcap.Dictionary) error {
	now, err := c.ExportMetadata(ctx)
	if err != nil {
		return fmt.Errorf("export the project's dictionary again before the import (to see that nobody changed it meanwhile): %w; nothing was imported", err)
	}
	if same, _ := api.MatchesExport(base, now); same {
		return nil
	}
	return &ProjectChangedError{Diff: redcap.Compare(base, now)}
}

// ConcurrentChangeError is an upload during which the project log shows a
// data-dictionary change by someone else: one of the two may have
// overwritten the other.
type ConcurrentChangeError struct {
	Changes []api.LogEntry
	// Holds says what the project holds after both: "sent" (this run's
	// upload, which may have overwritten the other change), "other" (not
	// what this run sent: the other change came after it) or "unknown".
	Holds string
	// BackupPath is this run's backup (the dictionary before its import).
	BackupPath string
	// Unsure is set when this run's own entry could not be told apart
	// (no user name known and several uploads logged).
	Unsure bool
}

func (e *ConcurrentChangeError) Error() string {
	var who []string
	for _, c := range e.Changes {
		who = append(who, fmt.Sprintf("%s by %s at %s", c.Details, orUnknown(c.Username), c.Timestamp))
	}
	sort.Strings(who)
	s := "the project log shows another change to the data dictionary while this upload ran: " + strings.Join(who, "; ")
	if e.Unsure {
		s += " (the log does not say which upload was this run's)"
	}
	switch e.Holds {
	case "sent":
		s += ". The project holds what this run sent, so that change may have been overwritten by it. " +
			"To get it back: run the other upload again (it merges into the project as it is now), or take the dictionary REDCap saved before this run's import " +
			"from the project's data dictionary history (Project Setup → Project Revision History / Data Dictionary snapshots)"
	case "unknown":
		s += ". One of the two changes may have replaced the other. Check with rcolpipe diff; to get a lost change back, run that upload again, " +
			"or take the dictionary from the project's data dictionary history (Project Setup → Project Revision History / Data Dictionary snapshots)"
	default:
		s += ". The project no longer holds what this run sent: the other change came after this run's import and replaced it. " +
			"Check with rcolpipe diff, then run this upload again (it merges into the project as it is now)"
	}
	if e.BackupPath != "" {
		s += "; the project's dictionary before this run's import is in " + e.BackupPath
	}
	return s
}

func orUnknown(s string) string {
	if s == "" {
		return "an unknown user"
	}
	return s
}
