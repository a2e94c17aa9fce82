package sandbox

import (
	"crypto/md5"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/rcolpipe/rcolpipe/internal/lazyre"
	"github.com/rcolpipe/rcolpipe/redcap"
	"github.com/rcolpipe/rcolpipe/redcap/logic"
)

// The messages of REDCap 15.7.6's data-dictionary checks
// (docs/redcap.md#error-messages). Where only a text's start is known,
// the rest is the sandbox's own wording; clients match prefixes.
const (
	msgNameMissing     = "Each row MUST have a variable/field name, but the following cells have a field name missing: "
	msgFormMissing     = "Each row MUST have a form name, but the following cells have a form name missing: "
	msgTypeMissing     = "Each row MUST have a field type, but the following cells have a field type missing: "
	msgTypeInvalid     = "The only valid field types are text, notes, radio, dropdown, calc, file, checkbox, yesno, truefalse, descriptive, slider and must all be lower-case. The following are invalid field types listed in your data dictionary: "
	msgNameDigit       = "Variables/field names cannot begin with a number. Remove the numeral from the beginning of the following field names: "
	msgNameUnderscore  = "Variables/field names cannot begin with an underscore character. Remove the underscore from the beginning of the following field names: "
	msgNameTriple      = "Variables/field names cannot have a triple underscore (___). Please rename the following field names: "
	msgNameEndUnder    = "Variables/field names cannot end with an underscore character. Remove the underscore from the end of the following field names: "
	msgNameLong        = "Variables/field names cannot be more than 100 characters in length. Please shorten the following field names: "
	msgNameReserved    = "This is an illegal variable name and cannot be used. Please change the variable name in the following cells: "
	msgNameDuplicate   = "The following variable/field names were duplicated. Please rename these field names so that they only appear once."
	msgNameComplete    = "Variables/field names cannot be named [form_name]+'_complete', in which [form_name] corresponds to an existing Form Name in column B. Please rename the following field names: "
	msgFormLong        = "Form names cannot be more than 64 characters in length. Please shorten the following form names: "
	msgFormSequence    = "Form names must be sequential and cannot repeat again after being used for another form. Rename the following form names beginning with the values listed below: "
	msgSQL             = "For security purposes, 'sql' field types can ONLY be added or modified by REDCap administrators. Please remove the 'sql' field type from the following cells: "
	msgChoicesMissing  = "Each multiple choice field (radio, drop-down, checkbox, etc.) must have choices listed in column F, but the following cells have choices missing: "
	msgChoiceCodes     = "Multiple choice fields can only have coded values (in the choices in column F) that are numeric or alpha-numeric (lower case or upper case, with or without underscores), thus they cannot have codings that contain spaces or other characters. Please make the following corrections: "
	msgChoiceDuplicate = "Multiple choice fields have been found where a coded value is duplicated in the choices column (F). Each coded value must be unique within a field. The following cells have duplicated codes: "
	msgCalcMissing     = "Each 'calc' field must have an equation in column F, but the following cells have an equation missing: "
	msgCalcSyntax      = "There is a syntactical error in the 'calc' field equation for the following cells: "
	msgCalcVars        = "There are variables used in calculated field equation(s) that are not listed as real variables in column A. Please check the following cells: "
	msgCalcFuncs       = "There are custom functions used in some calc field equations that are not official REDCap functions and are thus not allowed. Please check the following cells: "
	msgCalcParse       = "There are syntax errors in some calc field equations. Please check the following cells: "
	msgBranchParse     = "There are syntax errors in some branching logic. Please check the following cells: "
	msgBranchSyntax    = "There is a syntactical error in the branching logic for the following cells: "
	msgBranchVars      = "There are variables used in the branching logic that are not listed as real variables in column A. Please check the following cells: "
	msgBranchFuncs     = "There are custom functions used in some branching logic that are not official REDCap functions and are thus not allowed. Please check the following cells: "
	msgValNotText      = "Only 'text' field types may have validation. The following validation types should be removed from your data dictionary or else their field type should be changed to 'text': "
	msgValInvalid      = "The only valid validation types are %s and must all be lower-case. The following are invalid validation types in your data dictionary: "
	msgMinMaxNoType    = "A field validation type is required in order to have a minimum or maximum validation value. The following cells are missing a validation type: "
	msgMinFormat       = "Format for the minimum validation value is incorrect because it does not follow the expected format: "
	msgMaxFormat       = "Format for the maximum validation value is incorrect because it does not follow the expected format: "
	msgDateFormat      = "Invalid date format. (NOTE: Dates must be imported here only in Y-M-D or M/D/Y format, in which the year is four digits.) Please check the following cells: "
	msgDatetimeFormat  = "Invalid datetime format. (NOTE: Datetimes must be imported here only in Y-M-D H:M or M/D/Y H:M format, in which the year is four digits.) Please check the following cells: "
	msgSliderMinMax    = "The custom min/max value of a slider must be an integer (positive or negative) or a blank value. Please check the following cells: "
	msgMatrixLong      = "Matrix group names cannot be more than 60 characters in length. Please shorten the following matrix group names: "
	msgMatrixSequence  = "Matrix group names must be sequential and cannot repeat again after being used for another group. Rename the following matrix group names: "
	msgMatrixType      = "Fields that are part of a matrix group can ONLY be a radio or checkbox field. Please change the field type of the following cells: "
	msgMatrixChoices   = "The cells listed below appear to be in a matrix group, but all the fields in this matrix group do not have the same multiple choice options. All fields in a matrix group must have the same choices. The choices should be: "
	msgMatrixRanking   = "If ranking is used for a matrix of fields, each field in the matrix must have the same value (either 'Y' or blank/null) for the Matrix Ranking column. Please check the following cells: "
)

