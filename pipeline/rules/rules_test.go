package rules

import (
	"fmt"
	"strings"
	"testing"

	"github.com/rcolpipe/rcolpipe/redcap"
)

// fld builds a field from "name type" and "Letter=value" cells, e.g.
// fld("age text", "H=integer", "I=0"). Form defaults to form_a, label to "Label".
func fld(nameType string, cells ...string) redcap.Field {
	name, typ, _ := strings.Cut(nameType, " ")
	f := redcap.Field{FieldName: name, FieldType: typ, FormName: "form_a", FieldLabel: "Label"}
	for _, c := range cells {
		letter, v, ok := strings.Cut(c, "=")
		if !ok {
			panic("cell without '=': " + c)
		}
		set := false
		for i, info := range redcap.Columns {
			if info.Letter == letter {
				f.Set(redcap.Column(i), v)
				set = true
			}
		}
		if !set {
			panic("unknown column letter " + letter)
		}
	}
	return f
}

// named sets the field name of f (for names fld cannot write).
func named(name string, f redcap.Field) redcap.Field {
	f.FieldName = name
	return f
}

// raw builds a dictionary from the rows as given, with origins t.csv:2...
func raw(rows ...redcap.Field) *redcap.Dictionary {
	d := &redcap.Dictionary{Files: []string{"t.csv"}}
	for i, r := range rows {
		r.Origin = redcap.Origin{File: "t.csv", Line: i + 2, Row: i + 1}
		d.Fields = append(d.Fields, r)
	}
	return d
}

// dict is raw with a record_id text field in front.
func dict(rows ...redcap.Field) *redcap.Dictionary {
	return raw(append([]redcap.Field{fld("record_id text")}, rows...)...)
}

type ruleCase struct {
	code      string
	name      string
	bad, good *redcap.Dictionary
	cfg       Config
	// badCfg, when set, is the config of the bad case (for rules that
	// the config makes fire); cfg stays the good case's.
	badCfg *Config
	// want is a substring the bad case's message or hint must contain.
	want string
}

func radio(name, group string, cells ...string) redcap.Field {
	return fld(name+" radio", append([]string{"F=1, Yes | 0, No", "P=" + group}, cells...)...)
}

