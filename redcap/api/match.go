package api

import (
	"fmt"
	"strings"

	"github.com/rcolpipe/rcolpipe/redcap"
)

// MatchesExport reports whether exported (a metadata export) holds what
// sent would become once REDCap stored it: the same fields in the same
// order with the same values, after the normalisations REDCap applies on
// import and export (docs/redcap.md#metadata-export, #silent-fixes: <form>_complete
// fields left out, legacy type and validation names, y/Y flags, choices
// re-joined with " | ", question numbers cut to 10 characters, slider
// alignment RV, the first field a text field without a section header).
// When they differ, the string names the first difference.
func MatchesExport(sent, exported *redcap.Dictionary) (bool, string) {
	a, b := withoutComplete(sent), withoutComplete(exported)
	if len(a) != len(b) {
		return false, fmt.Sprintf("%d fields sent, %d in the project", len(a), len(b))
	}
	for i := range a {
		x, y := NormalizeLikeExport(a[i], i == 0), NormalizeLikeExport(b[i], i == 0)
		if x.FieldName != y.FieldName {
			return false, fmt.Sprintf("field %d is %s in what was sent and %s in the project", i+1, x.FieldName, y.FieldName)
		}
		xv, yv := x.Values(), y.Values()
		for col := range xv {
			if xv[col] != yv[col] {
				return false, fmt.Sprintf("field %s, column %s: sent %q, the project has %q",
					x.FieldName, redcap.Column(col).Key(), shorten(xv[col], 60), shorten(yv[col], 60))
			}
		}
	}
	return true, ""
}

// withoutComplete drops the <form>_complete fields REDCap adds on import
// and leaves out of exports.
func withoutComplete(d *redcap.Dictionary) []redcap.Field {
	if d == nil {
		return nil
	}
	out := make([]redcap.Field, 0, len(d.Fields))
	for _, f := range d.Fields {
		if f.FormName != "" && f.FieldName == f.FormName+redcap.FormCompleteSuffix {
			continue
		}
		out = append(out, f)
	}
	return out
}

// NormalizeLikeExport returns f as REDCap would export it after importing
// it (first: f is the record-ID field). It covers the normalisations that
// do not depend on the server's configuration; it does not rename fields
// with illegal characters (the validator reports those before upload).
func NormalizeLikeExport(f redcap.Field, first bool) redcap.Field {
	for c := redcap.Column(0); c < redcap.NumColumns; c++ {
		v := strings.ReplaceAll(f.Get(c), "\r\n", "\n")
		if c != redcap.ColSectionHeader {
			v = strings.TrimSpace(v)
		}
		f.Set(c, v)
	}
	f.FieldName = strings.ToLower(f.FieldName)
	f.FormName = strings.ToLower(f.FormName)
	f.FieldType = redcap.StoredFieldType(f.FieldType)
	if first {
		f.FieldType = "text"
		f.SectionHeader = ""
	}
	if redcap.ClearsChoices(f.FieldType) {
		f.Choices = ""
	}
	switch {
	case redcap.IsMultipleChoice(f.FieldType):
		f.Choices = normalizeChoices(f.Choices)
	case f.FieldType == "slider":
		f.Choices = joinTrimmed(strings.Split(f.Choices, "|"))
		if f.CustomAlignment == "" {
			f.CustomAlignment = "RV"
		}
	}
	if f.FieldType == "text" {
		v := strings.ToLower(f.Validation)
		if stored, ok := redcap.LegacyValidation(v); ok {
			v = stored
		}
		f.Validation = v
	}
	f.Identifier = flagY(f.Identifier)
	f.RequiredField = flagY(f.RequiredField)
	f.MatrixRanking = flagY(f.MatrixRanking)
	switch f.CustomAlignment {
	case "", "LV", "LH", "RV", "RH":
	default:
		f.CustomAlignment = ""
	}
	if r := []rune(f.QuestionNumber); len(r) > 10 {
		f.QuestionNumber = string(r[:10])
	}
	f.Origin = redcap.Origin{}
	return f
}

// flagY is REDCap's reading of the y/blank columns (K, M, Q): "y" or "Y"
// (and "1", which exports write back as "y") mean yes.
func flagY(v string) string {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "y", "1":
		return "y"
	}
	return ""
}

// normalizeChoices re-joins "code, label" choices (separated by "|" or a
// newline) as REDCap exports them: "code, label | code, label".
func normalizeChoices(s string) string {
	cs := redcap.SplitChoices(s)
	out := make([]string, len(cs))
	for i, c := range cs {
		if c.NoComma {
			out[i] = c.Code
		} else {
			out[i] = c.Code + ", " + c.Label
		}
	}
	return strings.Join(out, " | ")
}

func joinTrimmed(parts []string) string {
	out := make([]string, 0, len(parts))
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, " | ")
}
