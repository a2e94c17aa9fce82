package sdk

import (
	"strings"
	"testing"
)

func TestDecodeConfigStrict(t *testing.T) {
	type cfg struct {
		Prefix string   `json:"prefix"`
		Forms  []string `json:"forms"`
	}
	var c cfg
	if err := DecodeConfig([]byte(`{"prefix":"sf_","forms":["sf12"]}`), &c); err != nil || c.Prefix != "sf_" || len(c.Forms) != 1 {
		t.Fatalf("good config: %v %+v", err, c)
	}
	for in, want := range map[string]string{
		`{"prefx":"sf_"}`:   `unknown field "prefx"`,
		`{"prefix":"a"} {}`: "extra data after the JSON object",
		`{"prefix":1}`:      "cannot unmarshal number",
		`{"prefix":"a"`:     "unexpected EOF",
	} {
		var c cfg
		err := DecodeConfig([]byte(in), &c)
		if err == nil || !strings.HasPrefix(err.Error(), "config: ") || !strings.Contains(err.Error(), want) {
			t.Errorf("DecodeConfig(%s) = %v, want an error containing %q", in, err, want)
		}
	}
}
