package sandbox

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/rcolpipe/rcolpipe/redcap"
)

// DemoToken names one token of the demo state.
type DemoToken struct {
	// Name is what the token is for: full, export-only, no-design,
	// production, expired, longitudinal, longitudinal-empty.
	Name  string
	Token string
}

// The demo token names, in the order Demo returns them.
const (
	DemoFull       = "full"
	DemoExportOnly = "export-only"
	DemoNoDesign   = "no-design"
	DemoProduction = "production"
	DemoExpired    = "expired"
	// DemoLongitudinal holds project 3: longitudinal, two arms, events
	// and designations (demoStructure).
	DemoLongitudinal = "longitudinal"
	// DemoLongitudinalEmpty holds project 4: longitudinal, with the demo
	// dictionary and no arms, events or designations yet, for a structure
	// to be uploaded into.
	DemoLongitudinalEmpty = "longitudinal-empty"
)

// NewToken returns a random token in REDCap's format: 32 uppercase hex
// characters. crypto/rand.Read never fails (since Go 1.24 it crashes the
// program instead), so there is no error to return.
func NewToken() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return strings.ToUpper(hex.EncodeToString(b[:]))
}

// demoDictionary is the starting dictionary of the demo projects, as a
// client would upload it.
func demoDictionary() []redcap.Field {
	return []redcap.Field{
		{FieldName: "record_id", FormName: "participant", FieldType: "text", FieldLabel: "Record ID"},
		{FieldName: "part_initials", FormName: "participant", FieldType: "text", FieldLabel: "Initials", Identifier: "y"},
		{FieldName: "part_site", FormName: "participant", FieldType: "dropdown", FieldLabel: "Site", Choices: "1, Site A | 2, Site B", RequiredField: "y"},
	}
}

// demoRecords are the development project's data: three participants,
// one with an empty site and an incomplete form.
func demoRecords() []Record {
	return []Record{
		{"record_id": "1", "part_initials": "AB", "part_site": "1", "participant_complete": "2"},
		{"record_id": "2", "part_initials": "CD", "part_site": "2", "participant_complete": "2"},
		{"record_id": "3", "part_initials": "EF", "participant_complete": "0"},
	}
}

// Demo returns a fresh demo state and its tokens. Project 1 is in
// Development and holds three records; project 2 is in Production;
// projects 3 and 4 are longitudinal, 3 with arms, events and designations
// (demoStructure), 4 without. Every token belongs to its own user:
//
//	full                project 1, every right
//	export-only         project 1, API Export only
//	no-design           project 1, API Export and Import, no Project Design
//	production          project 2 (in Production), every right
//	expired             project 1, every right, expired on 2020-01-01
//	longitudinal        project 3, every right
//	longitudinal-empty  project 4, every right
//
// The tokens are random; nothing hard-codes them.
func Demo() (*State, []DemoToken) {
	full := Rights{APIExport: 1, APIImport: 1, Design: 1, UserRights: 1, Logging: 1}
	specs := []struct {
		name, user string
		project    int
		rights     Rights
		expiration string
	}{
		{DemoFull, "alice", 1, full, ""},
		{DemoExportOnly, "bob", 1, Rights{APIExport: 1}, ""},
		{DemoNoDesign, "carol", 1, Rights{APIExport: 1, APIImport: 1}, ""},
		{DemoProduction, "dave", 2, full, ""},
		{DemoExpired, "erin", 1, full, "2020-01-01"},
		{DemoLongitudinal, "frank", 3, full, ""},
		{DemoLongitudinalEmpty, "grace", 4, full, ""},
	}
	s := &State{Version: DefaultVersion}
	for _, p := range []struct {
		id     int
		title  string
		status int
	}{{1, "rcolpipe demo (development)", 0}, {2, "rcolpipe demo (production)", 1},
		{3, "rcolpipe demo (longitudinal)", 0}, {4, "rcolpipe demo (longitudinal, no events yet)", 0}} {
		proj := &Project{
			ID: p.id, Title: p.title, Status: p.status,
			CreationTime: "2026-01-05 09:30:00", Language: "English", Purpose: 0,
			FormRights: RightsLegacy,
		}
		if p.status == 1 {
			proj.ProductionTime = "2026-02-01 10:00:00"
		}
		fields, errs := checkDictionary(demoDictionary(), checkOptions{})
		if len(errs) > 0 {
			panic(fmt.Sprintf("sandbox: demo dictionary: %s", strings.Join(errs, "\n")))
		}
		saveDictionary(proj, fields, nil)
		if p.id == 1 {
			proj.Records = demoRecords()
		}
		if p.id >= 3 {
			proj.IsLongitudinal = true
		}
		if p.id == 3 {
			demoStructure(proj)
		}
		s.Projects = append(s.Projects, proj)
	}
	var tokens []DemoToken
	for _, sp := range specs {
		tok := NewToken()
		r := sp.rights
		r.Forms = map[string]int{"participant": 1}
		r.FormsExport = map[string]int{"participant": 1}
		s.Users = append(s.Users, &User{
			Token: tok, Username: sp.user, Email: sp.user + "@example.org",
			FirstName: strings.ToUpper(sp.user[:1]) + sp.user[1:], LastName: "Demo",
			ProjectID: sp.project, Expiration: sp.expiration, Rights: r,
		})
		tokens = append(tokens, DemoToken{Name: sp.name, Token: tok})
	}
	return s, tokens
}
