package output

import (
	"encoding/json"
	"io"
	"net/url"
	"sort"
	"strings"

	"github.com/rcolpipe/rcolpipe/redcap"
)

// sarifOutput writes SARIF 2.1.0, the format code-scanning services read:
// one run, the rules with their help text, one result per finding.
type sarifOutput struct{ opts Options }

type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool    sarifTool     `json:"tool"`
	Results []sarifResult `json:"results"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	Version        string      `json:"version,omitempty"`
	InformationURI string      `json:"informationUri"`
	Rules          []sarifRule `json:"rules"`
}

type sarifText struct {
	Text string `json:"text"`
}

type sarifRule struct {
	ID                   string      `json:"id"`
	ShortDescription     sarifText   `json:"shortDescription"`
	FullDescription      *sarifText  `json:"fullDescription,omitempty"`
	Help                 sarifText   `json:"help"`
	DefaultConfiguration sarifConfig `json:"defaultConfiguration"`
}

type sarifConfig struct {
	Level string `json:"level"`
}

type sarifResult struct {
	RuleID    string          `json:"ruleId"`
	RuleIndex int             `json:"ruleIndex"`
	Level     string          `json:"level"`
	Message   sarifText       `json:"message"`
	Locations []sarifLocation `json:"locations,omitempty"`
}

type sarifLocation struct {
	PhysicalLocation sarifPhysical `json:"physicalLocation"`
	// Properties name the member of an instrument ZIP and its line.
	Properties *sarifZIPMember `json:"properties,omitempty"`
}

type sarifZIPMember struct {
	Member     string `json:"member"`
	MemberLine int    `json:"memberLine,omitempty"`
}

type sarifPhysical struct {
	ArtifactLocation sarifArtifact `json:"artifactLocation"`
	Region           *sarifRegion  `json:"region,omitempty"`
}

type sarifArtifact struct {
	URI string `json:"uri"`
}

type sarifRegion struct {
	StartLine int `json:"startLine"`
}

func sarifLevel(s redcap.Severity) string {
	switch s {
	case redcap.SeverityError:
		return "error"
	case redcap.SeverityWarning:
		return "warning"
	}
	return "note"
}

func (s sarifOutput) Output(w io.Writer, r Findings) error {
	// Only the rules that have findings, so the log stays small; a code
	// without RuleInfo (a user schema's x-code) gets a rule made from it.
	info := map[string]RuleInfo{}
	for _, ri := range r.Rules {
		info[ri.Code] = ri
	}
	used := map[string]redcap.Diagnostic{}
	for _, d := range r.Diagnostics {
		if _, ok := used[d.Code]; !ok {
			used[d.Code] = d
		}
	}
	codes := make([]string, 0, len(used))
	for c := range used {
		codes = append(codes, c)
	}
	sort.Strings(codes)
	index := map[string]int{}
	rules := make([]sarifRule, 0, len(codes))
	for i, c := range codes {
		index[c] = i
		ri, ok := info[c]
		if !ok {
			d := used[c]
			ri = RuleInfo{Code: c, Severity: d.Severity, Title: c, Doc: ""}
		}
		title := ri.Title
		if title == "" {
			title = c
		}
		rule := sarifRule{
			ID:                   c,
			ShortDescription:     sarifText{title},
			Help:                 sarifText{helpText(ri)},
			DefaultConfiguration: sarifConfig{sarifLevel(ri.Severity)},
		}
		if ri.Doc != "" {
			rule.FullDescription = &sarifText{ri.Doc}
		}
		rules = append(rules, rule)
	}

	results := make([]sarifResult, 0, len(r.Diagnostics))
	for _, d := range r.Diagnostics {
		// Code-scanning UIs show only the message: say which field and
		// column, and how to fix it.
		msg := d.Message
		if where := fieldColumn(d); where != "" {
			msg = where + ": " + msg
		}
		if d.Hint != "" {
			msg += "\nHint: " + d.Hint
		}
		res := sarifResult{RuleID: d.Code, RuleIndex: index[d.Code], Level: sarifLevel(d.Severity), Message: sarifText{msg}}
		// Code scanning drops a result without a physical location: a
		// finding about a whole file points at its line 1, one about a ZIP
		// member at the archive (the member in properties).
		if l, ok := locate(d, s.opts.BaseDir, r.firstFile()); ok {
			loc := sarifLocation{PhysicalLocation: sarifPhysical{
				ArtifactLocation: sarifArtifact{URI: sarifURI(l.Path)},
				Region:           &sarifRegion{StartLine: l.Line},
			}}
			if l.Member != "" {
				loc.Properties = &sarifZIPMember{Member: l.Member, MemberLine: l.MemberLine}
			}
			res.Locations = []sarifLocation{loc}
		}
		results = append(results, res)
	}
	log := sarifLog{
		Schema:  "https://json.schemastore.org/sarif-2.1.0.json",
		Version: "2.1.0",
		Runs: []sarifRun{{
			Tool: sarifTool{Driver: sarifDriver{
				Name:           "rcolpipe",
				Version:        s.opts.ToolVersion,
				InformationURI: "https://github.com/rcolpipe/rcolpipe",
				Rules:          rules,
			}},
			Results: results,
		}},
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(log)
}

// sarifURI writes a path (forward slashes) as a URI reference: a relative
// path percent-encoded (spaces, %, #, ? and non-ASCII letters are escaped),
// an absolute one as a file: URI.
func sarifURI(path string) string {
	u := url.URL{Path: path}
	if strings.HasPrefix(path, "/") {
		u.Scheme = "file"
		return u.String()
	}
	if first, _, _ := strings.Cut(path, "/"); strings.Contains(first, ":") {
		u.Path = "./" + path // "a:b.csv" is not the scheme "a"
	}
	if len(path) >= 2 && path[1] == ':' { // a Windows drive, C:/...
		return (&url.URL{Scheme: "file", Path: "/" + path}).String()
	}
	return u.EscapedPath()
}

func helpText(ri RuleInfo) string {
	var parts []string
	if ri.Title != "" {
		parts = append(parts, ri.Title)
	}
	if ri.Doc != "" {
		parts = append(parts, ri.Doc)
	}
	if len(parts) == 0 {
		return ri.Code
	}
	return strings.Join(parts, "\n\n")
}
