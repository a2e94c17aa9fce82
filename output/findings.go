package output

import (
	"fmt"
	"io"
	"path/filepath"
	"sort"
	"strings"

	"github.com/rcolpipe/rcolpipe/redcap"
)

// Findings is what a findings report is about.
type Findings struct {
	Diagnostics redcap.Diagnostics
	// Files are the inputs that were read, in order.
	Files []string
	// Fields is the number of fields (rows) validated.
	Fields int
	// Rules describe the codes, for formats that carry help (sarif).
	Rules []RuleInfo
}

// printable returns a copy of r whose texts are redcap.Printable, for the
// formats a terminal or a CI log shows as they are (text, github).
func (r Findings) printable() Findings {
	ds := make(redcap.Diagnostics, len(r.Diagnostics))
	for i, d := range r.Diagnostics {
		ds[i] = d.Printable()
	}
	files := make([]string, len(r.Files))
	for i, f := range r.Files {
		files[i] = redcap.Printable(f)
	}
	r.Diagnostics, r.Files = ds, files
	return r
}

// AtLeast returns r with only the findings of severity min or above; the
// summary counts those.
func (r Findings) AtLeast(min redcap.Severity) Findings {
	if min <= redcap.SeverityInfo {
		return r
	}
	kept := make(redcap.Diagnostics, 0, len(r.Diagnostics))
	for _, d := range r.Diagnostics {
		if d.Severity >= min {
			kept = append(kept, d)
		}
	}
	r.Diagnostics = kept
	return r
}

// RuleInfo describes one rule code.
type RuleInfo struct {
	Code     string
	Severity redcap.Severity
	Title    string
	Doc      string
}

// Outputter writes Findings in one format.
type Outputter interface {
	Output(w io.Writer, r Findings) error
}

// Options configure the outputters.
type Options struct {
	// Color turns on ANSI colour in the text format; set it only when the
	// output is a terminal.
	Color bool
	// Strict makes warnings count as failures (junit).
	Strict bool
	// Verbose lists every finding in the text format, where many findings
	// of one rule in one file are otherwise one line with the count.
	Verbose bool
	// Quiet writes only the summary line in the text format.
	Quiet bool
	// ToolVersion is written into sarif.
	ToolVersion string
	// BaseDir, when set, turns absolute file paths under it into paths
	// relative to it in sarif and github output, which code-scanning and
	// annotations resolve against the repository root.
	BaseDir string
}

// FindingFormats lists the format names NewFindingsWriter accepts.
func FindingFormats() []string { return []string{"text", "json", "sarif", "github", "junit"} }

// NewFindingsWriter returns the outputter for a format name.
func NewFindingsWriter(format string, opts Options) (Outputter, error) {
	switch format {
	case "text":
		return textOutput{opts}, nil
	case "json":
		return jsonOutput{}, nil
	case "sarif":
		return sarifOutput{opts}, nil
	case "github":
		return githubOutput{opts}, nil
	case "junit":
		return junitOutput{opts}, nil
	}
	return nil, fmt.Errorf("unknown format %q (want one of %s)", format, strings.Join(FindingFormats(), ", "))
}

// Summary counts the findings of a result.
type Summary struct {
	Files    int `json:"files"`
	Fields   int `json:"fields"`
	Errors   int `json:"errors"`
	Warnings int `json:"warnings"`
	Infos    int `json:"infos"`
}

// Summarize counts errors, warnings and infos.
func Summarize(r Findings) Summary {
	return Summary{
		Files:    len(r.Files),
		Fields:   r.Fields,
		Errors:   r.Diagnostics.Count(redcap.SeverityError),
		Warnings: r.Diagnostics.Count(redcap.SeverityWarning),
		Infos:    r.Diagnostics.Count(redcap.SeverityInfo),
	}
}

// String renders "N errors, N warnings, N infos in F files (N fields)".
func (s Summary) String() string {
	return fmt.Sprintf("%s, %s, %s in %s (%s)",
		plural(s.Errors, "error"), plural(s.Warnings, "warning"), plural(s.Infos, "info"),
		plural(s.Files, "file"), plural(s.Fields, "field"))
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// byFile groups diagnostics by file in the order of r.Files (files not in
// that list follow in name order; findings without a file come last),
// each group sorted by line, then code.
func byFile(r Findings) (files []string, groups map[string]redcap.Diagnostics) {
	groups = map[string]redcap.Diagnostics{}
	for _, d := range r.Diagnostics {
		groups[d.File] = append(groups[d.File], d)
	}
	seen := map[string]bool{}
	for _, f := range r.Files {
		if !seen[f] {
			seen[f] = true
			files = append(files, f)
		}
	}
	var extra []string
	for f := range groups {
		if !seen[f] && f != "" {
			extra = append(extra, f)
		}
	}
	sort.Strings(extra)
	files = append(files, extra...)
	if _, ok := groups[""]; ok {
		files = append(files, "")
	}
	for _, g := range groups {
		sort.SliceStable(g, func(i, j int) bool {
			if g[i].Line != g[j].Line {
				return g[i].Line < g[j].Line
			}
			return g[i].Code < g[j].Code
		})
	}
	return files, groups
}

// artifact returns the file a location points at, with forward slashes:
// for a member of an instrument ZIP ("a.zip!instrument.csv") that is the
// archive. An absolute path under base becomes relative to base.
func artifact(file, base string) string {
	file, _, _ = redcap.ZIPMember(file)
	if base != "" && filepath.IsAbs(file) {
		if rel, err := filepath.Rel(base, file); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			file = rel
		}
	}
	return filepath.ToSlash(file)
}

// location is where a finding points in a file a reviewer can open.
type location struct {
	// Path is the artifact (for a ZIP member: the archive), with forward
	// slashes, relative to the base folder when it is under it.
	Path string
	// Line is the line in Path: the finding's line, or 1 for a finding
	// about a whole file or about a member of an archive, so that every
	// finding can be shown on a line.
	Line int
	// Member and MemberLine name the archive member and its line.
	Member     string
	MemberLine int
}

// locate returns the location of d, or false for a finding that names no
// file; fallback (the first input) is used for a dictionary-level finding
// without a file.
func locate(d redcap.Diagnostic, base, fallback string) (location, bool) {
	file := d.File
	if file == "" {
		file = fallback
	}
	if file == "" {
		return location{}, false
	}
	loc := location{Path: artifact(file, base), Line: 1}
	if _, member, ok := redcap.ZIPMember(file); ok {
		loc.Member, loc.MemberLine = member, d.Line
	} else if d.Line > 0 {
		loc.Line = d.Line
	}
	return loc, true
}

// firstFile returns the first input, for findings about the whole
// dictionary.
func (r Findings) firstFile() string {
	if len(r.Files) > 0 {
		return r.Files[0]
	}
	return ""
}

// inZIP reports whether file names a member of an instrument ZIP, whose
// lines are not lines of the archive a location points at.
func inZIP(file string) bool {
	_, _, ok := redcap.ZIPMember(file)
	return ok
}

// fieldColumn renders "field (column)", "field", "column" or "".
func fieldColumn(d redcap.Diagnostic) string {
	switch {
	case d.Field != "" && d.Column != "":
		return d.Field + " (" + d.Column + ")"
	case d.Field != "":
		return d.Field
	}
	return d.Column
}
