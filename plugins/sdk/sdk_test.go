package sdk

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/rcolpipe/rcolpipe/redcap"
)

func TestChoices(t *testing.T) {
	cs, err := ParseChoices(" 1, Yes | 2, No, not really |3,Maybe| ")
	if err != nil {
		t.Fatal(err)
	}
	want := []Choice{{"1", "Yes"}, {"2", "No, not really"}, {"3", "Maybe"}}
	if len(cs) != len(want) {
		t.Fatalf("got %v", cs)
	}
	for i := range want {
		if cs[i] != want[i] {
			t.Errorf("choice %d = %+v, want %+v", i, cs[i], want[i])
		}
	}
	if got := FormatChoices(cs); got != "1, Yes | 2, No, not really | 3, Maybe" {
		t.Errorf("format = %q", got)
	}
	if _, err := ParseChoices("1, Yes | two"); err == nil || !strings.Contains(err.Error(), `choice 2 "two"`) {
		t.Errorf("missing comma: %v", err)
	}
	// REDCap separates options by line breaks too (an export turns them into
	// "|"), as the validator and the sandbox read them.
	cs, err = ParseChoices("1, Yes\r\n2, No\n\n3, Maybe")
	if err != nil || len(cs) != 3 || cs[1] != (Choice{"2", "No"}) || cs[2] != (Choice{"3", "Maybe"}) {
		t.Errorf("line breaks: %+v, %v", cs, err)
	}
}

func TestRenameFields(t *testing.T) {
	d := &redcap.Dictionary{Fields: []redcap.Field{
		{FieldName: "record_id", FormName: "f", FieldType: "text"},
		{FieldName: "age", FormName: "f", FieldType: "text", FieldLabel: "Age of [record_id]"},
		{FieldName: "bmi", FormName: "f", FieldType: "calc", Choices: "[weight]/([height]*[height])", BranchingLogic: "[age] > 18",
			FieldNote: "for [age] years", FieldAnnotation: "@IF([age]>1, @HIDDEN, '') @DEFAULT='[age]'", SectionHeader: "[age:label]"},
		{FieldName: "weight", FormName: "f", FieldType: "text"},
		{FieldName: "height", FormName: "f", FieldType: "text"},
	}}
	if err := RenameFields(d, map[string]string{"age": "f_age", "weight": "f_weight"}); err != nil {
		t.Fatal(err)
	}
	b := d.Fields[2]
	if d.Fields[1].FieldName != "f_age" || d.Fields[3].FieldName != "f_weight" {
		t.Errorf("names: %s %s", d.Fields[1].FieldName, d.Fields[3].FieldName)
	}
	checks := map[string][2]string{
		"calc":       {b.Choices, "[f_weight]/([height]*[height])"},
		"branching":  {b.BranchingLogic, "[f_age] > 18"},
		"note":       {b.FieldNote, "for [f_age] years"},
		"annotation": {b.FieldAnnotation, "@IF([f_age]>1, @HIDDEN, '') @DEFAULT='[f_age]'"},
		"section":    {b.SectionHeader, "[f_age:label]"},
	}
	for name, c := range checks {
		if c[0] != c[1] {
			t.Errorf("%s = %q, want %q", name, c[0], c[1])
		}
	}

	before := d.Clone()
	if err := RenameFields(d, map[string]string{"height": "f_weight"}); err == nil || !strings.Contains(err.Error(), "would both be named f_weight") {
		t.Errorf("collision: %v", err)
	}
	d.Fields[2].BranchingLogic = "[f_age] > (("
	before.Fields[2].BranchingLogic = d.Fields[2].BranchingLogic
	if err := RenameFields(d, map[string]string{"f_age": "age"}); err == nil || !strings.Contains(err.Error(), "field bmi, branching_logic") {
		t.Errorf("bad logic: %v", err)
	}
	for i := range d.Fields {
		if !d.Fields[i].SameData(&before.Fields[i]) {
			t.Errorf("row %d changed after a refused rename", i)
		}
	}
}

func TestDecodeConfig(t *testing.T) {
	var cfg struct {
		Tag string `json:"tag"`
	}
	r := &Request{Stage: "s", Config: json.RawMessage(`{"tag":"x"}`)}
	if err := r.DecodeConfig(&cfg); err != nil || cfg.Tag != "x" {
		t.Errorf("decode: %v %+v", err, cfg)
	}
	r.Config = json.RawMessage(`{"tga":"x"}`)
	if err := r.DecodeConfig(&cfg); err == nil || !strings.Contains(err.Error(), "stage s: config") {
		t.Errorf("unknown key: %v", err)
	}
	r.Config = nil
	if err := r.DecodeConfig(&cfg); err != nil {
		t.Errorf("empty: %v", err)
	}
}

func TestLevelFromEnv(t *testing.T) {
	for in, want := range map[string]string{"debug": "debug", "": "info", "warn": "warn", "error": "error", "disabled": "off", "bogus": "info"} {
		if got := levelFromEnv(in).String(); got != want {
			t.Errorf("%q → %s, want %s", in, got, want)
		}
	}
}
