package pipeline

import (
	"context"
	"errors"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rs/zerolog"

	"github.com/rcolpipe/rcolpipe/plugins/host"
	"github.com/rcolpipe/rcolpipe/redcap"
)

// TestPluginStagesEndToEnd runs the bundled plugins as their own
// executables through the real host (go-plugin, gRPC) inside a Runner with
// the real validator.
func TestPluginStagesEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("builds two plugin binaries; skipped with -short")
	}
	bin := t.TempDir()
	cmd := exec.Command("go", "build", "-ldflags=-s -w", "-o", bin+string(filepath.Separator), "../plugins/cmd/prefix", "../plugins/cmd/conventions")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("build plugins: %v\n%s", err, out)
	}
	stages := []StageConfig{
		{Name: "rename", Plugin: filepath.Join(bin, "prefix"), Config: []byte(`{"prefix":"demo_","forms":["demo"]}`)},
		{Name: "site", Plugin: filepath.Join(bin, "conventions"), Config: []byte(`{"fix":true,"identifiers":{}}`)},
	}
	ctx := context.Background()
	h, ss, err := StartPlugins(ctx, stages, host.Options{Log: zerolog.Nop(), Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	v, err := NewValidator(ValidateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	in := &redcap.Dictionary{Fields: []redcap.Field{
		{FieldName: "record_id", FormName: "demo", FieldType: "text", FieldLabel: "ID"},
		{FieldName: "email", FormName: "demo", FieldType: "text", FieldLabel: "E-mail", Validation: "email"},
		{FieldName: "contact", FormName: "demo", FieldType: "yesno", FieldLabel: "May we write to [email]?", BranchingLogic: "[email] <> ''"},
	}}
	r := &Runner{Validator: v, Stages: ss, Log: zerolog.Nop()}
	out, diags, err := r.Run(ctx, in)
	if err != nil {
		t.Fatalf("run: %v\n%v", err, diags)
	}
	f := out.Field("demo_email")
	if f == nil || f.Identifier != "y" {
		t.Fatalf("demo_email missing or not marked as identifier: %+v", out.Fields)
	}
	if c := out.Field("demo_contact"); c == nil || c.FieldLabel != "May we write to [demo_email]?" || c.BranchingLogic != "[demo_email] <> ''" {
		t.Errorf("references not rewritten: %+v", c)
	}
	stageOf := map[string]string{}
	for _, d := range diags {
		stageOf[d.Code] = d.Stage
	}
	if stageOf["PX010"] != "rename" || stageOf["CV003"] != "site" {
		t.Errorf("diagnostics do not carry their stage: %v", diags)
	}

	// A refused rename fails the stage with its name and leaves the input.
	host2, ss2, err := StartPlugins(ctx, []StageConfig{{Name: "clash", Plugin: filepath.Join(bin, "prefix"), Config: []byte(`{"rename":{"contact":"email"}}`)}},
		host.Options{Log: zerolog.Nop()})
	if err != nil {
		t.Fatal(err)
	}
	defer host2.Close()
	r = &Runner{Validator: v, Stages: ss2, Log: zerolog.Nop()}
	out, _, err = r.Run(ctx, in)
	var se *StageError
	if !errors.As(err, &se) || se.Stage != "clash" || !strings.Contains(err.Error(), "PX005") {
		t.Fatalf("err = %v, want stage clash to fail with PX005", err)
	}
	if out.Fields[2].FieldName != "contact" {
		t.Error("the failed stage's dictionary was kept")
	}
}
