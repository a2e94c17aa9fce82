// Package dictfmt is `rcolpipe fmt`: the canonical form of a dictionary
// file (Format), which changes what the file looks like, never what REDCap
// reads from it, and the run over the inputs (Run). It also holds the CSV
// shape (delimiter, byte-order mark, header style, line ends) that fmt and
// transform -o keep. The writers of what Run finds are in package output
// (output.FmtReport).
package dictfmt

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/rcolpipe/rcolpipe/internal/outfile"
	"github.com/rcolpipe/rcolpipe/redcap"
)

// Format returns the canonical form of one file, or nil for a file fmt
// leaves alone (an instrument ZIP). JSON stays JSON; a CSV keeps its shape.
func Format(name string, data []byte) ([]byte, error) {
	if bytes.HasPrefix(data, []byte("PK")) {
		return nil, nil
	}
	d, diags := redcap.ReadBytes(name, data)
	if diags.HasErrors() {
		return nil, fmt.Errorf("%s: not formatted: it has read errors (rcolpipe validate %s lists them)", name, name)
	}
	Canonicalize(d)
	var out bytes.Buffer
	text := strings.TrimPrefix(string(data), "\uFEFF")
	if t := strings.TrimLeft(text, " \t\r\n"); t != "" && (t[0] == '[' || t[0] == '{') {
		if err := redcap.WriteJSON(&out, d); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		return out.Bytes(), nil
	}
	if err := WriteCSV(&out, d, SniffCSVShape(data)); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return out.Bytes(), nil
}

// Canonicalize trims every cell, writes choices as "code, label | code,
// label" and the flags as "y"; none of it changes what REDCap reads.
func Canonicalize(d *redcap.Dictionary) {
	for i := range d.Fields {
		f := &d.Fields[i]
		for c := redcap.Column(0); c < redcap.NumColumns; c++ {
			f.Set(c, strings.TrimSpace(f.Get(c)))
		}
		switch strings.ToLower(f.Get(redcap.ColFieldType)) {
		case "radio", "dropdown", "checkbox":
			if !redcap.HasEmptyChoice(f.Get(redcap.ColChoices)) {
				var parts []string
				for _, ch := range redcap.SplitChoices(f.Get(redcap.ColChoices)) {
					if ch.NoComma {
						parts = append(parts, ch.Code)
					} else {
						parts = append(parts, ch.Code+", "+ch.Label)
					}
				}
				f.Set(redcap.ColChoices, strings.Join(parts, " | "))
			}
		}
		for _, c := range []redcap.Column{redcap.ColIdentifier, redcap.ColRequiredField} {
			if strings.EqualFold(f.Get(c), "y") {
				f.Set(c, "y")
			}
		}
	}
}

// Reporter is told what Run finds, as it finds it.
type Reporter interface {
	// ReadErrors are the reader's errors of an input.
	ReadErrors(redcap.Diagnostics)
	// NotFormatted is a file left alone because it cannot be read as a
	// dictionary; Run goes on with the next.
	NotFormatted(err error)
	// Changed is a file whose canonical form differs (unless Write).
	Changed(name string, before, after []byte) error
	// Wrote is a file written in its canonical form (Write without Check).
	Wrote(name string)
	// Canonical is the canonical form of standard input (unless Check).
	Canonical(data []byte) error
}

// Request is a run of fmt.
type Request struct {
	Paths []string
	Load  redcap.LoadOptions
	// Check reports the files that would change (Reporter.Changed) and
	// writes nothing; Write writes them. Neither: Reporter.Changed, to
	// show a diff.
	Check, Write bool
}

// Result counts the files that would change or changed, and those that
// could not be formatted.
type Result struct{ Changed, Failed int }

// ErrWriteStdin: Write mode cannot write standard input back.
var ErrWriteStdin = errors.New("-w cannot write standard input; the canonical form of - goes to stdout without -w")

// ErrReported: standard input has read errors, already reported.
var ErrReported = errors.New("the input has errors")

// Run formats the dictionary files of the inputs in order (a folder: the
// files in it; "-": standard input, whose canonical form goes to
// Reporter.Canonical) and reports each one that changes.
func Run(req Request, r Reporter) (Result, error) {
	var res Result
	for _, p := range req.Paths {
		if p == "-" {
			if req.Write {
				return res, ErrWriteStdin
			}
			ch, err := runStdin(req, r)
			res.Changed += ch
			if err != nil {
				return res, err
			}
			continue
		}
		d, st, diags, err := req.Load.LoadWithStructure(p)
		if err != nil {
			return res, err
		}
		if diags.HasErrors() {
			r.ReadErrors(diags)
		}
		// A longitudinal project's structure files (arms.csv, events.csv,
		// ...) sit next to its dictionary; they are not dictionaries, and
		// fmt leaves them as they are.
		for _, file := range d.Files {
			if slices.Contains(st.Files, file) {
				continue
			}
			before, err := redcap.ReadSmallFile(file, redcap.MaxFileBytes)
			if err != nil {
				return res, err
			}
			after, err := Format(file, before)
			if err != nil {
				r.NotFormatted(err)
				res.Failed++
				continue
			}
			if after == nil || bytes.Equal(before, after) {
				continue
			}
			res.Changed++
			if req.Write && !req.Check {
				if err := outfile.WriteBytes(file, after, 0o644); err != nil {
					return res, err
				}
				r.Wrote(file)
				continue
			}
			if err := r.Changed(file, before, after); err != nil {
				return res, err
			}
		}
	}
	return res, nil
}

// runStdin formats standard input: its canonical form goes to
// r.Canonical, or with Check its name to r.Changed when it would
// change (changed is then 1).
func runStdin(req Request, r Reporter) (changed int, err error) {
	head := &HeadBuffer{Max: redcap.MaxFileBytes + 1}
	opts := req.Load
	opts.Stdin = io.TeeReader(opts.Stdin, head)
	_, diags, err := opts.Load("-")
	if err != nil {
		return 0, err
	}
	if diags.HasErrors() {
		r.ReadErrors(diags)
		return 0, ErrReported
	}
	before := head.Bytes()
	after, err := Format(redcap.StdinName, before)
	if err != nil {
		return 0, err
	}
	if after == nil { // an instrument ZIP: left as it is
		after = before
	}
	if bytes.Equal(before, after) {
		if !req.Check {
			return 0, r.Canonical(after)
		}
		return 0, nil
	}
	if req.Check {
		return 1, r.Changed(redcap.StdinName, before, after)
	}
	return 1, r.Canonical(after)
}