func isMultipleChoice(t string) bool { return redcap.IsMultipleChoice(t) }

// errorList collects the cells of one kind of error, in row order.
type errorList struct {
	prefix string
	sep    string // between items: ", " for cell lists, "" where REDCap's <br> vanished
	items  []string
}

func (e *errorList) add(item string) { e.items = append(e.items, item) }

func (e *errorList) String() string {
	return e.prefix + strings.Join(e.items, e.sep)
}

// checkOptions are what the checks need besides the rows.
type checkOptions struct {
	// project is the project being replaced (nil: a new one): its forms
	// and its sql fields matter.
	project *Project
	vt      *validationTable
	// dmy reads "/" dates in min/max as D/M/Y (POST date_format=DMY)
	// instead of M/D/Y.
	dmy bool
}

// checkDictionary runs REDCap's upload checks on positional rows. It
// returns the rows with the silent fixes applied, and the error blocks
// (empty when the dictionary may be saved).
func checkDictionary(rows []redcap.Field, opts checkOptions) ([]redcap.Field, []string) {
	vt := opts.vt
	if vt == nil {
		vt = newValidationTable(nil)
	}
	c := &checker{vt: vt, existing: map[string]bool{}, dmy: opts.dmy, oldSQL: map[string]string{}}
	if p := opts.project; p != nil {
		for _, f := range p.forms() {
			c.existing[f] = true
		}
		for i := range p.Metadata {
			if m := &p.Metadata[i]; m.FieldType == "sql" {
				c.oldSQL[m.FieldName] = m.Choices
			}
		}
	}
	fields := make([]redcap.Field, len(rows))
	copy(fields, rows)
	c.fields = fields
	c.run()
	var out []string
	for _, l := range c.lists {
		if len(l.items) > 0 {
			out = append(out, l.String())
		}
	}
	return fields, out
}

type checker struct {
	vt       *validationTable
	existing map[string]bool
	fields   []redcap.Field
	lists    []*errorList
	names    map[string]bool // field names in column A
	forms    map[string]bool // form names in column B
	dmy      bool
	oldSQL   map[string]string // the project's sql fields: name -> query
}

func (c *checker) list(prefix, sep string) *errorList {
	l := &errorList{prefix: prefix, sep: sep}
	c.lists = append(c.lists, l)
	return l
}

// cell names a cell: column letter and row, the first data row being 2.
func cell(col redcap.Column, i int) string { return fmt.Sprintf("%s%d", col.Letter(), i+2) }

func named(name string, col redcap.Column, i int) string {
	return fmt.Sprintf("%s (%s)", name, cell(col, i))
}

var reChoiceCode = lazyre.New(`^[a-zA-Z0-9._-]+$`)

