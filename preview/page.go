package preview

import (
	"errors"
	"fmt"
	"html/template"
	"sort"
	"strconv"
	"strings"

	"github.com/rcolpipe/rcolpipe/redcap"
	"github.com/rcolpipe/rcolpipe/redcap/logic"
)

// page is what the template renders.
type page struct {
	Title    string
	Inputs   []string
	Forms    []*form
	Findings []finding // all of them, for the side panel
	Changes  []change  // with a base
	Removed  []removed // fields of the base that are gone
	HasBase  bool
	Counts   map[string]int // errors, warnings, infos
	// Script is the logic runtime and the translated expressions.
	Runtime template.JS
	Logic   template.JS // [function (R, V, C) {...}, ...]
}

type form struct {
	Name, Label string
	Blocks      []*block
	Removed     []removed
	Findings    int
}

// block is a section header with the fields under it; a matrix group is
// one table inside a block.
type block struct {
	Header template.HTML
	Items  []item
}

// item is a lone field or a matrix group.
type item struct {
	Field  *field
	Matrix *matrix
}

type matrix struct {
	Name    string
	Choices []choice
	Type    string // radio or checkbox
	Fields  []*field
	Header  template.HTML // section header above the table
}

type choice struct {
	Code  string
	Label template.HTML
	Text  string
}

type field struct {
	Name, Type, ID   string
	Label            template.HTML
	LabelText        string
	Note             template.HTML
	Validation       string
	Min, Max         string
	InputType        string // for text: text, number, date, datetime-local, time, email
	Step             string
	Choices          []choice
	SliderLabels     []template.HTML
	Equation         string
	Logic            string
	LogicIndex       int // index in the LOGIC array, -1 for none
	CalcIndex        int // index in the CALC array, -1 for none
	LogicProblem     string
	CalcProblem      string
	Hidden           bool // by its logic on an empty record
	Required         bool
	Identifier       bool
	Tags             []string
	Annotation       string
	QuestionNumber   string
	Findings         []finding
	Change           string // "added", "changed", "renamed" with a base
	ChangedColumns   []string
	RenamedFrom      string
	Alignment        string
	MatrixRanking    bool
	HasFindingsError bool
}

type finding struct {
	Severity, Code, Message, Hint, Field, Where string
}

type change struct {
	Kind, Field, Form, Detail string
}

type removed struct {
	Field, Form, Type, Label string
}

