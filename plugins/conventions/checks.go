package conventions

import (
	"fmt"
	"sort"
	"strings"
	"unicode"

	"github.com/rcolpipe/rcolpipe/plugins/sdk"
	"github.com/rcolpipe/rcolpipe/redcap"
)

// Diagnostic codes of the conventions plugin.
const (
	CodeConfig        = "CV000" // the stage's config is wrong
	CodeFormPrefix    = "CV001" // a field name does not begin with its form's short name
	CodeNameLength    = "CV002" // a field name is longer than the configured maximum
	CodeIdentifier    = "CV003" // a field name looks like personal data but identifier is not y
	CodeRequiredTag   = "CV004" // a field lacks a required action tag
	CodeForbiddenType = "CV005" // a field uses a forbidden type
	CodeMixedLanguage = "CV006" // a form's labels mix languages
	CodeWrongLanguage = "CV007" // a label is not in the expected language
)

// Run checks d against cfg on a copy and applies the configured fixes. A
// fixed finding is reported as info saying what was changed.
func Run(d *redcap.Dictionary, cfg Config) (*redcap.Dictionary, redcap.Diagnostics) {
	if err := cfg.Check(); err != nil {
		return d, redcap.Diagnostics{{Severity: redcap.SeverityError, Code: CodeConfig, Message: err.Error()}}
	}
	out := d.Clone()
	var diags redcap.Diagnostics
	if cfg.ForbiddenTypes != nil {
		diags = append(diags, checkForbiddenTypes(out, *cfg.ForbiddenTypes)...)
	}
	if cfg.Identifiers != nil {
		diags = append(diags, checkIdentifiers(out, *cfg.Identifiers, cfg.Identifiers.fix(cfg.Fix))...)
	}
	for _, r := range cfg.RequiredTags {
		diags = append(diags, checkRequiredTag(out, r, r.fix(cfg.Fix))...)
	}
	if cfg.Language != nil {
		diags = append(diags, checkLanguage(out, *cfg.Language)...)
	}
	// Renames last: the other findings name fields as the user wrote them.
	if cfg.FormPrefix != nil {
		diags = append(diags, checkFormPrefix(out, *cfg.FormPrefix, cfg.FormPrefix.fix(cfg.Fix))...)
	}
	if cfg.MaxNameLength != nil {
		diags = append(diags, checkNameLength(out, *cfg.MaxNameLength)...)
	}
	return out, diags
}

func checkForbiddenTypes(d *redcap.Dictionary, c ForbiddenTypesConfig) redcap.Diagnostics {
	forbidden := map[string]bool{}
	for _, t := range c.Types {
		forbidden[t] = true
	}
	var diags redcap.Diagnostics
	for i := range d.Fields {
		f := &d.Fields[i]
		if forbidden[f.FieldType] {
			diags = append(diags, redcap.At(f, redcap.ColFieldType, c.severity(redcap.SeverityError), CodeForbiddenType,
				fmt.Sprintf("field type %q is not allowed here", f.FieldType),
				"allowed types exclude "+strings.Join(c.Types, ", ")+" (conventions: forbidden_types)"))
		}
	}
	return diags
}

func checkNameLength(d *redcap.Dictionary, c MaxNameLengthConfig) redcap.Diagnostics {
	sev := c.severity(redcap.SeverityWarning)
	var diags redcap.Diagnostics
	for i := range d.Fields {
		f := &d.Fields[i]
		// The validator's RC109 already warns about names over REDCap's
		// advised length: CV002 adds only names under it, or a stricter
		// severity.
		if n := len(f.FieldName); n > c.Max && (n <= redcap.AdvisedFieldNameLen || sev > redcap.SeverityWarning) {
			diags = append(diags, redcap.At(f, redcap.ColFieldName, sev, CodeNameLength,
				fmt.Sprintf("field name has %d characters; the limit here is %d", n, c.Max),
				"shorten it (the prefix plugin's rename rewrites references too)"))
		}
	}
	return diags
}

