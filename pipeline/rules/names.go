package rules

import (
	"fmt"
	"strings"

	"github.com/rcolpipe/rcolpipe/redcap"
)

// fieldNames checks column A of every row: the RC1xx rules.
func (c *checker) fieldNames() {
	// seen maps the name REDCap would store to the first row that has it.
	seen := make(map[string]int, len(c.d.Fields))
	const renameHint = "Rename the field to %q (or a better name) and update every [field] reference to it."
	for i := range c.d.Fields {
		f := &c.d.Fields[i]
		// REDCap trims cells before it checks them; surrounding spaces are
		// no rename.
		name := strings.TrimSpace(f.FieldName)
		if name == "" {
			c.emit(i, redcap.ColFieldName, codeNameMissing,
				"Each row MUST have a variable/field name, but this row has none.",
				"Give the row a field name, or delete it if it is a stray spreadsheet line.")
			continue
		}
		n := name
		if !redcap.HasOnlyNameBytes(name) {
			n = redcap.CleanFieldName(name)
			if n == "" {
				c.emitf(i, redcap.ColFieldName, codeNameRewritten,
					"Rename the field using only a-z, 0-9 and _.",
					"Variables/field names must consist of ONLY lower-case letters, numbers, and underscores: REDCap would delete every character of %s, leaving no name.", quote(name))
				continue
			}
			c.emitf(i, redcap.ColFieldName, codeNameRewritten, fmt.Sprintf(renameHint, redcap.CollapseUnderscores(n)),
				"Variables/field names must consist of ONLY lower-case letters, numbers, and underscores: REDCap would silently replace %s with %q.", quote(name), n)
		}
		switch {
		case strings.Contains(n, "___"):
			c.emitf(i, redcap.ColFieldName, codeNameTripleUnder,
				fmt.Sprintf("Use a single underscore, e.g. %q.", redcap.CollapseUnderscores(n)),
				"Variables/field names cannot have a triple underscore (___): %q.", n)
		case strings.Contains(n, "__"):
			c.emitf(i, redcap.ColFieldName, codeNameDoubleUnder, fmt.Sprintf(renameHint, redcap.CollapseUnderscores(n)),
				"REDCap silently collapses the double underscore in %q: the field would be named %q.", n, redcap.CollapseUnderscores(n))
		}
		if n[0] >= '0' && n[0] <= '9' {
			c.emitf(i, redcap.ColFieldName, codeNameDigitStart,
				"Start the name with a letter, e.g. move the digits to the end.",
				"Variables/field names cannot begin with a number: %q.", n)
		}
		if n[0] == '_' {
			c.emitf(i, redcap.ColFieldName, codeNameUnderStart,
				fmt.Sprintf("Remove the leading underscore: %q.", strings.TrimLeft(n, "_")),
				"Variables/field names cannot begin with an underscore character: %q.", n)
		}
		if n[len(n)-1] == '_' {
			c.emitf(i, redcap.ColFieldName, codeNameUnderEnd,
				fmt.Sprintf("Remove the trailing underscore: %q.", strings.TrimRight(n, "_")),
				"Variables/field names cannot end with an underscore character: %q.", n)
		}
		switch {
		case len(n) > redcap.MaxFieldNameLen:
			c.emitf(i, redcap.ColFieldName, codeNameTooLong, "Shorten the name to at most 100 characters.",
				"Variables/field names cannot be more than 100 characters in length: %q has %d.", n[:20]+"…", len(n))
		case len(n) > redcap.AdvisedFieldNameLen:
			c.emitf(i, redcap.ColFieldName, codeNameLong, "Shorten the name if you can; REDCap accepts it as it is.",
				"Variables/field names are recommended to be less than 26 characters in length: %q has %d.", n, len(n))
		}
		if redcap.IsReservedFieldName(n) {
			prefix := strings.TrimSpace(f.FormName)
			if prefix == "" || !redcap.HasOnlyNameBytes(prefix) {
				prefix = "my"
			}
			c.emitf(i, redcap.ColFieldName, codeNameReserved,
				fmt.Sprintf("Rename the field, e.g. %q.", prefix+"_"+n),
				"This is an illegal variable name and cannot be used: %q is reserved by REDCap.", n)
		}
		if form, ok := strings.CutSuffix(n, redcap.FormCompleteSuffix); ok && (c.forms[form] || c.assumedForms[form]) {
			c.emitf(i, redcap.ColFieldName, codeNameFormComplete,
				"Rename the field; REDCap creates "+quote(n)+" itself as the form's status field.",
				"Variables/field names cannot be named [form_name]+'_complete', in which [form_name] corresponds to an existing Form Name in column B: %q.", n)
		}
		for _, suffix := range redcap.FormReservedSuffixes {
			if form, ok := strings.CutSuffix(n, suffix); ok && (c.forms[form] || c.assumedForms[form]) {
				c.emitf(i, redcap.ColFieldName, codeNameFormReserved,
					"Rename the field, e.g. "+quote(form+"_"+strings.TrimPrefix(suffix, "_")+"_value")+".",
					"%q is reserved as soon as form %q is in the project (This is an illegal variable name and cannot be used).", n, form)
			}
		}
		if j, ok := seen[n]; ok {
			hint := "Rename one of the two fields."
			if j == 0 {
				hint = "Keep the record ID field only in the first instrument of the stack; remove it from the others."
			}
			if strings.TrimSpace(c.d.Fields[j].FieldName) == name {
				c.emitf(i, redcap.ColFieldName, codeNameDuplicate, hint,
					"The following variable/field names were duplicated: %q is also defined at %s.", n, c.where(j))
			} else {
				c.emitf(i, redcap.ColFieldName, codeNameDuplicate, hint,
					"The following variable/field names were duplicated: after REDCap's rewriting %s is %q, like %q at %s.", quote(name), n, c.d.Fields[j].FieldName, c.where(j))
			}
		} else {
			seen[n] = i
		}
		if f.FieldType == "checkbox" {
			c.exportNames(i)
		}
	}
}

