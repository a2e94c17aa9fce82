package sandbox

import (
	"strings"

	"github.com/rcolpipe/rcolpipe/redcap"
)

// storedNewline separates choices in stored metadata, as REDCap's database
// does (a backslash and an n, not a line break).
const storedNewline = `\n`

// completeChoices are the choices of every <form>_complete field.
const completeChoices = `0, Incomplete \n 1, Unverified \n 2, Complete`

// isComplete reports whether a stored row is its form's auto-generated
// <form>_complete field.
func isComplete(f *redcap.Field) bool {
	return f.FieldName == f.FormName+redcap.FormCompleteSuffix
}

// toStored turns a checked row into the form REDCap stores: choices of
// multiple-choice fields separated by \n, flags as "1", question numbers cut
// to 10 characters.
func toStored(f redcap.Field) redcap.Field {
	f.Origin = redcap.Origin{}
	if isMultipleChoice(f.FieldType) && f.FieldType != "sql" {
		f.Choices = strings.ReplaceAll(strings.ReplaceAll(f.Choices, "\r\n", "\n"), "\n", "|")
		f.Choices = strings.ReplaceAll(f.Choices, "|", storedNewline)
	}
	for _, col := range []redcap.Column{redcap.ColIdentifier, redcap.ColRequiredField, redcap.ColMatrixRanking} {
		if f.Get(col) == "y" {
			f.Set(col, "1")
		} else {
			f.Set(col, "")
		}
	}
	if r := []rune(f.QuestionNumber); len(r) > 10 {
		f.QuestionNumber = string(r[:10])
	}
	return f
}

// toExport turns a stored row into what metadata export returns, with
// REDCap's export normalisations (docs/redcap.md#metadata-export).
func toExport(f redcap.Field) redcap.Field {
	f.Choices = strings.ReplaceAll(f.Choices, storedNewline, "|")
	for _, col := range []redcap.Column{redcap.ColIdentifier, redcap.ColRequiredField, redcap.ColMatrixRanking} {
		if f.Get(col) == "1" {
			f.Set(col, "y")
		} else {
			f.Set(col, "")
		}
	}
	f.FieldType = redcap.StoredFieldType(f.FieldType)
	if v, ok := redcap.LegacyValidation(f.Validation); ok {
		f.Validation = v
	}
	if f.FieldType == "slider" && f.CustomAlignment == "" {
		f.CustomAlignment = "RV"
	}
	if f.SectionHeader != "" && strings.TrimSpace(f.SectionHeader) == "" {
		f.SectionHeader = " "
	}
	return f
}

// saveDictionary replaces the project's whole dictionary with checked rows,
// as REDCap's save does: a <form>_complete field after each form's last
// field, labels of surviving forms kept, new forms labelled as redcap.InstrumentLabel says,
// and the users' form rights following the forms (new forms: right 1).
func saveDictionary(p *Project, fields []redcap.Field, users []*User) {
	labels := map[string]string{}
	for _, in := range p.Instruments {
		labels[in.Name] = in.Label
	}
	stored := make([]redcap.Field, 0, len(fields)+8)
	var instruments []Instrument
	for i, f := range fields {
		stored = append(stored, toStored(f))
		if i+1 == len(fields) || fields[i+1].FormName != f.FormName {
			stored = append(stored, redcap.Field{
				FieldName: f.FormName + redcap.FormCompleteSuffix, FormName: f.FormName, SectionHeader: "Form Status",
				FieldType: "select", FieldLabel: "Complete?", Choices: completeChoices,
			})
			label, ok := labels[f.FormName]
			if !ok {
				label = redcap.InstrumentLabel(f.FormName)
			}
			instruments = append(instruments, Instrument{Name: f.FormName, Label: label})
		}
	}
	p.Metadata = stored
	p.Instruments = instruments
	forms := map[string]bool{}
	for _, in := range instruments {
		forms[in.Name] = true
	}
	for _, u := range users {
		if u.ProjectID != p.ID {
			continue
		}
		u.Rights.Forms = followForms(u.Rights.Forms, forms)
		u.Rights.FormsExport = followForms(u.Rights.FormsExport, forms)
	}
}

// followForms drops rights of deleted forms and gives 1 for new ones.
func followForms(rights map[string]int, forms map[string]bool) map[string]int {
	out := make(map[string]int, len(forms))
	for f := range forms {
		if v, ok := rights[f]; ok {
			out[f] = v
		} else {
			out[f] = 1
		}
	}
	return out
}

// exportRows returns the project's dictionary as metadata export shows it:
// no <form>_complete fields, normalised values.
func exportRows(p *Project) []redcap.Field {
	out := make([]redcap.Field, 0, len(p.Metadata))
	for i := range p.Metadata {
		if isComplete(&p.Metadata[i]) {
			continue
		}
		out = append(out, toExport(p.Metadata[i]))
	}
	return out
}

// forms returns the project's form names in order.
func (p *Project) forms() []string {
	var out []string
	seen := map[string]bool{}
	for i := range p.Metadata {
		if f := p.Metadata[i].FormName; !seen[f] {
			seen[f] = true
			out = append(out, f)
		}
	}
	return out
}