// personalWord returns the word of words (from the config) that marks name
// as personal data: a _-separated part (digits dropped) equal to a word, or
// containing a word of 5 letters or more.
func personalWord(name string, words []string) string {
	for _, part := range strings.Split(name, "_") {
		part = strings.TrimFunc(part, unicode.IsDigit)
		if part == "" {
			continue
		}
		for _, w := range words {
			if part == w || (len(w) >= 5 && strings.Contains(part, w)) {
				return w
			}
		}
	}
	return ""
}

func checkIdentifiers(d *redcap.Dictionary, c IdentifiersConfig, fix bool) redcap.Diagnostics {
	// The built-in kinds of personal data judge type, validation, name and
	// label together (identifiers.go); words from the config match on the
	// name alone, and "words" replaces the built-in kinds.
	builtin := len(c.Words) == 0
	words := append(append([]string(nil), c.Words...), c.ExtraWords...)
	for i := range words {
		words[i] = strings.ToLower(words[i])
	}
	ignore := map[string]bool{}
	for _, n := range c.Ignore {
		ignore[n] = true
	}
	var diags redcap.Diagnostics
	for i := range d.Fields {
		f := &d.Fields[i]
		// Descriptive and calc fields hold no data a person typed in.
		if f.FieldType == "descriptive" || f.FieldType == "calc" || f.Identifier == "y" || ignore[f.FieldName] {
			continue
		}
		why := ""
		if builtin {
			why = personalData(f)
		}
		if w := personalWord(strings.ToLower(f.FieldName), words); why == "" && w != "" {
			why = fmt.Sprintf("the name holds %q", w)
		}
		if why == "" {
			continue
		}
		if fix {
			f.Identifier = "y"
			diags = append(diags, redcap.At(f, redcap.ColIdentifier, redcap.SeverityInfo, CodeIdentifier,
				fmt.Sprintf("set identifier = y: the field looks like personal data: %s", why), ""))
			continue
		}
		diags = append(diags, redcap.At(f, redcap.ColIdentifier, c.severity(redcap.SeverityWarning), CodeIdentifier,
			fmt.Sprintf("the field looks like personal data (%s) but is not marked as an identifier", why),
			`set identifier to "y" (conventions fix: true does it), or list the field in identifiers.ignore`))
	}
	return diags
}

func checkRequiredTag(d *redcap.Dictionary, r TagRule, fix bool) redcap.Diagnostics {
	types := map[string]bool{}
	for _, t := range r.Types {
		types[t] = true
	}
	forms := map[string]bool{}
	for _, f := range r.Forms {
		forms[f] = true
	}
	name := r.name()
	var diags redcap.Diagnostics
	for i := range d.Fields {
		f := &d.Fields[i]
		if len(types) > 0 && !types[f.FieldType] || len(types) == 0 && f.FieldType == "descriptive" {
			continue
		}
		if len(forms) > 0 && !forms[f.FormName] {
			continue
		}
		if redcap.HasActionTag(f.FieldAnnotation, name) {
			continue
		}
		if fix {
			if strings.TrimSpace(f.FieldAnnotation) == "" {
				f.FieldAnnotation = r.Tag
			} else {
				f.FieldAnnotation = strings.TrimRight(f.FieldAnnotation, " \t\r\n") + " " + r.Tag
			}
			diags = append(diags, redcap.At(f, redcap.ColFieldAnnotation, redcap.SeverityInfo, CodeRequiredTag,
				fmt.Sprintf("added the required action tag %s", r.Tag), ""))
			continue
		}
		diags = append(diags, redcap.At(f, redcap.ColFieldAnnotation, r.severity(redcap.SeverityWarning), CodeRequiredTag,
			fmt.Sprintf("the field lacks the required action tag %s", name),
			"add "+r.Tag+" to the field annotation (conventions fix: true does it)"))
	}
	return diags
}

// shortNames returns the accepted short names of a form ("" = not checked).
func shortNames(form string, c FormPrefixConfig) []string {
	if s, ok := c.ShortNames[form]; ok {
		return []string{s}
	}
	switch c.Derive {
	case "none":
		return nil
	case "form":
		return []string{form}
	}
	words := strings.Split(form, "_")
	if len(words) == 1 {
		return []string{form}
	}
	// Initials of all words, and of the words before trailing numbers or
	// roman numerals (becks_depression_inventory_ii → bdii and bdi).
	initials := func(ws []string) string {
		var b strings.Builder
		for _, w := range ws {
			if w != "" {
				b.WriteByte(w[0])
			}
		}
		return b.String()
	}
	out := []string{initials(words), form, words[0]}
	core := words
	for len(core) > 1 && isNumberWord(core[len(core)-1]) {
		core = core[:len(core)-1]
	}
	if len(core) < len(words) && len(core) > 1 {
		out = append(out, initials(core))
	}
	return out
}

