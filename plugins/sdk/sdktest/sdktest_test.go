package sdktest

import (
	"context"
	"strings"
	"testing"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/rcolpipe/rcolpipe/plugins/sdk"
	"github.com/rcolpipe/rcolpipe/redcap"
)

// upper upper-cases field notes and reports each note it changed.
type upper struct{ panics bool }

func (upper) Info() sdk.Info {
	return sdk.Info{Name: "upper", Version: "1.2.3", Description: "upper-cases notes"}
}

func (u upper) Transform(ctx context.Context, req *sdk.Request) (*sdk.Response, error) {
	if u.panics {
		var none []int
		_ = none[len(req.Dictionary.Fields)]
	}
	var diags redcap.Diagnostics
	for i := range req.Dictionary.Fields {
		f := &req.Dictionary.Fields[i]
		if f.FieldNote != "" {
			f.FieldNote = strings.ToUpper(f.FieldNote)
			diags = append(diags, redcap.At(f, redcap.ColFieldNote, redcap.SeverityInfo, "UP001", "note upper-cased", ""))
		}
	}
	return &sdk.Response{Dictionary: req.Dictionary, Diagnostics: diags}, nil
}

func dict() *redcap.Dictionary {
	return &redcap.Dictionary{Files: []string{"a.csv"}, Fields: []redcap.Field{
		{FieldName: "record_id", FormName: "f", FieldType: "text", Origin: redcap.Origin{File: "a.csv", Line: 2, Row: 1}},
		{FieldName: "age", FormName: "f", FieldType: "text", FieldNote: "in years", Origin: redcap.Origin{File: "a.csv", Line: 3, Row: 2}},
	}}
}

func TestRun(t *testing.T) {
	out, diags := Run(t, upper{}, dict(), "")
	if out.Fields[1].FieldNote != "IN YEARS" || out.Fields[1].Origin.Line != 3 {
		t.Errorf("out = %+v", out.Fields[1])
	}
	if len(diags) != 1 || diags[0].Stage != Stage || diags[0].File != "a.csv" || diags[0].Line != 3 || diags[0].Field != "age" || diags[0].Column != "field_note" {
		t.Errorf("diags = %+v", diags)
	}
}

func TestInfo(t *testing.T) {
	info, err := New(t, upper{}).Info(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if info.Name != "upper" || info.Version != "1.2.3" || info.ProtocolVersion != sdk.ProtocolVersion || info.SDKVersion != sdk.Version {
		t.Errorf("info = %+v", info)
	}
}

func TestPanicBecomesError(t *testing.T) {
	_, _, err := New(t, upper{panics: true}).Transform(context.Background(), dict(), "")
	if status.Code(err) != codes.Internal {
		t.Fatalf("err = %v", err)
	}
	msg := status.Convert(err).Message()
	if !strings.HasPrefix(msg, "panic: runtime error: index out of range [2] with length 0") || !strings.Contains(msg, "sdktest_test.go:") || !strings.Contains(msg, "upper.Transform") {
		t.Errorf("panic message %q", msg)
	}
}

func TestLargeDictionary(t *testing.T) {
	d := &redcap.Dictionary{}
	for i := 0; i < 12000; i++ {
		d.Fields = append(d.Fields, redcap.Field{FieldName: "f" + strings.Repeat("x", 8) + string(rune('a'+i%26)), FormName: "f",
			FieldType: "text", FieldNote: strings.Repeat("n", 400)})
	}
	out, diags := Run(t, upper{}, d, "")
	if out.Len() != d.Len() || len(diags) != d.Len() {
		t.Errorf("rows %d diags %d", out.Len(), len(diags))
	}
}