func ruleCases() []ruleCase {
	long := func(n int) string { return strings.Repeat("a", n) }
	longLogic := strings.Repeat("[record_id] = '1' or ", 3300) + "[record_id] = '2'"
	return []ruleCase{
		{code: "RC101", bad: dict(fld(" text")), good: dict(fld("a text")), want: "MUST have a variable/field name"},
		{code: "RC102", bad: dict(fld("Größe text")), good: dict(fld("groesse text")), want: `"gre"`},
		{code: "RC102", name: "spaces", bad: dict(named("body weight", fld("x text"))), good: dict(named("  body_weight ", fld("x text"))), want: `"body_weight"`},
		{code: "RC102", name: "uppercase", bad: dict(fld("reshist_D1A text")), good: dict(fld("reshist_d1a text")), want: `"reshist_d1a"`},
		{code: "RC103", bad: dict(fld("bp__sys text")), good: dict(fld("bp_sys text")), want: `"bp_sys"`},
		{code: "RC104", bad: dict(fld("1st text")), good: dict(fld("first text")), want: "cannot begin with a number"},
		{code: "RC105", bad: dict(fld("_age text")), good: dict(fld("age text")), want: "cannot begin with an underscore"},
		{code: "RC106", bad: dict(fld("a___b text")), good: dict(fld("a_b text")), want: "triple underscore"},
		{code: "RC107", bad: dict(fld("age_ text")), good: dict(fld("age text")), want: "cannot end with an underscore"},
		{code: "RC108", bad: dict(fld(long(101) + " text")), good: dict(fld(long(100) + " text")), want: "more than 100"},
		{code: "RC109", bad: dict(fld(long(27) + " text")), good: dict(fld(long(26) + " text")), want: "less than 26"},
		{code: "RC110", bad: dict(fld("instance text")), good: dict(fld("instance_no text")), want: "illegal variable name"},
		{code: "RC111", bad: dict(fld("form_a_timestamp text")), good: dict(fld("form_b_timestamp text")), want: "form_a"},
		{code: "RC112", bad: dict(fld("form_a_complete text")), good: dict(fld("form_b_complete text")), want: "_complete"},
		{code: "RC112", name: "form of the project", bad: dict(fld("consent_complete text")), good: dict(fld("consent_completed text")),
			badCfg: &Config{AssumeFields: raw(fld("record_id text", "B=consent"))}, cfg: Config{AssumeFields: raw(fld("record_id text", "B=consent"))}, want: "_complete"},
		{code: "RC113", bad: dict(fld("age text"), fld("age text")), good: dict(fld("age text"), fld("age2 text")), want: "t.csv:3"},
		{code: "RC113", name: "after rewrite", bad: dict(fld("age text"), fld("Age text")), good: dict(fld("age text"), fld("age_2 text")), want: "after REDCap's rewriting"},
		{code: "RC113", name: "stacked record_id", bad: dict(fld("record_id text", "B=form_b")), good: dict(fld("id2 text", "B=form_b")), want: "first instrument"},
		{code: "RC114", bad: dict(fld("cb checkbox", "F=A, x | a, y")), good: dict(fld("cb checkbox", "F=1, x | 2, y")), want: "cb___a"},
		{code: "RC115", bad: dict(fld("cb checkbox", "F=1.5, x | 2, y")), good: dict(fld("cb checkbox", "F=1, x | 2, y")), want: "cb___1_5"},
		{code: "RC120", bad: raw(fld("rid radio", "F=1, a | 2, b")), good: raw(fld("rid text")), want: "must be a 'text' field"},
		{code: "RC120", name: "joins a project", bad: raw(fld("rid radio", "F=1, a | 2, b")), good: raw(fld("rid radio", "F=1, a | 2, b")),
			cfg: Config{JoinsProject: true}, want: "must be a 'text' field"},
		{code: "RC120", name: "assume fields", bad: raw(fld("rid radio", "F=1, a | 2, b")), good: raw(fld("rid radio", "F=1, a | 2, b")),
			cfg: Config{AssumeFields: raw(fld("record_id text"))}, want: "must be a 'text' field"},
		{code: "RC121", bad: raw(fld("rid text", "C=Header")), good: raw(fld("rid text")), want: "clears the section header"},

		{code: "RC130", bad: dict(fld("a radio", "F=1, Yes | NA, Not applicable")), good: dict(fld("a radio", "F=1, Yes | 99, Not applicable")),
			badCfg: &Config{MissingDataCodes: "UNK, Unknown | NA, Not applicable"}, cfg: Config{MissingDataCodes: "UNK, Unknown | NA, Not applicable"}, want: `"NA"`},
		{code: "RC131", bad: dict(fld("a text", "B=Visit 1"), fld("b text", "B=visit_1")), good: dict(fld("a text", "B=visit_1"), fld("b text", "B=visit_2")), want: `"visit_1"`},

		{code: "RC201", bad: dict(fld("a text", "B=")), good: dict(fld("a text")), want: "MUST have a form name"},
		{code: "RC202", bad: dict(fld("a text", "B=Demographics Form")), good: dict(fld("a text", "B=demographics_form")), want: `"demographics_form"`},
		{code: "RC202", name: "digit start", bad: dict(fld("a text", "B=1form")), good: dict(fld("a text", "B=form1")), want: "MD5"},
		{code: "RC203", bad: dict(fld("a text", "B="+long(65))), good: dict(fld("a text", "B="+long(64))), want: "64 characters"},
		{code: "RC204", bad: dict(fld("a text", "B="+long(51))), good: dict(fld("a text", "B="+long(50))), want: "at most 50"},
		{code: "RC205", bad: dict(fld("a text", "B=form_b"), fld("b text")), good: dict(fld("b text"), fld("a text", "B=form_b")), want: "must be sequential"},

		{code: "RC301", bad: dict(fld("a")), good: dict(fld("a text")), want: "MUST have a field type"},
		{code: "RC302", bad: dict(fld("a Text")), good: dict(fld("a text")), want: "only valid field types"},
		{code: "RC303", bad: dict(fld("a textarea")), good: dict(fld("a notes")), want: `"notes"`},
		{code: "RC304", bad: dict(fld("a sql", "F=select 1")), good: dict(fld("a dropdown", "F=1, x")), want: "administrators"},
		{code: "RC305", bad: dict(fld("a advcheckbox")), good: dict(fld("a checkbox", "F=1, x")), want: "hidden"},
		{code: "RC310", bad: dict(fld("a radio")), good: dict(fld("a radio", "F=1, x | 2, y")), want: "must have choices"},
		{code: "RC311", bad: dict(fld("a radio", "F=a b, X | 2, Y")), good: dict(fld("a radio", "F=a_b, X | 2, Y")), want: `"a_b"`},
		{code: "RC312", bad: dict(fld("a radio", "F=1, a | 1, b")), good: dict(fld("a radio", "F=1, a | 2, b")), want: "duplicated"},
		{code: "RC313", bad: dict(fld("a radio", "F=1, Only")), good: dict(fld("a radio", "F=1, a | 2, b")), want: "single choice"},
		{code: "RC314", bad: dict(fld("a radio", "F=1, a | 2, b |")), good: dict(fld("a radio", "F=1, a | 2, b")), want: "leading or trailing"},
		{code: "RC315", bad: dict(fld("a yesno", "F=1, Ja | 0, Nein")), good: dict(fld("a yesno")), want: "clears column F"},
		{code: "RC316", bad: dict(fld("a radio", "F=Yes | No")), good: dict(fld("a radio", "F=1, Yes | 0, No")), want: `"Yes"`},

		{code: "RC401", bad: dict(fld("a calc")), good: dict(fld("a calc", "F=1+1")), want: "must have an equation"},
		{code: "RC402", bad: dict(fld("a calc", "F=round(([record_id]+1)/2")), good: dict(fld("a calc", "F=round(([record_id]+1)/2)")), want: "syntactical error in the 'calc'"},
		{code: "RC403", bad: dict(fld("a calc", "F=[record_id] + * 2")), good: dict(fld("a calc", "F=[record_id] * 2")), want: "syntax errors in some calc"},
		{code: "RC404", bad: dict(fld("a calc", "F=[nope]*2")), good: dict(fld("a calc", "F=[record_id]*2")), want: "[nope]"},
		{code: "RC404", name: "assume fields", bad: dict(fld("a calc", "F=[dob]")), good: dict(fld("a calc", "F=[dob]")), want: "[dob]",
			cfg: Config{AssumeFields: raw(fld("dob text", "H=date_ymd"))}},
		{code: "RC405", bad: dict(fld("a calc", "F=floor([record_id])")), good: dict(fld("a calc", "F=rounddown([record_id])")), want: "floor()"},
		{code: "RC405", name: "case", bad: dict(fld("a calc", "F=IF([record_id] > 1, 1, 0)")), good: dict(fld("a calc", "F=if([record_id] > 1, 1, 0)")), want: "write if()"},
		{code: "RC410", bad: dict(fld("a text", "L=[record_id] = '1")), good: dict(fld("a text", "L=[record_id] = '1'")), want: "syntactical error in the branching logic"},
		{code: "RC411", bad: dict(fld("a text", "L=[record_id] >> 1")), good: dict(fld("a text", "L=[record_id] > 1")), want: "syntax errors in some branching logic"},
		{code: "RC412", bad: dict(fld("a text", "L=[nope] = '1'")), good: dict(fld("a text", "L=[record_id] = '1' and [form_a_complete] = '2'")), want: "[nope]"},
		{code: "RC412", name: "typo", bad: dict(fld("a text", "L=[recrd_id] = '1'")), good: dict(fld("a text", "L=[record_id] = '1'")), want: "Did you mean [record_id]?"},
		{code: "RC412", name: "smart variable", bad: dict(fld("a text", "L=[record-nam] = '1'")), good: dict(fld("a text", "L=[record-name] = '1'")), want: "Smart Variable"},
		{code: "RC413", bad: dict(fld("a text", "L=isempty([record_id])")), good: dict(fld("a text", "L=isblankormissingcode([record_id])")), want: "isempty()"},
		{code: "RC414", bad: dict(fld("cb checkbox", "F=1, a | 2, b"), fld("x text", "L=[cb(3)] = '1'")),
			good: dict(fld("cb checkbox", "F=1, a | 2, b"), fld("x text", "L=[cb(2)] = '1'")), want: "no option \"3\""},
		{code: "RC415", bad: dict(fld("a text", "L=[record_id] = ‘1’")), good: dict(fld("a text", "L=[record_id] = '1'")), want: "curly quote"},
		{code: "RC416", bad: dict(fld("a text", "L="+longLogic)), good: dict(fld("a text", "L=[record_id] = '1'")), want: "65535"},
		{code: "RC417", bad: dict(fld("a text", "L=[ record_id ] = '1'")), good: dict(fld("a text", "L=[record_id] = '1'")), want: "[record_id] = '1'"},

		{code: "RC414", name: "piped", bad: dict(fld("cb checkbox", "F=1, a | 2, b"), fld("x text", "E=You ticked [cb(3)]")),
			good: dict(fld("cb checkbox", "F=1, a | 2, b"), fld("x text", "E=You ticked [cb(2)]")), want: "no option \"3\""},
		{code: "RC420", bad: dict(fld("a text", "E=Hello [nme]")), good: dict(fld("a text", "E=Hello [record_id], see [1], [DEPRECATED] and [record-name]")), want: "[nme]"},
		{code: "RC420", name: "typo", bad: dict(fld("a text", "G=Since [recrd_id]")), good: dict(fld("a text", "G=Since [record_id:label]")), want: "Did you mean [record_id]?"},
		{code: "RC420", name: "choice label", bad: dict(fld("a radio", "F=1, [nope] | 2, b")), good: dict(fld("a radio", "F=1, [record_id] | 2, b")), want: "choice label"},
		{code: "RC420", name: "smart variable", bad: dict(fld("a text", "C=Hi [user-nam]")), good: dict(fld("a text", "C=Hi [user-name]")), want: "[user-nam]"},
		{code: "RC420", name: "default", bad: dict(fld("a text", "R=@DEFAULT='[nope]'")), good: dict(fld("a text", "R=@DEFAULT='[record_id]'")), want: "@DEFAULT"},
		{code: "RC420", name: "if condition", bad: dict(fld("a text", "R=@IF([nope] = '1', @HIDDEN, @READONLY)")), good: dict(fld("a text", "R=@IF([record_id] = '1', @HIDDEN, @READONLY)")), want: "condition of @IF"},
		{code: "RC420", name: "calctext", bad: dict(fld("a text", "R=@CALCTEXT(concat([nope], 'x'))")), good: dict(fld("a text", "R=@CALCTEXT(concat([record_id], 'x'))")), want: "@CALCTEXT"},
		{code: "RC420", name: "min piped", bad: dict(fld("a text", "H=integer", "I=[nope]")), good: dict(fld("a text", "H=integer", "I=[record_id]")), want: "[nope]"},
		{code: "RC421", bad: dict(fld("cb checkbox", "F=1, a | 2, b"), fld("x text", "L=[cb] = '1'")),
			good: dict(fld("cb checkbox", "F=1, a | 2, b"), fld("x text", "L=[cb(1)] = '1'")), want: "[cb(code)]"},
		{code: "RC422", bad: dict(fld("a text", "R=@IF([record_id] >> 1, @HIDDEN, @READONLY)")), good: dict(fld("a text", "R=@IF([record_id] > 1, @HIDDEN, @READONLY)")), want: "does not parse"},
		{code: "RC422", name: "function", bad: dict(fld("a text", "R=@CALCTEXT(floor([record_id]))")), good: dict(fld("a text", "R=@CALCTEXT(rounddown([record_id]))")), want: "floor()"},
		{code: "RC430", bad: dict(fld("a calc", "F=if([record_id] > 1, 1)")), good: dict(fld("a calc", "F=if([record_id] > 1, 1, 0)")), want: "takes 3"},
		{code: "RC430", name: "variadic", bad: dict(fld("a calc", "F=sum()")), good: dict(fld("a calc", "F=sum([record_id], 1, 2)")), want: "at least 1"},
		{code: "RC430", name: "branching", bad: dict(fld("a text", "L=mid([record_id], 1) = 'x'")), good: dict(fld("a text", "L=mid([record_id], 1, 2) = 'x'")), want: "mid()"},
		{code: "RC431", bad: dict(fld("d text", "H=date_ymd"), fld("a calc", "F=datediff([d], 'today', 'years')")),
			good: dict(fld("d text", "H=date_ymd"), fld("a calc", "F=datediff([d], 'today', 'y')")), want: `"years"`},
		{code: "RC431", name: "calcdate tag", bad: dict(fld("d text", "H=date_ymd", "R=@CALCDATE([record_id], 1, 'days')")),
			good: dict(fld("d text", "H=date_ymd", "R=@CALCDATE([record_id], 1, 'd')")), want: `"days"`},
		{code: "RC432", bad: dict(fld("a calc", "F=round([record_id], 1.5)")), good: dict(fld("a calc", "F=round([record_id], 1)")), want: "whole number"},
		{code: "RC433", bad: dict(fld("n text", "H=integer"), fld("a calc", "F=datediff([n], 'today', 'y')")),
			good: dict(fld("n text", "H=date_dmy"), fld("a calc", "F=datediff([n], 'today', 'y')")), want: "holds no date"},
		{code: "RC501", bad: dict(fld("a text", "H=datum")), good: dict(fld("a text", "H=integer")), want: `"datum"`},
		{code: "RC501", name: "typo", bad: dict(fld("a text", "H=date_ymdd")), good: dict(fld("a text", "H=date_ymd")), want: `Did you mean "date_ymd"?`},
		{code: "RC501", name: "institution type", bad: dict(fld("a text", "H=phone_ch")), good: dict(fld("a text", "H=phone_ch")), want: "phone_ch",
			cfg: Config{ValidationTypes: []string{"phone_ch"}}},
		{code: "RC501", name: "signature on text", bad: dict(fld("a text", "H=signature")), good: dict(fld("a file", "H=signature")), want: "file field"},
		{code: "RC502", bad: dict(fld("a text", "H=Integer")), good: dict(fld("a text", "H=integer")), want: `"integer"`},
		{code: "RC503", bad: dict(fld("a text", "H=int")), good: dict(fld("a text", "H=integer")), want: `"integer"`},
		{code: "RC504", bad: dict(fld("a notes", "H=integer")), good: dict(fld("a dropdown", "F=1, x | 2, y", "H=autocomplete")), want: "Only 'text' field types"},
		{code: "RC505", bad: dict(fld("a text", "I=0")), good: dict(fld("a text", "H=integer", "I=0")), want: "validation type is required"},
		{code: "RC506", bad: dict(fld("a text", "H=integer", "J=10.5")), good: dict(fld("a text", "H=integer", "J=10")), want: "expected format"},
		{code: "RC506", name: "dmy written as dmy", bad: dict(fld("a text", "H=date_dmy", "I=31-01-2020")), good: dict(fld("a text", "H=date_dmy", "I=2020-01-31", "J=today")), want: "Y-M-D"},
		{code: "RC506", name: "comma decimal", bad: dict(fld("a text", "H=number", "I=1,5")), good: dict(fld("a text", "H=number_comma_decimal", "I=1,5")), want: "1,5"},
		{code: "RC506", name: "time", bad: dict(fld("a text", "H=time", "I=25:00")), good: dict(fld("a text", "H=time", "I=6:00", "J=[record_id]")), want: "25:00"},
		{code: "RC506", name: "email", bad: dict(fld("a text", "H=email", "I=nobody")), good: dict(fld("a text", "H=email", "I=a@b.org")), want: "email"},
		{code: "RC507", bad: dict(fld("a text", "H=date_ymd", "I=1/2/20")), good: dict(fld("a text", "H=date_ymd", "I=2020-01-02")), want: `"2020-01-02"`},
		{code: "RC507", name: "datetime seconds", bad: dict(fld("a text", "H=datetime_seconds_ymd", "I=1/1/19 9:00")), good: dict(fld("a text", "H=datetime_seconds_ymd", "I=2019-01-01 09:00:00")), want: `"2019-01-01 09:00:00"`},
		{code: "RC508", bad: dict(fld("a text", "H=date_dmy", "I=31/12/2020")), good: dict(fld("a text", "H=date_dmy", "I=2020-12-31")), want: "Invalid date format"},
		{code: "RC509", bad: dict(fld("a text", "H=integer", "I=100", "J=10")), good: dict(fld("a text", "H=integer", "I=10", "J=100")), want: "greater than"},
		{code: "RC509", name: "dates", bad: dict(fld("a text", "H=date_ymd", "I=2021-01-01", "J=2020-01-01")), good: dict(fld("a text", "H=date_ymd", "I=2020-01-01", "J=2021-01-01")), want: "greater than"},
		{code: "RC510", bad: dict(fld("s slider", "J=10.5")), good: dict(fld("s slider", "I=-1", "J=10")), want: "must be an integer"},
		{code: "RC511", bad: dict(fld("s slider", "H=integer")), good: dict(fld("s slider", "H=number")), want: "silently blanks"},

		{code: "RC601", bad: dict(fld("a text", "K=yes")), good: dict(fld("a text", "K=Y")), want: "Identifier"},
		{code: "RC601", name: "R NA", bad: dict(fld("a text", "M=NA")), good: dict(fld("a text", "M=y")), want: "Required Field"},
		{code: "RC602", bad: dict(fld("a text", "K=no")), good: dict(fld("a text", "K=")), want: "same meaning"},
		{code: "RC603", bad: dict(fld("a text", "N=lh")), good: dict(fld("a text", "N=LH")), want: `"LH"`},
		{code: "RC604", bad: dict(fld("d descriptive", "M=y")), good: dict(fld("d descriptive")), want: "cannot be required"},
		{code: "RC605", bad: dict(fld("a text", "O=Question 12a")), good: dict(fld("a text", "O=Q12a")), want: `"Question 1"`},
		{code: "RC610", bad: dict(radio("m1", long(61)), radio("m2", long(61))), good: dict(radio("m1", long(60)), radio("m2", long(60))), want: "60 characters"},
		{code: "RC611", bad: dict(radio("m1", "Pain Scale"), radio("m2", "Pain Scale")), good: dict(radio("m1", "pain_scale"), radio("m2", "pain_scale")), want: `"pain_scale"`},
		{code: "RC612", bad: dict(radio("m1", "g1"), radio("m2", "g2"), radio("m3", "g1")), good: dict(radio("m1", "g1"), radio("m3", "g1"), radio("m2", "g2")), want: "must be sequential"},
		{code: "RC613", bad: dict(radio("m1", "g"), fld("m2 text", "P=g")), good: dict(radio("m1", "g"), radio("m2", "g")), want: "ONLY be a radio or checkbox"},
		{code: "RC614", bad: dict(radio("m1", "g"), fld("m2 checkbox", "F=1, Yes | 0, No", "P=g")), good: dict(radio("m1", "g"), radio("m2", "g")), want: "from checkbox to radio"},
		{code: "RC615", bad: dict(radio("m1", "g"), fld("m2 radio", "F=1, Ja | 0, Nein", "P=g")), good: dict(radio("m1", "g"), fld("m2 radio", "F=0, No | 1, Yes", "P=g")), want: "same multiple choice options"},
		{code: "RC616", bad: dict(radio("m1", "g", "Q=y"), radio("m2", "g")), good: dict(radio("m1", "g", "Q=y"), radio("m2", "g", "Q=Y")), want: "Matrix Ranking"},

		{code: "RC701", bad: dict(fld("a text", "R=@INSTANCETABLE=x")), good: dict(fld("a text", "R=@HIDDEN @DEFAULT='a@b.org' @MC-TASK-UUID")), want: "@INSTANCETABLE"},
		{code: "RC702", bad: dict(fld("a text", "R=@HIDEN")), good: dict(fld("a text", "R=@HIDDEN")), want: "@HIDDEN"},
		{code: "RC702", name: "lower case", bad: dict(fld("a text", "R=@readonly")), good: dict(fld("a text", "R=@READONLY")), want: "@READONLY"},
		{code: "RC703", bad: dict(fld("a text", "E=Caf\uFFFD")), good: dict(fld("a text", "E=Café")), want: "U+FFFD"},
		{code: "RC703", name: "invalid utf-8", bad: dict(fld("a text", "E=Caf\xe9")), good: dict(fld("a text", "E=Café")), want: "U+FFFD"},
		{code: "RC704", bad: dict(fld("a text", "E=a\x07b")), good: dict(fld("a text", "E=a\tb\nc")), want: "U+0007"},
		{code: "RC705", bad: dict(fld("a text", "E= ")), good: dict(fld("a text", "E=Age")), want: "label is empty"},
		{code: "RC706", bad: dict(fld("d descriptive", "E=")), good: dict(fld("d descriptive", "E=Intro")), want: "descriptive"},
		{code: "RC707", bad: dict(fld("a text", "C=NA")), good: dict(fld("a text", "C=", "E=NA")), want: "\"NA\""},

		{code: "RC720", bad: dict(fld("a notes", "R=@CALCTEXT('x')")), good: dict(fld("a text", "R=@CALCTEXT('x')")), want: "ignores it"},
		{code: "RC720", name: "maxchecked", bad: dict(fld("a radio", "F=1, x | 2, y", "R=@MAXCHECKED=1")), good: dict(fld("a checkbox", "F=1, x | 2, y", "R=@MAXCHECKED=1")), want: "@MAXCHECKED"},
		{code: "RC721", bad: dict(fld("a text", "R=@CALCDATE([record_id], 1, 'd')")), good: dict(fld("a text", "H=date_ymd", "R=@CALCDATE([record_id], 1, 'd')")), want: "date or datetime validation"},
		{code: "RC722", bad: dict(fld("a checkbox", "F=1, x | 2, y | 98, none", "R=@NONEOFTHEABOVE='99'")), good: dict(fld("a checkbox", "F=1, x | 2, y | 98, none", "R=@NONEOFTHEABOVE='98'")), want: "99"},
		{code: "RC722", name: "hidechoice", bad: dict(fld("a radio", "F=1, x | 2, y", "R=@HIDECHOICE='2,3'")), good: dict(fld("a radio", "F=1, x | 2, y", "R=@HIDECHOICE='2'")), want: "3"},
		{code: "RC723", bad: dict(fld("a text", "R=@IF([record_id] = '1', @CALCTEXT('x'), @HIDDEN)")), good: dict(fld("a text", "R=@CALCTEXT(if([record_id] = '1', 'x', ''))")), want: "inside @IF"},
		{code: "RC724", bad: dict(fld("a text", "R=@CHARLIMIT=ten")), good: dict(fld("a text", "R=@CHARLIMIT=10 @READONLY @HIDDEN")), want: "whole number"},
		{code: "RC724", name: "unclosed", bad: dict(fld("a text", "R=@DEFAULT='open")), good: dict(fld("a text", "R=@DEFAULT='open'")), want: "never closed"},
		{code: "RC724", name: "form", bad: dict(fld("a text", "R=@CALCTEXT='x'")), good: dict(fld("a text", "R=@CALCTEXT('x')")), want: "@CALCTEXT(...)"},
		{code: "RC724", name: "if arguments", bad: dict(fld("a text", "R=@IF([record_id] = '1', @HIDDEN)")), good: dict(fld("a text", "R=@IF([record_id] = '1', @HIDDEN, )")), want: "two lists"},

		{code: "RC850", bad: dict(redcap.Field{CustomAlignment: "RH"}), good: dict(fld("a text")), want: `only custom_alignment "RH"`},
		{code: "RC801", bad: &redcap.Dictionary{Files: []string{"t.csv"}}, good: dict(), want: "no fields"},
	}
}

