package output

import (
	"encoding/json"
	"io"

	"github.com/rcolpipe/rcolpipe/redcap"
)

// jsonOutput writes exactly
// {"diagnostics":[{"code","severity","file","line","row","field","column","message","hint"}],
//
//	"summary":{"files","fields","errors","warnings","infos"}}
//
// with diagnostics an empty array when there are none. line is the line of
// the file where the finding is (for a row: where the row starts, in CSV
// and JSON alike; 0 for a finding about the whole file), row the 1-based
// index of the row in the file (0 when the finding is not about a row).
type jsonOutput struct{}

type jsonDiagnostic struct {
	Code     string `json:"code"`
	Severity string `json:"severity"`
	File     string `json:"file"`
	Line     int    `json:"line"`
	Row      int    `json:"row"`
	Field    string `json:"field"`
	Column   string `json:"column"`
	Message  string `json:"message"`
	Hint     string `json:"hint"`
}

type jsonReport struct {
	Diagnostics []jsonDiagnostic `json:"diagnostics"`
	Summary     Summary          `json:"summary"`
}

func (jsonOutput) Output(w io.Writer, r Findings) error {
	out := jsonReport{Diagnostics: toJSONDiagnostics(r.Diagnostics), Summary: Summarize(r)}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(out)
}

// toJSONDiagnostics converts findings to the json shape, never nil.
func toJSONDiagnostics(ds redcap.Diagnostics) []jsonDiagnostic {
	out := make([]jsonDiagnostic, 0, len(ds))
	for _, d := range ds {
		out = append(out, jsonDiagnostic{
			Code: d.Code, Severity: d.Severity.String(), File: d.File, Line: d.Line, Row: d.Row,
			Field: d.Field, Column: d.Column, Message: d.Message, Hint: d.Hint,
		})
	}
	return out
}
