package output

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/rcolpipe/rcolpipe/redcap/api"
	"github.com/rcolpipe/rcolpipe/upload"
)

// WriteUpload writes what an upload (or diff) did: step by step (text), or
// the report with the error as one JSON object (json). rep may be nil when
// the upload stopped before its first step.
func WriteUpload(w io.Writer, rep *upload.Report, uploadErr error, format string) error {
	if format == FormatJSON {
		return writeUploadJSON(w, rep, uploadErr)
	}
	if rep != nil {
		if err := writeUploadText(w, rep, uploadErr); err != nil {
			return err
		}
	}
	var de *api.DictionaryErrors
	if errors.As(uploadErr, &de) {
		var b strings.Builder
		fmt.Fprintf(&b, "REDCap refused the dictionary (%d problem(s)):\n", len(de.Problems))
		for _, p := range de.Problems {
			fmt.Fprintf(&b, "  - %s\n", p)
		}
		_, err := io.WriteString(w, b.String())
		return err
	}
	return nil
}

func writeUploadJSON(w io.Writer, rep *upload.Report, err error) error {
	out := struct {
		*upload.Report
		Error string `json:"error,omitempty"`
	}{Report: rep}
	if rep == nil {
		out.Report = &upload.Report{}
	}
	if err != nil {
		out.Error = err.Error()
	}
	return writeJSON(w, out, true)
}

// writeUploadText prints the upload step by step.
func writeUploadText(w io.Writer, rep *upload.Report, uploadErr error) error {
	var b strings.Builder
	line := func(step, format string, args ...any) {
		fmt.Fprintf(&b, "%-9s %s\n", step, fmt.Sprintf(format, args...))
	}
	if len(rep.Preflight.Items) > 0 {
		if err := WriteCheck(&b, upload.CheckResult{OK: rep.Preflight.OK(), URL: rep.Preflight.URL, Checks: rep.Preflight.Items}, FormatText); err != nil {
			return err
		}
		b.WriteString("\n")
		if !rep.Preflight.OK() && rep.Sent == nil {
			_, err := io.WriteString(w, b.String())
			return err
		}
	}
	if rep.BackupPath != "" {
		line("backup", "%s (the project's dictionary before the upload; restore: rcolpipe upload --replace-all --allow-delete %s)", rep.BackupPath, rep.BackupPath)
	}
	if rep.Sent != nil {
		line("merge", "forms replaced: %s; added: %s; kept: %s", list(rep.Replaced), list(rep.Added), list(rep.Kept))
	}
	for _, n := range rep.Notes {
		line("", "%s", n.String())
	}
	if rep.Sent != nil {
		b.WriteString("diff\n")
		var db strings.Builder
		if err := rep.Diff.WriteText(&db); err != nil {
			return err
		}
		for _, l := range strings.Split(strings.TrimRight(db.String(), "\n"), "\n") {
			b.WriteString("  " + l + "\n")
		}
	}
	if rep.Structure != nil {
		b.WriteString("structure\n")
		for _, l := range rep.Structure.Lines() {
			b.WriteString("  " + l + "\n")
		}
		if rep.Structure.Empty() {
			b.WriteString("  (no change)\n")
		}
	}
	for _, wn := range rep.Warnings {
		line("note", "%s", wn)
	}
	if rep.PlanFile != "" {
		line("plan", "wrote %s: apply it with rcolpipe upload --url URL --plan %s (refused if the project changes first)", rep.PlanFile, rep.PlanFile)
	}
	if rep.DraftFile != "" {
		line("draft", "wrote %s: the whole merged dictionary (%d fields) in REDCap's Data Dictionary format; %s", rep.DraftFile, rep.Sent.Len(), upload.DraftAdvice)
	}
	switch {
	case uploadErr != nil:
	case rep.DraftFile != "":
		line("draft", "nothing was sent to REDCap")
	case rep.DryRun:
		line("dry-run", "stopped before the import; nothing was changed")
	case rep.Imported > 0:
		line("import", "REDCap imported %d fields", rep.Imported)
		line("verify", "ok: the project's dictionary now matches what was sent")
	case rep.Verified && !rep.Structure.Empty():
		line("verify", "ok: the project's structure now matches the files")
	case rep.Verified:
		line("import", "nothing to do: the project already holds this dictionary")
	}
	if len(rep.Steps) > 0 {
		var parts []string
		for _, s := range rep.Steps {
			parts = append(parts, fmt.Sprintf("%s %s", s.Step, s.Took.Round(100_000)))
		}
		line("timing", "%s", strings.Join(parts, ", "))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func list(xs []string) string {
	if len(xs) == 0 {
		return "-"
	}
	return strings.Join(xs, ", ")
}
