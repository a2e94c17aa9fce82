package rules

import (
	"fmt"
	"strings"
	"sync"

	"github.com/rcolpipe/rcolpipe/redcap"
)

// Rule codes. Codes are stable: never reuse or renumber one; retire it instead.
const (
	// RC1xx field names and the record ID field.
	codeNameMissing        = "RC101"
	codeNameRewritten      = "RC102"
	codeNameDoubleUnder    = "RC103"
	codeNameDigitStart     = "RC104"
	codeNameUnderStart     = "RC105"
	codeNameTripleUnder    = "RC106"
	codeNameUnderEnd       = "RC107"
	codeNameTooLong        = "RC108"
	codeNameLong           = "RC109"
	codeNameReserved       = "RC110"
	codeNameFormReserved   = "RC111"
	codeNameFormComplete   = "RC112"
	codeNameDuplicate      = "RC113"
	codeExportNameCollides = "RC114"
	codeExportNameChanged  = "RC115"
	codeFirstNotText       = "RC120"
	codeFirstSection       = "RC121"
	codeMissingCodeClash   = "RC130"
	codeFormsMerged        = "RC131"

	// RC2xx form names.
	codeFormMissing   = "RC201"
	codeFormRewritten = "RC202"
	codeFormTooLong   = "RC203"
	codeFormLong      = "RC204"
	codeFormNotContig = "RC205"

	// RC3xx field types and choices.
	codeTypeMissing     = "RC301"
	codeTypeInvalid     = "RC302"
	codeTypeLegacy      = "RC303"
	codeTypeSQL         = "RC304"
	codeTypeAdvCheckbox = "RC305"
	codeChoicesMissing  = "RC310"
	codeChoiceCode      = "RC311"
	codeChoiceDuplicate = "RC312"
	codeChoiceSingle    = "RC313"
	codeChoiceEmpty     = "RC314"
	codeChoicesDropped  = "RC315"
	codeChoiceNoComma   = "RC316"

	// RC4xx calculations and branching logic.
	codeCalcMissing     = "RC401"
	codeCalcUnbalanced  = "RC402"
	codeCalcSyntax      = "RC403"
	codeCalcUnknown     = "RC404"
	codeCalcFunction    = "RC405"
	codeLogicUnbalanced = "RC410"
	codeLogicSyntax     = "RC411"
	codeLogicUnknown    = "RC412"
	codeLogicFunction   = "RC413"
	codeLogicCode       = "RC414"
	codeCurlyQuotes     = "RC415"
	codeLogicTooLong    = "RC416"
	codeBracketCleaned  = "RC417"
	codeRefUnknown      = "RC420"
	codeCheckboxNoCode  = "RC421"
	codeTagLogic        = "RC422"
	codeFuncArity       = "RC430"
	codeFuncUnit        = "RC431"
	codeFuncDigits      = "RC432"
	codeFuncDateArg     = "RC433"

	// RC5xx validation types, min/max, sliders.
	codeValUnknown     = "RC501"
	codeValUpper       = "RC502"
	codeValLegacy      = "RC503"
	codeValWrongType   = "RC504"
	codeValMinNoType   = "RC505"
	codeValFormat      = "RC506"
	codeValDateMDY     = "RC507"
	codeValDateBad     = "RC508"
	codeValMinMax      = "RC509"
	codeSliderInteger  = "RC510"
	codeSliderShowNumb = "RC511"

	// RC6xx flags, layout, matrix groups.
	codeFlagBlanked    = "RC601"
	codeFlagNo         = "RC602"
	codeAlignment      = "RC603"
	codeDescRequired   = "RC604"
	codeQuestionNumber = "RC605"
	codeMatrixTooLong  = "RC610"
	codeMatrixName     = "RC611"
	codeMatrixContig   = "RC612"
	codeMatrixType     = "RC613"
	codeMatrixMixed    = "RC614"
	codeMatrixChoices  = "RC615"
	codeMatrixRanking  = "RC616"

	// RC7xx annotations, text and encoding.
	codeTagUnknown  = "RC701"
	codeTagNearMiss = "RC702"
	codeReplacement = "RC703"
	codeControlChar = "RC704"
	codeLabelEmpty  = "RC705"
	codeDescLabel   = "RC706"
	codeLiteralNA   = "RC707"
	// Action tags in context.
	codeTagWrongType   = "RC720"
	codeCalcDateNoDate = "RC721"
	codeTagCode        = "RC722"
	codeCalcInIF       = "RC723"
	codeTagMalformed   = "RC724"

	// RC8xx the dictionary as a whole.
	codeEmptyDictionary = "RC801"
	codeNotAField       = "RC850"
)

const (
	sevE = redcap.SeverityError
	sevW = redcap.SeverityWarning
	sevI = redcap.SeverityInfo
)

// catalogue returns the table every listing is generated from, with what
// REDCap does added to each doc (withBehaviour). It is built on first use,
// not at start-up, which every command (even --version) would pay. Read only.
var catalogue = sync.OnceValue(func() []Rule { return withBehaviour(catalogueTable) })

