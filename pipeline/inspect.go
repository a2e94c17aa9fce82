package pipeline

import (
	"strings"

	"github.com/rcolpipe/rcolpipe/redcap"
)

// Inspection is what a dictionary holds, in counts (rcolpipe inspect).
type Inspection struct {
	Files    int         `json:"files"`
	Fields   int         `json:"fields"`
	Forms    []FormCount `json:"forms"`
	RecordID string      `json:"record_id"`
	// FieldTypes counts fields per field_type.
	FieldTypes map[string]int `json:"field_types"`
	// BranchingLogic counts fields with branching logic.
	BranchingLogic int `json:"branching_logic"`
	// CalcFields counts fields of type calc.
	CalcFields int `json:"calc_fields"`
	// MatrixGroups counts distinct matrix group names.
	MatrixGroups   int `json:"matrix_groups"`
	SectionHeaders int `json:"section_headers"`
	Required       int `json:"required"`
	Identifiers    int `json:"identifiers"`
	// ActionTags counts, per action tag, the fields whose annotation uses it.
	ActionTags map[string]int `json:"action_tags"`
	// FieldsWithActionTags counts fields with at least one action tag.
	FieldsWithActionTags int `json:"fields_with_action_tags"`
}

// FormCount is a form and its number of fields.
type FormCount struct {
	Name   string `json:"name"`
	Fields int    `json:"fields"`
}

// Inspect counts what d holds.
func Inspect(d *redcap.Dictionary) Inspection {
	r := Inspection{
		Files:      len(d.Files),
		Fields:     d.Len(),
		Forms:      []FormCount{},
		RecordID:   d.RecordID(),
		FieldTypes: map[string]int{},
		ActionTags: map[string]int{},
	}
	formIdx := map[string]int{}
	groups := map[string]bool{}
	for i := range d.Fields {
		f := &d.Fields[i]
		k, ok := formIdx[f.FormName]
		if !ok {
			k = len(r.Forms)
			formIdx[f.FormName] = k
			r.Forms = append(r.Forms, FormCount{Name: f.FormName})
		}
		r.Forms[k].Fields++
		r.FieldTypes[f.FieldType]++
		if strings.TrimSpace(f.BranchingLogic) != "" {
			r.BranchingLogic++
		}
		if f.FieldType == "calc" {
			r.CalcFields++
		}
		if g := strings.TrimSpace(f.MatrixGroupName); g != "" {
			groups[g] = true
		}
		if strings.TrimSpace(f.SectionHeader) != "" {
			r.SectionHeaders++
		}
		if f.RequiredField == "y" {
			r.Required++
		}
		if f.Identifier == "y" {
			r.Identifiers++
		}
		tags := map[string]bool{}
		for _, t := range redcap.ActionTags(f.FieldAnnotation) {
			tags["@"+t] = true
		}
		for t := range tags {
			r.ActionTags[t]++
		}
		if len(tags) > 0 {
			r.FieldsWithActionTags++
		}
	}
	r.MatrixGroups = len(groups)
	return r
}