// cleanName is REDCap's repair of a field name (redcap.CleanFieldName) of
// a trimmed cell.
func cleanName(s string) string { return redcap.CleanFieldName(strings.TrimSpace(s)) }

// cleanFormName is REDCap's form-name repair (redcap.CleanFormName); a name
// left empty or starting with a digit gets four letters derived from the
// md5 of the original in front.
func cleanFormName(s string) string {
	n, ok := redcap.CleanFormName(s)
	if !ok {
		sum := md5.Sum([]byte(s))
		var prefix [4]byte
		for i := range prefix {
			prefix[i] = 'a' + sum[i]%26
		}
		n = string(prefix[:]) + n
	}
	return n
}

func (c *checker) run() {
	nameMissing := c.list(msgNameMissing, ", ")
	formMissing := c.list(msgFormMissing, ", ")
	typeMissing := c.list(msgTypeMissing, ", ")
	typeInvalid := c.list(msgTypeInvalid, "")
	nameDigit := c.list(msgNameDigit, "")
	nameUnder := c.list(msgNameUnderscore, "")
	nameTriple := c.list(msgNameTriple, "")
	nameEnd := c.list(msgNameEndUnder, "")
	nameLong := c.list(msgNameLong, "")
	nameReserved := c.list(msgNameReserved, ", ")
	nameDup := c.list(msgNameDuplicate, "")
	nameComplete := c.list(msgNameComplete, "")
	formLong := c.list(msgFormLong, "")
	formSeq := c.list(msgFormSequence, "")
	sqlList := c.list(msgSQL, ", ")

	// Pass 1: the silent fixes of names, types, flags and layout.
	for i := range c.fields {
		f := &c.fields[i]
		c.fixRow(f, i)
	}

	c.names = map[string]bool{}
	c.forms = map[string]bool{}
	for i := range c.fields {
		c.names[c.fields[i].FieldName] = true
		if c.fields[i].FormName != "" {
			c.forms[c.fields[i].FormName] = true
		}
	}
	formReserved := make(map[string]bool, 2*len(c.existing))
	for form := range c.existing {
		for _, suffix := range redcap.FormReservedSuffixes {
			formReserved[form+suffix] = true
		}
	}
	reserved := func(name string) bool { return redcap.IsReservedFieldName(name) || formReserved[name] }

	seen := map[string]int{}
	dupReported := map[int]bool{}
	formDone := map[string]bool{}
	prevForm := ""
	for i := range c.fields {
		f := &c.fields[i]
		name := f.FieldName
		switch {
		case name == "":
			nameMissing.add(cell(redcap.ColFieldName, i))
		default:
			switch {
			case name[0] >= '0' && name[0] <= '9':
				nameDigit.add(named(name, redcap.ColFieldName, i))
			case name[0] == '_':
				nameUnder.add(named(name, redcap.ColFieldName, i))
			}
			if strings.Contains(name, "___") {
				nameTriple.add(named(name, redcap.ColFieldName, i))
			}
			if strings.HasSuffix(name, "_") && name[0] != '_' {
				nameEnd.add(named(name, redcap.ColFieldName, i))
			}
			if len(name) > 100 {
				nameLong.add(named(name, redcap.ColFieldName, i))
			}
			if reserved(name) {
				nameReserved.add(cell(redcap.ColFieldName, i))
			}
			if j, ok := seen[name]; ok {
				if !dupReported[j] {
					nameDup.add(named(name, redcap.ColFieldName, j))
					dupReported[j] = true
				}
				nameDup.add(named(name, redcap.ColFieldName, i))
			} else {
				seen[name] = i
			}
			if form, ok := strings.CutSuffix(name, redcap.FormCompleteSuffix); ok && c.forms[form] {
				nameComplete.add(named(name, redcap.ColFieldName, i))
			}
		}

		switch {
		case f.FormName == "":
			formMissing.add(cell(redcap.ColFormName, i))
		default:
			if len(f.FormName) > 64 && !c.existing[f.FormName] {
				formLong.add(named(f.FormName, redcap.ColFormName, i))
			}
			if f.FormName != prevForm {
				if formDone[f.FormName] {
					formSeq.add(named(f.FormName, redcap.ColFormName, i))
				}
				if prevForm != "" {
					formDone[prevForm] = true
				}
				prevForm = f.FormName
			}
		}

		switch {
		case f.FieldType == "":
			typeMissing.add(cell(redcap.ColFieldType, i))
		case !redcap.IsFieldType(f.FieldType):
			typeInvalid.add(named(f.FieldType, redcap.ColFieldType, i))
		case f.FieldType == "sql":
			// Only administrators may add or change one; an unchanged
			// existing one (from an export of the project) is fine.
			if old, ok := c.oldSQL[f.FieldName]; !ok || old != f.Choices {
				sqlList.add(cell(redcap.ColFieldType, i))
			}
		}
	}

	c.checkChoices()
	c.checkLogic()
	c.checkValidation()
	c.checkMatrix()
}

