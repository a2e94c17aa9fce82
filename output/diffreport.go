package output

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/rcolpipe/rcolpipe/dictdiff"
	"github.com/rcolpipe/rcolpipe/redcap"
)

// The formats of an offline diff (rcolpipe diff OLD NEW, --base) besides
// text and json.
const (
	FormatMarkdown = "markdown"
	FormatHTML     = "html"
)

// DiffFormats lists the --format values of an offline diff.
func DiffFormats() []string {
	return []string{FormatText, FormatJSON, FormatMarkdown, FormatHTML}
}

// CheckDiffFormat returns an error naming the wanted values when format is
// not one of DiffFormats.
func CheckDiffFormat(format string) error {
	if slices.Contains(DiffFormats(), format) {
		return nil
	}
	return fmt.Errorf("--format %q: want text, json, markdown or html", format)
}

// WriteDiffReport writes an offline diff in format (one of DiffFormats).
func WriteDiffReport(w io.Writer, r *dictdiff.Report, format string) error {
	switch format {
	case FormatJSON:
		return writeJSON(w, r, true)
	case FormatMarkdown:
		return writeDiffMarkdown(w, r)
	case FormatHTML:
		return writeDiffHTML(w, r)
	}
	return writeDiffText(w, r)
}

// labelExcerpt is how much of a label a list of added or removed fields
// shows.
const labelExcerpt = 80

// shorten cuts s to at most n runes, on one line, with "…" when cut.
func shorten(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n]) + "…"
}

// typeText is "text (integer)" or "radio".
func typeText(f dictdiff.FieldInfo) string {
	if f.Validation != "" {
		return f.Type + " (" + f.Validation + ")"
	}
	return f.Type
}

// maxSegment caps what one inserted or deleted run shows in text and
// markdown (a pasted paragraph); JSON keeps it whole.
const maxSegment = 300

func cutSegment(s string) string {
	if len(s) <= maxSegment {
		return s
	}
	end := maxSegment
	for end > 0 && !utf8.RuneStart(s[end]) {
		end--
	}
	return s[:end] + fmt.Sprintf("… (%d more bytes)", len(s)-end)
}

// hunkText renders a hunk as git's --word-diff=plain does: [-old-]{+new+}.
func hunkText(h dictdiff.Hunk) string {
	var b strings.Builder
	if h.Before {
		b.WriteString("…")
	}
	for _, s := range h.Segments {
		t := cutSegment(s.Text)
		switch s.Op {
		case dictdiff.OpDelete:
			b.WriteString("[-" + t + "-]")
		case dictdiff.OpInsert:
			b.WriteString("{+" + t + "+}")
		default:
			b.WriteString(t)
		}
	}
	if h.After {
		b.WriteString("…")
	}
	return b.String()
}

func writeDiffText(w io.Writer, r *dictdiff.Report) error {
	var b strings.Builder
	p := redcap.Printable
	fmt.Fprintf(&b, "--- %s\n+++ %s\n", p(r.Old), p(r.New))
	for _, n := range r.Notes {
		fmt.Fprintf(&b, "note: %s\n", p(n))
	}
	if r.Empty {
		b.WriteString("no changes\n")
	}
	for _, f := range r.FormsAdded {
		fmt.Fprintf(&b, "+ form %s (%d fields)\n", p(f.Form), f.Fields)
	}
	for _, f := range r.FormsRemoved {
		fmt.Fprintf(&b, "- form %s (%d fields)\n", p(f.Form), f.Fields)
	}
	for _, f := range r.FieldsAdded {
		fmt.Fprintf(&b, "+ field %s (%s): %s %q\n", p(f.Field), p(f.Form), p(typeText(f)), shorten(f.Label, labelExcerpt))
	}
	for _, f := range r.FieldsRemoved {
		fmt.Fprintf(&b, "- field %s (%s): %s %q\n", p(f.Field), p(f.Form), p(typeText(f)), shorten(f.Label, labelExcerpt))
	}
	for _, rn := range r.FieldsRenamed {
		fmt.Fprintf(&b, "> field %s -> %s (%s): a rename; REDCap deletes %s with its data\n", p(rn.From), p(rn.To), p(rn.Form), p(rn.From))
	}
	for _, f := range r.FieldsChanged {
		fmt.Fprintf(&b, "~ field %s (%s)\n", p(f.Field), p(f.Form))
		for _, c := range f.Columns {
			switch {
			case c.TooLong:
				fmt.Fprintf(&b, "    %s: changed (%d -> %d bytes; too long to compare word by word)\n", c.Column, len(c.Old), len(c.New))
			case c.Long:
				for i, h := range c.Hunks {
					col := c.Column
					if i > 0 {
						col = strings.Repeat(" ", len(col))
					}
					fmt.Fprintf(&b, "    %s: %s\n", col, p(hunkText(h)))
				}
			default:
				fmt.Fprintf(&b, "    %s: %q -> %q\n", c.Column, c.Old, c.New)
			}
		}
	}
	if r.OrderChanged {
		b.WriteString("~ field order changes\n")
	}
	if len(r.Critical) > 0 {
		fmt.Fprintf(&b, "critical changes (%d): in a project with records, data may be lost or change meaning\n", len(r.Critical))
		for _, c := range r.Critical {
			fmt.Fprintf(&b, "  ! %s\n", p(c.Message))
		}
	}
	b.WriteString(summary(r) + "\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// summary counts the changes in one line.
func summary(r *dictdiff.Report) string {
	s := fmt.Sprintf("%d forms added, %d removed; %d fields added, %d removed, %d changed, %d renamed; %d critical changes",
		len(r.FormsAdded), len(r.FormsRemoved), len(r.FieldsAdded), len(r.FieldsRemoved), len(r.FieldsChanged), len(r.FieldsRenamed), len(r.Critical))
	return s
}
