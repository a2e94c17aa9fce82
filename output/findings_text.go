package output

import (
	"bufio"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/rcolpipe/rcolpipe/redcap"
)

// textOutput is for people: findings grouped by file, errors first, then
// by line, one line each with file:line, field, column, code and message and
// a hint line under it; a rule that fires more than groupAbove times in a
// file is one line with the count and the first fields (unless Verbose);
// then a count per rule and the summary line. Quiet writes the summary
// line alone.
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

// groupAbove is how many findings of one rule in one file are listed one by
// one; more become one line with the count (Options.Verbose lists all).
const groupAbove = 3

// groupExamples is how many fields a grouped line names.
const groupExamples = 3

func (t textOutput) Output(w io.Writer, r Findings) error {
	r = r.printable()
	bw := bufio.NewWriter(w)
	if t.opts.Quiet {
		fmt.Fprintln(bw, Summarize(r).String())
		return bw.Flush()
	}
	titles := map[string]string{}
	for _, ri := range r.Rules {
		titles[ri.Code] = ri.Title
	}
	files, groups := byFile(r)
	// Files with errors first, then those with warnings, ...
	worst := func(file string) int {
		w := int(redcap.SeverityOff)
		for _, d := range groups[file] {
			w = max(w, int(d.Severity))
		}
		return w
	}
	slices.SortStableFunc(files, func(a, b string) int { return worst(b) - worst(a) })
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
		lines := t.fileLines(file, bySeverity(g), titles)
		// Pad the first four columns so messages line up within a file.
		var width [4]int
		for _, l := range lines {
			for j, s := range l.cols {
				width[j] = max(width[j], utf8.RuneCountInString(s))
			}
		}
		for _, l := range lines {
			var b strings.Builder
			b.WriteString("  ")
			for j, s := range l.cols {
				b.WriteString(s)
				b.WriteString(strings.Repeat(" ", width[j]-utf8.RuneCountInString(s)+2))
			}
			fmt.Fprintf(bw, "%s%s: %s\n", b.String(), t.severity(l.severity), oneLine(l.message))
			if l.hint != "" {
				fmt.Fprintf(bw, "      %s %s\n", t.paint(ansiDim, "hint:"), oneLine(l.hint))
			}
		}
		fmt.Fprintln(bw)
	}
	if len(r.Diagnostics) > 0 {
		t.ruleSummary(bw, r.Diagnostics, titles)
	}
	fmt.Fprintln(bw, Summarize(r).String())
	return bw.Flush()
}

// textLine is one finding, or one line for many findings of a rule.
type textLine struct {
	cols     [4]string // location, field, column, code
	severity redcap.Severity
	message  string
	hint     string
}

// bySeverity returns g (sorted by line) sorted by severity, errors first,
// then by line.
func bySeverity(g redcap.Diagnostics) redcap.Diagnostics {
	out := slices.Clone(g)
	slices.SortStableFunc(out, func(a, b redcap.Diagnostic) int { return int(b.Severity) - int(a.Severity) })
	return out
}

// fileLines renders the findings of one file; a rule (at one severity)
// with more than groupAbove findings becomes one line at its first
// finding, unless Verbose.
func (t textOutput) fileLines(file string, g redcap.Diagnostics, titles map[string]string) []textLine {
	type key struct {
		code string
		sev  redcap.Severity
	}
	// Only findings about fields are grouped: their messages differ by the
	// field alone. Findings about a file each say something of their own.
	count := map[key]int{}
	for _, d := range g {
		if d.Field != "" {
			count[key{d.Code, d.Severity}]++
		}
	}
	loc := func(d redcap.Diagnostic) string {
		if d.Line > 0 {
			return file + ":" + strconv.Itoa(d.Line)
		}
		return file
	}
	var lines []textLine
	done := map[key]bool{}
	for _, d := range g {
		k := key{d.Code, d.Severity}
		if t.opts.Verbose || d.Field == "" || count[k] <= groupAbove {
			lines = append(lines, textLine{cols: [4]string{loc(d), dash(d.Field), dash(d.Column), dash(d.Code)},
				severity: d.Severity, message: d.Message, hint: d.Hint})
			continue
		}
		if done[k] {
			continue
		}
		done[k] = true
		var same redcap.Diagnostics
		for _, o := range g {
			if o.Code == d.Code && o.Severity == d.Severity && o.Field != "" {
				same = append(same, o)
			}
		}
		lines = append(lines, groupLine(loc(d), same, titles[d.Code]))
	}
	return lines
}

// groupLine is the one line for many findings of a rule in a file: the
// count, the rule's title (else the first message), the first few fields
// with their lines, and the hint when all findings share it.
func groupLine(loc string, same redcap.Diagnostics, title string) textLine {
	first := same[0]
	column := first.Column
	hint := first.Hint
	for _, d := range same[1:] {
		if d.Column != column {
			column = ""
		}
		if d.Hint != hint {
			hint = ""
		}
	}
	what := title
	if what == "" {
		what = first.Message
	}
	var examples []string
	for _, d := range same[:min(len(same), groupExamples)] {
		ex := dash(d.Field)
		if d.Line > 0 {
			ex += fmt.Sprintf(" (line %d)", d.Line)
		}
		examples = append(examples, ex)
	}
	msg := fmt.Sprintf("%d times: %s; e.g. %s, ... (--verbose lists all)", len(same), what, strings.Join(examples, ", "))
	if hint == "" {
		hint = "as for " + dash(first.Field) + ": " + first.Hint
		if first.Hint == "" {
			hint = ""
		}
	}
	return textLine{cols: [4]string{loc, fmt.Sprintf("%d fields", len(same)), dash(column), first.Code},
		severity: first.Severity, message: msg, hint: hint}
}

// ruleSummary writes one line per rule: code, count by severity, title;
// errors first, then by count.
func (t textOutput) ruleSummary(w io.Writer, ds redcap.Diagnostics, titles map[string]string) {
	type ruleCount struct {
		code string
		sev  redcap.Severity
		n    int
	}
	var counts []*ruleCount
	index := map[[2]string]*ruleCount{}
	for _, d := range ds {
		k := [2]string{d.Code, d.Severity.String()}
		if c, ok := index[k]; ok {
			c.n++
			continue
		}
		c := &ruleCount{code: d.Code, sev: d.Severity, n: 1}
		index[k] = c
		counts = append(counts, c)
	}
	slices.SortStableFunc(counts, func(a, b *ruleCount) int {
		if a.sev != b.sev {
			return int(b.sev) - int(a.sev)
		}
		if a.n != b.n {
			return b.n - a.n
		}
		return strings.Compare(a.code, b.code)
	})
	codeWidth, countWidth := 0, 0
	rendered := make([]string, len(counts))
	for i, c := range counts {
		rendered[i] = plural(c.n, c.sev.String())
		codeWidth = max(codeWidth, utf8.RuneCountInString(c.code))
		countWidth = max(countWidth, len(rendered[i]))
	}
	fmt.Fprintln(w, "by rule:")
	for i, c := range counts {
		line := fmt.Sprintf("  %-*s  %-*s  %s", codeWidth, c.code, countWidth, rendered[i], titles[c.code])
		fmt.Fprintln(w, strings.TrimRight(line, " "))
	}
	fmt.Fprintln(w)
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