// buildPage turns the dictionary, its findings and the comparison with the
// base into the page's model, and translates every branching logic and calc
// equation to JavaScript.
func buildPage(title string, inputs []string, d *redcap.Dictionary, diags redcap.Diagnostics, base *redcap.Dictionary, diff *redcap.Diff) *page {
	p := &page{Title: title, Inputs: inputs, HasBase: diff != nil, Counts: map[string]int{}, Runtime: template.JS(logic.JSRuntime())}
	byField := map[string][]finding{}
	for _, dg := range diags {
		dg = dg.Printable()
		where := dg.File
		if dg.Line > 0 {
			where += ":" + strconv.Itoa(dg.Line)
		}
		if dg.Column != "" {
			where += " (" + dg.Column + ")"
		}
		f := finding{Severity: dg.Severity.String(), Code: dg.Code, Message: dg.Message, Hint: dg.Hint, Field: dg.Field, Where: where}
		p.Findings = append(p.Findings, f)
		p.Counts[f.Severity]++
		if dg.Field != "" {
			byField[dg.Field] = append(byField[dg.Field], f)
		}
	}
	changeOf := map[string]*redcap.FieldChange{}
	added := map[string]bool{}
	renamedFrom := map[string]string{}
	if diff != nil {
		for i := range diff.FieldsChanged {
			c := &diff.FieldsChanged[i]
			changeOf[c.Field] = c
			var cols []string
			for _, cc := range c.Columns {
				cols = append(cols, cc.Column)
			}
			p.Changes = append(p.Changes, change{Kind: "changed", Field: c.Field, Form: c.Form, Detail: strings.Join(cols, ", ")})
		}
		for _, a := range diff.FieldsAdded {
			added[a.Field] = true
			p.Changes = append(p.Changes, change{Kind: "added", Field: a.Field, Form: a.Form})
		}
		for _, r := range diff.FieldsRenamed {
			renamedFrom[r.To] = r.From
			p.Changes = append(p.Changes, change{Kind: "renamed", Field: r.To, Form: r.Form, Detail: "from " + r.From})
		}
		for _, r := range diff.FieldsRemoved {
			rm := removed{Field: r.Field, Form: r.Form}
			if of := base.Field(r.Field); of != nil {
				rm.Type, rm.Label = of.FieldType, plainText(of.FieldLabel)
			}
			p.Removed = append(p.Removed, rm)
			p.Changes = append(p.Changes, change{Kind: "removed", Field: r.Field, Form: r.Form})
		}
		for _, c := range diff.Critical {
			p.Changes = append(p.Changes, change{Kind: "critical", Field: c.Field, Form: c.Form, Detail: c.String()})
		}
	}
	var js strings.Builder
	js.WriteString("[")
	nFuncs := 0
	addFunc := func(wrap, expr string) int {
		if nFuncs > 0 {
			js.WriteString(",\n")
		}
		fmt.Fprintf(&js, "function (R, V, C) { return R.%s(%s); }", wrap, expr)
		nFuncs++
		return nFuncs - 1
	}
	empty := logic.MapRecord{}
	ids := map[string]int{}
	for _, formName := range d.Forms() {
		fm := &form{Name: formName, Label: redcap.InstrumentLabel(formName)}
		var cur *block
		var curMatrix *matrix
		for _, rf := range d.FormFields(formName) {
			f := newField(rf, ids)
			f.Findings = byField[rf.FieldName]
			fm.Findings += len(f.Findings)
			for _, x := range f.Findings {
				if x.Severity == "error" {
					f.HasFindingsError = true
				}
			}
			if c := changeOf[rf.FieldName]; c != nil {
				f.Change = "changed"
				for _, cc := range c.Columns {
					f.ChangedColumns = append(f.ChangedColumns, cc.Column)
				}
			}
			if added[rf.FieldName] {
				f.Change = "added"
			}
			if from, ok := renamedFrom[rf.FieldName]; ok {
				f.Change, f.RenamedFrom = "renamed", from
			}
			if src := strings.TrimSpace(logic.StripComments(rf.BranchingLogic)); src != "" {
				f.Logic = rf.BranchingLogic
				e, err := logic.Parse(rf.BranchingLogic)
				switch {
				case err != nil:
					f.LogicProblem = "The branching logic cannot be parsed (" + err.Error() + "), so the field stays shown."
				default:
					if expr, jerr := e.JS(); jerr != nil {
						f.LogicProblem = problem(jerr) + ", so the field stays shown."
					} else {
						f.LogicIndex = addFunc("truth", expr)
						show, _ := e.Show(empty, logic.EvalOptions{})
						f.Hidden = !show
					}
				}
			}
			if rf.FieldType == "calc" {
				f.Equation = rf.Choices
				e, err := logic.Parse(rf.Choices)
				switch {
				case err != nil:
					f.CalcProblem = "The equation cannot be parsed (" + err.Error() + "); it is not computed here."
				default:
					if expr, jerr := e.JS(); jerr != nil {
						f.CalcProblem = problem(jerr) + "; it is not computed here."
					} else {
						f.CalcIndex = addFunc("calc", expr)
					}
				}
			}
			if cur == nil || rf.SectionHeader != "" {
				cur = &block{Header: sanitize(rf.SectionHeader)}
				fm.Blocks = append(fm.Blocks, cur)
				curMatrix = nil
			}
			if g := rf.MatrixGroupName; g != "" && (rf.FieldType == "radio" || rf.FieldType == "checkbox") {
				if curMatrix == nil || curMatrix.Name != g {
					curMatrix = &matrix{Name: g, Choices: f.Choices, Type: rf.FieldType}
					cur.Items = append(cur.Items, item{Matrix: curMatrix})
				}
				curMatrix.Fields = append(curMatrix.Fields, f)
				continue
			}
			curMatrix = nil
			cur.Items = append(cur.Items, item{Field: f})
		}
		for _, r := range p.Removed {
			if r.Form == formName {
				fm.Removed = append(fm.Removed, r)
			}
		}
		p.Forms = append(p.Forms, fm)
	}
	js.WriteString("]")
	p.Logic = template.JS(js.String())
	sort.SliceStable(p.Changes, func(i, j int) bool { return p.Changes[i].Form < p.Changes[j].Form })
	return p
}

