package output

import (
	"encoding/xml"
	"fmt"
	"io"
	"strings"

	"github.com/rcolpipe/rcolpipe/redcap"
)

// junitOutput writes one JUnit testsuite with one testcase per input file
// and a failure per error (per warning too, in strict mode), which CI
// systems show as a test report. Other findings go to the testcase's
// system-out.
type junitOutput struct{ opts Options }

type junitSuite struct {
	XMLName  xml.Name    `xml:"testsuite"`
	Name     string      `xml:"name,attr"`
	Tests    int         `xml:"tests,attr"`
	Failures int         `xml:"failures,attr"`
	Errors   int         `xml:"errors,attr"`
	Skipped  int         `xml:"skipped,attr"`
	Cases    []junitCase `xml:"testcase"`
}

type junitCase struct {
	Name      string         `xml:"name,attr"`
	ClassName string         `xml:"classname,attr"`
	Failures  []junitFailure `xml:"failure"`
	SystemOut string         `xml:"system-out,omitempty"`
}

type junitFailure struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",chardata"`
}

func (j junitOutput) Output(w io.Writer, r Findings) error {
	files, groups := byFile(r)
	suite := junitSuite{Name: "rcolpipe validate"}
	for _, file := range files {
		name := file
		if name == "" {
			name = "(dictionary)"
		}
		tc := junitCase{Name: name, ClassName: "rcolpipe.validate"}
		var out strings.Builder
		for _, d := range groups[file] {
			line := finding(d)
			if d.Severity == redcap.SeverityError || (j.opts.Strict && d.Severity == redcap.SeverityWarning) {
				tc.Failures = append(tc.Failures, junitFailure{Message: d.Message, Type: d.Code, Text: line})
				continue
			}
			out.WriteString(line)
			out.WriteByte('\n')
		}
		tc.SystemOut = out.String()
		suite.Failures += len(tc.Failures)
		suite.Cases = append(suite.Cases, tc)
	}
	suite.Tests = len(suite.Cases)
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(suite); err != nil {
		return fmt.Errorf("write junit: %w", err)
	}
	_, err := io.WriteString(w, "\n")
	return err
}

// finding renders a diagnostic on one line for the failure body.
func finding(d redcap.Diagnostic) string {
	var b strings.Builder
	b.WriteString(d.File)
	if d.Line > 0 {
		fmt.Fprintf(&b, ":%d", d.Line)
	}
	fmt.Fprintf(&b, ": %s %s", d.Severity, d.Code)
	if d.Field != "" {
		fmt.Fprintf(&b, " %s", d.Field)
	}
	if d.Column != "" {
		fmt.Fprintf(&b, " (%s)", d.Column)
	}
	fmt.Fprintf(&b, ": %s", d.Message)
	if d.Hint != "" {
		fmt.Fprintf(&b, " (hint: %s)", d.Hint)
	}
	return b.String()
}
