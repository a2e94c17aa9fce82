// Command add-annotation is an example rcolpipe plugin built on its own:
// it adds an action tag (e.g. @HIDDEN-SURVEY) to the annotation of chosen
// fields and reports each field it changed.
//
//	go build -o .rcolpipe/plugins/add-annotation ./examples/plugins/add-annotation
//	rcolpipe plugins info add-annotation
//
// Pipeline stage:
//
//	stages:
//	  - plugin: add-annotation
//	    config: {tag: "@HIDDEN-SURVEY", types: [calc]}
package main

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/rcolpipe/rcolpipe/plugins/sdk"
	"github.com/rcolpipe/rcolpipe/redcap"
)

// config is the stage's config; the schema below says the same to the host.
type config struct {
	// Tag is the action tag to add, e.g. "@HIDDEN-SURVEY".
	Tag string `json:"tag"`
	// Forms limits the change to these forms (empty: every form).
	Forms []string `json:"forms"`
	// Types limits the change to these field types (empty: every type).
	Types []string `json:"types"`
}

const schema = `{
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "type": "object",
  "required": ["tag"],
  "additionalProperties": false,
  "properties": {
    "tag":   {"type": "string", "pattern": "^@[A-Z][A-Z0-9-]*(\\(.*\\)|=.*)?$", "description": "the action tag to add"},
    "forms": {"type": "array", "items": {"type": "string"}, "description": "only these forms (default: all)"},
    "types": {"type": "array", "items": {"type": "string"}, "description": "only these field types (default: all)"}
  }
}`

type addAnnotation struct{}

func (addAnnotation) Info() sdk.Info {
	return sdk.Info{
		Name:         "add-annotation",
		Version:      "1.0.0",
		Description:  "add an action tag to the annotation of chosen fields",
		ConfigSchema: []byte(schema),
	}
}

func (addAnnotation) Transform(ctx context.Context, req *sdk.Request) (*sdk.Response, error) {
	var cfg config
	if err := req.DecodeConfig(&cfg); err != nil {
		return nil, err
	}
	if cfg.Tag == "" {
		return nil, fmt.Errorf("config: tag is required")
	}
	d := req.Dictionary
	tagName, _, _ := strings.Cut(strings.SplitN(cfg.Tag, "(", 2)[0], "=")
	var diags redcap.Diagnostics
	for i := range d.Fields {
		f := &d.Fields[i]
		if i == 0 { // never the record ID
			continue
		}
		if len(cfg.Forms) > 0 && !slices.Contains(cfg.Forms, f.FormName) {
			continue
		}
		if len(cfg.Types) > 0 && !slices.Contains(cfg.Types, f.FieldType) {
			continue
		}
		if redcap.HasActionTag(f.FieldAnnotation, tagName) { // as REDCap reads tags: whole name, upper case
			continue
		}
		f.FieldAnnotation = strings.TrimSpace(f.FieldAnnotation + " " + cfg.Tag)
		diags = append(diags, redcap.At(f, redcap.ColFieldAnnotation, redcap.SeverityInfo, "ANN001",
			"added "+cfg.Tag, ""))
	}
	req.Log.Debug("annotations added", "count", len(diags))
	return &sdk.Response{Dictionary: d, Diagnostics: diags}, nil
}

func main() { sdk.Serve(addAnnotation{}) }