// problem words an error of the translation for a reviewer.
func problem(err error) string {
	var ue *logic.UnsupportedError
	if errors.As(err, &ue) {
		return "This preview cannot evaluate " + ue.What
	}
	return "This preview cannot evaluate the logic (" + err.Error() + ")"
}

// inputType maps a text validation to the browser's input type and step;
// the value the browser gives is what REDCap stores (dates Y-M-D whatever
// the display format).
func inputType(validation string) (typ, step string) {
	v := validation
	if stored, ok := redcap.LegacyValidation(strings.ToLower(v)); ok {
		v = stored
	}
	switch {
	case strings.HasPrefix(v, "datetime_seconds_"):
		return "datetime-local", "1"
	case strings.HasPrefix(v, "datetime_"):
		return "datetime-local", ""
	case strings.HasPrefix(v, "date_"):
		return "date", ""
	case v == "time":
		return "time", ""
	case v == "time_hh_mm_ss":
		return "time", "1"
	case v == "integer":
		return "number", "1"
	case v == "number":
		return "number", "any"
	case v == "email":
		return "email", ""
	}
	return "text", ""
}

func newField(rf *redcap.Field, ids map[string]int) *field {
	id := "f-" + rf.FieldName
	if n := ids[rf.FieldName]; n > 0 {
		id += "-" + strconv.Itoa(n+1) // a repeated name (a finding says so) still gets its own element
	}
	ids[rf.FieldName]++
	f := &field{
		Name: rf.FieldName, Type: rf.FieldType, ID: id,
		Label: sanitize(rf.FieldLabel), LabelText: plainText(rf.FieldLabel),
		Note: sanitize(rf.FieldNote), LogicIndex: -1, CalcIndex: -1,
		Required:       strings.EqualFold(strings.TrimSpace(rf.RequiredField), "y"),
		Identifier:     strings.EqualFold(strings.TrimSpace(rf.Identifier), "y"),
		Tags:           redcap.ActionTags(rf.FieldAnnotation),
		Annotation:     rf.FieldAnnotation,
		QuestionNumber: rf.QuestionNumber,
		Alignment:      rf.CustomAlignment,
		MatrixRanking:  strings.EqualFold(strings.TrimSpace(rf.MatrixRanking), "y"),
	}
	t := redcap.StoredFieldType(rf.FieldType)
	f.Type = t
	switch {
	case t == "text":
		f.Validation, f.Min, f.Max = rf.Validation, rf.ValidationMin, rf.ValidationMax
		f.InputType, f.Step = inputType(rf.Validation)
	case redcap.HasCodedChoices(t):
		for _, c := range redcap.SplitChoices(rf.Choices) {
			f.Choices = append(f.Choices, choice{Code: c.Code, Label: sanitize(c.Label), Text: plainText(c.Label)})
		}
	case redcap.IsYesNoLike(t):
		yes, no := "True", "False"
		if t == "yesno" {
			yes, no = "Yes", "No"
		}
		f.Choices = []choice{{Code: "1", Label: template.HTML(yes), Text: yes}, {Code: "0", Label: template.HTML(no), Text: no}}
	case t == "slider":
		for _, l := range strings.SplitN(rf.Choices, "|", 3) {
			f.SliderLabels = append(f.SliderLabels, sanitize(strings.TrimSpace(l)))
		}
		f.Min, f.Max = rf.ValidationMin, rf.ValidationMax
		if f.Min == "" {
			f.Min = "0"
		}
		if f.Max == "" {
			f.Max = "100"
		}
		f.Validation = rf.Validation // "number": the value is shown
	}
	return f
}