// fixRow applies the warnings' silent fixes to one row.
func (c *checker) fixRow(f *redcap.Field, i int) {
	name := cleanName(f.FieldName)
	if !strings.Contains(name, "___") {
		// In Development REDCap collapses "__"; "___" is an error instead.
		name = redcap.CollapseUnderscores(name)
	}
	f.FieldName = name
	if form := strings.TrimSpace(f.FormName); form != "" {
		if cleanName(form) != form || strings.Contains(form, "__") || strings.Trim(form, "_") != form || (form[0] >= '0' && form[0] <= '9') {
			form = cleanFormName(form)
		}
		f.FormName = form
	} else {
		f.FormName = ""
	}
	f.FieldType = strings.TrimSpace(f.FieldType)
	f.FieldType = redcap.StoredFieldType(f.FieldType)
	if i == 0 {
		// The record ID: always a text field, never under a section header.
		f.SectionHeader = ""
		if f.FieldType != "" {
			f.FieldType = "text"
		}
	}
	for _, col := range []redcap.Column{redcap.ColIdentifier, redcap.ColRequiredField, redcap.ColMatrixRanking} {
		if strings.EqualFold(strings.TrimSpace(f.Get(col)), "y") {
			f.Set(col, "y")
		} else {
			f.Set(col, "")
		}
	}
	switch f.CustomAlignment {
	case "LV", "LH", "RV", "RH":
	default:
		f.CustomAlignment = ""
	}
	switch {
	case redcap.ClearsChoices(f.FieldType):
		f.Choices = ""
	case f.FieldType == "advcheckbox":
		f.Choices = "0, Unchecked | 1, Checked"
	}
	if f.FieldType == "descriptive" || f.FieldType == "advcheckbox" {
		f.RequiredField = ""
	}
	if isMultipleChoice(f.FieldType) && f.FieldType != "sql" {
		// Leading and trailing "|" are a warning, stripped on save.
		f.Choices = strings.TrimSpace(strings.Trim(strings.TrimSpace(f.Choices), "|"))
	}
	f.Validation = strings.TrimSpace(f.Validation)
	f.ValidationMin = strings.TrimSpace(f.ValidationMin)
	f.ValidationMax = strings.TrimSpace(f.ValidationMax)
	switch f.FieldType {
	case "text":
		v := strings.ToLower(f.Validation)
		if nv, ok := redcap.LegacyValidation(v); ok {
			v = nv
		}
		if _, ok := c.vt.byName[v]; ok {
			f.Validation = v
		}
	case "slider":
		if f.Validation != "number" {
			f.Validation = ""
		}
	}
	if f.FieldType == "calc" {
		f.Choices = cleanBrackets(f.Choices)
	}
	f.BranchingLogic = cleanBrackets(f.BranchingLogic)
	if g := strings.TrimSpace(f.MatrixGroupName); g != "" {
		if cleanName(g) != g {
			g = redcap.CollapseUnderscores(cleanName(g))
		}
		f.MatrixGroupName = g
	} else {
		f.MatrixGroupName = ""
	}
}

// bracketByteOK reports whether REDCap keeps byte c inside [...] of logic.
func bracketByteOK(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
		c == ':' || c == '(' || c == ')' || c == '.' || c == ',' || c == '_' || c == '-'
}

