package output

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/rcolpipe/rcolpipe/redcap"
)

// githubOutput writes GitHub Actions workflow commands, which show up as
// annotations on the pull request's files:
//
//	::error file=instruments/a.csv,line=5,title=RC101::message
type githubOutput struct{ opts Options }

// Escaping as GitHub's actions/toolkit does it: data may not hold raw
// newlines or %; property values additionally not : or ,.
var (
	githubData     = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A")
	githubProperty = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C")
)

func githubCommand(s redcap.Severity) string {
	switch s {
	case redcap.SeverityError:
		return "error"
	case redcap.SeverityWarning:
		return "warning"
	}
	return "notice"
}

func (g githubOutput) Output(w io.Writer, r Findings) error {
	r = r.printable()
	bw := bufio.NewWriter(w)
	for _, d := range r.Diagnostics {
		var props []string
		// The same location as sarif: a finding about a whole file (or a
		// ZIP member) sits on line 1, so every annotation shows on a line.
		if l, ok := locate(d, g.opts.BaseDir, r.firstFile()); ok {
			props = append(props, "file="+githubProperty.Replace(l.Path), "line="+strconv.Itoa(l.Line))
		}
		props = append(props, "title="+githubProperty.Replace(d.Code))
		msg := d.Message
		if where := fieldColumn(d); where != "" {
			msg = where + ": " + msg
		}
		if inZIP(d.File) {
			// The annotation sits on the archive; say which member and line.
			msg = fmt.Sprintf("%s:%d: %s", d.File, d.Line, msg)
		}
		if d.Hint != "" {
			msg += "\nhint: " + d.Hint
		}
		fmt.Fprintf(bw, "::%s %s::%s\n", githubCommand(d.Severity), strings.Join(props, ","), githubData.Replace(msg))
	}
	return bw.Flush()
}
