package output

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/rcolpipe/rcolpipe/redcap"
)

// textOutput is for people: findings grouped by file, one line each with
// file:line, field, column, code and message, a hint line under it, and a
// summary line.
type textOutput struct{ opts Options }

const (
	ansiReset  = "\x1b[0m"
	ansiBold   = "\x1b[1m"
	ansiRed    = "\x1b[31m"
	ansiYellow = "\x1b[33m"
	ansiCyan   = "\x1b[36m"
	ansiDim    = "\x1b[2m"
)

func (t textOutput) paint(code, s string) string {
	if !t.opts.Color || s == "" {
		return s
	}
	return code + s + ansiReset
}

func (t textOutput) severity(s redcap.Severity) string {
	switch s {
	case redcap.SeverityError:
		return t.paint(ansiRed, "error")
	case redcap.SeverityWarning:
		return t.paint(ansiYellow, "warning")
	}
	return t.paint(ansiCyan, s.String())
}

func (t textOutput) Output(w io.Writer, r Findings) error {
	r = r.printable()
	bw := bufio.NewWriter(w)
	files, groups := byFile(r)
	for _, file := range files {
		g := groups[file]
		if len(g) == 0 {
			continue
		}
		name := file
		if name == "" {
			name = "(no file)"
		}
		fmt.Fprintln(bw, t.paint(ansiBold, name))
		// Pad the first four columns so messages line up within a file.
		rows := make([][4]string, len(g))
		var width [4]int
		for i, d := range g {
			loc := file
			if d.Line > 0 {
				loc += ":" + strconv.Itoa(d.Line)
			}
			rows[i] = [4]string{loc, dash(d.Field), dash(d.Column), dash(d.Code)}
			for j, s := range rows[i] {
				width[j] = max(width[j], utf8.RuneCountInString(s))
			}
		}
		for i, d := range g {
			var b strings.Builder
			b.WriteString("  ")
			for j, s := range rows[i] {
				b.WriteString(s)
				b.WriteString(strings.Repeat(" ", width[j]-utf8.RuneCountInString(s)+2))
			}
			fmt.Fprintf(bw, "%s%s: %s\n", b.String(), t.severity(d.Severity), oneLine(d.Message))
			if d.Hint != "" {
				fmt.Fprintf(bw, "      %s %s\n", t.paint(ansiDim, "hint:"), oneLine(d.Hint))
			}
		}
		fmt.Fprintln(bw)
	}
	fmt.Fprintln(bw, Summarize(r).String())
	return bw.Flush()
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// oneLine keeps a finding on its line: cell values may hold newlines.
func oneLine(s string) string {
	if !strings.ContainsAny(s, "\r\n") {
		return s
	}
	return strings.NewReplacer("\r\n", `\n`, "\n", `\n`, "\r", `\r`).Replace(s)
}
