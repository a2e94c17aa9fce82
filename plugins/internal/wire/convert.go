package wire

import (
	"github.com/rcolpipe/rcolpipe/plugins/proto/rcolpipe/v1"
	"github.com/rcolpipe/rcolpipe/redcap"
)

// FieldToProto converts one row.
func FieldToProto(f *redcap.Field) *rcolpipev1.Field {
	return &rcolpipev1.Field{
		FieldName:                            f.FieldName,
		FormName:                             f.FormName,
		SectionHeader:                        f.SectionHeader,
		FieldType:                            f.FieldType,
		FieldLabel:                           f.FieldLabel,
		SelectChoicesOrCalculations:          f.Choices,
		FieldNote:                            f.FieldNote,
		TextValidationTypeOrShowSliderNumber: f.Validation,
		TextValidationMin:                    f.ValidationMin,
		TextValidationMax:                    f.ValidationMax,
		Identifier:                           f.Identifier,
		BranchingLogic:                       f.BranchingLogic,
		RequiredField:                        f.RequiredField,
		CustomAlignment:                      f.CustomAlignment,
		QuestionNumber:                       f.QuestionNumber,
		MatrixGroupName:                      f.MatrixGroupName,
		MatrixRanking:                        f.MatrixRanking,
		FieldAnnotation:                      f.FieldAnnotation,
		Origin: &rcolpipev1.Origin{
			File: f.Origin.File,
			Line: int32(f.Origin.Line),
			Row:  int32(f.Origin.Row),
		},
	}
}

// FieldFromProto converts one row.
func FieldFromProto(p *rcolpipev1.Field) redcap.Field {
	o := p.GetOrigin()
	return redcap.Field{
		FieldName:       p.GetFieldName(),
		FormName:        p.GetFormName(),
		SectionHeader:   p.GetSectionHeader(),
		FieldType:       p.GetFieldType(),
		FieldLabel:      p.GetFieldLabel(),
		Choices:         p.GetSelectChoicesOrCalculations(),
		FieldNote:       p.GetFieldNote(),
		Validation:      p.GetTextValidationTypeOrShowSliderNumber(),
		ValidationMin:   p.GetTextValidationMin(),
		ValidationMax:   p.GetTextValidationMax(),
		Identifier:      p.GetIdentifier(),
		BranchingLogic:  p.GetBranchingLogic(),
		RequiredField:   p.GetRequiredField(),
		CustomAlignment: p.GetCustomAlignment(),
		QuestionNumber:  p.GetQuestionNumber(),
		MatrixGroupName: p.GetMatrixGroupName(),
		MatrixRanking:   p.GetMatrixRanking(),
		FieldAnnotation: p.GetFieldAnnotation(),
		Origin: redcap.Origin{
			File: o.GetFile(),
			Line: int(o.GetLine()),
			Row:  int(o.GetRow()),
		},
	}
}

// FieldsToProto converts a dictionary's rows.
func FieldsToProto(d *redcap.Dictionary) []*rcolpipev1.Field {
	out := make([]*rcolpipev1.Field, len(d.Fields))
	for i := range d.Fields {
		out[i] = FieldToProto(&d.Fields[i])
	}
	return out
}

// DictionaryFromProto builds a dictionary from rows and the input files.
func DictionaryFromProto(fields []*rcolpipev1.Field, files []string) *redcap.Dictionary {
	d := &redcap.Dictionary{Fields: make([]redcap.Field, len(fields)), Files: append([]string(nil), files...)}
	for i, f := range fields {
		d.Fields[i] = FieldFromProto(f)
	}
	return d
}

// SeverityToProto maps a severity; SeverityOff has no wire form and
// becomes unspecified.
func SeverityToProto(s redcap.Severity) rcolpipev1.Severity {
	switch s {
	case redcap.SeverityInfo:
		return rcolpipev1.Severity_SEVERITY_INFO
	case redcap.SeverityWarning:
		return rcolpipev1.Severity_SEVERITY_WARNING
	case redcap.SeverityError:
		return rcolpipev1.Severity_SEVERITY_ERROR
	}
	return rcolpipev1.Severity_SEVERITY_UNSPECIFIED
}

// SeverityFromProto maps a severity. An unspecified or unknown severity
// becomes an error: a plugin that forgets to set it must not hide a finding.
func SeverityFromProto(s rcolpipev1.Severity) redcap.Severity {
	switch s {
	case rcolpipev1.Severity_SEVERITY_INFO:
		return redcap.SeverityInfo
	case rcolpipev1.Severity_SEVERITY_WARNING:
		return redcap.SeverityWarning
	}
	return redcap.SeverityError
}