// cleanBrackets deletes the characters REDCap does not allow inside the
// [...] of logic (spaces included), outside quoted strings.
func cleanBrackets(s string) string {
	if !strings.Contains(s, "[") {
		return s
	}
	var b strings.Builder
	changed := false
	var quote byte
	for i := 0; i < len(s); i++ {
		ch := s[i]
		if quote == 0 && ch == '[' {
			end := strings.IndexByte(s[i+1:], ']')
			if end < 0 {
				b.WriteString(s[i:])
				break
			}
			b.WriteByte('[')
			for _, c := range []byte(s[i+1 : i+1+end]) {
				if bracketByteOK(c) {
					b.WriteByte(c)
				} else {
					changed = true
				}
			}
			b.WriteByte(']')
			i += end + 1
			continue
		}
		switch {
		case quote != 0 && ch == quote:
			quote = 0
		case quote == 0 && (ch == '\'' || ch == '"'):
			quote = ch
		}
		b.WriteByte(ch)
	}
	if !changed {
		return s
	}
	return b.String()
}

// choice is one parsed "code, label".
type choice struct{ code, label string }

// parseChoices reads column F as REDCap does (redcap.SplitChoices).
func parseChoices(s string) []choice {
	cs := redcap.SplitChoices(s)
	out := make([]choice, len(cs))
	for i, c := range cs {
		out[i] = choice{c.Code, c.Label}
	}
	return out
}

var reSuggest = lazyre.New(`[^a-zA-Z0-9._-]`)

func (c *checker) checkChoices() {
	missing := c.list(msgChoicesMissing, ", ")
	codes := c.list(msgChoiceCodes, ", ")
	dups := c.list(msgChoiceDuplicate, "")
	for i := range c.fields {
		f := &c.fields[i]
		if !isMultipleChoice(f.FieldType) {
			continue
		}
		chs := parseChoices(f.Choices)
		if len(chs) == 0 {
			missing.add(cell(redcap.ColChoices, i))
			continue
		}
		if f.FieldType == "sql" {
			continue // its F is a query, not codes
		}
		seen := map[string]bool{}
		dup := false
		for _, ch := range chs {
			if !isNumeric(ch.code) && !reChoiceCode.MatchString(ch.code) {
				sug := reSuggest.ReplaceAllString(strings.ReplaceAll(ch.code, " ", "_"), "")
				codes.add(fmt.Sprintf("%q (%s) - Suggestion: replace with %q", ch.code, cell(redcap.ColChoices, i), sug))
			}
			if seen[ch.code] {
				dup = true
			}
			seen[ch.code] = true
		}
		if dup {
			dups.add(named(f.FieldName, redcap.ColChoices, i))
		}
	}
}

// stripComments removes the lines of logic that start with // or #.
func stripComments(s string) string {
	lines := strings.Split(s, "\n")
	kept := lines[:0]
	for _, l := range lines {
		t := strings.TrimSpace(l)
		if strings.HasPrefix(t, "//") || strings.HasPrefix(t, "#") {
			continue
		}
		kept = append(kept, l)
	}
	return strings.Join(kept, "\n")
}

func balanced(s string, quotes bool) bool {
	if strings.Count(s, "(") != strings.Count(s, ")") || strings.Count(s, "[") != strings.Count(s, "]") {
		return false
	}
	if quotes && (strings.Count(s, "'")%2 != 0 || strings.Count(s, `"`)%2 != 0) {
		return false
	}
	return true
}

func (c *checker) checkLogic() {
	calcMissing := c.list(msgCalcMissing, ", ")
	calcSyntax := c.list(msgCalcSyntax, ", ")
	calcVars := c.list(msgCalcVars, "")
	calcFuncs := c.list(msgCalcFuncs, "")
	calcParse := c.list(msgCalcParse, ", ")
	brSyntax := c.list(msgBranchSyntax, ", ")
	brVars := c.list(msgBranchVars, "")
	brFuncs := c.list(msgBranchFuncs, "")
	brParse := c.list(msgBranchParse, ", ")
	for i := range c.fields {
		f := &c.fields[i]
		if f.FieldType == "calc" {
			eq := stripComments(f.Choices)
			switch {
			case strings.TrimSpace(eq) == "":
				calcMissing.add(cell(redcap.ColChoices, i))
			case !balanced(eq, false):
				calcSyntax.add(cell(redcap.ColChoices, i))
			default:
				for _, v := range c.unknownVars(eq) {
					calcVars.add(named(v, redcap.ColChoices, i))
				}
				for _, fn := range unknownFunctions(eq) {
					calcFuncs.add(named(fn, redcap.ColChoices, i))
				}
				if _, err := logic.Parse(eq); err != nil {
					calcParse.add(cell(redcap.ColChoices, i))
				}
			}
		}
		if strings.TrimSpace(f.BranchingLogic) == "" {
			continue
		}
		bl := stripComments(f.BranchingLogic)
		if !balanced(bl, true) {
			brSyntax.add(cell(redcap.ColBranchingLogic, i))
			continue
		}
		for _, v := range c.unknownVars(bl) {
			brVars.add(named(v, redcap.ColBranchingLogic, i))
		}
		for _, fn := range unknownFunctions(bl) {
			brFuncs.add(named(fn, redcap.ColBranchingLogic, i))
		}
		if _, err := logic.Parse(bl); err != nil {
			brParse.add(cell(redcap.ColBranchingLogic, i))
		}
	}
}

