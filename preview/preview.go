// Package preview writes a dictionary as one self-contained HTML page that
// shows every form as REDCap's data-entry page would: a reviewer fills in
// values, branching logic hides and shows fields and calc fields compute,
// live, with the logic translated to JavaScript by redcap/logic. Next to
// each field are its findings (the validation of pipeline.Run) and, with a
// base dictionary, what changed (redcap.Compare, the change model of
// uploads).
//
// The page loads nothing: no network, no external scripts, styles or
// fonts. Labels are HTML from the dictionary and are sanitised (see
// sanitize.go). Each field's element carries data-field="<name>", and a
// field hidden by its logic carries the hidden attribute, so tests and
// other tools can read the state from the DOM.
package preview

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/rcolpipe/rcolpipe/internal/outfile"
	"github.com/rcolpipe/rcolpipe/pipeline"
	"github.com/rcolpipe/rcolpipe/redcap"
)

// Options are the settings of a preview.
type Options struct {
	// Out is the HTML file to write.
	Out string
	// Base are dictionary files or folders of the earlier version; when
	// given, changed and added fields are highlighted and removed ones
	// listed.
	Base []string
	// Title heads the page ("" for the input names).
	Title string
}

// Summary is what a written preview holds, for the command's message.
type Summary struct {
	Forms, Fields, Findings, Changes int
}

// Write validates the input of spec (as rcolpipe validate: spec runs with
// CheckOnly), reads the base when there is one, and writes the page to
// opts.Out. Findings do not stop it: they are shown in the page. The error
// is a *pipeline.Error when the run cannot be made (a usage or input
// problem), or says which base or output file failed.
func Write(ctx context.Context, spec pipeline.Spec, opts Options) (Summary, error) {
	spec.CheckOnly = true
	res, err := pipeline.Run(ctx, spec)
	var pe *pipeline.Error
	if err != nil && !(errors.As(err, &pe) && pe.Kind == pipeline.KindFindings) {
		return Summary{}, err
	}
	if res == nil || res.Loaded == nil {
		return Summary{}, errors.New("the run produced no dictionary")
	}
	var diff *redcap.Diff
	var base *redcap.Dictionary
	if len(opts.Base) > 0 {
		old, diags, err := redcap.Load(opts.Base...)
		if err != nil {
			return Summary{}, fmt.Errorf("--base: %w", err)
		}
		for _, dg := range diags {
			if dg.Severity == redcap.SeverityError {
				return Summary{}, fmt.Errorf("--base: the base cannot be read: %s", dg.Printable())
			}
		}
		d := redcap.Compare(old, res.Loaded)
		diff, base = &d, old
	}
	title := opts.Title
	if title == "" {
		title = "Form preview"
	}
	p := buildPage(title, spec.Inputs, res.Loaded, res.Diagnostics, base, diff)
	if err := outfile.Write(opts.Out, 0o644, func(w io.Writer) error { return render(w, p) }); err != nil {
		return Summary{}, err
	}
	return Summary{Forms: len(p.Forms), Fields: res.Loaded.Len(), Findings: len(res.Diagnostics), Changes: len(p.Changes)}, nil
}
