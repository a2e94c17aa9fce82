// Package sdk is what a transform plugin imports. A plugin is a program
// whose main calls Serve with a Transformer:
//
//	func main() { sdk.Serve(myTransformer{}) }
//
// rcolpipe starts the program, hands it the whole dictionary of a stage in
// one call and takes back the dictionary plus diagnostics. The SDK speaks
// the go-plugin handshake and the gRPC protocol (plugins/proto/rcolpipe/v1),
// recovers panics into errors that carry the panic line, keeps standard
// output clean, takes the log level from the host and exits when the host
// is gone. docs/plugins.md is the author's guide.
package sdk

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"

	"github.com/hashicorp/go-hclog"

	"github.com/rcolpipe/rcolpipe/redcap"
)

// Version is the SDK's own version, reported to the host in Info. It moves
// independently of the protocol version (ProtocolVersion) and of each
// plugin's version.
const Version = "1.0.0"

// ProtocolVersion is the plugin protocol this SDK speaks.
const ProtocolVersion = 1

// Info describes a plugin.
type Info struct {
	// Name is the plugin's name, e.g. "add-annotation".
	Name string
	// Version is the plugin's own version (semver).
	Version string
	// Description is one line saying what the plugin does.
	Description string
	// Capabilities lists optional protocol features the plugin uses.
	Capabilities []string
	// ConfigSchema is the JSON Schema (draft 2020-12) of the stage config.
	// The host checks a stage's config against it before the run starts.
	ConfigSchema []byte
}

// Request is one Transform call.
type Request struct {
	// Dictionary is the whole dictionary; the transformer may change it in
	// place and return it.
	Dictionary *redcap.Dictionary
	// Config is the stage's config as JSON ("null" or empty when none).
	Config json.RawMessage
	// Stage is the stage's name in the pipeline.
	Stage string
	// RcolpipeVersion is the host's version.
	RcolpipeVersion string
	// Log writes to the host's log with the stage and plugin name. It is
	// already filtered at the host's log level.
	Log hclog.Logger
}

// DecodeConfig reads the stage config into v with DecodeConfig (unknown
// keys and trailing data are errors, so a typo in a pipeline file is not a
// silent default). An empty config leaves v as it is.
func (r *Request) DecodeConfig(v any) error {
	raw := bytes.TrimSpace(r.Config)
	if len(raw) == 0 || bytes.Equal(raw, []byte("null")) {
		return nil
	}
	if err := DecodeConfig(raw, v); err != nil {
		return fmt.Errorf("stage %s: %w", r.Stage, err)
	}
	return nil
}

// Response is what a Transform call returns.
type Response struct {
	// Dictionary is the transformed dictionary. Keep each row's Origin so
	// diagnostics after this stage still point at the input files.
	Dictionary *redcap.Dictionary
	// Diagnostics are the findings about rows (use redcap.At). They are
	// data: an error-severity diagnostic fails the run only after the
	// report is printed, while a returned Go error means the plugin broke.
	Diagnostics redcap.Diagnostics
}

// Transformer is a transform stage.
type Transformer interface {
	Info() Info
	Transform(ctx context.Context, req *Request) (*Response, error)
}
