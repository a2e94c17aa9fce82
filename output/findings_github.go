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
		if d.File != "" {
			props = append(props, "file="+githubProperty.Replace(artifact(d.File, g.opts.BaseDir)))
			if d.Line > 0 && !inZIP(d.File) {
				props = append(props, "line="+strconv.Itoa(d.Line))
			}
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