// TestRules runs every case: the bad dictionary must produce the code (with
// the default severity and the row's file and line), the good one must not.
func TestRules(t *testing.T) {
	for _, tc := range ruleCases() {
		name := tc.code
		if tc.name != "" {
			name += "/" + tc.name
		}
		t.Run(name, func(t *testing.T) {
			rule, ok := Lookup(tc.code)
			if !ok {
				t.Fatalf("code %s is not in the catalogue", tc.code)
			}
			cfgBad := tc.cfg
			switch {
			case tc.badCfg != nil:
				cfgBad = *tc.badCfg
			case tc.cfg.AssumeFields != nil || tc.cfg.ValidationTypes != nil || tc.cfg.JoinsProject:
				// The config is what makes the good case good.
				cfgBad = Config{}
			}
			got := findings(Check(tc.bad, cfgBad), tc.code)
			if len(got) == 0 {
				t.Fatalf("bad dictionary: no %s finding; got:\n%s", tc.code, dump(Check(tc.bad, cfgBad)))
			}
			for _, d := range got {
				if d.Severity != rule.Severity {
					t.Errorf("severity %s, want %s", d.Severity, rule.Severity)
				}
				if d.File != "t.csv" {
					t.Errorf("file %q, want t.csv", d.File)
				}
				if tc.code != codeEmptyDictionary && (d.Line < 2 || d.Field == "" && tc.code != codeNameMissing && tc.code != codeNotAField || d.Column == "") {
					t.Errorf("finding not placed: line %d field %q column %q", d.Line, d.Field, d.Column)
				}
				if d.Message == "" || d.Hint == "" {
					t.Errorf("message %q and hint %q must both be set", d.Message, d.Hint)
				}
			}
			if tc.want != "" && !containsText(got, tc.want) {
				t.Errorf("no %s finding mentions %q:\n%s", tc.code, tc.want, dump(got))
			}
			if g := findings(Check(tc.good, tc.cfg), tc.code); len(g) > 0 {
				t.Errorf("good dictionary: unexpected %s:\n%s", tc.code, dump(g))
			}
		})
	}
}

