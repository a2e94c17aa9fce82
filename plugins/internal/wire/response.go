package wire

import (
	"fmt"

	"github.com/rcolpipe/rcolpipe/plugins/proto/rcolpipe/v1"
	"github.com/rcolpipe/rcolpipe/redcap"
)

// RequestFromDictionary builds a Transform request.
func RequestFromDictionary(d *redcap.Dictionary, config []byte, stage, version string) *rcolpipev1.TransformRequest {
	return &rcolpipev1.TransformRequest{
		Fields:          FieldsToProto(d),
		Config:          config,
		RcolpipeVersion: version,
		Stage:           stage,
		Files:           append([]string(nil), d.Files...),
	}
}

// ReadResponse turns a plugin's answer into a dictionary and diagnostics.
// Each diagnostic gets the stage's name and, from its row index, the file
// and line of the row it is about. It refuses what no later stage could
// use: no rows for a non-empty input, a row without a field or form name,
// a row index out of range. Everything else is for the validator.
func ReadResponse(resp *rcolpipev1.TransformResponse, in *redcap.Dictionary, stage string) (*redcap.Dictionary, redcap.Diagnostics, error) {
	if resp == nil {
		return nil, nil, fmt.Errorf("returned no response")
	}
	if len(resp.GetFields()) == 0 && in.Len() > 0 {
		return nil, nil, fmt.Errorf("returned an empty dictionary for %d rows; a plugin must return every row it keeps", in.Len())
	}
	out := DictionaryFromProto(resp.GetFields(), in.Files)
	for i := range out.Fields {
		f := &out.Fields[i]
		if f.FieldName == "" || f.FormName == "" {
			return nil, nil, fmt.Errorf("returned row %d (origin %s) without a field_name or form_name", i+1, originString(f.Origin))
		}
	}
	diags := make(redcap.Diagnostics, 0, len(resp.GetDiagnostics()))
	for _, p := range resp.GetDiagnostics() {
		d := redcap.Diagnostic{
			Severity: SeverityFromProto(p.GetSeverity()),
			Code:     p.GetCode(),
			Message:  p.GetMessage(),
			Hint:     p.GetHint(),
			Field:    p.GetField(),
			Column:   p.GetColumn(),
			File:     p.GetFile(),
			Line:     int(p.GetLine()),
			Stage:    stage,
		}
		if n := int(p.GetRowIndex()); n != 0 {
			if n < 0 || n > len(out.Fields) {
				return nil, nil, fmt.Errorf("returned diagnostic %s for row %d, but it returned only %d rows", p.GetCode(), n, len(out.Fields))
			}
			f := &out.Fields[n-1]
			d.File, d.Line, d.Row = f.Origin.File, f.Origin.Line, f.Origin.Row
			if d.Field == "" {
				d.Field = f.FieldName
			}
		}
		if d.Column != "" {
			if _, ok := redcap.ColumnByKey(d.Column); !ok {
				return nil, nil, fmt.Errorf("returned diagnostic %s about unknown column %q", p.GetCode(), d.Column)
			}
		}
		diags = append(diags, d)
	}
	return out, diags, nil
}

// ResponseFromResult builds the plugin's answer. Each diagnostic about a
// field gets the 1-based index of that field's first row in the result, so
// the host can point at the row's origin even after a rename.
func ResponseFromResult(d *redcap.Dictionary, diags redcap.Diagnostics) *rcolpipev1.TransformResponse {
	resp := &rcolpipev1.TransformResponse{Fields: FieldsToProto(d)}
	if len(diags) == 0 {
		return resp
	}
	idx := d.Index()
	for _, g := range diags {
		p := &rcolpipev1.Diagnostic{
			Severity: SeverityToProto(g.Severity),
			Code:     g.Code,
			Message:  g.Message,
			Hint:     g.Hint,
			Field:    g.Field,
			Column:   g.Column,
			File:     g.File,
			Line:     int32(g.Line),
		}
		if i, ok := idx[g.Field]; ok && g.Field != "" {
			p.RowIndex = int32(i + 1)
		}
		resp.Diagnostics = append(resp.Diagnostics, p)
	}
	return resp
}

func originString(o redcap.Origin) string {
	if o.File == "" {
		return "unknown"
	}
	return fmt.Sprintf("%s:%d", o.File, o.Line)
}
