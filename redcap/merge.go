package redcap

import "fmt"

// MergeResult is the dictionary to send and what the merge decided.
type MergeResult struct {
	Dictionary *Dictionary
	// Replaced lists the project's forms that the input replaces.
	Replaced []string
	// Added lists the input's forms that are new to the project.
	Added []string
	// Kept lists the project's forms left as they are.
	Kept []string
	// Notes are findings about the merge (record-ID handling).
	Notes Diagnostics
}

// Merge puts the forms of an input into a project's current dictionary,
// because REDCap's metadata import replaces the whole dictionary: the forms
// being uploaded replace the same forms in the project, new forms are
// appended, other forms stay as they are, and the project's record-ID field
// stays first. An empty project takes the input as it is.
func Merge(current, input *Dictionary) MergeResult {
	if current == nil || current.Len() == 0 {
		out := input.Clone()
		return MergeResult{Dictionary: out, Added: out.Forms()}
	}
	recordID := current.Fields[0]
	inForms := map[string][]Field{}
	var inOrder []string
	for _, f := range input.Fields {
		if _, ok := inForms[f.FormName]; !ok {
			inOrder = append(inOrder, f.FormName)
		}
		inForms[f.FormName] = append(inForms[f.FormName], f)
	}

	var res MergeResult
	out := &Dictionary{Files: append([]string(nil), input.Files...)}
	curForms := current.Forms()
	inCur := map[string]bool{}
	for _, form := range curForms {
		inCur[form] = true
	}

	// The record ID: the input's copy wins when it sits in the same form
	// (a user may relabel it); otherwise the project's copy stays first.
	first := recordID
	if fs, ok := inForms[recordID.FormName]; ok && len(fs) > 0 && fs[0].FieldName == recordID.FieldName {
		first = fs[0]
	}
	out.Fields = append(out.Fields, first)

	emit := func(fs []Field) {
		for _, f := range fs {
			if f.FieldName == recordID.FieldName {
				if f.FormName != recordID.FormName {
					res.Notes = append(res.Notes, At(&f, ColFieldName, SeverityInfo, "MG001",
						fmt.Sprintf("the project's record-ID field %q stays first in form %q; the input's copy in form %q is dropped", recordID.FieldName, recordID.FormName, f.FormName),
						"remove the record-ID field from this form, or upload with --replace-all to change the project's first form"))
				}
				continue
			}
			out.Fields = append(out.Fields, f)
		}
	}
	for _, form := range curForms {
		if fs, ok := inForms[form]; ok {
			res.Replaced = append(res.Replaced, form)
			emit(fs)
			continue
		}
		res.Kept = append(res.Kept, form)
		var fs []Field
		for _, f := range current.Fields {
			if f.FormName == form {
				fs = append(fs, f)
			}
		}
		emit(fs)
	}
	for _, form := range inOrder {
		if !inCur[form] {
			res.Added = append(res.Added, form)
			emit(inForms[form])
		}
	}
	if input.Len() > 0 && input.Fields[0].FieldName != recordID.FieldName && input.Fields[0].FormName == recordID.FormName {
		f := input.Fields[0]
		res.Notes = append(res.Notes, At(&f, ColFieldName, SeverityWarning, "MG002",
			fmt.Sprintf("the input's first field %q is not the project's record-ID field %q; it becomes an ordinary field after %q", f.FieldName, recordID.FieldName, recordID.FieldName),
			"start the input with the project's record-ID field, or upload with --replace-all to change the record ID"))
	}
	res.Dictionary = out
	return res
}
