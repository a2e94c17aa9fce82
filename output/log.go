package output

import (
	"github.com/rs/zerolog"

	"github.com/rcolpipe/rcolpipe/redcap"
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
