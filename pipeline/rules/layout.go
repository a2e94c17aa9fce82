package rules

import (
	"fmt"
	"strings"

	"github.com/rcolpipe/rcolpipe/redcap"
)

// flagColumns are the y/blank columns and the name REDCap's messages use.
var flagColumns = []struct {
	col  redcap.Column
	name string
	// meaning says what blanking a yes loses, for messages.
	meaning string
}{
	{redcap.ColIdentifier, "Identifier", "the field would not be marked as an identifier"},
	{redcap.ColRequiredField, "Required Field", "the field would not be required"},
	{redcap.ColMatrixRanking, "Matrix Ranking", "the matrix would not be ranked"},
}

// noWords are flag values that mean the same as blank.
var noWords = map[string]bool{"n": true, "no": true, "0": true, "false": true}

var alignments = map[string]bool{"LV": true, "LH": true, "RV": true, "RH": true}

// isYes reports whether REDCap reads flag value v as set.
func isYes(v string) bool { return strings.EqualFold(strings.TrimSpace(v), "y") }

// flagsAndLayout checks columns K, M, N, O, Q and descriptive fields: RC60x.
func (c *checker) flagsAndLayout() {
	for i := range c.d.Fields {
		f := &c.d.Fields[i]
		for _, fc := range flagColumns {
			v := f.Get(fc.col)
			t := strings.TrimSpace(v)
			if t == "" || isYes(t) {
				continue
			}
			if noWords[strings.ToLower(t)] {
				c.emitf(i, fc.col, codeFlagNo, "Leave the cell empty.",
					"The only valid value for the %s column is 'y' or 'Y': REDCap silently blanks %s (same meaning).", fc.name, quote(v))
				continue
			}
			c.emitf(i, fc.col, codeFlagBlanked, "Write 'y' if that is what you meant, or leave the cell empty.",
				"The only valid value for the %s column is 'y' or 'Y': REDCap silently blanks %s, so %s.", fc.name, quote(v), fc.meaning)
		}
		if a := f.CustomAlignment; a != "" && !alignments[a] {
			hint := "Write LV, LH, RV or RH (upper case), or leave it empty for RV."
			if u := strings.ToUpper(strings.TrimSpace(a)); alignments[u] {
				hint = fmt.Sprintf("Write %q (the codes are case-sensitive).", u)
			}
			c.emitf(i, redcap.ColCustomAlignment, codeAlignment, hint,
				"The only valid values for the Custom Alignment column are 'LV', 'LH', 'RV', 'RH': REDCap silently blanks %s (the default, RV).", quote(a))
		}
		if (f.FieldType == "descriptive" || f.FieldType == "advcheckbox") && isYes(f.RequiredField) {
			c.emitf(i, redcap.ColRequiredField, codeDescRequired, "Clear the Required Field column.",
				"A %s field cannot be required: REDCap silently clears Required.", f.FieldType)
		}
		if r := []rune(f.QuestionNumber); len(r) > 10 {
			c.emitf(i, redcap.ColQuestionNumber, codeQuestionNumber, "Shorten the question number to 10 characters.",
				"REDCap silently cuts the question number %s to %q (10 characters).", quote(f.QuestionNumber), string(r[:10]))
		}
	}
}

// matrixGroups checks columns P and Q: the RC61x rules.
func (c *checker) matrixGroups() {
	type group struct{ first int }
	groups := map[string]*group{}
	prev := ""
	for i := range c.d.Fields {
		f := &c.d.Fields[i]
		name := strings.TrimSpace(f.MatrixGroupName)
		if name == "" {
			continue
		}
		g, seen := groups[name]
		if seen && name != prev {
			c.emitf(i, redcap.ColMatrixGroupName, codeMatrixContig,
				"Move the group's rows together, or give this run its own group name.",
				"Matrix group names must be sequential and cannot repeat again after being used for another group: %q appears again after %q.", name, prev)
		}
		prev = name
		if !seen {
			g = &group{first: i}
			groups[name] = g
			if len(name) > 60 {
				c.emitf(i, redcap.ColMatrixGroupName, codeMatrixTooLong, "Shorten the group name to at most 60 characters.",
					"Matrix group names cannot be more than 60 characters in length: %q has %d.", name, len(name))
			}
			if n, _ := redcap.CleanFormName(name); n != name {
				c.emitf(i, redcap.ColMatrixGroupName, codeMatrixName, fmt.Sprintf("Write the group name as %q.", n),
					"REDCap silently renames matrix group %s to %q (only lower-case letters, numbers and underscores).", quote(name), n)
			}
		}
		et := effectiveType(f.FieldType)
		if et != "radio" && et != "checkbox" {
			c.emitf(i, redcap.ColMatrixGroupName, codeMatrixType, "Clear the field's matrix group name, or make it a radio or checkbox field.",
				"Fields that are part of a matrix group can ONLY be a radio or checkbox field: %q is %s (group %q).", f.FieldName, quote(f.FieldType), name)
			continue
		}
		if !seen {
			continue
		}
		first := &c.d.Fields[g.first]
		ft := effectiveType(first.FieldType)
		if ft != "radio" && ft != "checkbox" {
			continue
		}
		if et != ft {
			c.emitf(i, redcap.ColFieldType, codeMatrixMixed, fmt.Sprintf("Make every field of group %q a %s field (or move this one out of the group).", name, ft),
				"REDCap silently changes %q from %s to %s, the type of the group's first field %q.", f.FieldName, et, ft, first.FieldName)
		}
		if !sameChoices(c.choices[g.first], c.choices[i]) {
			c.emitf(i, redcap.ColChoices, codeMatrixChoices, "Copy the choices of "+quote(first.FieldName)+" to every field of the group.",
				"The cells listed below appear to be in a matrix group, but all the fields in this matrix group do not have the same multiple choice options: %q differs from %q. The choices should be: %s.", f.FieldName, first.FieldName, quote(first.Choices))
		}
		if isYes(f.MatrixRanking) != isYes(first.MatrixRanking) {
			c.emitf(i, redcap.ColMatrixRanking, codeMatrixRanking, "Set Matrix Ranking the same on every field of the group.",
				"If ranking is used for a matrix of fields, each field in the matrix must have the same value (either 'Y' or blank/null) for the Matrix Ranking column: %q differs from %q.", f.FieldName, first.FieldName)
		}
	}
}

// sameChoices compares two parsed choice lists as code → label maps.
func sameChoices(a, b []choice) bool {
	ma := map[string]string{}
	for _, ch := range a {
		if !ch.empty {
			ma[ch.code] = ch.label
		}
	}
	n := 0
	for _, ch := range b {
		if ch.empty {
			continue
		}
		if l, ok := ma[ch.code]; !ok || l != ch.label {
			return false
		}
		n++
	}
	return n == len(ma)
}
