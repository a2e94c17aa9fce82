package conventions

import (
	"fmt"
	"strings"
	"unicode"

	"github.com/rcolpipe/rcolpipe/redcap"
)

// Which fields hold personal data (CV003). A name fragment alone is a weak
// sign: "event_name" is a dropdown of events, "expmeds_name" the name of a
// medication, "reg_email_yn" a yes/no question. So the field's type,
// validation and label decide together:
//
//   - only fields a person types into (text, notes) can hold personal data;
//   - a validation that is personal data by itself (email, phone, zip and
//     postal codes, ssn, medical record numbers) decides alone;
//   - another validation (numbers, times, dates) holds no personal data,
//     except a date that name or label call a birth date;
//   - without validation, a word of the name must name a kind of personal
//     data and a non-empty label must agree ("[...] Name" needs a person:
//     "First Name", "Name of person", or a label that is just "Name").
//
// Words from the config (words, extra_words) still match on the name alone.

// personalKind is a kind of personal data with the name words that mark
// it and the label cues that confirm it.
type personalKind struct {
	what   string
	words  []string
	labels []string
}

var personalKinds = []personalKind{
	{"a person's name", []string{"name", "firstname", "lastname", "surname", "fullname", "forename", "vorname", "nachname", "initials"},
		[]string{"name", "initials", "nombre"}},
	{"an e-mail address", []string{"email", "mail"}, nil}, // see labelConfirms
	{"a phone number", []string{"phone", "telephone", "tel", "mobile", "cell", "fax", "telefon", "handy"},
		[]string{"phone", "telefon", "mobile", "cell", "fax", "handy"}},
	{"an address", []string{"address", "addr", "adresse", "anschrift", "street", "strasse", "straße"},
		[]string{"address", "adresse", "anschrift", "street", "strasse", "straße"}},
	{"a city", []string{"city", "wohnort"}, []string{"city", "wohnort", "stadt"}},
	{"a postal code", []string{"zip", "zipcode", "plz", "postcode", "postal", "postleitzahl"},
		[]string{"zip", "postal", "postcode", "post code", "plz", "postleitzahl"}},
	{"a birth date", []string{"dob", "birth", "birthdate", "birthday", "geburtsdatum", "gebdat", "geburtstag"},
		[]string{"birth", "dob", "geburt"}},
	{"an identification number", []string{"ssn", "mrn", "insurance", "versicherungsnummer", "iban", "ip"},
		[]string{"social security", "ssn", "medical record", "mrn", "insurance", "versicherung", "iban", "ip address", "ip-adresse"}},
}

// personWords in a name or label say that a name is a person's.
var personWords = map[string]bool{
	"first": true, "last": true, "full": true, "given": true, "family": true, "middle": true, "maiden": true,
	"pref": true, "preferred": true, "legal": true, "printed": true, "your": true, "person": true,
	"participant": true, "patient": true, "subject": true, "pt": true, "contact": true, "kin": true,
	"parent": true, "mother": true, "father": true, "partner": true, "spouse": true, "caregiver": true,
	"proxy": true, "referrer": true, "child": true, "guardian": true,
}

// personalValidation names the personal data a validation type implies, or "".
func personalValidation(v string) string {
	switch {
	case v == "email":
		return "an e-mail address (email validation)"
	case strings.HasPrefix(v, "phone"):
		return "a phone number (" + v + " validation)"
	case v == "zipcode" || strings.HasPrefix(v, "postalcode"):
		return "a postal code (" + v + " validation)"
	case v == "ssn" || strings.HasPrefix(v, "mrn") || v == "vmrn":
		return "an identification number (" + v + " validation)"
	}
	return ""
}

// words splits s into lower-case words of letters (HTML tags dropped).
func words(s string) []string {
	var b strings.Builder
	inTag := false
	for _, r := range strings.ToLower(s) {
		switch {
		case r == '<':
			inTag = true
		case r == '>':
			inTag = false
			b.WriteByte(' ')
		case inTag:
		case unicode.IsLetter(r):
			b.WriteRune(r)
		default:
			b.WriteByte(' ')
		}
	}
	return strings.Fields(b.String())
}

// nameParts are the _-separated parts of a field name, digits trimmed.
func nameParts(name string) []string {
	var out []string
	for _, p := range strings.Split(strings.ToLower(name), "_") {
		if p = strings.TrimFunc(p, unicode.IsDigit); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// labelConfirms reports whether a label (as words) agrees that the field
// holds kind k.
func labelConfirms(k personalKind, label []string) bool {
	text := " " + strings.Join(label, " ") + " "
	if k.labels == nil { // e-mail: "E-mail", "Email address:", not "Email Blast"
		if len(label) == 1 || len(label) == 2 && label[0] == "e" {
			return label[len(label)-1] == "email" || label[len(label)-1] == "mail"
		}
		return (strings.Contains(text, "mail ") || strings.Contains(text, "email")) && (strings.Contains(text, "address") || strings.Contains(text, "adresse"))
	}
	for _, cue := range k.labels {
		if strings.Contains(text, cue) {
			return true
		}
	}
	return false
}

// personalData says which personal data field f holds by its type,
// validation, name and label ("" when none).
func personalData(f *redcap.Field) string {
	t := redcap.StoredFieldType(f.FieldType)
	if t != "text" && t != "notes" {
		return ""
	}
	v := strings.ToLower(strings.TrimSpace(f.Validation))
	if w := personalValidation(v); w != "" {
		return w
	}
	parts := nameParts(f.FieldName)
	label := words(f.FieldLabel)
	birth := personalKinds[6]
	if strings.HasPrefix(v, "date") {
		for _, p := range parts {
			for _, w := range birth.words {
				if p == w {
					return "a birth date (date field named " + f.FieldName + ")"
				}
			}
		}
		if labelConfirms(birth, label) {
			return "a birth date (date field labelled as one)"
		}
		return ""
	}
	if v != "" && v != "na" {
		return "" // numbers and times hold no personal data
	}
	for _, k := range personalKinds {
		for _, p := range parts {
			if !containsWord(k.words, p) {
				continue
			}
			if len(label) > 0 && !labelConfirms(k, label) {
				continue
			}
			if p == "name" && !nameOfPerson(parts, label) {
				continue
			}
			return fmt.Sprintf("%s (name part %q)", k.what, p)
		}
	}
	return ""
}

// nameOfPerson reports whether a field whose name has the part "name" asks
// for a person's name: a person word in the name or label, or a label that
// is just "Name" (or none).
func nameOfPerson(parts, label []string) bool {
	if len(label) == 0 || len(label) == 1 && label[0] == "name" {
		return true
	}
	for _, w := range append(append([]string(nil), parts...), label...) {
		if personWords[w] {
			return true
		}
	}
	return false
}

func containsWord(list []string, w string) bool {
	for _, x := range list {
		if x == w {
			return true
		}
	}
	return false
}