func isNumberWord(w string) bool {
	if w == "" {
		return false
	}
	if strings.Trim(w, "0123456789") == "" {
		return true
	}
	return strings.Trim(w, "ivxlc") == ""
}

func checkFormPrefix(d *redcap.Dictionary, c FormPrefixConfig, fix bool) redcap.Diagnostics {
	sep := "_"
	if c.Separator != nil {
		sep = *c.Separator
	}
	var diags redcap.Diagnostics
	renames := map[string]string{}
	var renamed []*redcap.Field
	for i := 1; i < d.Len(); i++ { // the record ID keeps its name
		f := &d.Fields[i]
		shorts := shortNames(f.FormName, c)
		if len(shorts) == 0 {
			continue
		}
		ok := false
		for _, s := range shorts {
			if s != "" && (f.FieldName == s || strings.HasPrefix(f.FieldName, s+sep)) {
				ok = true
				break
			}
		}
		if ok {
			continue
		}
		if fix {
			renames[f.FieldName] = shorts[0] + sep + f.FieldName
			renamed = append(renamed, f)
			continue
		}
		diags = append(diags, redcap.At(f, redcap.ColFieldName, c.severity(redcap.SeverityWarning), CodeFormPrefix,
			fmt.Sprintf("field name does not begin with the short name of form %s (%s)", f.FormName, strings.Join(quoted(shorts, sep), " or ")),
			"rename it (conventions fix: true renames it and its references), or set form_prefix.short_names"))
	}
	if len(renames) == 0 {
		return diags
	}
	// The fix renames through the SDK's rename engine, so every reference
	// follows and collisions are refused.
	plan, pd := sdk.PlanRenames(d, sdk.Renames{Rename: renames}, renameCodes)
	if pd.HasErrors() {
		for _, p := range pd {
			if p.Severity == redcap.SeverityError {
				p.Severity = c.severity(redcap.SeverityWarning)
				p.Code = CodeFormPrefix
				p.Message = "cannot fix the form prefix: " + p.Message
				diags = append(diags, p)
			}
		}
		return diags
	}
	msgs := make([]redcap.Diagnostic, 0, len(renamed))
	for _, f := range renamed {
		msgs = append(msgs, redcap.At(f, redcap.ColFieldName, redcap.SeverityInfo, CodeFormPrefix,
			fmt.Sprintf("renamed %q to %q (form %s's short name) and every reference to it", f.FieldName, renames[f.FieldName], f.FormName), ""))
	}
	diags = append(diags, msgs...)
	diags = append(diags, pd...) // warnings of the rename (long names)
	return append(diags, plan.Apply(d)...)
}

// renameCodes are the codes the form-prefix fix's rename findings carry.
// Errors are reported as CodeFormPrefix ("cannot fix the form prefix");
// warnings keep the codes of the prefix plugin (docs/pipeline.md), as
// they did when this fix renamed through that plugin.
var renameCodes = sdk.RenameCodes{
	UnknownForm: "PX002",
	UnknownName: "PX003",
	RecordID:    "PX004",
	Collision:   "PX005",
	InvalidName: "PX006",
	LongName:    "PX007",
	Textual:     "PX008",
	SplitName:   "PX009",
}

func quoted(ss []string, sep string) []string {
	out := make([]string, 0, len(ss))
	seen := map[string]bool{}
	for _, s := range ss {
		if s == "" || seen[s] {
			continue
		}
		seen[s] = true
		out = append(out, fmt.Sprintf("%q", s+sep))
	}
	return out
}