var instanceWords = map[string]bool{
	"previous-instance": true, "current-instance": true, "next-instance": true,
	"first-instance": true, "last-instance": true, "new-instance": true,
}

// isSmartVariable reports whether s (lower case, without parameters) is a
// Smart Variable: REDCap's list is logic.IsSmartVariable.
func isSmartVariable(s string) bool {
	return logic.IsSmartVariable(s) || instanceWords[s] || strings.HasPrefix(s, "mycap-")
}

// bracketed returns the contents of each [..] in s, outside quotes, and
// whether it is directly followed by another bracket.
func bracketed(s string) (items []string, followed []bool) {
	var quote byte
	for i := 0; i < len(s); i++ {
		ch := s[i]
		if quote != 0 {
			if ch == quote {
				quote = 0
			}
			continue
		}
		switch ch {
		case '\'', '"':
			quote = ch
		case '[':
			end := strings.IndexByte(s[i+1:], ']')
			if end < 0 {
				return items, followed
			}
			items = append(items, s[i+1:i+1+end])
			i += end + 1
			followed = append(followed, i+1 < len(s) && s[i+1] == '[')
		}
	}
	return items, followed
}

// refName reduces a bracket's contents to a field name: no checkbox code
// "(1)", no ":value" modifier, no spaces.
func refName(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, ':'); i >= 0 {
		s = s[:i]
	}
	if i := strings.IndexByte(s, '('); i >= 0 {
		s = s[:i]
	}
	return strings.ReplaceAll(s, " ", "")
}

// unknownVars lists the field references of logic that are neither fields
// of column A, <form>_complete fields, nor Smart Variables. An event name
// ([event][field]) is not checked, as REDCap strips it first.
func (c *checker) unknownVars(logic string) []string {
	items, followed := bracketed(logic)
	var out []string
	reported := map[string]bool{}
	for k, it := range items {
		name := refName(it)
		if name == "" || isNumeric(name) || isSmartVariable(strings.ToLower(name)) {
			continue
		}
		if followed[k] && k+1 < len(items) {
			next := refName(items[k+1])
			if next != "" && !isNumeric(next) && !instanceWords[next] {
				continue // an event name
			}
		}
		if c.names[name] {
			continue
		}
		if form, ok := strings.CutSuffix(name, redcap.FormCompleteSuffix); ok && c.forms[form] {
			continue
		}
		if !reported[name] {
			reported[name] = true
			out = append(out, name)
		}
	}
	return out
}

// unknownFunctions lists the names called as functions, outside brackets
// and quotes, that are not on REDCap's list.
func unknownFunctions(src string) []string {
	var out []string
	var quote byte
	depth := 0
	for i := 0; i < len(src); i++ {
		ch := src[i]
		switch {
		case quote != 0:
			if ch == quote {
				quote = 0
			}
			continue
		case ch == '\'' || ch == '"':
			quote = ch
			continue
		case ch == '[':
			depth++
			continue
		case ch == ']':
			depth--
			continue
		}
		if depth > 0 || !isLetter(ch) || (i > 0 && isWordByte(src[i-1])) {
			continue
		}
		j := i
		for j < len(src) && isWordByte(src[j]) {
			j++
		}
		word := src[i:j]
		k := j
		for k < len(src) && (src[k] == ' ' || src[k] == '\t' || src[k] == '\n' || src[k] == '\r') {
			k++
		}
		lw := strings.ToLower(word)
		if k < len(src) && src[k] == '(' && lw != "and" && lw != "or" && !logic.IsFunction(lw) && !logic.IsFunction(word) {
			out = append(out, word)
		}
		i = j - 1
	}
	return out
}

