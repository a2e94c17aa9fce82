// Package redcap holds the REDCap data dictionary: the Field row with its 18
// columns in REDCap's order, the Dictionary, the Diagnostic every stage
// reports with, and the readers and writers of dictionary files.
package redcap

import "strings"

// Column names one of the 18 data-dictionary columns A..R. REDCap maps
// metadata columns by position, not by name, so the order of these constants
// is the contract with the server.
type Column int

// The columns in REDCap's order (A..R).
const (
	ColFieldName       Column = iota // A field_name
	ColFormName                      // B form_name
	ColSectionHeader                 // C section_header
	ColFieldType                     // D field_type
	ColFieldLabel                    // E field_label
	ColChoices                       // F select_choices_or_calculations
	ColFieldNote                     // G field_note
	ColValidation                    // H text_validation_type_or_show_slider_number
	ColValidationMin                 // I text_validation_min
	ColValidationMax                 // J text_validation_max
	ColIdentifier                    // K identifier
	ColBranchingLogic                // L branching_logic
	ColRequiredField                 // M required_field
	ColCustomAlignment               // N custom_alignment
	ColQuestionNumber                // O question_number
	ColMatrixGroupName               // P matrix_group_name
	ColMatrixRanking                 // Q matrix_ranking
	ColFieldAnnotation               // R field_annotation

	// NumColumns is the number of REDCap columns.
	NumColumns = 18
	// ColNone marks a diagnostic that is about a whole row or file.
	ColNone Column = -1
)

// ColumnInfo describes one column: its API key, the header REDCap's Data
// Dictionary page writes, and its spreadsheet letter.
type ColumnInfo struct {
	Key    string
	Header string
	Letter string
}

// Columns lists the 18 columns in REDCap's order.
var Columns = [NumColumns]ColumnInfo{
	{"field_name", "Variable / Field Name", "A"},
	{"form_name", "Form Name", "B"},
	{"section_header", "Section Header", "C"},
	{"field_type", "Field Type", "D"},
	{"field_label", "Field Label", "E"},
	{"select_choices_or_calculations", "Choices, Calculations, OR Slider Labels", "F"},
	{"field_note", "Field Note", "G"},
	{"text_validation_type_or_show_slider_number", "Text Validation Type OR Show Slider Number", "H"},
	{"text_validation_min", "Text Validation Min", "I"},
	{"text_validation_max", "Text Validation Max", "J"},
	{"identifier", "Identifier?", "K"},
	{"branching_logic", "Branching Logic (Show field only if...)", "L"},
	{"required_field", "Required Field?", "M"},
	{"custom_alignment", "Custom Alignment", "N"},
	{"question_number", "Question Number (surveys only)", "O"},
	{"matrix_group_name", "Matrix Group Name", "P"},
	{"matrix_ranking", "Matrix Ranking?", "Q"},
	{"field_annotation", "Field Annotation", "R"},
}

// Key returns the column's API key ("" for ColNone).
func (c Column) Key() string {
	if c < 0 || c >= NumColumns {
		return ""
	}
	return Columns[c].Key
}

// Letter returns the column's spreadsheet letter ("" for ColNone).
func (c Column) Letter() string {
	if c < 0 || c >= NumColumns {
		return ""
	}
	return Columns[c].Letter
}

// ColumnByKey returns the column with the given API key.
func ColumnByKey(key string) (Column, bool) {
	for i, c := range Columns {
		if c.Key == key {
			return Column(i), true
		}
	}
	return ColNone, false
}

// Origin says where a field came from, so that any later diagnostic can
// point at it.
type Origin struct {
	// File is the path of the input as the user named it (for a ZIP member:
	// "archive.zip!instrument.csv").
	File string
	// Line is the line in File where the row starts (the CSV record or the
	// JSON object).
	Line int
	// Row is the 1-based index of the row among the data rows of File (CSV)
	// or the objects of its array (JSON).
	Row int
}

// Field is one row of a data dictionary: the 18 columns A..R in REDCap's
// order, every value a string. The JSON tags are REDCap's API keys, and
// encoding/json keeps struct order, so a marshalled Field is in column order.
type Field struct {
	FieldName       string `json:"field_name"`
	FormName        string `json:"form_name"`
	SectionHeader   string `json:"section_header"`
	FieldType       string `json:"field_type"`
	FieldLabel      string `json:"field_label"`
	Choices         string `json:"select_choices_or_calculations"`
	FieldNote       string `json:"field_note"`
	Validation      string `json:"text_validation_type_or_show_slider_number"`
	ValidationMin   string `json:"text_validation_min"`
	ValidationMax   string `json:"text_validation_max"`
	Identifier      string `json:"identifier"`
	BranchingLogic  string `json:"branching_logic"`
	RequiredField   string `json:"required_field"`
	CustomAlignment string `json:"custom_alignment"`
	QuestionNumber  string `json:"question_number"`
	MatrixGroupName string `json:"matrix_group_name"`
	MatrixRanking   string `json:"matrix_ranking"`
	FieldAnnotation string `json:"field_annotation"`

	// Origin is where the row was read; it is not part of REDCap's data.
	Origin Origin `json:"-"`
}

// ptr returns a pointer to the value of column c.
func (f *Field) ptr(c Column) *string {
	switch c {
	case ColFieldName:
		return &f.FieldName
	case ColFormName:
		return &f.FormName
	case ColSectionHeader:
		return &f.SectionHeader
	case ColFieldType:
		return &f.FieldType
	case ColFieldLabel:
		return &f.FieldLabel
	case ColChoices:
		return &f.Choices
	case ColFieldNote:
		return &f.FieldNote
	case ColValidation:
		return &f.Validation
	case ColValidationMin:
		return &f.ValidationMin
	case ColValidationMax:
		return &f.ValidationMax
	case ColIdentifier:
		return &f.Identifier
	case ColBranchingLogic:
		return &f.BranchingLogic
	case ColRequiredField:
		return &f.RequiredField
	case ColCustomAlignment:
		return &f.CustomAlignment
	case ColQuestionNumber:
		return &f.QuestionNumber
	case ColMatrixGroupName:
		return &f.MatrixGroupName
	case ColMatrixRanking:
		return &f.MatrixRanking
	case ColFieldAnnotation:
		return &f.FieldAnnotation
	}
	return nil
}

// Get returns the value of column c ("" for a column out of range).
func (f *Field) Get(c Column) string {
	if p := f.ptr(c); p != nil {
		return *p
	}
	return ""
}

// Set sets the value of column c; a column out of range is ignored.
func (f *Field) Set(c Column, v string) {
	if p := f.ptr(c); p != nil {
		*p = v
	}
}

// Values returns the 18 values in column order.
func (f *Field) Values() [NumColumns]string {
	var v [NumColumns]string
	for c := Column(0); c < NumColumns; c++ {
		v[c] = f.Get(c)
	}
	return v
}

// SameData reports whether two fields hold the same 18 values (origins are
// not compared).
func (f *Field) SameData(g *Field) bool {
	return f.Values() == g.Values()
}

// ZIPMember splits the File of a field read from an instrument ZIP
// ("archive.zip!instrument.csv", as the reader names it) into the archive
// and the member; ok is false for any other name, even one holding a '!'.
func ZIPMember(file string) (archive, member string, ok bool) {
	i := strings.LastIndex(file, "!")
	if i <= 0 || !strings.HasSuffix(strings.ToLower(file[:i]), ".zip") {
		return file, "", false
	}
	return file[:i], file[i+1:], true
}
