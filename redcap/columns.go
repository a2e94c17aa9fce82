package redcap

import (
	"fmt"
	"strings"
)

// normalizeHeader keeps only lower-case letters and digits, so that
// "Variable / Field Name", "field_name", "Variable...Field.Name" (R's
// make.names) and "Identifier" vs "Identifier?" compare equal.
func normalizeHeader(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// columnForHeader maps a header cell or JSON key to a REDCap column: API
// keys, the Data Dictionary download headers, and rcol's "choices".
func columnForHeader(h string) (Column, bool) {
	n := normalizeHeader(h)
	if n == "" {
		return ColNone, false
	}
	if n == "choices" {
		return ColChoices, true
	}
	for i, c := range Columns {
		if n == normalizeHeader(c.Key) || n == normalizeHeader(c.Header) {
			return Column(i), true
		}
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
		v := f.Get(c)
		if strings.TrimSpace(v) != "" {
			blank = false
		}
		if v == "NA" {
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
	return Diagnostics{{Severity: SeverityWarning, Code: CodeLiteralNA, File: rc.name, Line: firstLine, Stage: stageLoad,
		Message: fmt.Sprintf("%d cell(s) hold the literal text NA (R's missing value), kept as read: %s", rc.naTotal, list),
		Hint:    "REDCap stores \"NA\" as text; write the file with na = \"\" (R: write.csv(..., na = \"\")) or blank those cells"}}
}
