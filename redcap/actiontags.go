package redcap

import "strings"

// Action tags: "@NAME" words in the field annotation (column R) that change
// how REDCap shows or fills a field. This is the one parser of them; the
// validator, the conventions plugin and `inspect` use it, so they agree on
// what is a tag.
//
// Case: REDCap's tags are upper case and REDCap matches them as written, so
// "@hidden" is no tag to REDCap (the validator warns about it, RC702).
// AnnotationTags finds tags in any case; ActionTags and HasActionTag only
// the upper-case ones REDCap acts on.

// knownActionTags are the action tags REDCap 15.7.6 defines
// (Form::getActionTags), without the '@', in alphabetical order.
var knownActionTags = [...]string{
	"APPUSERNAME-APP", "BARCODE-APP", "CALCDATE", "CALCTEXT", "CHARLIMIT", "CONSENT-VERSION",
	"DEFAULT", "DOWNLOAD-COUNT", "FORCE-MINMAX", "HIDDEN", "HIDDEN-APP", "HIDDEN-FORM",
	"HIDDEN-PDF", "HIDDEN-SURVEY", "HIDEBUTTON", "HIDECHOICE", "IF", "INLINE", "INLINE-PREVIEW",
	"LANGUAGE-CURRENT-FORM", "LANGUAGE-CURRENT-SURVEY", "LANGUAGE-FORCE", "LANGUAGE-FORCE-FORM",
	"LANGUAGE-FORCE-SURVEY", "LANGUAGE-MENU-STATIC", "LANGUAGE-SET", "LANGUAGE-SET-FORM",
	"LANGUAGE-SET-SURVEY", "LATITUDE", "LONGITUDE", "MAXCHECKED", "MAXCHOICE",
	"MAXCHOICE-SURVEY-COMPLETE", "NOMISSING", "NONEOFTHEABOVE", "NOW", "NOW-SERVER", "NOW-UTC",
	"PASSWORDMASK", "PLACEHOLDER", "PREFILL", "RANDOMORDER", "READONLY", "READONLY-APP",
	"READONLY-FORM", "READONLY-SURVEY", "RICHTEXT", "SAVE-PROMPT-EXEMPT",
	"SAVE-PROMPT-EXEMPT-WHEN-AUTOSET", "SETVALUE", "SHOWCHOICE", "SYNC-APP", "TODAY",
	"TODAY-SERVER", "TODAY-UTC", "USERNAME", "WORDLIMIT",
}

var knownActionTagSet = func() map[string]bool {
	m := make(map[string]bool, len(knownActionTags))
	for _, t := range knownActionTags {
		m[t] = true
	}
	return m
}()

// KnownActionTags returns the names (without '@') of the action tags REDCap
// 15.7.6 defines, in alphabetical order; a new slice each call. MyCap's
// @MC-… tags are not listed (IsKnownActionTag accepts them by prefix).
func KnownActionTags() []string { return append([]string(nil), knownActionTags[:]...) }

// IsKnownActionTag reports whether name (without '@', as written) is an
// action tag REDCap defines, a MyCap tag (MC-…) included. External Modules
// define more, which this cannot know.
func IsKnownActionTag(name string) bool {
	return knownActionTagSet[name] || strings.HasPrefix(name, "MC-")
}

// AnnotationTags returns the names (without '@') of the "@NAME" words of an
// annotation, in order and as written, in any case: '@' at the start or
// after a character that cannot be part of an e-mail address (so
// "a@b.org" holds no tag), then a letter, then letters, digits, '_' and
// '-'; a trailing '-' or '_' is not part of the name.
func AnnotationTags(annotation string) []string {
	var out []string
	scanTags(annotation, func(name string, _, _ int) { out = append(out, name) })
	return out
}

// scanTags calls fn for each "@NAME" word of s as AnnotationTags finds it,
// with the offset of its '@' and the end of the name.
func scanTags(s string, fn func(name string, at, end int)) {
	for i := 0; i < len(s); i++ {
		if s[i] != '@' || i+1 >= len(s) || !isASCIILetter(s[i+1]) {
			continue
		}
		if i > 0 {
			if p := s[i-1]; isASCIILetter(p) || p >= '0' && p <= '9' || p == '_' || p == '.' || p == '@' || p == '-' {
				continue
			}
		}
		j := i + 1
		for j < len(s) && isTagByte(s[j]) {
			j++
		}
		name := strings.TrimRight(s[i+1:j], "-_")
		fn(name, i, i+1+len(name))
		i = j - 1
	}
}

// ActionTags returns the names (without '@') of the action tags REDCap reads
// in an annotation: the AnnotationTags written in upper case.
func ActionTags(annotation string) []string {
	var out []string
	for _, t := range AnnotationTags(annotation) {
		if IsUpperActionTag(t) {
			out = append(out, t)
		}
	}
	return out
}

// IsUpperActionTag reports whether name (without '@') has no lower-case
// letter, the only way REDCap reads a tag.
func IsUpperActionTag(name string) bool {
	for i := 0; i < len(name); i++ {
		if name[i] >= 'a' && name[i] <= 'z' {
			return false
		}
	}
	return true
}

// HasActionTag reports whether an annotation carries the action tag tag
// ("@HIDDEN" or "HIDDEN") as REDCap reads it: the whole name ("@HIDDEN" is
// not found in "@HIDDEN-SURVEY"), in the same case.
func HasActionTag(annotation, tag string) bool {
	tag = strings.TrimPrefix(tag, "@")
	if tag == "" || !strings.Contains(annotation, tag) {
		return false
	}
	for _, t := range ActionTags(annotation) {
		if t == tag {
			return true
		}
	}
	return false
}

func isASCIILetter(b byte) bool { return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' }

func isTagByte(b byte) bool {
	return isASCIILetter(b) || b >= '0' && b <= '9' || b == '_' || b == '-'
}
