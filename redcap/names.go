package redcap

import (
	"fmt"
	"strings"

	"github.com/rcolpipe/rcolpipe/internal/lazyre"
)

// How REDCap cleans and judges field, form and checkbox-code names
// (REDCap 15.7.6, docs/redcap.md). The validator, the sandbox and the
// plugins all use these functions; none keeps its own copy.

// Field-name lengths: REDCap refuses longer names and advises shorter ones.
const (
	MaxFieldNameLen     = 100
	AdvisedFieldNameLen = 26
)

// validFieldName is REDCap's rule for a field name as it is stored: a
// lower-case letter first, then [a-z0-9_], not ending in '_' (the double
// underscore is checked apart).
var validFieldName = lazyre.New(`^[a-z](?:[a-z0-9_]*[a-z0-9])?$`)

// FieldNameProblem says why name is not a field name REDCap stores as it is
// ("" if it is one): too long, characters outside [a-z0-9_], a leading
// digit or underscore, a trailing underscore, a double underscore, or a
// reserved name (IsReservedFieldName).
func FieldNameProblem(name string) string {
	switch {
	case len(name) > MaxFieldNameLen:
		return fmt.Sprintf("is %d characters long; REDCap allows at most %d", len(name), MaxFieldNameLen)
	case !validFieldName.MatchString(name):
		return "must be lower-case letters, digits and underscores, start with a letter and not end with an underscore"
	case strings.Contains(name, "__"):
		return "contains a double underscore, which REDCap changes or refuses"
	case IsReservedFieldName(name):
		return "is a name REDCap reserves"
	}
	return ""
}

// IsNameByte reports whether b may appear in a field or form name: a-z,
// 0-9 or '_'.
func IsNameByte(b byte) bool {
	return b >= 'a' && b <= 'z' || b >= '0' && b <= '9' || b == '_'
}

// HasOnlyNameBytes reports whether s holds only a-z, 0-9 and '_'.
func HasOnlyNameBytes(s string) bool {
	for i := 0; i < len(s); i++ {
		if !IsNameByte(s[i]) {
			return false
		}
	}
	return true
}

// CleanFieldName does what REDCap does to a field name with bad
// characters: ASCII letters lowercased, each space turned into '_', every
// other byte outside a-z, 0-9 and '_' (so every non-ASCII character, and
// tabs and line breaks) deleted: "Größe" → "gre". PHP's strtolower
// lowercases ASCII only, so "K" (the Kelvin sign) is deleted, not made "k".
// It does not trim and does not collapse "__" (REDCap does that apart, in
// Development only, see CollapseUnderscores).
func CleanFieldName(s string) string {
	if HasOnlyNameBytes(s) {
		return s
	}
	return rewriteName(s, " ")
}

// rewriteName lowercases ASCII letters, turns the bytes in toUnderscore into
// '_' and deletes every other byte that may not be in a name.
func rewriteName(s, toUnderscore string) string {
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		ch := s[i]
		switch {
		case ch >= 'A' && ch <= 'Z':
			b.WriteByte(ch + 'a' - 'A')
		case strings.IndexByte(toUnderscore, ch) >= 0:
			b.WriteByte('_')
		case IsNameByte(ch):
			b.WriteByte(ch)
		}
	}
	return b.String()
}

// CollapseUnderscores turns every run of underscores into one.
func CollapseUnderscores(s string) string {
	if !strings.Contains(s, "__") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		if s[i] == '_' && i > 0 && s[i-1] == '_' {
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// CleanFormName does what REDCap does to a form (or matrix group) name:
// trim, clean like a field name, collapse "__", trim '_'. ok is false when
// the result is empty or starts with a digit: REDCap then puts four
// letters derived from an MD5 hash of the original in front, which callers
// that need it add themselves.
func CleanFormName(s string) (name string, ok bool) {
	n := strings.Trim(CollapseUnderscores(CleanFieldName(strings.TrimSpace(s))), "_")
	return n, n != "" && !(n[0] >= '0' && n[0] <= '9')
}

// CheckboxExportCode is how REDCap writes a checkbox option's code in the
// export name field___code (Project::getExtendedCheckboxCodeFormatted):
// ASCII letters lowercased, '-' and '.' as '_', other characters dropped.
// Codes "A" and "a", or "1.5" and "1_5", therefore export alike.
func CheckboxExportCode(code string) string {
	if HasOnlyNameBytes(code) {
		return code
	}
	return rewriteName(code, "-.")
}
