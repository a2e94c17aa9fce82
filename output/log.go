package output

import (
	"fmt"
	"io"
	"strings"

	"github.com/rs/zerolog"

	"github.com/rcolpipe/rcolpipe/redcap"
	"github.com/rcolpipe/rcolpipe/redcap/sandbox"
)

// LogDiagnostics writes each diagnostic to the log (stderr) at the level of
// its severity, as "file:line: severity code: message", with its hint as a
// field. stdout stays free for the command's result (convert -o - writes
// the dictionary there).
func LogDiagnostics(log zerolog.Logger, diags redcap.Diagnostics) {
	for _, d := range diags {
		lvl := zerolog.InfoLevel
		switch d.Severity {
		case redcap.SeverityError:
			lvl = zerolog.ErrorLevel
		case redcap.SeverityWarning:
			lvl = zerolog.WarnLevel
		}
		ev := log.WithLevel(lvl)
		if d.Hint != "" {
			ev = ev.Str("hint", d.Hint)
		}
		ev.Msg(d.String())
	}
}

// NewLogger is the log on w at level (debug, info, warn, error) in format
// console (lines for people, no timestamps) or json (one object a line,
// with a timestamp).
func NewLogger(w io.Writer, level, format string) (zerolog.Logger, error) {
	lvl, err := zerolog.ParseLevel(strings.ToLower(level))
	if err != nil || level == "" {
		return zerolog.Logger{}, fmt.Errorf("--log-level %q: want debug, info, warn or error", level)
	}
	switch format {
	case "json":
		return zerolog.New(w).Level(lvl).With().Timestamp().Logger(), nil
	case "console":
		cw := zerolog.ConsoleWriter{Out: w, NoColor: true, PartsExclude: []string{zerolog.TimestampFieldName}}
		return zerolog.New(cw).Level(lvl), nil
	}
	return zerolog.Logger{}, fmt.Errorf("--log-format %q: want console or json", format)
}

// SandboxRequestLogger logs each request the sandbox answers: info, or
// warn for an error status or a dropped connection, with the fault
// injected if any.
func SandboxRequestLogger(log zerolog.Logger) func(sandbox.RequestInfo) {
	return func(ri sandbox.RequestInfo) {
		ev := log.Info()
		if ri.Status >= 400 || ri.Status == 0 {
			ev = log.Warn()
		}
		if ri.Fault != "" {
			ev = ev.Str("fault", ri.Fault)
		}
		ev.Str("content", ri.Content).Str("action", ri.Action).Str("format", ri.Format).
			Str("user", ri.Username).Int("status", ri.Status).
			Stringer("took", ri.Duration).Msg(ri.Method + " " + ri.Path)
	}
}
