package output

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/rcolpipe/rcolpipe/redcap"
)

func sample() Findings {
	return Findings{
		Files:  []string{"instruments/demo.csv", "phq9.json", "clean.csv"},
		Fields: 12,
		Diagnostics: redcap.Diagnostics{
			{Severity: redcap.SeverityError, Code: "RC101", Message: "field name \"Größe\" has characters REDCap deletes", Hint: "rename it to groesse", File: "instruments/demo.csv", Line: 5, Field: "Größe", Column: "field_name"},
			{Severity: redcap.SeverityWarning, Code: "RS005", Message: "identifier \"yes\" is not y,\nREDCap: blanks it", Hint: "write y", File: "instruments/demo.csv", Line: 3, Field: "age", Column: "identifier"},
			{Severity: redcap.SeverityInfo, Code: "INST001", Message: "text field has no note 100%", File: "phq9.json", Line: 2, Row: 1, Field: "q1", Column: "field_note"},
			{Severity: redcap.SeverityError, Code: "RD002", Message: "not a dictionary", File: "lib.zip!instrument.csv", Line: 4},
		},
		Rules: []RuleInfo{
			{Code: "RC101", Severity: redcap.SeverityError, Title: "Field names use only a-z, 0-9 and _", Doc: "REDCap deletes other characters."},
			{Code: "RS005", Severity: redcap.SeverityWarning, Title: "Flags are y or empty", Doc: "REDCap blanks other values."},
			{Code: "UNUSED", Severity: redcap.SeverityError, Title: "not used"},
		},
	}
}

