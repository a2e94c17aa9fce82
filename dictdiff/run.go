package dictdiff

import (
	"context"
	"errors"
	"fmt"

	"github.com/rcolpipe/rcolpipe/redcap"
)

// Request says what an offline diff compares: two paths (Old, New), or
// Inputs in the working tree against their content at the git revision
// Base.
type Request struct {
	Old, New string
	Base     string
	Inputs   []string
	// Git runs git for Base (its Dir is where relative paths start).
	Git Git
	// Load says how folders are read (--exclude), on both sides.
	Load redcap.LoadOptions
}

// ErrInputErrors is returned when reading a side found errors; they are in
// the diagnostics Run returns.
var ErrInputErrors = errors.New("the input has errors")

// Run reads both sides and compares them. The diagnostics are what reading
// found, for the caller to show; when one is an error the report is nil
// and the error wraps ErrInputErrors.
func Run(ctx context.Context, req Request) (*Report, redcap.Diagnostics, error) {
	var old, new Side
	var err error
	if req.Base != "" {
		old, new, err = req.Git.Revision(ctx, req.Base, req.Inputs, req.Load)
		if err != nil {
			return nil, append(old.Diags, new.Diags...), err
		}
	} else {
		if old, err = LoadFiles(req.Load, req.Old); err != nil {
			return nil, old.Diags, err
		}
		if new, err = LoadFiles(req.Load, req.New); err != nil {
			return nil, append(old.Diags, new.Diags...), err
		}
	}
	diags := append(old.Diags, new.Diags...)
	if n := diags.Count(redcap.SeverityError); n > 0 {
		return nil, diags, fmt.Errorf("%w: %d error(s) while reading; nothing was compared", ErrInputErrors, n)
	}
	r := Compare(old.Name, old.Dict, new.Name, new.Dict)
	r.Notes = append(append(r.Notes, old.Notes...), new.Notes...)
	return r, diags, nil
}
