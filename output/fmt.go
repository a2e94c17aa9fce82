package output

import (
	"fmt"
	"io"
	"strings"

	"github.com/rs/zerolog"
	"github.com/sergi/go-diff/diffmatchpatch"

	"github.com/rcolpipe/rcolpipe/dictfmt"
	"github.com/rcolpipe/rcolpipe/redcap"
)

// FmtReport writes what `rcolpipe fmt` finds (a dictfmt.Reporter): a line
// diff of each file that would change, or with Check only its name; read
// errors and files left alone on stderr; files written as log lines.
type FmtReport struct {
	Stdout, Stderr io.Writer
	Log            zerolog.Logger
	Check          bool
}

var _ dictfmt.Reporter = FmtReport{}

func (r FmtReport) ReadErrors(diags redcap.Diagnostics) {
	for _, dg := range diags {
		if dg.Severity == redcap.SeverityError {
			fmt.Fprintf(r.Stderr, "%s\n", dg.String())
		}
	}
}

func (r FmtReport) NotFormatted(err error) { fmt.Fprintf(r.Stderr, "rcolpipe: fmt: %v\n", err) }

func (r FmtReport) Changed(name string, before, after []byte) error {
	if r.Check {
		_, err := fmt.Fprintln(r.Stdout, name)
		return err
	}
	return WriteLineDiff(r.Stdout, name, string(before), string(after))
}

func (r FmtReport) Wrote(name string) { r.Log.Info().Msgf("formatted %s", name) }

func (r FmtReport) Canonical(data []byte) error {
	_, err := r.Stdout.Write(data)
	return err
}

// maxLineDiffWork bounds the line diff: beyond this many pairs of lines
// the whole file is shown replaced, so the time does not depend on how
// the lines differ.
const maxLineDiffWork = 4_000_000

// WriteLineDiff writes a unified-style diff of a and b (line ends not
// shown): "--- name", "+++ name (fmt)", then each removed line with "-"
// and each added line with "+".
func WriteLineDiff(w io.Writer, name, a, b string) error {
	var sb strings.Builder
	fmt.Fprintf(&sb, "--- %s\n+++ %s (fmt)\n", name, name)
	show := func(prefix, text string) {
		for _, l := range strings.SplitAfter(text, "\n") {
			if l != "" {
				fmt.Fprintf(&sb, "%s%s\n", prefix, strings.TrimRight(l, "\r\n"))
			}
		}
	}
	if strings.Count(a, "\n")*strings.Count(b, "\n") > maxLineDiffWork {
		show("-", a)
		show("+", b)
	} else {
		dmp := diffmatchpatch.New()
		dmp.DiffTimeout = 0 // deterministic: maxLineDiffWork bounds the work
		ra, rb, lines := dmp.DiffLinesToRunes(a, b)
		for _, d := range dmp.DiffCharsToLines(dmp.DiffMainRunes(ra, rb, false), lines) {
			switch d.Type {
			case diffmatchpatch.DiffDelete:
				show("-", d.Text)
			case diffmatchpatch.DiffInsert:
				show("+", d.Text)
			}
		}
	}
	_, err := io.WriteString(w, sb.String())
	return err
}