// Language detection: a simple stop-word count, no model. A label reads as
// German when it holds more German than English stop-words (a word with
// ä, ö, ü or ß counts as German too), and as English the other way round;
// labels with neither (names, numbers, one-word labels such as "Datum"
// that are not stop-words) are not counted.
func stopWords() (de, en map[string]bool) {
	de, en = map[string]bool{}, map[string]bool{}
	for _, w := range strings.Fields(`der die das und oder nicht ein eine einen einem einer mit von zu zum zur
		den dem des auf für ist sind sie ich wie wann welche welcher welches haben hat wurde wurden
		bei nach aus auch noch nur kein keine bitte sehr mehr über oft ja nein wenn sich ihr ihre ihren
		letzten jahr jahre woche tag heute schon gar manchmal immer selten wie viele`) {
		de[w] = true
	}
	for _, w := range strings.Fields(`the and or not of to with from for your you have has were how what which
		when do does did please yes no this that these any past week weeks day days today often very more
		never sometimes always rarely many much are is was been`) {
		en[w] = true
	}
	return de, en
}

// labelLanguage returns "de", "en" or "" for a piece of label text.
func labelLanguage(text string, de, en map[string]bool) string {
	text = stripMarkup(text)
	nde, nen := 0, 0
	for _, w := range strings.FieldsFunc(strings.ToLower(text), func(r rune) bool { return !unicode.IsLetter(r) }) {
		switch {
		case de[w]:
			nde++
		case en[w]:
			nen++
		case strings.ContainsAny(w, "äöüß"):
			nde++
		}
	}
	switch {
	case nde > nen:
		return "de"
	case nen > nde:
		return "en"
	}
	return ""
}

// stripMarkup drops HTML tags and [piping], which are not language.
func stripMarkup(s string) string {
	var b strings.Builder
	depth := 0
	var close byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case depth == 0 && (c == '<' || c == '['):
			depth = 1
			close = ']'
			if c == '<' {
				close = '>'
			}
			b.WriteByte(' ')
		case depth > 0 && c == close:
			depth = 0
		case depth == 0:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// fieldText is the text of a field that people read: label, section
// header, note and the labels of its choices.
func fieldText(f *redcap.Field) string {
	parts := []string{f.SectionHeader, f.FieldLabel, f.FieldNote}
	if redcap.HasCodedChoices(f.FieldType) {
		for _, ch := range redcap.SplitChoices(f.Choices) {
			if !ch.NoComma {
				parts = append(parts, ch.Label)
			}
		}
	}
	return strings.Join(parts, " \n ")
}

func languageName(code string) string {
	if code == "de" {
		return "German"
	}
	return "English"
}

func checkLanguage(d *redcap.Dictionary, c LanguageConfig) redcap.Diagnostics {
	de, en := stopWords()
	min := c.MinFields
	if min == 0 {
		min = 2
	}
	var diags redcap.Diagnostics
	for _, form := range d.Forms() {
		byLang := map[string][]*redcap.Field{}
		for _, f := range d.FormFields(form) {
			if l := labelLanguage(fieldText(f), de, en); l != "" {
				byLang[l] = append(byLang[l], f)
			}
		}
		if c.Expect != "" {
			other := "en"
			if c.Expect == "en" {
				other = "de"
			}
			for _, f := range byLang[other] {
				diags = append(diags, redcap.At(f, redcap.ColFieldLabel, c.severity(redcap.SeverityWarning), CodeWrongLanguage,
					fmt.Sprintf("the label reads as %s; labels here are %s", languageName(other), languageName(c.Expect)),
					"translate it, or turn off language.expect"))
			}
			continue
		}
		nde, nen := len(byLang["de"]), len(byLang["en"])
		if nde < min || nen < min {
			continue
		}
		minority, majority := "de", "en"
		if nde > nen {
			minority, majority = "en", "de"
		}
		first := byLang[minority][0]
		var names []string
		for _, f := range byLang[minority] {
			names = append(names, f.FieldName)
		}
		sort.Strings(names)
		if len(names) > 5 {
			names = append(names[:5], "…")
		}
		diags = append(diags, redcap.At(first, redcap.ColFieldLabel, c.severity(redcap.SeverityWarning), CodeMixedLanguage,
			fmt.Sprintf("form %s mixes languages: %d field(s) read as German, %d as English (the %s ones: %s)",
				form, nde, nen, languageName(minority), strings.Join(names, ", ")),
			"keep one language per form ("+languageName(majority)+" is the majority); a translated copy belongs in its own form or project"))
	}
	return diags
}
