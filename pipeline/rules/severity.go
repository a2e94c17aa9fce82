package rules

import (
	"fmt"
	"strings"
)

// What REDCap does with what a rule finds, and why the rule's default
// severity is what it is. The policy (issue 14): an error only where REDCap
// rejects the upload or silently changes a name or a meaning the dictionary
// relies on; a warning where REDCap accepts the file and the result still
// misbehaves (or where rcolpipe is unsure what REDCap does); an info where
// nothing goes wrong. TestSeverityPolicy holds every rule to it.

// redcapAction is what REDCap does on upload with what a rule finds.
type redcapAction int

const (
	// rejects: the import fails with an error message.
	rejects redcapAction = iota + 1
	// changes: REDCap silently changes a name or a meaning the dictionary
	// relies on (a field renamed, a flag blanked, a type changed).
	changes
	// tidies: REDCap silently changes something without changing what the
	// dictionary means (a legacy name replaced, a blank choice dropped).
	tidies
	// warns: REDCap accepts the file with a warning (the web interface shows
	// it; the API does not return it).
	warns
	// accepts: REDCap accepts the file as it is; the problem shows later
	// (at data entry, in logic at run time, in exports) or never.
	accepts
)

// behaviour is one rule's record: what REDCap does and why the default
// severity follows from it.
type behaviour struct {
	does redcapAction
	why  string
}

var actionText = map[redcapAction]string{
	rejects: "rejects the upload",
	changes: "accepts it and silently changes a name or a meaning the dictionary relies on",
	tidies:  "accepts it and silently tidies it, without changing what the dictionary means",
	warns:   "accepts it with a warning",
	accepts: "accepts it as it is; REDCap does not check this",
}

