package bundled

import (
	"encoding/json"
	"os/exec"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rcolpipe/rcolpipe/plugins/sdk/sdktest"
	"github.com/rcolpipe/rcolpipe/redcap"
)

func TestRegistry(t *testing.T) {
	if d := cmp.Diff([]string{"conventions", "prefix"}, Names()); d != "" {
		t.Errorf("names (-want +got):\n%s", d)
	}
	for name, tr := range Transformers() {
		info := tr.Info()
		if info.Name != name {
			t.Errorf("%s: Info().Name = %q; the host looks plugins up by this name", name, info.Name)
		}
		if info.Version == "" || info.Description == "" {
			t.Errorf("%s: info lacks version or description: %+v", name, info)
		}
		var schema map[string]any
		if err := json.Unmarshal(info.ConfigSchema, &schema); err != nil {
			t.Errorf("%s: config schema is not JSON: %v", name, err)
		}
	}
}

// TestOverGRPC sends a dictionary through each bundled plugin over the
// real protocol (in memory) and checks that renames, fixes and the
// findings' file and line survive the wire.
func TestOverGRPC(t *testing.T) {
	d := &redcap.Dictionary{Files: []string{"demo.csv"}}
	for i, f := range []redcap.Field{
		{FieldName: "record_id", FormName: "demo", FieldType: "text", FieldLabel: "ID"},
		{FieldName: "email", FormName: "demo", FieldType: "text", FieldLabel: "E-mail"},
		{FieldName: "ok", FormName: "demo", FieldType: "yesno", FieldLabel: "Write to [email]?", BranchingLogic: "[email] <> ''"},
	} {
		f.Origin = redcap.Origin{File: "demo.csv", Line: i + 2, Row: i + 1}
		d.Fields = append(d.Fields, f)
	}
	tr := Transformers()

	out, diags := sdktest.Run(t, tr["prefix"], d, `{"prefix":"dm_"}`)
	if out.Fields[1].FieldName != "dm_email" || out.Fields[2].BranchingLogic != "[dm_email] <> ''" || out.Fields[2].FieldLabel != "Write to [dm_email]?" {
		t.Errorf("prefix over gRPC: %+v", out.Fields)
	}
	if out.Fields[2].Origin.Line != 4 {
		t.Errorf("origin lost: %+v", out.Fields[2].Origin)
	}
	if len(diags) != 1 || diags[0].Code != "PX010" {
		t.Errorf("prefix findings: %v", diags)
	}

	out, diags = sdktest.Run(t, tr["conventions"], d, `{"identifiers":{}}`)
	if len(diags) != 1 || diags[0].Code != "CV003" || diags[0].File != "demo.csv" || diags[0].Line != 3 || diags[0].Field != "email" {
		t.Errorf("conventions findings: %+v", diags)
	}
	if out.Fields[1].Identifier != "" {
		t.Error("fix applied without fix: true")
	}
}

// TestBundledPluginsStandAlone: no bundled plugin imports another, so each
// can be read, changed and built on its own; what they share is in the SDK.
func TestBundledPluginsStandAlone(t *testing.T) {
	const root = "github.com/rcolpipe/rcolpipe/plugins/"
	pkgs := make([]string, 0, len(Names()))
	for _, n := range Names() {
		pkgs = append(pkgs, root+n)
	}
	for _, p := range pkgs {
		out, err := exec.Command("go", "list", "-deps", p).CombinedOutput()
		if err != nil {
			t.Fatalf("go list -deps %s: %v\n%s", p, err, out)
		}
		for _, dep := range strings.Fields(string(out)) {
			for _, other := range pkgs {
				if dep == other && other != p {
					t.Errorf("bundled plugin %s imports bundled plugin %s", p, other)
				}
			}
		}
	}
}
