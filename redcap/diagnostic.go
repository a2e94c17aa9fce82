package redcap

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
)

// Severity orders findings: info < warning < error.
type Severity int

// Severities. SeverityOff is used only in configuration, to turn a rule off.
const (
	SeverityOff Severity = iota - 1
	SeverityInfo
	SeverityWarning
	SeverityError
)

// String returns "error", "warning", "info" or "off".
func (s Severity) String() string {
	switch s {
	case SeverityError:
		return "error"
	case SeverityWarning:
		return "warning"
	case SeverityInfo:
		return "info"
	case SeverityOff:
		return "off"
	}
	return fmt.Sprintf("severity(%d)", int(s))
}

// ParseSeverity reads "error", "warning", "info" or "off".
func ParseSeverity(s string) (Severity, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "error":
		return SeverityError, nil
	case "warning", "warn":
		return SeverityWarning, nil
	case "info":
		return SeverityInfo, nil
	case "off":
		return SeverityOff, nil
	}
	return SeverityOff, fmt.Errorf("unknown severity %q (want error, warning, info or off)", s)
}

// MarshalText writes the severity's name.
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText reads a severity's name.
func (s *Severity) UnmarshalText(b []byte) error {
	v, err := ParseSeverity(string(b))
	if err != nil {
		return err
	}
	*s = v
	return nil
}

// Diagnostic is a finding about a place in a dictionary. Readers produce
// them, every stage passes them on, and reports print them.
type Diagnostic struct {
	Severity Severity `json:"severity"`
	// Code is the stable code of the rule or reader check (e.g. "RC101").
	Code    string `json:"code"`
	Message string `json:"message"`
	// Hint says how to fix it.
	Hint string `json:"hint"`
	File string `json:"file"`
	// Line is the line in File where the finding is: for a finding about a
	// row, the line where the row starts (CSV record or JSON object).
	Line int `json:"line"`
	// Row is the 1-based index of the row in File (data rows of a CSV file,
	// objects of a JSON array), or 0 for a finding not about a row.
	Row int `json:"row,omitempty"`
	// Field is the field_name of the row, when the finding is about a row.
	Field string `json:"field"`
	// Column is the API key of the column (e.g. "branching_logic"), or "".
	Column string `json:"column"`
	// Stage names the stage that reported it ("load", "validate", a plugin stage).
	Stage string `json:"stage,omitempty"`
}

// At returns a diagnostic about column c of field f.
func At(f *Field, c Column, sev Severity, code, message, hint string) Diagnostic {
	return Diagnostic{
		Severity: sev,
		Code:     code,
		Message:  message,
		Hint:     hint,
		File:     f.Origin.File,
		Line:     f.Origin.Line,
		Row:      f.Origin.Row,
		Field:    f.FieldName,
		Column:   c.Key(),
	}
}

// String renders "file:line: severity code: message (field, column)".
func (d Diagnostic) String() string {
	d = d.Printable()
	var b strings.Builder
	if d.File != "" {
		b.WriteString(d.File)
		if d.Line > 0 {
			fmt.Fprintf(&b, ":%d", d.Line)
		}
		b.WriteString(": ")
	}
	fmt.Fprintf(&b, "%s %s: %s", d.Severity, d.Code, d.Message)
	if d.Field != "" || d.Column != "" {
		b.WriteString(" (")
		b.WriteString(d.Field)
		if d.Column != "" {
			if d.Field != "" {
				b.WriteString(", ")
			}
			b.WriteString(d.Column)
		}
		b.WriteString(")")
	}
	return b.String()
}

// Diagnostics is a list of findings.
type Diagnostics []Diagnostic

// Count returns how many findings have the given severity.
func (ds Diagnostics) Count(s Severity) int {
	n := 0
	for _, d := range ds {
		if d.Severity == s {
			n++
		}
	}
	return n
}

// HasErrors reports whether any finding is an error.
func (ds Diagnostics) HasErrors() bool { return ds.Count(SeverityError) > 0 }

// Error is an error that carries a diagnostic, for a refusal that must
// stop a stage (an unreadable file, a plugin that broke).
type Error struct {
	Diagnostic Diagnostic
}

func (e *Error) Error() string { return e.Diagnostic.String() }

// Printable returns s with what a terminal would act on written as escapes:
// control characters (but line feed and tab) and the bidirectional controls
// that reorder text on screen (Trojan Source). Field names and file names
// come from files under review, so text reports print them this way.
func Printable(s string) string {
	if !strings.ContainsFunc(s, unprintable) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if unprintable(r) {
			q := strconv.QuoteRune(r) // e.g. '\x1b' or '\u202e'
			b.WriteString(q[1 : len(q)-1])
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

func unprintable(r rune) bool {
	switch {
	case r == '\n' || r == '\t':
		return false
	case unicode.IsControl(r):
		return true
	case 0x202A <= r && r <= 0x202E, 0x2066 <= r && r <= 0x2069, r == 0x200E, r == 0x200F, r == 0x061C:
		return true
	}
	return false
}

// Printable returns d with its texts made Printable.
func (d Diagnostic) Printable() Diagnostic {
	d.File, d.Field, d.Column = Printable(d.File), Printable(d.Field), Printable(d.Column)
	d.Message, d.Hint = Printable(d.Message), Printable(d.Hint)
	return d
}