// catalogueTable is the catalogue as written; use catalogue().
var catalogueTable = []Rule{
	{codeNameMissing, sevE, "Field name is missing",
		"REDCap rejects a row without a variable name: `Each row MUST have a variable/field name, but the following cells have a field name missing`.\n\nExample: a row whose column A is empty.\n\nFix: give the row a field name, or delete the row (often a stray spreadsheet line)."},
	{codeNameRewritten, sevE, "Field name has characters REDCap lowercases or deletes",
		"Field names may only hold lower-case letters, digits and underscores. REDCap does not reject other characters: it lowercases ASCII letters, turns spaces into `_` and deletes every other character, silently (`Variables/field names must consist of ONLY lower-case letters, numbers, and underscores.`). Logic and exports that use the old name then break.\n\nExample: `Größe` becomes `gre`; `reshist_addr1_D1A` becomes `reshist_addr1_d1a`.\n\nFix: rename the field to the name REDCap would make (or a better one) and update every `[field]` reference."},
	{codeNameDoubleUnder, sevE, "Field name has a double underscore",
		"In Development, REDCap collapses `__` in a field name to `_` without telling you, so the field gets another name than the one you wrote.\n\nExample: `bp__sys` becomes `bp_sys`.\n\nFix: rename the field with a single underscore."},
	{codeNameDigitStart, sevE, "Field name begins with a digit",
		"REDCap rejects it: `Variables/field names cannot begin with a number.`\n\nExample: `1st_visit`.\n\nFix: start the name with a letter, e.g. `visit_1st`."},
	{codeNameUnderStart, sevE, "Field name begins with an underscore",
		"REDCap rejects it: `Variables/field names cannot begin with an underscore character.`\n\nExample: `_age`.\n\nFix: remove the leading underscore."},
	{codeNameTripleUnder, sevE, "Field name contains a triple underscore",
		"REDCap rejects it (`___` separates a checkbox field from its code in export names): `Variables/field names cannot have a triple underscore (___).`\n\nExample: `meds___other`.\n\nFix: use a single underscore."},
	{codeNameUnderEnd, sevE, "Field name ends with an underscore",
		"REDCap rejects it: `Variables/field names cannot end with an underscore character.`\n\nExample: `weight_`.\n\nFix: remove the trailing underscore."},
	{codeNameTooLong, sevE, "Field name is longer than 100 characters",
		"REDCap rejects it: `Variables/field names cannot be more than 100 characters in length.`\n\nExample: a name generated from a long question text.\n\nFix: shorten the name."},
	{codeNameLong, sevW, "Field name is longer than 26 characters",
		"REDCap advises against it: `Variables/field names are recommended to be less than 26 characters in length.` Long names are cut in some statistics-package exports.\n\nExample: `participant_date_of_first_visit`.\n\nFix: shorten the name if you can; the upload works either way."},
	{codeNameReserved, sevE, "Field name is reserved by REDCap",
		"REDCap rejects reserved names: `This is an illegal variable name and cannot be used.` Reserved: " + strings.Join(redcap.ReservedFieldNames(), ", ") + ".\n\nExample: `instance`.\n\nFix: rename the field, e.g. `visit_instance`."},
	{codeNameFormReserved, sevW, "Field name looks like a survey field of a form (`<form>_timestamp`, `<form>_return_code`)",
		"REDCap reserves `<form>_timestamp` and `<form>_return_code` for every form that exists in the project; the upload fails if the form exists there already. rcolpipe cannot see the project here, so it checks the forms of the dictionary.\n\nExample: `consent_timestamp` with a form `consent`.\n\nFix: rename the field, e.g. `consent_signed_at`."},
	{codeNameFormComplete, sevE, "Field name is `<form>_complete`",
		"REDCap adds a `<form>_complete` status field to every form and rejects a field with that name: `Variables/field names cannot be named [form_name]+'_complete', in which [form_name] corresponds to an existing Form Name in column B.`\n\nExample: `demographics_complete` in a dictionary with a form `demographics`, or in an instrument added to a project (--assume-fields) that has that form.\n\nFix: rename the field; logic may still refer to `[demographics_complete]`."},
	{codeNameDuplicate, sevE, "Field name is used more than once",
		"REDCap rejects the upload: `The following variable/field names were duplicated. Please rename these field names so that they only appear once.` Names that only become equal after REDCap's rewriting (RC102) count too. The usual cause is stacking instruments that each carry `record_id`.\n\nExample: `record_id` in `demographics.csv` and again in `phq9.csv`, both stacked; or `Age` and `age`.\n\nFix: rename one of them, or keep the record ID field only in the first instrument."},
	{codeExportNameCollides, sevW, "Checkbox options get the same export name",
		"A checkbox exports one column per option, named `field___code` with the code lowercased and `-`/`.` turned into `_`. Codes that differ only there collide in exports (REDCap does not check this).\n\nExample: codes `A` and `a`, or `1.5` and `1_5`, both export as `field___a` / `field___1_5`.\n\nFix: give the options distinct codes."},
	{codeExportNameChanged, sevI, "Checkbox option gets a different export name",
		"A checkbox code with upper-case letters, `-` or `.` is exported under a changed name (`field___code` lowercased, `-`/`.` → `_`). Code that reads exports must use the changed name.\n\nExample: code `1.5` of `meds` exports as `meds___1_5`.\n\nFix: none needed; use codes of lower-case letters, digits and `_` to avoid the surprise."},
	{codeFirstNotText, sevW, "First field (the record ID) is not a text field",
		"The first field is the record ID. REDCap forces it to `text`: `The first field must be a 'text' field type. It will automatically be set as a 'text' field`. Stacking instruments in the wrong order makes another field the record ID. Only a whole project's dictionary is checked: not an instrument ZIP, nor instruments added to an existing project (--assume-fields, or a pipeline with a target), whose record ID stays first.\n\nExample: a dictionary that starts with a `radio` field.\n\nFix: put the record ID field (a `text` field, e.g. `record_id`) first."},
	{codeFirstSection, sevW, "First field has a section header",
		"REDCap silently clears the section header of the first field (the record ID).\n\nExample: `record_id` with the section header `Participant`.\n\nFix: move the header to the second field, or delete it."},
	{codeMissingCodeClash, sevW, "Choice code is one of the project's missing-data codes",
		"A project can define missing-data codes (Project Setup, e.g. `UNK, Unknown | NA, Not applicable`). A choice whose code is one of them stores a value REDCap reads as missing: `isblankormissingcode()` is true for it and reports show it as missing. Validation alone does not know the project's codes: `upload`, `run` and `diff` against a project check the input's choice codes against the project info's `missing_data_codes` once the preflight has read it, before anything is sent, and list the findings in the report (with this default severity: rule overrides and `--strict` do not reach them; `check` does not look).\n\nExample: `NA, Not applicable` as a choice of a radio field in a project whose missing-data codes include `NA`.\n\nFix: give the choice another code."},
	{codeFormsMerged, sevE, "Two form names become the same after REDCap's rewriting",
		"REDCap rewrites form names (RC202): lower case, spaces to `_`, other characters deleted. Two forms whose names become equal are one form to REDCap: their fields are merged, or, when other forms stand between them, the upload fails (`Form names must be sequential ...`).\n\nExample: forms `Demographics` and `demographics`; `Visit 1` and `visit_1`.\n\nFix: rename one of the forms."},

	{codeFormMissing, sevE, "Form name is missing",
		"REDCap rejects a row without a form: `Each row MUST have a form name, but the following cells have a form name missing`.\n\nExample: a row whose column B is empty after a copy-paste.\n\nFix: fill in column B (form_name)."},
	{codeFormRewritten, sevE, "Form name has characters REDCap rewrites",
		"Form names may only hold lower-case letters, digits and underscores, and start with a letter. REDCap silently lowercases, turns spaces into `_`, deletes other characters, collapses `__` and trims `_`; a name that is then empty or starts with a digit gets four letters from an MD5 hash in front (`Form names must consist of ONLY lower-case letters, numbers, and underscores, and cannot begin with a number.`). `<form>_complete`, event mappings and user rights then use the new name.\n\nExample: `Demographics Form` becomes `demographics_form`.\n\nFix: use the rewritten name in the file."},
	{codeFormTooLong, sevE, "Form name is longer than 64 characters",
		"REDCap rejects a new form with such a name: `Form names cannot be more than 64 characters in length.`\n\nExample: `participant_reported_outcomes_for_the_follow_up_visit_after_surgery_v2`.\n\nFix: shorten the form name."},
	{codeFormLong, sevW, "Form name is longer than 50 characters",
		"REDCap warns about form names over 50 characters (they are cut in some places of the user interface).\n\nExample: `patient_reported_outcomes_follow_up_after_surgery` (51 characters).\n\nFix: shorten the form name if you can."},
	{codeFormNotContig, sevE, "Form appears again after another form",
		"The fields of a form must be one contiguous run of rows: `Form names must be sequential and cannot repeat again after being used for another form.`\n\nExample: rows of `demo`, then `visit`, then `demo` again.\n\nFix: move the rows of the form together (or rename one of the forms)."},

	{codeTypeMissing, sevE, "Field type is missing",
		"REDCap rejects it: `Each row MUST have a field type, but the following cells have a field type missing`.\n\nExample: a row whose column D is empty.\n\nFix: fill in column D, e.g. `text`."},
	{codeTypeInvalid, sevE, "Field type is not one REDCap knows",
		"REDCap rejects it: `The only valid field types are text, notes, radio, dropdown, calc, file, checkbox, yesno, truefalse, descriptive, slider and must all be lower-case.` Types are case-sensitive.\n\nExample: `Text`, `date`, `number`.\n\nFix: use one of the valid types; dates and numbers are `text` fields with a validation type (column H)."},
	{codeTypeLegacy, sevW, "Legacy field type that REDCap renames",
		"REDCap still accepts the old names `select` and `textarea` and silently stores them as `dropdown` and `notes`.\n\nExample: `select` becomes `dropdown`, `textarea` becomes `notes`.\n\nFix: write `dropdown` or `notes`."},
	{codeTypeSQL, sevW, "`sql` field: only REDCap administrators may add or change it",
		"For a user who is not a REDCap administrator the upload fails: `For security purposes, 'sql' field types can ONLY be added or modified by REDCap administrators.`\n\nExample: a `sql` field with `select value, label from ...` in column F.\n\nFix: ask an administrator to upload the dictionary, or replace the field with a dropdown."},
	{codeTypeAdvCheckbox, sevI, "`advcheckbox` is a hidden field type",
		"REDCap accepts `advcheckbox` but documents no such type; it replaces the choices with `0, Unchecked | 1, Checked` and clears Required.\n\nExample: a field of type `advcheckbox`.\n\nFix: use `checkbox` or `yesno` unless you need exactly this."},
	{codeChoicesMissing, sevE, "Multiple-choice field has no choices",
		"REDCap rejects it: `Each multiple choice field (radio, drop-down, checkbox, etc.) must have choices listed in column F`.\n\nExample: a `radio` field with column F empty.\n\nFix: list the choices as `1, Yes | 0, No`."},
	{codeChoiceCode, sevE, "Choice code has characters REDCap does not allow",
		"A code must be a number or consist of letters, digits, `_`, `.` and `-`: `Multiple choice fields can only have coded values (in the choices in column F) that are numeric or alpha-numeric (lower case or upper case, with or without underscores), thus they cannot have codings that contain spaces or other characters.`\n\nExample: `a b, Label` (REDCap suggests `a_b`).\n\nFix: change the code; codes are written `code, label` and split at the first comma."},
	{codeChoiceDuplicate, sevE, "Choice code is used twice in one field",
		"REDCap rejects it: `Multiple choice fields have been found where a coded value is duplicated in the choices column (F).`\n\nExample: `1, Yes | 1, No`.\n\nFix: give every choice its own code."},
	{codeChoiceSingle, sevW, "Radio or dropdown field has only one choice",
		"REDCap warns about a radio button or dropdown with a single option; it cannot be unselected once chosen.\n\nExample: a radio field with only `1, I agree`.\n\nFix: add the other options, or use a checkbox or `yesno` field."},
	{codeChoiceEmpty, sevW, "Choices have a leading, trailing or doubled `|`",
		"REDCap warns (`Choices should not contain a leading or trailing '|' symbol.`) and silently drops the empty choice.\n\nExample: `1, Yes | 0, No |`.\n\nFix: remove the extra `|`."},
	{codeChoicesDropped, sevW, "Column F is set on a field type that ignores it",
		"REDCap silently clears column F for `notes`, `file`, `yesno`, `truefalse` and `descriptive` fields (yesno and truefalse have fixed choices).\n\nExample: a `yesno` field with `1, Ja | 0, Nein`.\n\nFix: clear column F, or change the type to `radio` if you need your own choices."},
	{codeChoiceNoComma, sevW, "Choice has no code (no comma)",
		"A choice without a comma is a legacy form: REDCap uses the whole text as both code and label.\n\nExample: `Yes | No` gives codes `Yes` and `No`.\n\nFix: write `code, label` for every choice, e.g. `1, Yes | 0, No`."},

	{codeCalcMissing, sevE, "Calculated field has no equation",
		"REDCap rejects it: `Each 'calc' field must have an equation in column F`.\n\nExample: a `calc` field with column F empty.\n\nFix: write the equation in column F, e.g. `[weight]/([height]/100)^2`."},
	{codeCalcUnbalanced, sevE, "Calc equation has unbalanced brackets or quotes",
		"REDCap rejects it: `There is a syntactical error in the 'calc' field equation for the following cells`.\n\nExample: `round(([a]+[b])/2`.\n\nFix: close every `(`, `[` and quote."},
	{codeCalcSyntax, sevE, "Calc equation does not parse",
		"REDCap rejects it: `There are syntax errors in some calc field equations.`\n\nExample: `[a] + * [b]`.\n\nFix: correct the equation; the message shows where parsing stopped."},
	{codeCalcUnknown, sevE, "Calc equation uses a field that does not exist",
		"REDCap rejects it: `There are variables used in calculated field equation(s) that are not listed as real variables in column A.` A reference may name any field of the stacked dictionary, a `<form>_complete` field, a Smart Variable, or a field given with --assume-fields.\n\nExample: `[weigth]` (typo).\n\nFix: correct the name, stack the instrument that defines the field, or pass --assume-fields with the project's dictionary."},
	{codeCalcFunction, sevE, "Calc equation uses a function REDCap does not allow",
		"REDCap rejects it: `There are custom functions used in some calc field equations that are not official REDCap functions and are thus not allowed.`\n\nExample: `floor([a])`.\n\nFix: use an allowed function (e.g. `rounddown([a])`)."},
	{codeLogicUnbalanced, sevE, "Branching logic has unbalanced brackets or quotes",
		"REDCap rejects it: `There is a syntactical error in the branching logic for the following cells`.\n\nExample: `[sex] = '1`.\n\nFix: close every `(`, `[` and quote."},
	{codeLogicSyntax, sevE, "Branching logic does not parse",
		"REDCap rejects it: `There are syntax errors in some branching logic.`\n\nExample: `[age] >> 18`.\n\nFix: correct the logic; the message shows where parsing stopped."},
	{codeLogicUnknown, sevE, "Branching logic uses a field that does not exist",
		"REDCap rejects it: `There are variables used in the branching logic that are not listed as real variables in column A.` A reference may name any field of the stacked dictionary, a `<form>_complete` field, a Smart Variable, or a field given with --assume-fields.\n\nExample: `[sex] = '1'` in an instrument uploaded without the form that defines `sex`.\n\nFix: stack the instrument that defines the field before this one, or pass --assume-fields with the project's dictionary."},
	{codeLogicFunction, sevE, "Branching logic uses a function REDCap does not allow",
		"REDCap rejects it: `There are custom functions used in some branching logic that are not official REDCap functions`.\n\nExample: `isempty([a])`.\n\nFix: use an allowed function (e.g. `isblankormissingcode([a])`)."},
	{codeLogicCode, sevW, "Logic or piping names a checkbox option the field does not have",
		"`[field(code)]` is true when option `code` of checkbox `field` is ticked. REDCap does not check the code at upload, so logic with a wrong code is silently never true.\n\nExample: `[meds(3)] = '1'` where `meds` has codes 1 and 2.\n\nFix: use one of the field's codes."},
	{codeCurlyQuotes, sevE, "Logic contains curly quotes",
		"Spreadsheet programs turn `'` and `\"` into curly quotes (‘ ’ “ ”). REDCap's logic parser does not read them as quotes, so the logic fails.\n\nExample: `[sex] = ‘1’`.\n\nFix: replace them with straight quotes `'` or `\"`."},
	{codeLogicTooLong, sevE, "Branching logic is longer than 65,535 bytes",
		"REDCap stores branching logic in a MySQL TEXT column (at most 65,535 bytes); longer logic does not fit.\n\nExample: logic generated with one `or` term per code of a long list.\n\nFix: simplify the logic, e.g. with a calculated helper field."},
	{codeBracketCleaned, sevW, "Logic has characters inside `[...]` that REDCap deletes",
		"REDCap silently removes spaces and other characters than letters, digits and `:().,_-` from inside square brackets of logic and equations.\n\nExample: `[ age ]` becomes `[age]`.\n\nFix: write the reference without them."},
	{codeRefUnknown, sevW, "Piping or an action tag refers to a field that does not exist",
		"A `[field]` (or a Smart Variable) in a label, field note, section header, choice label, slider label, min/max, or in an action tag's argument (`@IF`, `@CALCTEXT`, `@CALCDATE`, `@DEFAULT`, `@SETVALUE`, `@PREFILL`, `@PLACEHOLDER`) names no field of the dictionary (nor a `<form>_complete` field, nor a field given with --assume-fields), or a Smart Variable REDCap does not know. REDCap checks references only in branching logic and calc equations; elsewhere it accepts them and, when the form is used, pipes nothing or leaves the text as written (rcolpipe has not checked which for every place), and logic in a tag treats the field as empty.\n\nExample: a label `Hello [first_nme]`, or `@DEFAULT='[visit_dat]'`.\n\nFix: correct the name, or stack the instrument that defines the field (or pass --assume-fields)."},
	{codeCheckboxNoCode, sevW, "Logic compares a checkbox field without a code",
		"A checkbox has one value per option, tested as `[field(code)] = '1'`. Compared as a whole (`[meds] = '1'`), the field has no single value; REDCap accepts the logic at upload, and at run time the comparison does not test any option (rcolpipe has not checked what it evaluates to in every REDCap version).\n\nExample: `[meds] = '2'` where `meds` is a checkbox.\n\nFix: write `[meds(2)] = '1'`."},
	{codeTagLogic, sevW, "Logic in an action tag does not parse or uses a function REDCap does not allow",
		"The condition of `@IF`, the expression of `@CALCTEXT` and the date of `@CALCDATE` are logic, parsed like branching logic, but REDCap does not check them at upload: the tag fails when the form is used.\n\nExample: `@CALCTEXT(if([a] = 1, 'x'))` is fine syntax but `@IF([a] >> 1, @HIDDEN, )` is not.\n\nFix: correct the logic as you would branching logic."},
	{codeFuncArity, sevW, "Function called with the wrong number of arguments",
		"Each of REDCap's functions takes a fixed number of arguments (`if(condition, then, else)`, `round(number, decimals)`, `datediff(date1, date2, unit[, format][, signed])`, `mid(text, start, count)`, ...). REDCap's upload check only asks whether the function is allowed; with a wrong count the logic fails or gives a blank when the form is used.\n\nExample: `if([a] = 1, 'yes')`.\n\nFix: give the function its arguments, e.g. `if([a] = 1, 'yes', 'no')`."},
	{codeFuncUnit, sevW, "datediff or calcdate unit is not one REDCap knows",
		"The unit of `datediff()`, `calcdate()` and `@CALCDATE` is one of `y`, `M`, `d`, `h`, `m`, `s` (case-sensitive: `M` months, `m` minutes). REDCap does not check it at upload; another unit gives no result.\n\nExample: `datediff([dob], 'today', 'years')`.\n\nFix: write `'y'`."},
	{codeFuncDigits, sevW, "round() decimal places are not a whole number",
		"The second argument of `round()`, `roundup()` and `rounddown()` is the number of decimal places, a whole number. REDCap does not check it at upload; what it does with a fraction or a text is not documented.\n\nExample: `round([bmi], 1.5)` or `round([bmi], '1')`.\n\nFix: write a whole number without quotes, e.g. `round([bmi], 1)`."},
	{codeFuncDateArg, sevW, "datediff or calcdate on a field that holds no date",
		"The dates of `datediff()` and `calcdate()` must be dates: a text field with a date or datetime validation, `'today'`, `'now'` or a date. A field of another type or validation (integer, radio, calc, ...) holds no date, and the function gives a blank (rcolpipe has not checked every REDCap version).\n\nExample: `datediff([age], 'today', 'y')` where `age` is an integer field.\n\nFix: use the date field the calculation is meant for."},

	{codeValUnknown, sevE, "Validation type is not one the server knows",
		"REDCap rejects it: `The only valid validation types are ... and must all be lower-case. The following are invalid validation types in your data dictionary:` rcolpipe knows the 39 types of a default REDCap installation, the legacy names and the extra types given with --validation-types.\n\nExample: `date` is legacy (accepted), `datum` is not a type; `signature` is only valid on a `file` field.\n\nFix: use a known type, or list your institution's extra types with --validation-types FILE."},
	{codeValUpper, sevW, "Validation type is not lower-case",
		"REDCap silently lowercases the validation type.\n\nExample: `Integer` becomes `integer`.\n\nFix: write it in lower case."},
	{codeValLegacy, sevW, "Legacy validation type that REDCap renames",
		"REDCap accepts the old names and stores the new ones: `int` → `integer`, `float` → `number`, `date` → `date_ymd`, `datetime` → `datetime_ymd`, `datetime_seconds` → `datetime_seconds_ymd`.\n\nExample: `date` becomes `date_ymd`.\n\nFix: write the new name."},
	{codeValWrongType, sevE, "Validation on a field type that cannot have it",
		"REDCap rejects it: `Only 'text' field types may have validation. The following validation types should be removed from your data dictionary or else their field type should be changed to 'text'`. Allowed elsewhere: `number` on sliders (shows the value), `autocomplete` on dropdown/sql, `signature` on file.\n\nExample: a `notes` field with `integer`.\n\nFix: clear column H or make the field `text`."},
	{codeValMinNoType, sevE, "Minimum or maximum without a validation type",
		"REDCap rejects it: `A field validation type is required in order to have a minimum or maximum validation value.`\n\nExample: a `text` field with min `0` and no type.\n\nFix: set a validation type (e.g. `integer`) or clear min/max."},
	{codeValFormat, sevE, "Minimum or maximum does not match the validation type",
		"REDCap rejects it: `Format for the minimum validation value is incorrect because it does not follow the expected format:` (or maximum). Allowed besides the type's own format: `today`, `now` and a piped `[field]`. Dates are written Y-M-D whatever the display format (`date_dmy` min is `2020-01-31`), datetimes `Y-M-D H:M`, with seconds `Y-M-D H:M:S`; number types accept any number (comma types also a decimal comma).\n\nExample: `integer` with max `10.5`; `date_dmy` with min `31-01-2020`.\n\nFix: write the value in the type's format."},
	{codeValDateMDY, sevW, "Date minimum or maximum with `/` is re-read as M/D/Y",
		"REDCap re-reads a date or datetime bound that contains `/` as month/day/year (two-digit years get `20` in front, missing seconds are added) and stores Y-M-D. The message shows the value REDCap will store; if you meant day/month/year it is a different date.\n\nExample: `1/2/20` is stored as `2020-01-02`.\n\nFix: write the bound as Y-M-D."},
	{codeValDateBad, sevE, "Date minimum or maximum with `/` is not a date REDCap can read",
		"REDCap reads bounds with `/` as M/D/Y and rejects what does not parse: `Invalid date format. (NOTE: Dates must be imported here only in Y-M-D or M/D/Y format` (or `Invalid datetime format.`).\n\nExample: `31/12/2020` (no month 31).\n\nFix: write the bound as Y-M-D."},
	{codeValMinMax, sevW, "Minimum is greater than maximum",
		"REDCap does not check it, but no value can then be in range and every entry triggers the range warning.\n\nExample: min `100`, max `10`.\n\nFix: swap the values."},
	{codeSliderInteger, sevE, "Slider minimum or maximum is not an integer",
		"REDCap rejects it: `The custom min/max value of a slider must be an integer (positive or negative) or a blank value.`\n\nExample: a slider with max `10.5`.\n\nFix: use whole numbers (blank means 0 and 100)."},
	{codeSliderShowNumb, sevW, "Slider column H is not blank or `number`",
		"On a slider, column H only says whether to show the value (`number`); REDCap silently blanks anything else.\n\nExample: `integer` on a slider.\n\nFix: write `number` or leave it blank."},

	{codeFlagBlanked, sevE, "Identifier, Required or Matrix ranking is not `y`",
		"Only `y`/`Y` (or blank) is valid; REDCap silently blanks anything else (`The only valid value for the Identifier column is 'y' or 'Y'.`, same for Required and Matrix Ranking), so a value meant as yes becomes no. R writes missing values as the text `NA`.\n\nExample: `yes`, `1`, `TRUE`, `NA`.\n\nFix: write `y` or leave the cell empty."},
	{codeFlagNo, sevW, "Identifier, Required or Matrix ranking says no in words",
		"Only `y`/`Y` (or blank) is valid; REDCap silently blanks other values. `n`, `no`, `0` and `false` mean the same as blank, so nothing changes but the cell.\n\nExample: Required Field `no` or `0`.\n\nFix: leave the cell empty."},
	{codeAlignment, sevW, "Custom alignment is not LV, LH, RV or RH",
		"REDCap accepts only `LV`, `LH`, `RV`, `RH` (case-sensitive) and silently blanks anything else, which means the default `RV`: `The only valid values for the Custom Alignment column are 'LV', 'LH', 'RV', 'RH'.`\n\nExample: `lh`, `left`.\n\nFix: write one of the four codes in upper case, or leave it empty."},
	{codeDescRequired, sevW, "Descriptive (or advcheckbox) field is marked required",
		"A descriptive field takes no input, and an advcheckbox is either ticked or not; REDCap silently clears Required on both.\n\nExample: a `descriptive` field with Required Field `y`.\n\nFix: clear column M."},
	{codeQuestionNumber, sevW, "Question number is longer than 10 characters",
		"REDCap silently cuts the survey question number to 10 characters.\n\nExample: `Question 12a` becomes `Question 1`.\n\nFix: shorten it."},
	{codeMatrixTooLong, sevE, "Matrix group name is longer than 60 characters",
		"REDCap rejects it: `Matrix group names cannot be more than 60 characters in length.`\n\nExample: a group name built from a long question text.\n\nFix: shorten the group name."},
	{codeMatrixName, sevW, "Matrix group name has characters REDCap rewrites",
		"Matrix group names are cleaned like form names: lowercased, spaces → `_`, other characters deleted. Fields stay grouped, under the new name.\n\nExample: `Pain Scale` becomes `pain_scale`.\n\nFix: write the cleaned name."},
	{codeMatrixContig, sevE, "Matrix group appears again after another group",
		"The fields of a matrix group must be adjacent: `Matrix group names must be sequential and cannot repeat again after being used for another group.`\n\nExample: rows of group `pain`, then `mood`, then `pain` again.\n\nFix: move the group's rows together or give the second run its own name."},
	{codeMatrixType, sevE, "Matrix group field is not radio or checkbox",
		"REDCap rejects it: `Fields that are part of a matrix group can ONLY be a radio or checkbox field.`\n\nExample: a `text` field with matrix group name `pain`.\n\nFix: clear the matrix group name of the field, or change its type."},
	{codeMatrixMixed, sevE, "Matrix group mixes radio and checkbox fields",
		"REDCap silently changes every field of a group to the type of the group's first field, so a checkbox (many answers) can become a radio (one answer).\n\nExample: group `symptoms` with a radio field first and a checkbox field after it.\n\nFix: give all fields of the group the same type."},
	{codeMatrixChoices, sevE, "Matrix group fields have different choices",
		"REDCap rejects it: `The cells listed below appear to be in a matrix group, but all the fields in this matrix group do not have the same multiple choice options.`\n\nExample: `0, No | 1, Yes` on one field of the group and `0, Nein | 1, Ja` on another.\n\nFix: copy the first field's choices to every field of the group."},
	{codeMatrixRanking, sevE, "Matrix group fields differ in ranking",
		"REDCap rejects it: `If ranking is used for a matrix of fields, each field in the matrix must have the same value (either 'Y' or blank/null) for the Matrix Ranking column.`\n\nExample: Matrix Ranking `y` on the first field of a group and empty on the second.\n\nFix: set Matrix Ranking the same on every field of the group."},

	{codeTagUnknown, sevI, "Unknown action tag",
		"The field annotation uses a tag REDCap 15.7.6 does not define. REDCap does not check annotations; the tag may come from an External Module (e.g. `@INSTANCETABLE`).\n\nExample: `@INSTANCETABLE=visits` (from the Instance Table External Module).\n\nFix: none if an External Module provides it; otherwise correct it."},
	{codeTagNearMiss, sevW, "Action tag looks like a misspelt REDCap tag",
		"The annotation uses an unknown tag that is close to a REDCap tag; REDCap ignores it silently, so the field behaves as if the tag were not there.\n\nExample: `@HIDEN` (did you mean `@HIDDEN`?), `@readonly`.\n\nFix: write the tag REDCap defines, in upper case."},
	{codeReplacement, sevW, "Text contains U+FFFD or invalid UTF-8 (broken encoding)",
		"The replacement character `\uFFFD` or invalid UTF-8 bytes show that the file was saved in another encoding (e.g. Windows-1252) and read as UTF-8; the original characters are lost. REDCap stores the text as it is and later exports break.\n\nExample: `Gr��e` where `Größe` was written.\n\nFix: re-save the source as UTF-8 and retype the damaged characters."},
	{codeControlChar, sevW, "Text contains control characters",
		"Control characters (other than tab and line breaks) are invisible, survive the upload, and break XML and CSV exports later.\n\nExample: a label with a BEL character (U+0007), e.g. from an escape sequence `\\a` in source code.\n\nFix: delete them."},
	{codeLabelEmpty, sevW, "Field label is empty",
		"REDCap accepts an empty label but shows the field without a question.\n\nExample: a `text` field whose column E is empty.\n\nFix: write a label."},
	{codeDescLabel, sevI, "Descriptive field has an empty label",
		"A descriptive field without text shows nothing unless it carries an attachment or video, which the dictionary cannot set (REDCap keeps them on re-upload).\n\nExample: a `descriptive` field that only shows an attached PDF.\n\nFix: none if the field has an attachment; otherwise write the text."},
	{codeLiteralNA, sevW, "Cell is the text `NA` (R's missing value)",
		"R writes missing values as `NA` unless told otherwise (`write.csv(na = \"\")`). REDCap reads the two letters as text: a section header or note `NA`, validation type `NA`, logic `NA`, matrix group `NA`.\n\nExample: a section header, note or matrix group name `NA` in a file written by R's `write.csv`.\n\nFix: write the file again with empty cells for missing values."},
	{codeTagWrongType, sevW, "Action tag on a field type that ignores it",
		"Some action tags work only on some field types, and REDCap ignores them elsewhere: `@CALCTEXT` and `@CALCDATE` on text fields, `@MAXCHECKED` and `@NONEOFTHEABOVE` on checkboxes, `@HIDECHOICE`, `@SHOWCHOICE`, `@MAXCHOICE` on multiple-choice fields, `@CHARLIMIT` and `@WORDLIMIT` on text and notes fields, `@PASSWORDMASK` on text fields. REDCap does not check annotations at upload.\n\nExample: `@CALCTEXT(...)` on a `notes` field; `@MAXCHECKED=2` on a radio field.\n\nFix: change the field type or remove the tag."},
	{codeCalcDateNoDate, sevW, "`@CALCDATE` on a field without date validation",
		"`@CALCDATE` fills a text field with a date; the field needs a date or datetime validation (`date_ymd`, `datetime_dmy`, ...), or REDCap does not fill it.\n\nExample: `@CALCDATE([visit_date], 30, 'd')` on a text field without validation.\n\nFix: set column H to a date or datetime validation."},
	{codeTagCode, sevW, "Action tag names a choice code the field does not have",
		"`@HIDECHOICE`, `@SHOWCHOICE` and `@NONEOFTHEABOVE` name codes of the field's own choices. REDCap does not check them at upload and ignores a code the field does not have, so the choice meant is not hidden, shown or exclusive.\n\nExample: `@NONEOFTHEABOVE='99'` on a checkbox with codes 1, 2, 98.\n\nFix: use the field's codes (column F)."},
	{codeCalcInIF, sevW, "`@CALCTEXT` or `@CALCDATE` inside `@IF`",
		"`@IF` chooses between lists of tags when the form loads; the calculated tags `@CALCTEXT` and `@CALCDATE` are not evaluated there (REDCap's documentation of `@IF` excludes them; rcolpipe has not checked every version).\n\nExample: `@IF([a] = '1', @CALCTEXT('x'), )`.\n\nFix: put the condition inside the calculation: `@CALCTEXT(if([a] = '1', 'x', ''))`."},
	{codeTagMalformed, sevW, "Action tag argument is missing or malformed",
		"Tags that take an argument need it in their form: `@IF(...)`, `@CALCTEXT(...)`, `@CALCDATE(...)`, `@MAXCHOICE(...)`; `@DEFAULT='...'`, `@SETVALUE='...'`, `@PREFILL='...'`, `@PLACEHOLDER='...'`, `@HIDECHOICE='...'`, `@SHOWCHOICE='...'`, `@NONEOFTHEABOVE='...'`; `@CHARLIMIT`, `@WORDLIMIT` and `@MAXCHECKED` a whole number above 0. A quote or parenthesis that never closes swallows the rest of the annotation. REDCap does not check annotations at upload and ignores a tag it cannot read.\n\nExample: `@CHARLIMIT=ten`, `@DEFAULT='open`, `@IF([a]='1', @HIDDEN)`.\n\nFix: write the argument in the tag's form."},

	{codeEmptyDictionary, sevE, "Dictionary has no fields",
		"REDCap replaces the whole dictionary on import; an empty one passes its checks and deletes every field of the project.\n\nExample: `rcolpipe validate` on a folder without dictionary files, or on files that all failed to load.\n\nFix: check the input paths; rcolpipe never uploads an empty dictionary."},
	{codeNotAField, sevE, "Row is not a field",
		"A row with neither a form name nor a field type is not a field but a stray line: a cell pasted below the table, or the rest of a row that a line break inside a cell split in two. REDCap rejects it (`Each row MUST have a form name`). rcolpipe reports such a row once, instead of every rule it breaks (name, form, type, label, alignment, ...).\n\nExample: a row whose only cell is `RH`.\n\nFix: delete the row, or join it to the row it was split from."},
}

// Select returns the rules of all with the given codes, in the order of
// codes (a code in any case, spaces around it ignored); an unknown code is
// an error naming it.
func Select(all []Rule, codes []string) ([]Rule, error) {
	byCode := make(map[string]Rule, len(all))
	for _, r := range all {
		byCode[r.Code] = r
	}
	list := make([]Rule, 0, len(codes))
	for _, code := range codes {
		r, ok := byCode[strings.ToUpper(strings.TrimSpace(code))]
		if !ok {
			return nil, fmt.Errorf("no rule %q", code)
		}
		list = append(list, r)
	}
	return list, nil
}
