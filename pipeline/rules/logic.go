package rules

import (
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"

	"github.com/rcolpipe/rcolpipe/internal/textdist"
	"github.com/rcolpipe/rcolpipe/redcap"
	"github.com/rcolpipe/rcolpipe/redcap/logic"
)

// maxLogicBytes is the size of a MySQL TEXT column, where REDCap keeps
// branching logic.
const maxLogicBytes = 65535

// logicKind holds what differs between branching logic and calc equations:
// the column, REDCap's wording and the codes.
type logicKind struct {
	col                                               redcap.Column
	what                                              string // for messages
	unbalanced, syntax, unknown, unknownFn            string // codes
	unbalancedMsg, syntaxMsg, unknownMsg, functionMsg string // REDCap's message prefixes
}

var (
	branchingKind = logicKind{
		col: redcap.ColBranchingLogic, what: "branching logic",
		unbalanced: codeLogicUnbalanced, syntax: codeLogicSyntax, unknown: codeLogicUnknown, unknownFn: codeLogicFunction,
		unbalancedMsg: "There is a syntactical error in the branching logic for the following cells",
		syntaxMsg:     "There are syntax errors in some branching logic",
		unknownMsg:    "There are variables used in the branching logic that are not listed as real variables in column A",
		functionMsg:   "There are custom functions used in some branching logic that are not official REDCap functions",
	}
	calcKind = logicKind{
		col: redcap.ColChoices, what: "calc equation",
		unbalanced: codeCalcUnbalanced, syntax: codeCalcSyntax, unknown: codeCalcUnknown, unknownFn: codeCalcFunction,
		unbalancedMsg: "There is a syntactical error in the 'calc' field equation for the following cells",
		syntaxMsg:     "There are syntax errors in some calc field equations",
		unknownMsg:    "There are variables used in calculated field equation(s) that are not listed as real variables in column A",
		functionMsg:   "There are custom functions used in some calc field equations that are not official REDCap functions and are thus not allowed",
	}
)

// parallelLogicRows is the dictionary size from which logic is parsed on
// several goroutines; parsing is most of Check's work on big dictionaries.
const parallelLogicRows = 2000

// logicChunk is how many rows share one typo-suggestion budget.
const logicChunk = 1000

// suggestComparisons bounds the name comparisons of all typo searches of
// one check. Each search compares the unknown name with every field, so the
// earlier fixed number of searches per chunk made the check quadratic (20k
// unknown references: 2 s; a file of 114k fields: minutes).
const suggestComparisons = 2_000_000

// suggestionBudget is the number of typo searches chunk k may make in a
// dictionary of n names: at most 200 per chunk, handed out in row order
// until suggestComparisons/n searches are given, so that the first
// findings (the ones people read) get suggestions and the total work is
// linear in n. Up to 2,000 names nothing is cut.
func suggestionBudget(k, n int) int {
	total := suggestComparisons / max(n, 1)
	return max(0, min(200, total-k*200))
}

// logic checks branching logic (L) and calc equations (F of calc fields):
// the RC4xx rules, and the references elsewhere (references). Rows are independent here and the checker's maps are only
// read, so big dictionaries are split into chunks checked concurrently, each
// with its own findings, joined in row order.
func (c *checker) logic() {
	n := len(c.d.Fields)
	// The rows are checked in chunks of logicChunk, each with its own typo
	// budget, so that the findings depend on the dictionary alone and not
	// on how many cores check it.
	chunks := (n + logicChunk - 1) / logicChunk
	parts := make([]*checker, chunks)
	check := func(k int) {
		sub := *c
		sub.out = nil
		sub.suggestBudget = suggestionBudget(k, n+len(c.assumed))
		sub.logicRows(k*logicChunk, min(n, (k+1)*logicChunk))
		parts[k] = &sub
	}
	workers := runtime.GOMAXPROCS(0)
	if n < parallelLogicRows || workers < 2 {
		for k := range parts {
			check(k)
		}
	} else {
		next := make(chan int)
		var wg sync.WaitGroup
		for range min(workers, chunks) {
			wg.Go(func() {
				for k := range next {
					check(k)
				}
			})
		}
		for k := range parts {
			next <- k
		}
		close(next)
		wg.Wait()
	}
	for _, p := range parts {
		c.out = append(c.out, p.out...)
	}
}

// logicRows checks the logic of rows lo..hi-1.
func (c *checker) logicRows(lo, hi int) {
	c.parseMemo = nil // this chunk's own
	for i := lo; i < hi; i++ {
		f := &c.d.Fields[i]
		if f.FieldType == "calc" {
			if strings.TrimSpace(f.Choices) == "" {
				c.emit(i, redcap.ColChoices, codeCalcMissing,
					"Each 'calc' field must have an equation in column F: this one has none.",
					"Write the equation in column F, e.g. [weight]/([height]/100)^2.")
			} else {
				c.checkLogic(i, f.Choices, calcKind)
			}
		}
		if strings.TrimSpace(f.BranchingLogic) != "" {
			if len(f.BranchingLogic) > maxLogicBytes {
				c.emitf(i, redcap.ColBranchingLogic, codeLogicTooLong, "Simplify the logic, e.g. with a calculated helper field.",
					"The branching logic has %d bytes; REDCap's column holds at most %d.", len(f.BranchingLogic), maxLogicBytes)
			}
			c.checkLogic(i, f.BranchingLogic, branchingKind)
		}
		c.references(i)
	}
}

