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