func isLetter(b byte) bool   { return (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') }
func isWordByte(b byte) bool { return isLetter(b) || (b >= '0' && b <= '9') || b == '_' }

var reInt = lazyre.New(`^-?[0-9]+$`)

func (c *checker) checkValidation() {
	notText := c.list(msgValNotText, ", ")
	invalid := c.list(fmt.Sprintf(msgValInvalid, strings.Join(c.vt.visible, ", ")), "")
	noType := c.list(msgMinMaxNoType, ", ")
	minFmt := c.list(msgMinFormat, "")
	maxFmt := c.list(msgMaxFormat, "")
	dateFmt := c.list(msgDateFormat, ", ")
	datetimeFmt := c.list(msgDatetimeFormat, ", ")
	slider := c.list(msgSliderMinMax, ", ")
	for i := range c.fields {
		f := &c.fields[i]
		switch f.FieldType {
		case "text":
			if f.Validation == "" {
				if f.ValidationMin != "" {
					noType.add(cell(redcap.ColValidationMin, i))
				}
				if f.ValidationMax != "" {
					noType.add(cell(redcap.ColValidationMax, i))
				}
				continue
			}
			re, ok := c.vt.byName[f.Validation]
			if !ok {
				invalid.add(named(f.Validation, redcap.ColValidation, i))
				continue
			}
			for _, mm := range []struct {
				col  redcap.Column
				list *errorList
			}{{redcap.ColValidationMin, minFmt}, {redcap.ColValidationMax, maxFmt}} {
				v := f.Get(mm.col)
				nv, ok := checkMinMax(v, f.Validation, re, c.dmy)
				switch {
				case ok:
					f.Set(mm.col, nv)
				case strings.Contains(v, "/") && strings.HasPrefix(f.Validation, "datetime"):
					datetimeFmt.add(cell(mm.col, i))
				case strings.Contains(v, "/"):
					dateFmt.add(cell(mm.col, i))
				default:
					mm.list.add(named(v, mm.col, i))
				}
			}
		case "slider":
			for _, col := range []redcap.Column{redcap.ColValidationMin, redcap.ColValidationMax} {
				if v := f.Get(col); v != "" && !reInt.MatchString(v) {
					slider.add(cell(col, i))
				}
			}
		case "dropdown", "sql":
			if f.Validation != "" && f.Validation != "autocomplete" {
				notText.add(cell(redcap.ColValidation, i))
			}
		case "file":
			if f.Validation != "" && f.Validation != "signature" {
				notText.add(cell(redcap.ColValidation, i))
			}
		default:
			if f.Validation != "" {
				notText.add(cell(redcap.ColValidation, i))
			}
		}
	}
}

// checkMinMax checks a min or max value of a text field of validation type
// t and returns the value to store.
func checkMinMax(v, t string, re *regexp.Regexp, dmy bool) (string, bool) {
	switch {
	case v == "", v == "today", v == "now":
		return v, true
	case strings.HasPrefix(v, "[") && strings.HasSuffix(v, "]"):
		return v, true
	case isNumberType(t) && isNumeric(v):
		return v, true
	case isDateType(t) && strings.Contains(v, "/"):
		return reparseSlashDate(v, t, dmy)
	case isDateType(t):
		// Min/max of dates are stored as Y-M-D whatever the display format.
		if ymdForm(t).MatchString(v) || re.MatchString(v) {
			return v, true
		}
		return v, false
	}
	return v, re.MatchString(v)
}

var (
	reYMDOnly   = lazyre.New(`^` + reYMD + `$`)
	reYMDHM     = lazyre.New(`^` + reYMD + ` ` + reHM + `$`)
	reYMDHMS    = lazyre.New(`^` + reYMD + ` ` + reHMS + `$`)
	reSlashDate = lazyre.New(`^([0-9]{1,2})/([0-9]{1,2})/([0-9]{2}|[0-9]{4})(?: ([0-9]{1,2}):([0-9]{2})(?::([0-9]{2}))?)?$`)
)

func ymdForm(t string) *regexp.Regexp {
	switch {
	case strings.HasPrefix(t, "datetime_seconds"):
		return reYMDHMS.Regexp()
	case strings.HasPrefix(t, "datetime"):
		return reYMDHM.Regexp()
	}
	return reYMDOnly.Regexp()
}

// reparseSlashDate reads a M/D/Y date (REDCap's reading of any "/" date
// min/max; D/M/Y with date_format=DMY) and returns it as Y-M-D in the form
// of type t.
func reparseSlashDate(v, t string, dmy bool) (string, bool) {
	m := reSlashDate.FindStringSubmatch(v)
	if m == nil {
		return v, false
	}
	month, _ := strconv.Atoi(m[1])
	day, _ := strconv.Atoi(m[2])
	if dmy {
		month, day = day, month
	}
	year := m[3]
	if len(year) == 2 {
		year = "20" + year
	}
	y, _ := strconv.Atoi(year)
	d := time.Date(y, time.Month(month), day, 0, 0, 0, 0, time.UTC)
	if d.Month() != time.Month(month) || d.Day() != day {
		return v, false
	}
	out := d.Format("2006-01-02")
	isDatetime := strings.HasPrefix(t, "datetime")
	if m[4] == "" {
		if isDatetime {
			return v, false
		}
		return out, true
	}
	if !isDatetime {
		return v, false
	}
	hh, _ := strconv.Atoi(m[4])
	mm, _ := strconv.Atoi(m[5])
	ss := 0
	if m[6] != "" {
		ss, _ = strconv.Atoi(m[6])
	}
	if hh > 23 || mm > 59 || ss > 59 {
		return v, false
	}
	out += fmt.Sprintf(" %02d:%02d", hh, mm)
	if strings.HasPrefix(t, "datetime_seconds") {
		out += fmt.Sprintf(":%02d", ss)
	}
	return out, true
}

func (c *checker) checkMatrix() {
	long := c.list(msgMatrixLong, "")
	seq := c.list(msgMatrixSequence, "")
	typ := c.list(msgMatrixType, ", ")
	chs := c.list(msgMatrixChoices, "")
	rank := c.list(msgMatrixRanking, ", ")
	type group struct {
		first                 int
		typ, choices, ranking string
		reportedChoices       bool
	}
	groups := map[string]*group{}
	done := map[string]bool{}
	prev := ""
	for i := range c.fields {
		f := &c.fields[i]
		g := f.MatrixGroupName
		if g != prev {
			if prev != "" {
				done[prev] = true
			}
			if g != "" && done[g] {
				seq.add(named(g, redcap.ColMatrixGroupName, i))
			}
			prev = g
		}
		if g == "" {
			continue
		}
		if utf8.RuneCountInString(g) > 60 {
			long.add(named(g, redcap.ColMatrixGroupName, i))
		}
		if f.FieldType != "radio" && f.FieldType != "checkbox" {
			typ.add(cell(redcap.ColFieldType, i))
			continue
		}
		gr, ok := groups[g]
		if !ok {
			groups[g] = &group{first: i, typ: f.FieldType, choices: canonicalChoices(f.Choices), ranking: f.MatrixRanking}
			continue
		}
		if f.FieldType != gr.typ {
			f.FieldType = gr.typ // mixed radio/checkbox: the first field's type wins
		}
		if canonicalChoices(f.Choices) != gr.choices {
			if !gr.reportedChoices {
				chs.add(fmt.Sprintf("%s (%s)", c.fields[gr.first].Choices, cell(redcap.ColChoices, gr.first)))
				gr.reportedChoices = true
			}
			chs.add(" " + cell(redcap.ColChoices, i))
		}
		if f.MatrixRanking != gr.ranking {
			rank.add(cell(redcap.ColMatrixRanking, i))
		}
	}
}

func canonicalChoices(s string) string {
	var b strings.Builder
	for _, ch := range parseChoices(s) {
		b.WriteString(ch.code)
		b.WriteByte(0)
		b.WriteString(ch.label)
		b.WriteByte(0)
	}
	return b.String()
}
