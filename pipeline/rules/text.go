package rules

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/rcolpipe/rcolpipe/internal/textdist"
	"github.com/rcolpipe/rcolpipe/redcap"
)

// actionTagList is the list of REDCap's action tags, for near-miss
// suggestions. Read only.
var actionTagList = redcap.KnownActionTags()

// naColumns are the columns where the text "NA" is R's missing value rather
// than a plausible value (a field, form or label may really be "NA").
var naColumns = []redcap.Column{
	redcap.ColSectionHeader, redcap.ColFieldType, redcap.ColChoices, redcap.ColFieldNote,
	redcap.ColValidation, redcap.ColValidationMin, redcap.ColValidationMax, redcap.ColIdentifier,
	redcap.ColBranchingLogic, redcap.ColRequiredField, redcap.ColCustomAlignment,
	redcap.ColQuestionNumber, redcap.ColMatrixGroupName, redcap.ColMatrixRanking,
	redcap.ColFieldAnnotation,
}

// text checks labels, encoding, literal NA and action tags: the RC7xx rules.
func (c *checker) text() {
	for i := range c.d.Fields {
		f := &c.d.Fields[i]
		vals := f.Values()
		for col, v := range vals {
			c.encoding(i, redcap.Column(col), v)
		}
		for _, col := range naColumns {
			if vals[col] == "NA" {
				c.emitf(i, col, codeLiteralNA, "Write the file again with empty cells for missing values (in R: write.csv(na = \"\")).",
					"The cell holds the text \"NA\" (R's missing value); REDCap stores it as the %s \"NA\".", col.Key())
			}
		}
		if strings.TrimSpace(f.FieldLabel) == "" {
			if f.FieldType == "descriptive" {
				c.emit(i, redcap.ColFieldLabel, codeDescLabel,
					"This descriptive field has no text; it shows nothing unless it has an attachment or video (which REDCap keeps on re-upload).",
					"Nothing to do if the field carries an attachment; otherwise write its text.")
			} else {
				c.emit(i, redcap.ColFieldLabel, codeLabelEmpty,
					"The field label is empty; REDCap accepts it but shows the field without a question.",
					"Write a label.")
			}
		}
		if strings.Contains(f.FieldAnnotation, "@") {
			c.actionTags(i)
		}
	}
}

// encoding reports U+FFFD, invalid UTF-8 and control characters in one cell.
func (c *checker) encoding(i int, col redcap.Column, v string) {
	plain := true
	for k := 0; k < len(v); k++ {
		if b := v[k]; b < 0x20 || b >= 0x7f {
			plain = false
			break
		}
	}
	if plain {
		return
	}
	if !utf8.ValidString(v) || strings.ContainsRune(v, utf8.RuneError) {
		c.emitf(i, col, codeReplacement, "Re-save the source file as UTF-8 and retype the damaged characters.",
			"The %s contains U+FFFD or invalid UTF-8 (broken encoding): %s.", col.Key(), quote(v))
		return
	}
	for _, r := range v {
		if r < 0x20 && r != '\t' && r != '\n' && r != '\r' || r == 0x7f || r >= 0x80 && r <= 0x9f {
			c.emitf(i, col, codeControlChar, "Delete the invisible control characters.",
				"The %s contains the control character U+%04X.", col.Key(), r)
			return
		}
	}
}

// actionTags checks the tags of row i's field annotation.
func (c *checker) actionTags(i int) {
	ann := c.d.Fields[i].FieldAnnotation
	reported := map[string]bool{}
	for _, tag := range redcap.AnnotationTags(ann) {
		if tag == "" || redcap.IsKnownActionTag(tag) || reported[tag] {
			continue
		}
		reported[tag] = true
		upper := strings.ToUpper(tag)
		if upper != tag && slices.Contains(actionTagList, upper) {
			c.emitf(i, redcap.ColFieldAnnotation, codeTagNearMiss, fmt.Sprintf("Write @%s.", upper),
				"REDCap's action tags are upper case: @%s is not @%s, so REDCap ignores it.", tag, upper)
			continue
		}
		if near := nearest(upper, actionTagList); near != "" {
			c.emitf(i, redcap.ColFieldAnnotation, codeTagNearMiss, fmt.Sprintf("Did you mean @%s?", near),
				"@%s is not a REDCap action tag; it resembles @%s, and REDCap ignores it silently.", tag, near)
			continue
		}
		c.emitf(i, redcap.ColFieldAnnotation, codeTagUnknown, "Nothing to do if an External Module provides this tag; otherwise correct it.",
			"@%s is not an action tag of REDCap 15.7.6 (an External Module may define it).", tag)
	}
}

// typoLimit is the largest edit distance at which a known name is taken for
// what a misspelt name meant: 1, or 2 for names of 6 or more characters.
func typoLimit(name string) int {
	if len(name) >= 6 {
		return 2
	}
	return 1
}

// nearest returns the name of lists closest to name if it is a likely typo
// (within typoLimit), or "". The first closest name wins.
func nearest(name string, lists ...[]string) string {
	best, bestD := "", typoLimit(name)+1
	for _, list := range lists {
		for _, k := range list {
			if d := textdist.Levenshtein(name, k, bestD); d < bestD {
				best, bestD = k, d
			}
		}
	}
	return best
}