// TestEveryRuleHasCases fails when a Go rule has no test case.
func TestEveryRuleHasCases(t *testing.T) {
	covered := map[string]bool{}
	for _, tc := range ruleCases() {
		covered[tc.code] = true
	}
	for _, tc := range structureCases() {
		covered[tc.code] = true
	}
	for _, r := range All() {
		if strings.HasPrefix(r.Code, "RD") {
			continue // reader checks are tested in package redcap
		}
		if !covered[r.Code] {
			t.Errorf("rule %s (%s) has no test case", r.Code, r.Title)
		}
	}
}

// TestCatalogue checks the table itself: unique well-formed codes in order,
// titles, docs with a fix, reader checks included.
func TestCatalogue(t *testing.T) {
	seen := map[string]bool{}
	prev := ""
	for _, r := range catalogue() {
		if len(r.Code) != 5 || !strings.HasPrefix(r.Code, "RC") {
			t.Errorf("code %q: want RCnnn", r.Code)
		}
		if seen[r.Code] {
			t.Errorf("code %s twice", r.Code)
		}
		seen[r.Code] = true
		if r.Code <= prev {
			t.Errorf("code %s after %s: keep the table in code order", r.Code, prev)
		}
		prev = r.Code
		if r.Title == "" || !strings.Contains(r.Doc, "\n\nFix:") || !strings.Contains(r.Doc, "\n\nExample:") {
			t.Errorf("%s: needs a title and a doc with Example: and Fix: paragraphs", r.Code)
		}
		if r.Severity < redcap.SeverityInfo || r.Severity > redcap.SeverityError {
			t.Errorf("%s: severity %v", r.Code, r.Severity)
		}
	}
	all := All()
	if len(all) != len(catalogue())+len(structureCatalogue())+len(redcap.ReaderChecks) {
		t.Errorf("All() has %d rules, want %d Go rules + %d structure rules + %d reader checks", len(all), len(catalogue()), len(structureCatalogue()), len(redcap.ReaderChecks))
	}
	for _, r := range all {
		if strings.HasPrefix(r.Code, "RD") && seen[r.Code] {
			t.Errorf("reader code %s collides", r.Code)
		}
	}
	// All returns a copy: changing it must not change the table.
	all[0].Title = "changed"
	if All()[0].Title == "changed" {
		t.Error("All() exposes the catalogue")
	}
}

