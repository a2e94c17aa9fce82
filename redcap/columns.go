package redcap

import (
	"fmt"
	"strings"
)

// normalizeHeader keeps only letters and digits, lower-cased, so that
// "Variable / Field Name", "field_name", "Variable...Field.Name" (R's
// make.names) and "Identifier" vs "Identifier?" compare equal.
func normalizeHeader(s string) string {
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
			b = append(b, c)
		case c >= 'A' && c <= 'Z':
			b = append(b, c+('a'-'A'))
		}
	}
	return string(b)
}

// columnForHeader maps a header cell or JSON key to a REDCap column: API
// keys, the Data Dictionary download headers (TestColumnForHeader checks
// both against Columns), and rcol's "choices".
func columnForHeader(h string) (Column, bool) {
	// Fast path for the API keys as REDCap writes them (every JSON key).
	switch h {
	case "field_name":
		return ColFieldName, true
	case "form_name":
		return ColFormName, true
	case "section_header":
		return ColSectionHeader, true
	case "field_type":
		return ColFieldType, true
	case "field_label":
		return ColFieldLabel, true
	case "select_choices_or_calculations", "choices":
		return ColChoices, true
	case "field_note":
		return ColFieldNote, true
	case "text_validation_type_or_show_slider_number":
		return ColValidation, true
	case "text_validation_min":
		return ColValidationMin, true
	case "text_validation_max":
		return ColValidationMax, true
	case "identifier":
		return ColIdentifier, true
	case "branching_logic":
		return ColBranchingLogic, true
	case "required_field":
		return ColRequiredField, true
	case "custom_alignment":
		return ColCustomAlignment, true
	case "question_number":
		return ColQuestionNumber, true
	case "matrix_group_name":
		return ColMatrixGroupName, true
	case "matrix_ranking":
		return ColMatrixRanking, true
	case "field_annotation":
		return ColFieldAnnotation, true
	}
	n := normalizeHeader(h)
	switch n {
	case "fieldname", "variablefieldname":
		return ColFieldName, true
	case "formname":
		return ColFormName, true
	case "sectionheader":
		return ColSectionHeader, true
	case "fieldtype":
		return ColFieldType, true
	case "fieldlabel":
		return ColFieldLabel, true
	case "selectchoicesorcalculations", "choicescalculationsorsliderlabels", "choices":
		return ColChoices, true
	case "fieldnote":
		return ColFieldNote, true
	case "textvalidationtypeorshowslidernumber":
		return ColValidation, true
	case "textvalidationmin":
		return ColValidationMin, true
	case "textvalidationmax":
		return ColValidationMax, true
	case "identifier":
		return ColIdentifier, true
	case "branchinglogic", "branchinglogicshowfieldonlyif":
		return ColBranchingLogic, true
	case "requiredfield":
		return ColRequiredField, true
	case "customalignment":
		return ColCustomAlignment, true
	case "questionnumber", "questionnumbersurveysonly":
		return ColQuestionNumber, true
	case "matrixgroupname":
		return ColMatrixGroupName, true
	case "matrixranking":
		return ColMatrixRanking, true
	case "fieldannotation":
		return ColFieldAnnotation, true
	}
	return ColNone, false
}

// requiredHeaderColumns must be named in a CSV header: without them the
// first row is not a REDCap header (or not the header at all).
func requiredHeaderColumns() [4]Column {
	return [4]Column{ColFieldName, ColFormName, ColFieldType, ColFieldLabel}
}

// rowChecker collects what the readers check cell by cell (literal NA) and
// applies the fixes REDCap's download needs (the space before "@" in
// annotations). One per file.
type rowChecker struct {
	name string
	// order is the columns of the file, in file order; only these are
	// checked.
	order []Column
	// naCells are cell references like "F12" (column letter + line).
	naCells []string
	naTotal int
}

// finish cleans a freshly read row and reports whether it holds anything.
// ref renders the place of a cell for messages.
func (rc *rowChecker) finish(f *Field, ref func(Column) string) bool {
	// REDCap's download writes " @HIDDEN" so that Excel does not take the
	// cell for a formula; the space means nothing. All leading spaces go,
	// so that reading is idempotent.
	if a := strings.TrimLeft(f.FieldAnnotation, " "); strings.HasPrefix(a, "@") {
		f.FieldAnnotation = a
	}
	blank := true
	for c := Column(0); c < NumColumns; c++ {
		if strings.TrimSpace(f.Get(c)) != "" {
			blank = false
			break
		}
	}
	for _, c := range rc.order {
		if f.Get(c) == "NA" {
			rc.naTotal++
			if len(rc.naCells) < 10 {
				rc.naCells = append(rc.naCells, ref(c))
			}
		}
	}
	return !blank
}

// diagnostics returns the file-level findings of the rows read.
func (rc *rowChecker) diagnostics(firstLine int) Diagnostics {
	if rc.naTotal == 0 {
		return nil
	}
	list := strings.Join(rc.naCells, ", ")
	if rc.naTotal > len(rc.naCells) {
		list += fmt.Sprintf(" and %d more", rc.naTotal-len(rc.naCells))
	}
	return Diagnostics{{Severity: SeverityWarning, Code: CodeLiteralNA, File: rc.name, Line: firstLine, Stage: StageLoad,
		Message: fmt.Sprintf("%d cell(s) hold the literal text NA (R's missing value), kept as read: %s", rc.naTotal, list),
		Hint:    "REDCap stores \"NA\" as text; write the file with na = \"\" (R: write.csv(..., na = \"\")) or blank those cells"}}
}

// allColumns returns A..R.
func allColumns() []Column {
	cols := make([]Column, NumColumns)
	for i := range cols {
		cols[i] = Column(i)
	}
	return cols
}
