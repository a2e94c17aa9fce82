// invaliddict is a test plugin whose answer no stage could use:
// config {"mode":"empty"} drops every row, "noname" blanks a field name,
// "badrow" reports a diagnostic about a row that does not exist.
package main

import (
	"context"

	"github.com/rcolpipe/rcolpipe/plugins/sdk"
	"github.com/rcolpipe/rcolpipe/redcap"
)

type invalid struct{}

func (invalid) Info() sdk.Info { return sdk.Info{Name: "invaliddict"} }

func (invalid) Transform(ctx context.Context, req *sdk.Request) (*sdk.Response, error) {
	var cfg struct {
		Mode string `json:"mode"`
	}
	if err := req.DecodeConfig(&cfg); err != nil {
		return nil, err
	}
	d := req.Dictionary
	switch cfg.Mode {
	case "empty":
		d.Fields = nil
	case "noname":
		d.Fields[len(d.Fields)-1].FieldName = ""
	case "duplicate":
		d.Fields = append(d.Fields, d.Fields[len(d.Fields)-1])
	}
	return &sdk.Response{Dictionary: d, Diagnostics: redcap.Diagnostics{}}, nil
}
