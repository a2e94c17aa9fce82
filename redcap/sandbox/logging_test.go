package sandbox

import (
	"testing"
	"time"

	"github.com/rcolpipe/rcolpipe/redcap"
)

func TestLogRecordsDictionaryImports(t *testing.T) {
	now := time.Date(2026, 3, 1, 9, 5, 42, 0, time.UTC)
	f := newFixture(t, WithClock(func() time.Time { return now }))
	dict := dictJSON(t, demoDictionary())
	f.call("full", "content", "metadata", "format", "json", "data", dict).expect(t, 200, ctJSON, "3")
	now = now.Add(2 * time.Hour)
	// A refused import is not logged.
	bad := dictJSON(t, []redcap.Field{{FieldName: "1x", FormName: "f", FieldType: "text", FieldLabel: "x"}})
	if r := f.call("full", "content", "metadata", "format", "json", "data", bad); r.status != 400 {
		t.Fatalf("bad import: %d %s", r.status, r.body)
	}
	f.call("full", "content", "metadata", "format", "json", "data", dict).expect(t, 200, ctJSON, "3")

	// Newest first, REDCap's keys, time to the minute; the export lists
	// neither itself nor (yet) earlier log exports.
	f.call("full", "content", "log", "format", "json", "logtype", "manage").expect(t, 200, ctJSON,
		`[{"timestamp":"2026-03-01 11:05","username":"alice","action":"Manage/Design","details":"Upload data dictionary (API)","record":""},`+
			`{"timestamp":"2026-03-01 09:05","username":"alice","action":"Manage/Design","details":"Upload data dictionary (API)","record":""}]`)
	// The first log export is now logged too; beginTime/endTime are
	// inclusive minutes.
	f.call("full", "content", "log", "format", "json", "logtype", "manage", "beginTime", "2026-03-01 11:05", "endTime", "2026-03-01 11:05").expect(t, 200, ctJSON,
		`[{"timestamp":"2026-03-01 11:05","username":"alice","action":"Manage/Design","details":"Export Logging (API)","record":""},`+
			`{"timestamp":"2026-03-01 11:05","username":"alice","action":"Manage/Design","details":"Upload data dictionary (API)","record":""}]`)
	f.call("full", "content", "log", "format", "json", "endTime", "2026-03-01 09:05").expect(t, 200, ctJSON,
		`[{"timestamp":"2026-03-01 09:05","username":"alice","action":"Manage/Design","details":"Upload data dictionary (API)","record":""}]`)
	f.call("full", "content", "log", "format", "json", "logtype", "record").expect(t, 200, ctJSON, `[]`)
	f.call("full", "content", "log", "format", "json", "user", "bob").expect(t, 200, ctJSON, `[]`)
	f.call("full", "content", "log", "format", "csv", "user", "bob").expect(t, 200, ctCSV, "timestamp,username,action,details,record")

	// The log is in the state, so it survives a restart.
	if got := len(f.srv.State().Projects[0].Log); got != 8 {
		t.Errorf("%d log entries in the state, want 8 (2 imports, 6 log exports)", got)
	}
}

func TestLogNeedsRights(t *testing.T) {
	f := newFixture(t)
	if err := f.srv.Update(func(s *State) {
		s.Users[0].Rights.Logging = 0                    // alice: export, no Logging
		s.Users[2].Rights.FormsExport["participant"] = 0 // carol: no data export
		s.Users[2].Rights.Logging = 1
	}); err != nil {
		t.Fatal(err)
	}
	f.call("full", "content", "log", "format", "json").expect(t, 403, ctJSON, jsonErr(msgLogNoLogging))
	f.call("no-design", "content", "log", "format", "json").expect(t, 403, ctJSON, jsonErr(msgLogNoDataExport))
	f.call("export-only", "content", "log", "format", "json").expect(t, 403, ctJSON, jsonErr(msgLogNoLogging))
}
