package main

import (
	"testing"

	"github.com/rcolpipe/rcolpipe/plugins/sdk/sdktest"
	"github.com/rcolpipe/rcolpipe/redcap"
)

func TestAddAnnotation(t *testing.T) {
	d := &redcap.Dictionary{Fields: []redcap.Field{
		{FieldName: "record_id", FormName: "enrol", FieldType: "text"},
		{FieldName: "score", FormName: "enrol", FieldType: "calc", Choices: "1+1", Origin: redcap.Origin{File: "a.csv", Line: 3}},
		{FieldName: "total", FormName: "enrol", FieldType: "calc", Choices: "2", FieldAnnotation: "@HIDDEN-SURVEY"},
		{FieldName: "name", FormName: "enrol", FieldType: "text", FieldAnnotation: "@HIDDEN"},
	}}
	out, diags := sdktest.Run(t, addAnnotation{}, d, `{"tag":"@HIDDEN-SURVEY","types":["calc","text"]}`)
	want := []string{"", "@HIDDEN-SURVEY", "@HIDDEN-SURVEY", "@HIDDEN @HIDDEN-SURVEY"}
	for i, w := range want {
		if got := out.Fields[i].FieldAnnotation; got != w {
			t.Errorf("%s: annotation %q, want %q", out.Fields[i].FieldName, got, w)
		}
	}
	if len(diags) != 2 || diags[0].Field != "score" || diags[0].File != "a.csv" || diags[0].Line != 3 || diags[0].Code != "ANN001" {
		t.Errorf("diags = %+v", diags)
	}
}

func TestConfigRequiresTag(t *testing.T) {
	h := sdktest.New(t, addAnnotation{})
	if _, _, err := h.Transform(t.Context(), &redcap.Dictionary{Fields: []redcap.Field{{FieldName: "r", FormName: "f"}}}, `{}`); err == nil {
		t.Error("no error without a tag")
	}
}