// TestCleanDictionaryHasNoFindings checks a realistic, correct instrument.
func TestCleanDictionaryHasNoFindings(t *testing.T) {
	d := dict(
		fld("age text", "H=integer", "I=0", "J=120", "M=y"),
		fld("dob text", "H=date_dmy", "I=1900-01-01", "J=today", "K=y"),
		fld("sex radio", "F=1, Female | 2, Male", "N=LH"),
		fld("meds checkbox", "F=1, Aspirin | 2, Other", "L=[age] >= 18"),
		fld("meds_other text", "L=[meds(2)] = '1'", "R=@HIDDEN-SURVEY"),
		fld("bmi calc", "F=round([age]/2, 1)", "B=form_b"),
		fld("pain slider", "F=None | Some | Worst", "H=number", "I=0", "J=10", "B=form_b"),
		fld("intro descriptive", "E=<b>Intro</b>", "B=form_b"),
	)
	if ds := Check(d, Config{}); len(ds) > 0 {
		t.Errorf("clean dictionary has findings:\n%s", dump(ds))
	}
}

func TestNilDictionary(t *testing.T) {
	ds := Check(nil, Config{})
	if len(ds) != 1 || ds[0].Code != codeEmptyDictionary || ds[0].Severity != redcap.SeverityError {
		t.Fatalf("Check(nil) = %v, want one RC801 error", ds)
	}
}

