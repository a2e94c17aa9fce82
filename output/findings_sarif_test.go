package output

import (
	"encoding/json"
	"regexp"
	"testing"

	"github.com/rcolpipe/rcolpipe/redcap"
)

// TestSARIFCleanRunHasEmptyResults: code-scanning services read a run
// whose "results" is null (or missing) as a broken upload, not as a clean
// one, so a run without findings must say "results": [] (and "rules": []).
func TestSARIFCleanRunHasEmptyResults(t *testing.T) {
	clean := Findings{Files: []string{"clean.csv"}, Fields: 3, Rules: sample().Rules}
	out := render(t, "sarif", Options{ToolVersion: "1.2.3"}, clean)
	for _, want := range []string{`"results": []`, `"rules": []`} {
		if !regexp.MustCompile(regexp.QuoteMeta(want)).MatchString(out) {
			t.Errorf("clean run lacks %s:\n%s", want, out)
		}
	}
	var log struct {
		Runs []map[string]json.RawMessage `json:"runs"`
	}
	if err := json.Unmarshal([]byte(out), &log); err != nil {
		t.Fatalf("sarif is not JSON: %v", err)
	}
	if len(log.Runs) != 1 || string(log.Runs[0]["results"]) != "[]" {
		t.Errorf("runs[0].results = %s, want []", log.Runs[0]["results"])
	}
}

// TestSARIFDefaultConfigurationMatchesSeverity: each rule's
// defaultConfiguration.level is the level of the rule's own severity (from
// its RuleInfo, or, for a code without one, from its finding), which is
// what code scanning shows when a result carries no level of its own.
func TestSARIFDefaultConfigurationMatchesSeverity(t *testing.T) {
	r := sample()
	// RS005 is a warning by default but reported as an error here (a
	// --rule override): the rule's default stays a warning.
	r.Diagnostics = append(redcap.Diagnostics{{Severity: redcap.SeverityError, Code: "RS005", Message: "again", File: "phq9.json", Line: 7}}, r.Diagnostics...)
	out := render(t, "sarif", Options{}, r)
	var log struct {
		Runs []struct {
			Tool struct {
				Driver struct {
					Rules []struct {
						ID                   string `json:"id"`
						DefaultConfiguration *struct {
							Level string `json:"level"`
						} `json:"defaultConfiguration"`
					} `json:"rules"`
				} `json:"driver"`
			} `json:"tool"`
		} `json:"runs"`
	}
	if err := json.Unmarshal([]byte(out), &log); err != nil {
		t.Fatalf("sarif is not JSON: %v", err)
	}
	want := map[string]string{"RC101": "error", "RS005": "warning", "INST001": "note", "RD002": "error"}
	got := map[string]string{}
	for _, rule := range log.Runs[0].Tool.Driver.Rules {
		if rule.DefaultConfiguration == nil {
			t.Errorf("rule %s has no defaultConfiguration", rule.ID)
			continue
		}
		got[rule.ID] = rule.DefaultConfiguration.Level
	}
	for code, level := range want {
		if got[code] != level {
			t.Errorf("rule %s: defaultConfiguration.level %q, want %q", code, got[code], level)
		}
	}
	if len(got) != len(want) {
		t.Errorf("rules %v, want %v", got, want)
	}
}

// TestSARIFEveryResultHasALocation: code scanning drops a result without a
// physical location, so a finding about a whole file points at line 1 of
// it, a dictionary-level finding at the first input, a ZIP member's at the
// archive with the member and its line in properties; URIs are relative
// and percent-encoded, absolute paths outside the base are file: URIs.
func TestSARIFEveryResultHasALocation(t *testing.T) {
	r := Findings{
		Files: []string{"forms/my form.csv", "lib.zip"},
		Diagnostics: redcap.Diagnostics{
			{Severity: redcap.SeverityWarning, Code: "RD003", Message: "Windows-1252", File: "forms/my form.csv"},
			{Severity: redcap.SeverityError, Code: "RC801", Message: "no fields"},
			{Severity: redcap.SeverityError, Code: "RC101", Message: "bad", File: "lib.zip!instrument.csv", Line: 4, Row: 3},
			{Severity: redcap.SeverityError, Code: "RC102", Message: "bad", File: "größe#1?.json", Line: 7, Row: 2},
			{Severity: redcap.SeverityError, Code: "RC103", Message: "bad", File: "/elsewhere/a b.csv", Line: 2},
		},
	}
	out := render(t, "sarif", Options{}, r)
	var log struct {
		Runs []struct {
			Results []struct {
				RuleID    string `json:"ruleId"`
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct{ URI string }
						Region           *struct{ StartLine int }
					}
					Properties map[string]any
				}
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal([]byte(out), &log); err != nil {
		t.Fatalf("sarif is not JSON: %v", err)
	}
	want := map[string]struct {
		uri  string
		line int
	}{
		"RD003": {"forms/my%20form.csv", 1},
		"RC801": {"forms/my%20form.csv", 1},
		"RC101": {"lib.zip", 1},
		"RC102": {"gr%C3%B6%C3%9Fe%231%3F.json", 7},
		"RC103": {"file:///elsewhere/a%20b.csv", 2},
	}
	for _, res := range log.Runs[0].Results {
		w := want[res.RuleID]
		if len(res.Locations) != 1 {
			t.Errorf("%s: %d locations, want 1", res.RuleID, len(res.Locations))
			continue
		}
		loc := res.Locations[0]
		if loc.PhysicalLocation.ArtifactLocation.URI != w.uri || loc.PhysicalLocation.Region == nil || loc.PhysicalLocation.Region.StartLine != w.line {
			t.Errorf("%s: location %+v, want %s line %d", res.RuleID, loc.PhysicalLocation, w.uri, w.line)
		}
		if res.RuleID == "RC101" && (loc.Properties["member"] != "instrument.csv" || loc.Properties["memberLine"] != float64(4)) {
			t.Errorf("zip member properties %v", loc.Properties)
		}
	}
}
