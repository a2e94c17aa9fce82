package api

import (
	"context"
	"time"
)

// LogTimeLayout is how REDCap writes log times and reads beginTime and
// endTime: to the minute.
const LogTimeLayout = "2006-01-02 15:04"

// LogOptions filter the log export; zero values mean no filter.
type LogOptions struct {
	// Type is REDCap's logtype: export, manage, user, record, record_add,
	// record_edit, record_delete, lock_record or page_view.
	Type string
	// User limits the log to one user name.
	User string
	// Begin and End limit the log to events in [Begin, End], to the minute
	// (REDCap's precision) in the server's clock.
	Begin, End time.Time
}

// LogEntry is one row of content=log.
type LogEntry struct {
	// Timestamp is "YYYY-MM-DD HH:MM" in the server's clock.
	Timestamp string `json:"timestamp"`
	Username  string `json:"username"`
	// Action is REDCap's rendered action, e.g. "Manage/Design".
	Action string `json:"action"`
	// Details say what happened, e.g. "Upload data dictionary (API)".
	Details string `json:"details"`
	Record  string `json:"record"`
}

// ExportLog exports the project's log (content=log), newest first as
// REDCap lists it. It needs API Export, the Logging right (*ErrNoLogging)
// and some data export right (*ErrNoDataExport). REDCap logs the export
// itself ("Export Logging (API)").
func (c *Client) ExportLog(ctx context.Context, opts LogOptions) ([]LogEntry, error) {
	var ps []param
	if opts.Type != "" {
		ps = append(ps, param{"logtype", opts.Type})
	}
	if opts.User != "" {
		ps = append(ps, param{"user", opts.User})
	}
	if !opts.Begin.IsZero() {
		ps = append(ps, param{"beginTime", opts.Begin.Format(LogTimeLayout)})
	}
	if !opts.End.IsZero() {
		ps = append(ps, param{"endTime", opts.End.Format(LogTimeLayout)})
	}
	resp, err := c.call(ctx, "log", ps, true)
	if err != nil {
		return nil, err
	}
	out := []LogEntry{}
	if err := decodeRows(resp.body, &out); err != nil {
		return nil, c.badJSON("log", resp.body, err)
	}
	// Details and user names are shown to the user; like other texts from
	// the server they could echo a token.
	for i := range out {
		out[i].Username = c.token.Redact(out[i].Username)
		out[i].Details = c.token.Redact(out[i].Details)
		out[i].Action = c.token.Redact(out[i].Action)
	}
	return out, nil
}