// position renders a byte offset of src as "line L, column C" or "column C".
func position(src string, pos int) string {
	line, col := logic.LineCol(src, pos)
	if strings.Contains(src, "\n") {
		return fmt.Sprintf("line %d, column %d", line, col)
	}
	return fmt.Sprintf("column %d", col)
}

// syntaxDetail describes a parse error for a message.
func syntaxDetail(src string, err error) string {
	var se *logic.SyntaxError
	if errors.As(err, &se) {
		return fmt.Sprintf("%s (%s)", se.Msg, position(src, se.Pos))
	}
	return err.Error()
}

// checkLogic checks one piece of logic of row i.
func (c *checker) checkLogic(i int, src string, k logicKind) {
	if pos, ok := logic.HasCurlyQuotes(src); ok {
		c.emitf(i, k.col, codeCurlyQuotes, "Replace the curly quotes with straight quotes ' or \".",
			"The %s has a curly quote at %s, which REDCap's parser does not read as a quote (spreadsheets insert them).", k.what, position(src, pos))
		return
	}
	if err := logic.Balance(src); err != nil {
		c.emitf(i, k.col, k.unbalanced, "Close every '(', '[' and quote (REDCap counts quotes inside strings too).",
			"%s: %s.", k.unbalancedMsg, syntaxDetail(src, err))
		return
	}
	if cleaned, changed := logic.CleanBrackets(src); changed {
		c.emitf(i, k.col, codeBracketCleaned, "Write the references without those characters: "+quote(cleaned)+".",
			"REDCap silently deletes characters inside [...] of the %s: it becomes %s.", k.what, quote(cleaned))
		src = cleaned
	}
	e, err := logic.Parse(src)
	if err != nil {
		c.emitf(i, k.col, k.syntax, "Correct the "+k.what+" where parsing stopped.",
			"%s: %s.", k.syntaxMsg, syntaxDetail(src, err))
		return
	}
	c.deepLogic(i, k, e)
	reported := map[string]bool{}
	for _, r := range e.Refs() {
		if !c.fieldExists(r.Field) {
			if !reported[r.Field] {
				reported[r.Field] = true
				hint := fmt.Sprintf("Correct the name, stack the instrument that defines [%s] before this one, or pass --assume-fields with the project's dictionary.", r.Field)
				if near := c.nearestField(r.Field); near != "" {
					hint = fmt.Sprintf("Did you mean [%s]? Otherwise stack the instrument that defines [%s] before this one, or pass --assume-fields with the project's dictionary.", near, r.Field)
				}
				c.emitf(i, k.col, k.unknown, hint, "%s: [%s].", k.unknownMsg, r.Field)
			}
			continue
		}
		if r.Code != "" {
			c.checkboxCode(i, k, r)
		}
	}
	for _, sv := range e.SmartVars() {
		if !logic.IsSmartVariable(sv.Name) && !reported[sv.Name] {
			reported[sv.Name] = true
			c.emitf(i, k.col, k.unknown, "Correct the Smart Variable's name (see REDCap's Smart Variables list).",
				"%s: [%s] is neither a field nor a Smart Variable.", k.unknownMsg, sv.Name)
		}
	}
	for _, fn := range e.Functions() {
		if !logic.IsFunction(fn.Name) && !reported[fn.Name+"()"] {
			reported[fn.Name+"()"] = true
			hint := "Use one of REDCap's functions (if, round, rounddown, datediff, sum, isblankormissingcode, ...)."
			if l := strings.ToLower(fn.Name); logic.IsFunction(l) {
				hint = fmt.Sprintf("Function names are case-sensitive: write %s().", l)
			}
			c.emitf(i, k.col, k.unknownFn, hint,
				"%s: %s() at %s.", k.functionMsg, fn.Name, position(src, fn.Pos))
		}
	}
}

// checkboxCode checks that [field(code)] names a code of checkbox field.
func (c *checker) checkboxCode(i int, k logicKind, r logic.Ref) {
	f := c.lookupField(r.Field)
	if f == nil || effectiveType(f.FieldType) != "checkbox" {
		return
	}
	var chs []choice
	if j, ok := c.byName[r.Field]; ok {
		chs = c.choices[j]
	} else {
		chs = parseChoices(f.Choices)
	}
	var codes []string
	for _, ch := range chs {
		if ch.empty {
			continue
		}
		if ch.code == r.Code {
			return
		}
		codes = append(codes, ch.code)
	}
	c.emitf(i, k.col, codeLogicCode, fmt.Sprintf("Use one of the codes of [%s]: %s.", r.Field, strings.Join(codes, ", ")),
		"The %s tests [%s(%s)], but checkbox %q has no option %q, so it is never true.", k.what, r.Field, r.Code, r.Field, r.Code)
}

// nearestField returns the field of the dictionary (or the assumed fields)
// closest to an unknown name, if it is a likely typo (within typoLimit). The
// first closest field in row order wins.
func (c *checker) nearestField(name string) string {
	if c.suggestBudget <= 0 {
		return ""
	}
	c.suggestBudget--
	best, bestD := "", typoLimit(name)+1
	try := func(fs []redcap.Field) {
		for i := range fs {
			if d := textdist.Levenshtein(name, fs[i].FieldName, bestD); d < bestD {
				best, bestD = fs[i].FieldName, d
			}
		}
	}
	try(c.d.Fields)
	if c.cfg.AssumeFields != nil {
		try(c.cfg.AssumeFields.Fields)
	}
	return best
}
