package sdk

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/rcolpipe/rcolpipe/redcap"
)

// upper is a Configured transformer for the tests: its config is a form
// name, refused when empty, and it upper-cases that form's labels.
func upper() Configured[string] {
	return Configured[string]{
		About: Info{Name: "upper", Version: "0.1.0"},
		Parse: func(b []byte) (string, error) {
			s := strings.Trim(string(b), `"`)
			if s == "" {
				return "", errors.New("config: give a form name")
			}
			return s, nil
		},
		Run: func(d *redcap.Dictionary, form string) (*redcap.Dictionary, redcap.Diagnostics) {
			for i := range d.Fields {
				if d.Fields[i].FormName == form {
					d.Fields[i].FieldLabel = strings.ToUpper(d.Fields[i].FieldLabel)
				}
			}
			return d, redcap.Diagnostics{{Severity: redcap.SeverityInfo, Code: "UP001", Message: "done"}}
		},
		ConfigCode: "UP000",
		ConfigHint: `config: "form_name"`,
	}
}

func TestConfiguredRunsWithParsedConfig(t *testing.T) {
	d := &redcap.Dictionary{Fields: []redcap.Field{{FieldName: "a", FormName: "f", FieldLabel: "Age"}, {FieldName: "b", FormName: "g", FieldLabel: "Bed"}}}
	var tr Transformer = upper()
	if got := tr.Info().Name; got != "upper" {
		t.Errorf("Info().Name = %q", got)
	}
	resp, err := tr.Transform(context.Background(), &Request{Dictionary: d, Config: []byte(`"f"`)})
	if err != nil {
		t.Fatal(err)
	}
	if l := resp.Dictionary.Fields; l[0].FieldLabel != "AGE" || l[1].FieldLabel != "Bed" {
		t.Errorf("labels %q, %q; want AGE, Bed", l[0].FieldLabel, l[1].FieldLabel)
	}
	if len(resp.Diagnostics) != 1 || resp.Diagnostics[0].Code != "UP001" {
		t.Errorf("diagnostics %v, want Run's UP001", resp.Diagnostics)
	}
}

func TestConfiguredRefusedConfigIsADiagnostic(t *testing.T) {
	d := &redcap.Dictionary{Fields: []redcap.Field{{FieldName: "a", FormName: "f", FieldLabel: "Age"}}}
	resp, err := upper().Transform(context.Background(), &Request{Dictionary: d, Config: []byte(`""`)})
	if err != nil {
		t.Fatalf("a refused config is a diagnostic, not a Go error: %v", err)
	}
	if len(resp.Diagnostics) != 1 {
		t.Fatalf("diagnostics %v, want one", resp.Diagnostics)
	}
	g := resp.Diagnostics[0]
	if g.Severity != redcap.SeverityError || g.Code != "UP000" || g.Message != "config: give a form name" || g.Hint != `config: "form_name"` {
		t.Errorf("diagnostic %+v", g)
	}
	if resp.Dictionary != d || d.Fields[0].FieldLabel != "Age" {
		t.Errorf("dictionary changed on a refused config: %+v", resp.Dictionary)
	}
}

func TestConfiguredErrors(t *testing.T) {
	_, err := upper().Transform(context.Background(), &Request{Config: []byte(`"f"`)})
	if err == nil || err.Error() != "upper: no dictionary in the request" {
		t.Errorf("no dictionary: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	d := &redcap.Dictionary{Fields: []redcap.Field{{FieldName: "a", FormName: "f", FieldLabel: "Age"}}}
	if _, err := upper().Transform(ctx, &Request{Dictionary: d, Config: []byte(`"f"`)}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v, want context.Canceled", err)
	}
	if d.Fields[0].FieldLabel != "Age" {
		t.Error("ran after the context was cancelled")
	}
}