// exportNames checks the field___code export names of checkbox row i.
func (c *checker) exportNames(i int) {
	f := &c.d.Fields[i]
	byExport := map[string]string{}
	var changed []string
	for _, ch := range c.choices[i] {
		if ch.code == "" {
			continue
		}
		e := redcap.CheckboxExportCode(ch.code)
		if e != ch.code {
			changed = append(changed, fmt.Sprintf("%q → %s___%s", ch.code, f.FieldName, e))
		}
		if prev, ok := byExport[e]; ok && prev != ch.code {
			c.emitf(i, redcap.ColChoices, codeExportNameCollides,
				"Give the two options codes that differ in more than case, '-' or '.'.",
				"Checkbox codes %q and %q both export as %s___%s.", prev, ch.code, f.FieldName, e)
			continue
		}
		byExport[e] = ch.code
	}
	if len(changed) > 0 {
		c.emitf(i, redcap.ColChoices, codeExportNameChanged,
			"Nothing to fix; code that reads exports must use these names.",
			"REDCap exports these checkbox options under changed names: %s.", strings.Join(changed, ", "))
	}
}

// formNames checks column B: the RC2xx rules.
func (c *checker) formNames() {
	reported := map[string]bool{}
	seen := map[string]bool{}
	prev := ""
	for i := range c.d.Fields {
		form := c.d.Fields[i].FormName
		if strings.TrimSpace(form) == "" {
			c.emit(i, redcap.ColFormName, codeFormMissing,
				"Each row MUST have a form name, but this row has none.",
				"Fill in the form name (column B).")
			// The next row's form does not "appear again after" a row
			// without one: that would report the same gap twice.
			continue
		}
		if i > 0 && form != prev && seen[form] {
			c.emitf(i, redcap.ColFormName, codeFormNotContig,
				"Move the rows of the form together, or rename one of the forms.",
				"Form names must be sequential and cannot repeat again after being used for another form: %q appears again after %q.", form, prev)
		}
		seen[form] = true
		prev = form
		if reported[form] {
			continue
		}
		reported[form] = true
		if !redcap.HasOnlyNameBytes(form) || form[0] >= '0' && form[0] <= '9' || strings.Contains(form, "__") ||
			form[0] == '_' || form[len(form)-1] == '_' {
			n, ok := redcap.CleanFormName(form)
			if ok {
				c.emitf(i, redcap.ColFormName, codeFormRewritten,
					fmt.Sprintf("Write the form name as %q in every row.", n),
					"Form names must consist of ONLY lower-case letters, numbers, and underscores, and cannot begin with a number: REDCap would silently rename form %s to %q.", quote(form), n)
			} else {
				c.emitf(i, redcap.ColFormName, codeFormRewritten,
					"Start the form name with a letter and use only a-z, 0-9 and _.",
					"Form names must consist of ONLY lower-case letters, numbers, and underscores, and cannot begin with a number: REDCap would rename form %s to %q with four letters from an MD5 hash in front.", quote(form), n)
			}
		}
		switch {
		case len(form) > 64:
			c.emitf(i, redcap.ColFormName, codeFormTooLong, "Shorten the form name to at most 64 characters.",
				"Form names cannot be more than 64 characters in length: %q has %d.", form, len(form))
		case len(form) > 50:
			c.emitf(i, redcap.ColFormName, codeFormLong, "Shorten the form name to 50 characters or fewer if you can.",
				"Form name %q has %d characters; REDCap recommends at most 50.", form, len(form))
		}
	}
}

// firstField checks the record ID field (row 0): RC120, RC121.
func (c *checker) firstField() {
	f := &c.d.Fields[0]
	// REDCap makes the first field the record ID only for a whole
	// project's dictionary: an instrument ZIP, and instruments added to an
	// existing project, keep the project's record ID first.
	if _, _, zip := redcap.ZIPMember(f.Origin.File); zip || c.cfg.JoinsProject || c.cfg.AssumeFields != nil {
		return
	}
	if f.FieldType != "text" && strings.TrimSpace(f.FieldType) != "" {
		c.emitf(0, redcap.ColFieldType, codeFirstNotText,
			"Put the record ID field (a text field such as record_id) first; when stacking instruments, list the one that holds it first.",
			"The first field must be a 'text' field type. It will automatically be set as a 'text' field: %q (%s) is the record ID and becomes text.", f.FieldName, f.FieldType)
	}
	if strings.TrimSpace(f.SectionHeader) != "" {
		c.emitf(0, redcap.ColSectionHeader, codeFirstSection,
			"Move the section header to the second field, or delete it.",
			"REDCap silently clears the section header of the first field (the record ID): %s.", quote(f.SectionHeader))
	}
}