func render(t *testing.T, format string, opts Options, r Findings) string {
	t.Helper()
	o, err := NewFindingsWriter(format, opts)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := o.Output(&b, r); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestNewUnknownFormatListsFormats(t *testing.T) {
	_, err := NewFindingsWriter("xml", Options{})
	if err == nil || !strings.Contains(err.Error(), "text, json, sarif, github, junit") {
		t.Fatalf("New(xml) error = %v, want it to list the formats", err)
	}
}

func TestText(t *testing.T) {
	got := render(t, "text", Options{}, sample())
	want := `instruments/demo.csv
  instruments/demo.csv:5  Größe  field_name  RC101  error: field name "Größe" has characters REDCap deletes
      hint: rename it to groesse
  instruments/demo.csv:3  age    identifier  RS005  warning: identifier "yes" is not y,\nREDCap: blanks it
      hint: write y

lib.zip!instrument.csv
  lib.zip!instrument.csv:4  -  -  RD002  error: not a dictionary

phq9.json
  phq9.json:2  q1  field_note  INST001  info: text field has no note 100%

by rule:
  RC101    1 error    Field names use only a-z, 0-9 and _
  RD002    1 error
  RS005    1 warning  Flags are y or empty
  INST001  1 info

2 errors, 1 warning, 1 info in 3 files (12 fields)
`
	if got != want {
		t.Errorf("text output:\n%s\nwant:\n%s", got, want)
	}
	if strings.Contains(got, "\x1b[") {
		t.Error("colour without Color option")
	}
	coloured := render(t, "text", Options{Color: true}, sample())
	if !strings.Contains(coloured, ansiRed+"error"+ansiReset) || !strings.Contains(coloured, ansiYellow+"warning"+ansiReset) {
		t.Errorf("Color option: no coloured severities in\n%s", coloured)
	}
}

func TestTextEmpty(t *testing.T) {
	got := render(t, "text", Options{}, Findings{Files: []string{"a.csv"}, Fields: 1})
	if got != "0 errors, 0 warnings, 0 infos in 1 file (1 field)\n" {
		t.Errorf("got %q", got)
	}
}

func TestJSONExactShape(t *testing.T) {
	for _, r := range []Findings{sample(), {Files: []string{"a.csv"}, Fields: 3}} {
		out := render(t, "json", Options{}, r)
		var doc map[string]any
		dec := json.NewDecoder(strings.NewReader(out))
		dec.UseNumber()
		if err := dec.Decode(&doc); err != nil {
			t.Fatalf("json output does not parse: %v\n%s", err, out)
		}
		if keys := sortedKeys(doc); !reflect.DeepEqual(keys, []string{"diagnostics", "summary"}) {
			t.Errorf("top-level keys %v", keys)
		}
		diags, ok := doc["diagnostics"].([]any)
		if !ok {
			t.Fatalf("diagnostics is %T, want an array (never null)", doc["diagnostics"])
		}
		if len(diags) != len(r.Diagnostics) {
			t.Errorf("%d diagnostics, want %d", len(diags), len(r.Diagnostics))
		}
		for i, d := range diags {
			m := d.(map[string]any)
			if keys := sortedKeys(m); !reflect.DeepEqual(keys, []string{"code", "column", "field", "file", "hint", "line", "message", "row", "severity"}) {
				t.Errorf("diagnostic keys %v", keys)
			}
			want := r.Diagnostics[i]
			if m["code"] != want.Code || m["severity"] != want.Severity.String() || m["line"] != json.Number(itoa(want.Line)) || m["row"] != json.Number(itoa(want.Row)) || m["message"] != want.Message {
				t.Errorf("diagnostic %d = %v, want %+v", i, m, want)
			}
		}
		sum := doc["summary"].(map[string]any)
		if keys := sortedKeys(sum); !reflect.DeepEqual(keys, []string{"errors", "fields", "files", "infos", "warnings"}) {
			t.Errorf("summary keys %v", keys)
		}
		s := Summarize(r)
		if sum["files"] != json.Number(itoa(s.Files)) || sum["fields"] != json.Number(itoa(s.Fields)) || sum["errors"] != json.Number(itoa(s.Errors)) {
			t.Errorf("summary %v, want %+v", sum, s)
		}
	}
	if out := render(t, "json", Options{}, Findings{}); !strings.Contains(out, `"diagnostics": []`) {
		t.Errorf("no findings: want an empty array, got\n%s", out)
	}
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func TestSARIF(t *testing.T) {
	out := render(t, "sarif", Options{ToolVersion: "1.2.3"}, sample())
	var log struct {
		Version string `json:"version"`
		Runs    []struct {
			Tool struct {
				Driver struct {
					Name    string `json:"name"`
					Version string `json:"version"`
					Rules   []struct {
						ID               string `json:"id"`
						ShortDescription struct{ Text string }
						Help             struct{ Text string }
					} `json:"rules"`
				} `json:"driver"`
			} `json:"tool"`
			Results []struct {
				RuleID    string `json:"ruleId"`
				RuleIndex int    `json:"ruleIndex"`
				Level     string `json:"level"`
				Message   struct{ Text string }
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct{ URI string }
						Region           *struct{ StartLine int }
					}
				}
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal([]byte(out), &log); err != nil {
		t.Fatalf("sarif is not JSON: %v", err)
	}
	if log.Version != "2.1.0" || len(log.Runs) != 1 {
		t.Fatalf("version %q, %d runs", log.Version, len(log.Runs))
	}
	run := log.Runs[0]
	if run.Tool.Driver.Name != "rcolpipe" || run.Tool.Driver.Version != "1.2.3" {
		t.Errorf("driver %+v", run.Tool.Driver)
	}
	var ids []string
	for _, r := range run.Tool.Driver.Rules {
		ids = append(ids, r.ID)
		if r.ShortDescription.Text == "" || r.Help.Text == "" {
			t.Errorf("rule %s lacks shortDescription or help", r.ID)
		}
	}
	if !reflect.DeepEqual(ids, []string{"INST001", "RC101", "RD002", "RS005"}) {
		t.Errorf("rules %v: want exactly the codes with findings", ids)
	}
	if h := run.Tool.Driver.Rules[1].Help.Text; !strings.Contains(h, "REDCap deletes other characters.") {
		t.Errorf("RC101 help %q lacks the doc", h)
	}
	if len(run.Results) != 4 {
		t.Fatalf("%d results", len(run.Results))
	}
	levels := map[string]string{}
	for _, res := range run.Results {
		levels[res.RuleID] = res.Level
		if ids[res.RuleIndex] != res.RuleID {
			t.Errorf("result %s has ruleIndex %d (%s)", res.RuleID, res.RuleIndex, ids[res.RuleIndex])
		}
	}
	if !reflect.DeepEqual(levels, map[string]string{"RC101": "error", "RS005": "warning", "INST001": "note", "RD002": "error"}) {
		t.Errorf("levels %v", levels)
	}
	first := run.Results[0]
	loc := first.Locations[0].PhysicalLocation
	if loc.ArtifactLocation.URI != "instruments/demo.csv" || loc.Region == nil || loc.Region.StartLine != 5 {
		t.Errorf("location %+v", loc)
	}
	if want := "Größe (field_name): field name \"Größe\" has characters REDCap deletes\nHint: rename it to groesse"; first.Message.Text != want {
		t.Errorf("result message %q, want %q", first.Message.Text, want)
	}
	zip := run.Results[3].Locations[0].PhysicalLocation
	if zip.ArtifactLocation.URI != "lib.zip" || zip.Region == nil || zip.Region.StartLine != 1 {
		t.Errorf("zip member location %+v: want the archive, line 1", zip)
	}
}

func TestGitHub(t *testing.T) {
	got := render(t, "github", Options{}, sample())
	want := "::error file=instruments/demo.csv,line=5,title=RC101::Größe (field_name): field name \"Größe\" has characters REDCap deletes%0Ahint: rename it to groesse\n" +
		"::warning file=instruments/demo.csv,line=3,title=RS005::age (identifier): identifier \"yes\" is not y,%0AREDCap: blanks it%0Ahint: write y\n" +
		"::notice file=phq9.json,line=2,title=INST001::q1 (field_note): text field has no note 100%25\n" +
		"::error file=lib.zip,line=1,title=RD002::lib.zip!instrument.csv:4: not a dictionary\n"
	if got != want {
		t.Errorf("github output:\n%s\nwant:\n%s", got, want)
	}
	// Property values escape : and ,
	d := redcap.Diagnostic{Severity: redcap.SeverityError, Code: "X", File: "a,b:c.csv", Line: 1, Message: "m"}
	got = render(t, "github", Options{}, Findings{Diagnostics: redcap.Diagnostics{d}})
	if got != "::error file=a%2Cb%3Ac.csv,line=1,title=X::m\n" {
		t.Errorf("property escaping: %q", got)
	}
}

func TestJUnit(t *testing.T) {
	for _, strict := range []bool{false, true} {
		out := render(t, "junit", Options{Strict: strict}, sample())
		var suite struct {
			XMLName  xml.Name `xml:"testsuite"`
			Tests    int      `xml:"tests,attr"`
			Failures int      `xml:"failures,attr"`
			Cases    []struct {
				Name     string `xml:"name,attr"`
				Failures []struct {
					Message string `xml:"message,attr"`
					Type    string `xml:"type,attr"`
					Text    string `xml:",chardata"`
				} `xml:"failure"`
				SystemOut string `xml:"system-out"`
			} `xml:"testcase"`
		}
		if err := xml.Unmarshal([]byte(out), &suite); err != nil {
			t.Fatalf("junit is not XML: %v\n%s", err, out)
		}
		var names []string
		for _, c := range suite.Cases {
			names = append(names, c.Name)
		}
		if !reflect.DeepEqual(names, []string{"instruments/demo.csv", "phq9.json", "clean.csv", "lib.zip!instrument.csv"}) {
			t.Errorf("testcases %v: want one per file", names)
		}
		wantFailures := 2
		if strict {
			wantFailures = 3
		}
		if suite.Tests != 4 || suite.Failures != wantFailures {
			t.Errorf("strict=%v: tests=%d failures=%d, want 4 and %d", strict, suite.Tests, suite.Failures, wantFailures)
		}
		demo := suite.Cases[0]
		if !strict && (len(demo.Failures) != 1 || demo.Failures[0].Type != "RC101" || !strings.Contains(demo.SystemOut, "RS005")) {
			t.Errorf("demo case %+v: want RC101 as failure, RS005 in system-out", demo)
		}
		if len(suite.Cases[2].Failures) != 0 {
			t.Errorf("clean.csv has failures")
		}
	}
}

func TestArtifactRelativeToBase(t *testing.T) {
	base := filepath.Join(string(filepath.Separator), "work", "repo")
	for _, tc := range []struct{ file, want string }{
		{filepath.Join(base, "instruments", "a.csv"), "instruments/a.csv"},
		{filepath.Join(base, "lib.zip") + "!instrument.csv", "lib.zip"},
		{filepath.Join(string(filepath.Separator), "elsewhere", "b.csv"), "/elsewhere/b.csv"},
		{"rel/c.csv", "rel/c.csv"},
	} {
		if got := artifact(tc.file, base); got != tc.want {
			t.Errorf("artifact(%q) = %q, want %q", tc.file, got, tc.want)
		}
	}
	d := redcap.Diagnostic{Severity: redcap.SeverityWarning, Code: "X", File: filepath.Join(base, "a.csv"), Line: 2, Message: "m"}
	got := render(t, "github", Options{BaseDir: base}, Findings{Diagnostics: redcap.Diagnostics{d}})
	if got != "::warning file=a.csv,line=2,title=X::m\n" {
		t.Errorf("github with BaseDir: %q", got)
	}
}

// Field names, file names and messages come from files under review: the
// text and GitHub reports write terminal controls and bidi overrides as
// escapes, never raw.
func TestTerminalReportsEscapeControls(t *testing.T) {
	d := redcap.Diagnostic{Severity: redcap.SeverityError, Code: "RC102", File: "in\x1b[2Jstr.csv", Line: 2,
		Field: "evil\x1b]0;pwned\x07", Column: "field_name", Message: "name \u202eexe.txt\u202c is odd", Hint: "rename\x1b[31m"}
	for _, format := range []string{"text", "github"} {
		out, err := NewFindingsWriter(format, Options{})
		if err != nil {
			t.Fatal(err)
		}
		var b strings.Builder
		if err := out.Output(&b, Findings{Diagnostics: redcap.Diagnostics{d}, Files: []string{d.File}, Fields: 1}); err != nil {
			t.Fatal(err)
		}
		got := b.String()
		if strings.ContainsAny(got, "\x1b\x07\u202e\u202c") {
			t.Errorf("%s report prints a raw control character: %q", format, got)
		}
		if !strings.Contains(got, `evil\x1b]0;pwned\a`) || !strings.Contains(got, `\u202e`) {
			t.Errorf("%s report does not show the controls as escapes: %q", format, got)
		}
	}
	if s := d.String(); strings.ContainsAny(s, "\x1b\x07\u202e") {
		t.Errorf("Diagnostic.String prints a raw control character: %q", s)
	}
}

// TestTextGroupsManyFindingsOfARule: a rule that fires many times in one
// file is one line with the count and the first fields (bridge2ai's
// dictionary gave 405 lines of the same RC109 hint); the error comes first
// although it is on the last line; --verbose lists every finding and
// --quiet only the summary.
func TestTextGroupsManyFindingsOfARule(t *testing.T) {
	r := Findings{Files: []string{"big.csv"}, Fields: 9,
		Rules: []RuleInfo{{Code: "RC109", Severity: redcap.SeverityWarning, Title: "Field name longer than 26 characters"}}}
	for i := range 5 {
		r.Diagnostics = append(r.Diagnostics, redcap.Diagnostic{Severity: redcap.SeverityWarning, Code: "RC109",
			Message: "long name", Hint: "Shorten the name.", File: "big.csv", Line: i + 2, Field: "long_name_" + string(rune('a'+i)), Column: "field_name"})
	}
	r.Diagnostics = append(r.Diagnostics, redcap.Diagnostic{Severity: redcap.SeverityError, Code: "RC102",
		Message: "bad name", Hint: "Rename it.", File: "big.csv", Line: 9, Field: "Bad", Column: "field_name"})
	got := render(t, "text", Options{}, r)
	want := `big.csv
  big.csv:9  Bad       field_name  RC102  error: bad name
      hint: Rename it.
  big.csv:2  5 fields  field_name  RC109  warning: 5 times: Field name longer than 26 characters; e.g. long_name_a (line 2), long_name_b (line 3), long_name_c (line 4), ... (--verbose lists all)
      hint: Shorten the name.

by rule:
  RC102  1 error
  RC109  5 warnings  Field name longer than 26 characters

1 error, 5 warnings, 0 infos in 1 file (9 fields)
`
	if got != want {
		t.Errorf("text output:\n%s\nwant:\n%s", got, want)
	}
	verbose := render(t, "text", Options{Verbose: true}, r)
	if n := strings.Count(verbose, "RC109  warning: long name"); n != 5 {
		t.Errorf("--verbose: %d RC109 lines, want 5:\n%s", n, verbose)
	}
	if quiet := render(t, "text", Options{Quiet: true}, r); quiet != "1 error, 5 warnings, 0 infos in 1 file (9 fields)\n" {
		t.Errorf("--quiet: %q", quiet)
	}
}
