// echo is a test plugin: it returns the dictionary it gets,
// optionally appending a tag to every annotation, reporting one diagnostic
// per row, or reporting the names of its environment variables.
package main

import (
	"context"
	"os"
	"sort"
	"strings"

	"github.com/rcolpipe/rcolpipe/plugins/sdk"
	"github.com/rcolpipe/rcolpipe/redcap"
)

type echo struct{}

type config struct {
	Tag  string `json:"tag"`
	Diag bool   `json:"diag"`
	Env  bool   `json:"env"`
	Log  string `json:"log"`
	// Pad makes the answer this many bytes bigger (to exceed the limit).
	Pad int `json:"pad"`
}

func (echo) Info() sdk.Info {
	return sdk.Info{
		Name:         "echo",
		Version:      "0.0.1",
		Description:  "returns the dictionary it gets (test plugin)",
		ConfigSchema: []byte(`{"type":"object","properties":{"tag":{"type":"string"},"diag":{"type":"boolean"},"env":{"type":"boolean"},"log":{"type":"string"},"pad":{"type":"integer"}},"additionalProperties":false}`),
	}
}

func (echo) Transform(ctx context.Context, req *sdk.Request) (*sdk.Response, error) {
	var cfg config
	if err := req.DecodeConfig(&cfg); err != nil {
		return nil, err
	}
	d := req.Dictionary
	var diags redcap.Diagnostics
	for i := range d.Fields {
		f := &d.Fields[i]
		if cfg.Tag != "" {
			f.FieldAnnotation = strings.TrimSpace(f.FieldAnnotation + " " + cfg.Tag)
		}
		if cfg.Diag {
			diags = append(diags, redcap.At(f, redcap.ColFieldAnnotation, redcap.SeverityWarning, "ECHO001", "seen "+f.FieldName, "nothing to do"))
		}
	}
	if cfg.Env {
		names := os.Environ()
		sort.Strings(names)
		for _, kv := range names {
			diags = append(diags, redcap.Diagnostic{Severity: redcap.SeverityInfo, Code: "ENV", Message: kv})
		}
	}
	if cfg.Pad > 0 {
		d.Fields[0].FieldNote = strings.Repeat("x", cfg.Pad)
	}
	if cfg.Log != "" {
		req.Log.Info(cfg.Log, "detail", 42)
		os.Stdout.WriteString("stdout after handshake: " + cfg.Log + "\n")
		os.Stderr.WriteString("plain stderr: " + cfg.Log + "\n")
	}
	return &sdk.Response{Dictionary: d, Diagnostics: diags}, nil
}
