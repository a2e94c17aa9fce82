package output

import (
	"fmt"
	"io"
	"strings"

	"github.com/rcolpipe/rcolpipe/dictdiff"
	"github.com/rcolpipe/rcolpipe/internal/lazyre"
	"github.com/rcolpipe/rcolpipe/redcap"
)

// Markdown for a pull-request comment or a GitHub job summary. Everything
// from a dictionary is hostile text: it is escaped so that it renders as
// the characters it holds. HTML's <, >, & and " become entities (no tag,
// comment or image of a label reaches the page), markdown's punctuation is
// backslash-escaped (no link, emphasis, table cell break or math), line
// breaks become spaces (a cell stays one row), and an @, a "://" and a
// "www." get a zero-width space inside, so that a label cannot mention
// (notify) anyone or become a link GitHub makes on its own.
var mdEscaper = strings.NewReplacer(
	"&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;",
	`\`, `\\`, "`", "\\`", "*", `\*`, "_", `\_`, "[", `\[`, "]", `\]`,
	"|", `\|`, "~", `\~`, "#", `\#`, "!", `\!`, "$", `\$`,
	"@", "@\u200b", "://", ":\u200b//", "www.", "www\u200b.", "WWW.", "WWW\u200b.",
	"\r\n", " ", "\n", " ", "\r", " ", "\t", " ",
)

// mdText escapes text from a dictionary for markdown (redcap.Printable
// first: no control characters).
func mdText(s string) string {
	return mdEscaper.Replace(redcap.Printable(s))
}

var plainName = lazyre.New(`^[A-Za-z0-9_.:/-]+$`)

// mdName shows a field or form name as code when it is a plain name (what
// REDCap allows), escaped text otherwise.
func mdName(s string) string {
	if s != "" && plainName.MatchString(s) {
		return "`" + s + "`"
	}
	return mdText(s)
}

// mdSegment shows an inserted or deleted run; a run of white space only
// shows as ␣ so that it is visible.
func mdSegment(s string) string {
	if strings.TrimSpace(s) == "" {
		return strings.Repeat("␣", min(len(s), 10))
	}
	return mdText(cutSegment(s))
}

func mdHunk(h dictdiff.Hunk) string {
	var b strings.Builder
	if h.Before {
		b.WriteString("…")
	}
	for _, s := range h.Segments {
		switch s.Op {
		case dictdiff.OpDelete:
			b.WriteString("<del>" + mdSegment(s.Text) + "</del>")
		case dictdiff.OpInsert:
			b.WriteString("<ins>" + mdSegment(s.Text) + "</ins>")
		default:
			b.WriteString(mdText(s.Text))
		}
	}
	if h.After {
		b.WriteString("…")
	}
	return b.String()
}

// mdChange is one changed cell: short values whole, long ones as hunks.
func mdChange(c dictdiff.ColumnChange) string {
	switch {
	case c.TooLong:
		return fmt.Sprintf("changed (%d → %d bytes; too long to compare word by word)", len(c.Old), len(c.New))
	case c.Long:
		parts := make([]string, len(c.Hunks))
		for i, h := range c.Hunks {
			parts[i] = mdHunk(h)
		}
		return strings.Join(parts, "<br>")
	}
	old, new := "<del>"+mdSegment(c.Old)+"</del>", "<ins>"+mdSegment(c.New)+"</ins>"
	if c.Old == "" {
		old = "*(empty)*"
	}
	if c.New == "" {
		new = "*(empty)*"
	}
	return old + " → " + new
}

// maxMarkdownRows caps the rows of each table, so that a summary of a
// large change stays within what GitHub shows (a job summary holds 1 MiB).
const maxMarkdownRows = 200

type mdTable struct {
	b      *strings.Builder
	header []string
	rows   int
	more   int
}

func (t *mdTable) row(cells ...string) {
	if t.rows == maxMarkdownRows {
		t.more++
		return
	}
	if t.rows == 0 {
		t.b.WriteString("| " + strings.Join(t.header, " | ") + " |\n|" + strings.Repeat(" --- |", len(t.header)) + "\n")
	}
	t.rows++
	t.b.WriteString("| " + strings.Join(cells, " | ") + " |\n")
}

func (t *mdTable) end() {
	if t.more > 0 {
		fmt.Fprintf(t.b, "\n… and %d more (run `rcolpipe diff` for the whole list).\n", t.more)
	}
	t.b.WriteString("\n")
}

func writeDiffMarkdown(w io.Writer, r *dictdiff.Report) error {
	var b strings.Builder
	b.WriteString("### rcolpipe diff\n\n")
	fmt.Fprintf(&b, "%s → %s\n\n", mdText(r.Old), mdText(r.New))
	for _, n := range r.Notes {
		fmt.Fprintf(&b, "- note: %s\n", mdText(n))
	}
	if len(r.Notes) > 0 {
		b.WriteString("\n")
	}
	if r.Empty {
		b.WriteString("**No changes.**\n")
		_, err := io.WriteString(w, b.String())
		return err
	}
	fmt.Fprintf(&b, "**%s**\n\n", summary(r))
	section := func(title string, n int, header ...string) *mdTable {
		fmt.Fprintf(&b, "#### %s (%d)\n\n", title, n)
		return &mdTable{b: &b, header: header}
	}
	if len(r.Critical) > 0 {
		fmt.Fprintf(&b, "#### ⚠️ Critical changes (%d)\n\n", len(r.Critical))
		b.WriteString("In a project with records these lose data or change what stored values mean; an upload needs --allow-delete or --allow-critical for them.\n\n")
		for i, c := range r.Critical {
			if i == maxMarkdownRows {
				fmt.Fprintf(&b, "- … and %d more\n", len(r.Critical)-i)
				break
			}
			fmt.Fprintf(&b, "- **%s**: %s\n", c.Kind, mdText(c.Message))
		}
		b.WriteString("\n")
	}
	if len(r.FormsAdded) > 0 {
		t := section("Forms added", len(r.FormsAdded), "form", "fields")
		for _, f := range r.FormsAdded {
			t.row(mdName(f.Form), fmt.Sprint(f.Fields))
		}
		t.end()
	}
	if len(r.FormsRemoved) > 0 {
		t := section("Forms removed", len(r.FormsRemoved), "form", "fields")
		for _, f := range r.FormsRemoved {
			t.row(mdName(f.Form), fmt.Sprint(f.Fields))
		}
		t.end()
	}
	fieldTable := func(title string, fs []dictdiff.FieldInfo) {
		if len(fs) == 0 {
			return
		}
		t := section(title, len(fs), "field", "form", "type", "label")
		for _, f := range fs {
			t.row(mdName(f.Field), mdName(f.Form), mdText(typeText(f)), mdText(shorten(f.Label, labelExcerpt)))
		}
		t.end()
	}
	fieldTable("Fields added", r.FieldsAdded)
	fieldTable("Fields removed", r.FieldsRemoved)
	if len(r.FieldsRenamed) > 0 {
		t := section("Fields renamed", len(r.FieldsRenamed), "from", "to", "form")
		for _, rn := range r.FieldsRenamed {
			t.row(mdName(rn.From), mdName(rn.To), mdName(rn.Form))
		}
		t.end()
	}
	if len(r.FieldsChanged) > 0 {
		t := section("Fields changed", len(r.FieldsChanged), "field", "form", "column", "change")
		for _, f := range r.FieldsChanged {
			for _, c := range f.Columns {
				t.row(mdName(f.Field), mdName(f.Form), mdName(c.Column), mdChange(c))
			}
		}
		t.end()
	}
	if r.OrderChanged {
		b.WriteString("The order of the fields changes.\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}
