package api

import (
	"context"
	"testing"
)

func TestParseFormRight(t *testing.T) {
	cases := []struct {
		v      int
		access FormAccess
		survey bool
		del    bool
		ok     bool
	}{
		{0, FormNoAccess, false, false, true},
		{1, FormViewEdit, false, false, true},
		{2, FormReadOnly, false, false, true},
		{3, FormViewEdit, true, false, true},
		{128, FormNoAccess, false, false, true},
		{129, FormReadOnly, false, false, true},
		{130, FormViewEdit, false, false, true},
		{138, FormViewEdit, true, false, true},
		{146, FormViewEdit, false, true, true},
		{154, FormViewEdit, true, true, true},
		{137, FormReadOnly, true, false, true},
		{131, 0, false, false, false},
		{4, 0, false, false, false},
		{160, 0, false, false, false},
		{-1, 0, false, false, false},
	}
	for _, tc := range cases {
		r, err := ParseFormRight(tc.v)
		if (err == nil) != tc.ok {
			t.Errorf("ParseFormRight(%d) err = %v", tc.v, err)
			continue
		}
		if tc.ok && (r.Access != tc.access || r.EditSurveyResponses != tc.survey || r.Delete != tc.del || r.Raw != tc.v) {
			t.Errorf("ParseFormRight(%d) = %+v", tc.v, r)
		}
	}
}

func TestUsers(t *testing.T) {
	s := newFake(t)
	s.usersJSON = `[
 {"username":"alice","email":"a@x","firstname":"Al","lastname":"Ice","expiration":"2030-01-01","data_access_group":"","data_access_group_id":"","design":1,"user_rights":2,"api_export":1,"api_import":1,"record_delete":0,"forms":{"demographics":1,"visit":3,"admin":0},"forms_export":{"demographics":1,"visit":0}},
 {"username":"bob","design":"0","api_export":"1","api_import":"0","forms":"demographics:130,visit:154","forms_export":"demographics:1"},
 {"username":"carl","design":0,"api_import":0,"forms":[],"forms_export":[]}
]`
	users, err := s.client(tokFull).Users(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(users) != 3 {
		t.Fatalf("%d users", len(users))
	}
	a := FindUser(users, "ALICE")
	if a == nil || a.Design != 1 || a.APIImport != 1 || a.UserRights != 2 || a.Expiration != "2030-01-01" || a.FirstName != "Al" {
		t.Fatalf("alice = %+v", a)
	}
	if a.Forms["visit"].Access != FormViewEdit || !a.Forms["visit"].EditSurveyResponses || a.Forms["admin"].Access != FormNoAccess {
		t.Errorf("alice forms = %+v", a.Forms)
	}
	if a.FormsExport["demographics"] != 1 || a.Rights["record_delete"] != 0 {
		t.Errorf("alice = %+v", a)
	}
	b := FindUser(users, "bob")
	if b.APIExport != 1 || b.APIImport != 0 || b.Forms["visit"].String() != "view & edit + edit survey responses + delete" {
		t.Errorf("bob = %+v", b)
	}
	if c := FindUser(users, "carl"); len(c.Forms) != 0 {
		t.Errorf("carl = %+v", c)
	}
	if FindUser(users, "nobody") != nil {
		t.Error("found nobody")
	}
}

func TestUsersBadFormRight(t *testing.T) {
	s := newFake(t)
	s.usersJSON = `[{"username":"x","forms":{"f":99}}]`
	if _, err := s.client(tokFull).Users(context.Background()); err == nil {
		t.Error("form right 99 accepted")
	}
}
