package sandbox

import (
	"net/http"
	"strings"
	"time"
)

// REDCap's messages of the log export (API/log/export.php, 15.7.6).
const (
	msgLogNoDataExport = `The API request cannot complete because currently you have "No Access" data export rights. Higher level data export rights are required for this operation.`
	msgLogNoLogging    = `The API request cannot complete because currently you do not have "Logging" privileges, which are required for this operation.`
)

// Log event types (the logtype filter of content=log).
const (
	LogManage     = "manage"
	LogRecordAdd  = "record_add"
	LogRecordEdit = "record_edit"
)

// Log actions and details the sandbox writes, as REDCap renders them
// (docs/redcap.md#project-log).
const (
	LogActionManage      = "Manage/Design"
	LogActionRecordAdd   = "Created Record (API)"
	LogActionRecordEdit  = "Updated Record (API)"
	LogDetailsDictionary = "Upload data dictionary (API)"
	LogDetailsExportLog  = "Export Logging (API)"
)

// LogTimeLayout is how REDCap writes a log time: to the minute.
const LogTimeLayout = "2006-01-02 15:04"

// LogEntry is one event of a project's log.
type LogEntry struct {
	// Timestamp is "YYYY-MM-DD HH:MM" in the server's clock.
	Timestamp string `json:"timestamp"`
	Username  string `json:"username"`
	// Type is the logtype the entry belongs to (manage, record_add, ...).
	Type    string `json:"type"`
	Action  string `json:"action"`
	Details string `json:"details"`
	Record  string `json:"record,omitempty"`
}

// logEvent appends an entry to the project's log; the caller holds s.mu
// and saves the state.
func (s *Server) logEvent(p *Project, u *User, typ, action, details, record string) {
	p.Log = append(p.Log, LogEntry{
		Timestamp: s.now().Format(LogTimeLayout), Username: strings.ToLower(u.Username),
		Type: typ, Action: action, Details: details, Record: record,
	})
}

// exportLog is API/log/export.php: data-export and Logging rights, the
// filters, newest first; the export itself is logged, as REDCap does.
func (s *Server) exportLog(w http.ResponseWriter, req *request, u *User, p *Project) {
	rf := req.returnFormat
	if !hasDataExport(u) {
		writeError(w, http.StatusForbidden, msgLogNoDataExport, rf)
		return
	}
	if u.Rights.Logging == 0 {
		writeError(w, http.StatusForbidden, msgLogNoLogging, rf)
		return
	}
	begin, end := normalizeLogTime(req.beginTime), normalizeLogTime(req.endTime)
	var out []row
	for i := len(p.Log) - 1; i >= 0; i-- {
		e := p.Log[i]
		if !logTypeMatches(req.logType, e.Type) ||
			(req.user != "" && !strings.EqualFold(req.user, e.Username)) ||
			(req.record != "" && req.record != e.Record) ||
			(begin != "" && e.Timestamp < begin) || (end != "" && e.Timestamp > end) {
			continue
		}
		out = append(out, row{{"timestamp", e.Timestamp}, {"username", e.Username}, {"action", e.Action}, {"details", e.Details}, {"record", e.Record}})
	}
	// The query runs before the export is logged: an export never lists
	// itself.
	s.logEvent(p, u, LogManage, LogActionManage, LogDetailsExportLog, "")
	// Best effort, as for used-up faults: a lost log line is no reason to
	// fail the export.
	_ = s.saveLocked()
	if out == nil && req.format == "csv" {
		// REDCap writes just the header when there are no rows.
		w.Header().Set("Content-Type", contentType("csv"))
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write([]byte("timestamp,username,action,details,record"))
		return
	}
	writeRecords(w, req.format, "logs", out, false)
}

// hasDataExport reports whether the user may export data of some form.
func hasDataExport(u *User) bool {
	for _, v := range u.Rights.FormsExport {
		if v != 0 {
			return true
		}
	}
	return false
}

// logTypeMatches: "record" covers every record event; an empty or unknown
// logtype means every event.
func logTypeMatches(want, typ string) bool {
	switch want {
	case "":
		return true
	case "record":
		return strings.HasPrefix(typ, "record")
	case "export", "manage", "user", "record_add", "record_edit", "record_delete", "lock_record", "page_view":
		return want == typ
	}
	return true
}

// normalizeLogTime reads beginTime/endTime ("YYYY-MM-DD HH:MM", seconds
// allowed) as a comparable minute; anything else is no filter.
func normalizeLogTime(s string) string {
	s = strings.TrimSpace(s)
	for _, layout := range []string{LogTimeLayout, "2006-01-02 15:04:05"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.Format(LogTimeLayout)
		}
	}
	return ""
}
