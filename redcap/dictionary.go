package redcap

import "strings"

// Dictionary is an ordered list of fields, as REDCap keeps it: the first
// field is the record ID, forms are contiguous runs of fields.
type Dictionary struct {
	Fields []Field
	// Files lists the inputs the dictionary was read from, in order.
	Files []string
}

// Len returns the number of fields.
func (d *Dictionary) Len() int { return len(d.Fields) }

// Forms returns the form names in the order they first appear.
func (d *Dictionary) Forms() []string {
	var forms []string
	seen := map[string]bool{}
	for i := range d.Fields {
		name := d.Fields[i].FormName
		if !seen[name] {
			seen[name] = true
			forms = append(forms, name)
		}
	}
	return forms
}

// FormFields returns pointers to the fields of one form, in order.
func (d *Dictionary) FormFields(form string) []*Field {
	var out []*Field
	for i := range d.Fields {
		if d.Fields[i].FormName == form {
			out = append(out, &d.Fields[i])
		}
	}
	return out
}

// Field returns the first field with the given name, or nil.
func (d *Dictionary) Field(name string) *Field {
	for i := range d.Fields {
		if d.Fields[i].FieldName == name {
			return &d.Fields[i]
		}
	}
	return nil
}

// Index maps each field name to the index of its first occurrence.
func (d *Dictionary) Index() map[string]int {
	idx := make(map[string]int, len(d.Fields))
	for i := range d.Fields {
		if _, ok := idx[d.Fields[i].FieldName]; !ok {
			idx[d.Fields[i].FieldName] = i
		}
	}
	return idx
}

// RecordID returns the first field's name, REDCap's record ID ("" when empty).
func (d *Dictionary) RecordID() string {
	if len(d.Fields) == 0 {
		return ""
	}
	return d.Fields[0].FieldName
}

// Clone returns a deep copy.
func (d *Dictionary) Clone() *Dictionary {
	c := &Dictionary{
		Fields: append([]Field(nil), d.Fields...),
		Files:  append([]string(nil), d.Files...),
	}
	return c
}

// InstrumentLabel is the label REDCap gives a form that a metadata import
// creates: PHP's ucwords(str_replace('_', ' ', form_name)). No API call sets
// instrument labels, so this is what users see until they rename the form.
func InstrumentLabel(form string) string {
	words := strings.Split(strings.ReplaceAll(form, "_", " "), " ")
	for i, w := range words {
		if w != "" {
			words[i] = strings.ToUpper(w[:1]) + w[1:]
		}
	}
	return strings.Join(words, " ")
}