// TestOrder checks that findings come in row order.
func TestOrder(t *testing.T) {
	d := dict(fld("Bad text", "K=yes"), fld("b text", "L=[nope]"), fld("C text"))
	ds := Check(d, Config{})
	for i := 1; i < len(ds); i++ {
		if ds[i].Line < ds[i-1].Line {
			t.Fatalf("findings out of row order:\n%s", dump(ds))
		}
	}
}

func TestSlashDate(t *testing.T) {
	for _, tc := range []struct {
		in   string
		fam  family
		want string
		ok   bool
	}{
		{"1/2/20", famDate, "2020-01-02", true},
		{"12/31/1999", famDate, "1999-12-31", true},
		{"2/30/2020", famDate, "", false},
		{"1/1/19 10:00", famDatetime, "2019-01-01 10:00", true},
		{"1/1/19 9:15", famDatetimeSeconds, "2019-01-01 09:15:00", true},
		{"1/1/19", famDatetime, "", false},
		{"1/1/19 10:00", famDate, "", false},
	} {
		got, ok := slashDate(tc.in, tc.fam)
		if got != tc.want || ok != tc.ok {
			t.Errorf("slashDate(%q) = %q, %v; want %q, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

func findings(ds redcap.Diagnostics, code string) redcap.Diagnostics {
	var out redcap.Diagnostics
	for _, d := range ds {
		if d.Code == code {
			out = append(out, d)
		}
	}
	return out
}

func containsText(ds redcap.Diagnostics, s string) bool {
	for _, d := range ds {
		if strings.Contains(d.Message, s) || strings.Contains(d.Hint, s) {
			return true
		}
	}
	return false
}

func dump(ds redcap.Diagnostics) string {
	var b strings.Builder
	for _, d := range ds {
		fmt.Fprintf(&b, "  %s | hint: %s\n", d, d.Hint)
	}
	return b.String()
}
