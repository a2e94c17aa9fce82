package sandbox

import (
	"strings"
	"testing"

	"github.com/rcolpipe/rcolpipe/redcap"
)

func TestRecordExport(t *testing.T) {
	f := newFixture(t)
	f.call("full", "content", "record", "format", "json", "type", "flat").expect(t, 200, ctJSON,
		`[{"record_id":"1","part_initials":"AB","part_site":"1","participant_complete":"2"},`+
			`{"record_id":"2","part_initials":"CD","part_site":"2","participant_complete":"2"},`+
			`{"record_id":"3","part_initials":"EF","part_site":"","participant_complete":"0"}]`)
	// fields: the record ID always comes first.
	f.call("full", "content", "record", "format", "csv", "fields[0]", "part_site").expect(t, 200, ctCSV,
		"record_id,part_site\n1,1\n2,2\n3,\n")
	f.call("full", "content", "record", "format", "json", "fields[0]", "nope").expect(t, 400, ctJSON,
		jsonErr(`The following values in the parameter "fields" are not valid: 'nope'`))
	// De-identified export rights drop identifier fields.
	if err := f.srv.Update(func(s *State) { s.Users[0].Rights.FormsExport["participant"] = 2 }); err != nil {
		t.Fatal(err)
	}
	if r := f.call("full", "content", "record", "format", "json"); r.status != 200 || strings.Contains(r.body, "part_initials") {
		t.Errorf("de-identified export: %d %s", r.status, r.body)
	}
}

func TestRecordImport(t *testing.T) {
	f := newFixture(t)
	dict := append(demoDictionary(),
		redcap.Field{FieldName: "symptoms", FormName: "visit", FieldType: "checkbox", FieldLabel: "Symptoms", Choices: "1, Cough | 2, Fever"},
		redcap.Field{FieldName: "score", FormName: "visit", FieldType: "text", FieldLabel: "Score", Validation: "integer"},
		redcap.Field{FieldName: "consent", FormName: "visit", FieldType: "yesno", FieldLabel: "Consent"})
	f.call("full", "content", "metadata", "format", "json", "data", dictJSON(t, dict)).expect(t, 200, ctJSON, "6")

	// Normal overwrite: the empty initials keep "AB"; a new record is added.
	f.call("full", "content", "record", "format", "json", "data",
		`[{"record_id":"1","part_initials":"","symptoms___2":"1","score":"7"},{"record_id":"4","part_site":"2"}]`).expect(t, 200, ctJSON, `{"count": 2}`)
	f.call("full", "content", "record", "format", "json", "fields", "part_initials,symptoms,score").expect(t, 200, ctJSON,
		`[{"record_id":"1","part_initials":"AB","symptoms___1":"0","symptoms___2":"1","score":"7"},`+
			`{"record_id":"2","part_initials":"CD","symptoms___1":"0","symptoms___2":"0","score":""},`+
			`{"record_id":"3","part_initials":"EF","symptoms___1":"0","symptoms___2":"0","score":""},`+
			`{"record_id":"4","part_initials":"","symptoms___1":"0","symptoms___2":"0","score":""}]`)
	// overwriteBehavior=overwrite blanks.
	f.call("full", "content", "record", "format", "json", "overwriteBehavior", "overwrite", "data", `[{"record_id":"1","score":""}]`).expect(t, 200, ctJSON, `{"count": 1}`)
	if r := f.call("full", "content", "record", "format", "csv", "fields[0]", "score"); r.body != "record_id,score\n1,\n2,\n3,\n4,\n" {
		t.Errorf("after overwrite: %q", r.body)
	}

	// Refusals store nothing: bad cells (one message per cell), unknown
	// fields, a row without its record ID.
	before := f.call("full", "content", "record", "format", "json").body
	f.call("full", "content", "record", "format", "json", "data",
		`[{"record_id":"1","part_site":"9","symptoms___1":"x","score":"abc","consent":"2","visit_complete":"3"}]`).expect(t, 400, ctJSON, jsonErr(
		`"1","part_site","9","The value is not a valid category for part_site"`+"\n"+
			`"1","symptoms___1","x","The value of a checkbox must be 0 or 1."`+"\n"+
			`"1","score","abc","The value you provided could not be validated because it does not follow the expected format (integer)."`+"\n"+
			`"1","consent","2","The value is not a valid category for consent"`+"\n"+
			`"1","visit_complete","3","The value is not a valid category for visit_complete"`))
	f.call("full", "content", "record", "format", "json", "data", `[{"record_id":"9","weight":"80"}]`).expect(t, 400, ctJSON,
		jsonErr("The following fields were not found in the project as real data fields: weight"))
	f.call("full", "content", "record", "format", "json", "data", `[{"part_site":"1"}]`).expect(t, 400, ctJSON,
		jsonErr("The record ID field (record_id) is missing from row 1: every row must name its record."))
	if after := f.call("full", "content", "record", "format", "json").body; after != before {
		t.Errorf("a refused import changed the records:\n%s\n%s", before, after)
	}
	// Without API Import: the 403 of the privilege gate.
	f.call("export-only", "content", "record", "format", "json", "data", `[{"record_id":"1"}]`).expect(t, 403, ctJSON, jsonErr(msgNoImport))
	// Imports are logged per record.
	f.call("full", "content", "log", "format", "json", "logtype", "record", "record", "4").expect(t, 200, ctJSON,
		`[{"timestamp":"2026-03-01 12:00","username":"alice","action":"Created Record (API)","details":"","record":"4"}]`)
}
