package output

import (
	"fmt"
	"io"

	"github.com/rcolpipe/rcolpipe/pipeline"
	"github.com/rcolpipe/rcolpipe/redcap"
)

// PipelineFindings is the findings report of a pipeline run: every
// finding, the files it covers and the rules that describe the codes.
func PipelineFindings(res *pipeline.Result) Findings {
	f := Findings{Diagnostics: res.Diagnostics, Files: reportFiles(res.Loaded.Files, res.Diagnostics), Fields: res.Loaded.Len()}
	for _, r := range res.Rules {
		f.Rules = append(f.Rules, RuleInfo{Code: r.Code, Severity: r.Severity, Title: r.Title, Doc: r.Doc})
	}
	return f
}

// WriteStageFindings writes the findings of a run with stages as the text
// report (transform, upload, diff and run write it to stderr, since stdout
// may carry the dictionary). A transform stage's findings say which stage
// reported them.
func WriteStageFindings(w io.Writer, res *pipeline.Result, toolVersion string) error {
	if len(res.Diagnostics) == 0 {
		return nil
	}
	shown := make(redcap.Diagnostics, len(res.Diagnostics))
	for i, x := range res.Diagnostics {
		if x.Stage != "" && x.Stage != pipeline.StageValidate && x.Stage != pipeline.StageLoad {
			x.Message = "[" + x.Stage + "] " + x.Message
		}
		shown[i] = x
	}
	out := textOutput{opts: Options{ToolVersion: toolVersion}}
	return out.Output(w, Findings{Diagnostics: shown, Files: reportFiles(res.Loaded.Files, shown), Fields: res.Loaded.Len()})
}

// WriteRunHeader writes the first lines of rcolpipe run's text output:
// what the pipeline produced and where it goes.
func WriteRunHeader(w io.Writer, res *pipeline.Result, stages int, target string) error {
	_, err := fmt.Fprintf(w, "pipeline  %d fields in %d forms from %d file(s) after %d stage(s); %d warning(s)\ntarget    %s\n\n",
		res.Dictionary.Len(), len(res.Dictionary.Forms()), len(res.Loaded.Files), stages, res.Diagnostics.Count(redcap.SeverityWarning), target)
	return err
}

// reportFiles lists the files a report covers: those the dictionary was
// read from, then any other file a finding names (a file that could not be
// read contributes no fields but is still a file of the run).
func reportFiles(files []string, ds redcap.Diagnostics) []string {
	seen := map[string]bool{}
	var out []string
	for _, f := range files {
		if !seen[f] {
			seen[f] = true
			out = append(out, f)
		}
	}
	for _, d := range ds {
		archive, _, _ := redcap.ZIPMember(d.File)
		if d.File != "" && !seen[d.File] && !seen[archive] {
			seen[d.File] = true
			out = append(out, d.File)
		}
	}
	return out
}