// behaviours holds a record for every Go rule. Read only.
var behaviours = map[string]behaviour{
	codeNameMissing:        {rejects, "the upload would fail"},
	codeNameRewritten:      {changes, "the field gets another name than the one logic, exports and code use"},
	codeNameDoubleUnder:    {changes, "the field gets another name than the one written"},
	codeNameDigitStart:     {rejects, "the upload would fail"},
	codeNameUnderStart:     {rejects, "the upload would fail"},
	codeNameTripleUnder:    {rejects, "the upload would fail"},
	codeNameUnderEnd:       {rejects, "the upload would fail"},
	codeNameTooLong:        {rejects, "the upload would fail"},
	codeNameLong:           {warns, "REDCap warns too and the upload works"},
	codeNameReserved:       {rejects, "the upload would fail"},
	codeNameFormReserved:   {rejects, "REDCap rejects the name only when the form already exists in the project, which the dictionary alone does not show"},
	codeNameFormComplete:   {rejects, "the upload would fail"},
	codeNameDuplicate:      {rejects, "the upload would fail"},
	codeExportNameCollides: {accepts, "the upload works, but two options become one column in exports"},
	codeExportNameChanged:  {accepts, "nothing breaks, but code that reads exports must use the changed name"},
	codeFirstNotText:       {changes, "REDCap says so in its own warning, and for a dictionary meant as a whole project the first field is usually meant as the record ID; not reported for an instrument ZIP or instruments added to an existing project (--assume-fields), where REDCap does not make the first field the record ID"},
	codeFirstSection:       {tidies, "only the header text is lost"},
	codeMissingCodeClash:   {accepts, "REDCap accepts the code (rcolpipe is not sure whether every version warns about it); its value is then read as missing"},
	codeFormsMerged:        {changes, "REDCap silently merges the forms, or rejects the upload when they are not adjacent"},
	codeFormMissing:        {rejects, "the upload would fail"},
	codeFormRewritten:      {changes, "the form gets another name than the one `<form>_complete`, event mappings and user rights use"},
	codeFormTooLong:        {rejects, "the upload would fail"},
	codeFormLong:           {warns, "REDCap warns too"},
	codeFormNotContig:      {rejects, "the upload would fail"},
	codeTypeMissing:        {rejects, "the upload would fail"},
	codeTypeInvalid:        {rejects, "the upload would fail"},
	codeTypeLegacy:         {tidies, "the stored type means the same, but the file differs from what REDCap exports"},
	codeTypeSQL:            {rejects, "REDCap rejects it only when the uploading user is not an administrator, which rcolpipe cannot see offline"},
	codeTypeAdvCheckbox:    {tidies, "the hidden type works, with fixed choices"},
	codeChoicesMissing:     {rejects, "the upload would fail"},
	codeChoiceCode:         {rejects, "the upload would fail"},
	codeChoiceDuplicate:    {rejects, "the upload would fail"},
	codeChoiceSingle:       {warns, "REDCap warns too"},
	codeChoiceEmpty:        {warns, "REDCap warns too and drops the empty choice"},
	codeChoicesDropped:     {tidies, "the cleared choices were never used by the field type"},
	codeChoiceNoComma:      {accepts, "the legacy form works but the codes are the label texts"},
	codeCalcMissing:        {rejects, "the upload would fail"},
	codeCalcUnbalanced:     {rejects, "the upload would fail"},
	codeCalcSyntax:         {rejects, "the upload would fail"},
	codeCalcUnknown:        {rejects, "the upload would fail"},
	codeCalcFunction:       {rejects, "the upload would fail"},
	codeLogicUnbalanced:    {rejects, "the upload would fail"},
	codeLogicSyntax:        {rejects, "the upload would fail"},
	codeLogicUnknown:       {rejects, "the upload would fail"},
	codeLogicFunction:      {rejects, "the upload would fail"},
	codeLogicCode:          {accepts, "REDCap accepts the logic and stores it unchanged; it is never true at run time, which is a defect of the logic, not a change REDCap makes"},
	codeCurlyQuotes:        {rejects, "REDCap's parser reads a curly quote as no token at all, so the logic fails the same syntax check as RC403/RC411"},
	codeLogicTooLong:       {rejects, "the column holds at most 65,535 bytes: MySQL refuses the row in strict mode and cuts the logic otherwise, so the upload fails or the logic changes"},
	codeBracketCleaned:     {tidies, "REDCap warns too and the cleaned reference means the same field"},
	codeValUnknown:         {rejects, "the upload would fail"},
	codeValUpper:           {tidies, "the lower-case name means the same"},
	codeValLegacy:          {tidies, "the new name means the same"},
	codeValWrongType:       {rejects, "the upload would fail"},
	codeValMinNoType:       {rejects, "the upload would fail"},
	codeValFormat:          {rejects, "the upload would fail"},
	codeValDateMDY:         {changes, "REDCap stores the date it read, which is the one meant whenever the file was written M/D/Y (the message shows the stored value)"},
	codeValDateBad:         {rejects, "the upload would fail"},
	codeValMinMax:          {accepts, "the upload works, but no value is then in range"},
	codeSliderInteger:      {rejects, "the upload would fail"},
	codeSliderShowNumb:     {tidies, "only whether the slider shows its number is affected"},
	codeFlagBlanked:        {changes, "a flag meant as yes becomes no (an identifier is no longer removed from de-identified exports, a required field is no longer required)"},
	codeFlagNo:             {tidies, "blank means the same as the words"},
	codeAlignment:          {tidies, "only the layout falls back to the default"},
	codeDescRequired:       {tidies, "such a field can never be required"},
	codeQuestionNumber:     {tidies, "only the shown number is cut"},
	codeMatrixTooLong:      {rejects, "the upload would fail"},
	codeMatrixName:         {tidies, "the fields stay grouped under the cleaned name, which nothing else refers to"},
	codeMatrixContig:       {rejects, "the upload would fail"},
	codeMatrixType:         {rejects, "the upload would fail"},
	codeMatrixMixed:        {changes, "a checkbox (many answers) can become a radio (one answer)"},
	codeMatrixChoices:      {rejects, "the upload would fail"},
	codeMatrixRanking:      {rejects, "the upload would fail"},
	codeTagUnknown:         {accepts, "an External Module may define the tag"},
	codeTagNearMiss:        {accepts, "REDCap ignores the tag, so the field behaves as if it were not there"},
	codeReplacement:        {accepts, "U+FFFD is a valid character that REDCap stores as it is; the damage happened before the file was read, and a file that is not UTF-8 is reported by the reader (RD101)"},
	codeControlChar:        {accepts, "the upload works, exports may break later"},
	codeLabelEmpty:         {warns, "REDCap warns too"},
	codeDescLabel:          {accepts, "the field may carry an attachment"},
	codeLiteralNA:          {accepts, "REDCap stores the text \"NA\" as it is; where \"NA\" is not a valid value of the column (a flag, a validation type, logic) the rule of that column reports the error REDCap gives"},
	codeRefUnknown:         {accepts, "REDCap checks references only in branching logic and calc equations; elsewhere the reference silently shows nothing or the text as written, which rcolpipe is not sure of for every place"},
	codeCheckboxNoCode:     {accepts, "REDCap accepts the logic; what it evaluates to is not a test of any option, and rcolpipe is not sure of the exact value"},
	codeTagLogic:           {accepts, "REDCap does not check action tags at upload; the tag fails when the form is used"},
	codeFuncArity:          {accepts, "REDCap's upload check does not count arguments (rcolpipe is not sure of that for every version); the logic fails when the form is used"},
	codeFuncUnit:           {accepts, "REDCap does not check the unit at upload; the function gives no result"},
	codeFuncDigits:         {accepts, "REDCap does not check it at upload, and what it does with it is not documented"},
	codeFuncDateArg:        {accepts, "REDCap does not check argument kinds; the function gives a blank"},
	codeTagWrongType:       {accepts, "REDCap does not check annotations at upload and ignores the tag"},
	codeCalcDateNoDate:     {accepts, "REDCap does not check annotations at upload and does not fill the field"},
	codeTagCode:            {accepts, "REDCap does not check annotations at upload and ignores the code"},
	codeCalcInIF:           {accepts, "REDCap does not check annotations at upload; rcolpipe knows the limit from REDCap's documentation, not from a server"},
	codeTagMalformed:       {accepts, "REDCap does not check annotations at upload and ignores a tag it cannot read"},
	codeEmptyDictionary:    {changes, "REDCap replaces the whole dictionary, so every field of the project is deleted"},
	codeNotAField:          {rejects, "REDCap refuses a row without a form name (Each row MUST have a form name)"},

	// RC9xx, the project's structure (structure.go); REDCap's methods for
	// it are in docs/redcap.md.
	codeUnknownFile:        {rejects, "REDCap's Data Dictionary and structure uploads refuse a file without their header, and rcolpipe cannot tell what the file was meant to add, so uploading without it would silently leave that out"},
	codeStructureValue:     {rejects, "REDCap refuses an arm number that is not a number and an event without a name, and rcolpipe cannot merge a row it cannot read"},
	codeEventArmUnknown:    {rejects, "REDCap refuses an event or designation of an arm the project does not have (\"arm_num is not valid\"); the arms file is taken to list the project's arms"},
	codeEventUniqueName:    {changes, "REDCap derives the unique event name itself, so the event gets another name than the one designations and logic use"},
	codeDesignationForm:    {rejects, "REDCap refuses a designation of a form the project does not have"},
	codeDesignationEvent:   {rejects, "REDCap refuses a designation of an event the project does not have, or of an event in another arm"},
	codeEventNoInstrument:  {accepts, "the upload works; the event holds no data and is hidden on the record home page, usually a designation forgotten"},
	codeRepeatUndesignated: {rejects, "REDCap offers only designated forms of existing events as repeating and refuses other settings (rcolpipe infers the API's answer from the web interface; the sandbox answers the same)"},
	codeLogicEventUnknown:  {accepts, "REDCap does not check event names at upload (the event part is stripped before the field check) and evaluates the reference as blank: the logic misbehaves, nothing is rejected or renamed"},
	codeLogicEventClassic:  {accepts, "REDCap does not check event names at upload (the event part is stripped before the field check); in a project without events the reference gives a blank"},
	codeRepeatMixed:        {accepts, "the settings are allowed and sometimes intended"},
	codeStructureDuplicate: {changes, "for an arm number or unique event name given twice REDCap keeps one of the names (which one is not documented) or derives another unique name for the second event, so a name the files give is not the project's; a designation given twice changes nothing, but is reported with the rest"},
}

// withBehaviour appends to each rule's doc what REDCap does and why the
// default severity follows. A rule without a record keeps its doc (and
// TestSeverityPolicy fails).
func withBehaviour(rules []Rule) []Rule {
	for i, r := range rules {
		b, ok := behaviours[r.Code]
		if !ok {
			continue
		}
		rules[i].Doc = strings.TrimSpace(r.Doc) + fmt.Sprintf("\n\nWhat REDCap does: %s. Severity %s, because %s.",
			actionText[b.does], r.Severity, b.why)
	}
	return rules
}
