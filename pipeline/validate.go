package pipeline

import (
	"bufio"
	"bytes"
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/rcolpipe/rcolpipe/pipeline/rules"
	"github.com/rcolpipe/rcolpipe/redcap"
	"github.com/rcolpipe/rcolpipe/schemas"
)

// ValidateOptions configures the validate stage.
type ValidateOptions struct {
	// SchemaFiles are the user's JSON Schema files applied to every row.
	SchemaFiles []string
	// ValidationTypesFile lists institution validation types, one per line.
	ValidationTypesFile string
	// AssumeFields are fields that exist in the target project already.
	AssumeFields *redcap.Dictionary
	// JoinsProject says the forms are added to an existing project (the
	// pipeline has a target): no record-ID rules for the first field.
	JoinsProject bool
	// Severities overrides rule severities by code (SeverityOff drops a rule).
	Severities map[string]redcap.Severity
}

// Validator is the validate stage, compiled once and run after every stage.
// It is safe for concurrent use.
type Validator struct {
	opts    ValidateOptions
	schemas *schemas.Set
	cfg     rules.Config
	// builtin holds the embedded row schema's codes: their findings give
	// way to a Go rule's finding on the same cell, which says more.
	builtin map[string]bool
}

// NewValidator compiles the schemas and loads the rule configuration.
func NewValidator(opts ValidateOptions) (*Validator, error) {
	set, err := schemas.Compile(opts.SchemaFiles...)
	if err != nil {
		return nil, err
	}
	v := &Validator{
		opts:    opts,
		schemas: set,
		cfg:     rules.Config{AssumeFields: opts.AssumeFields, JoinsProject: opts.JoinsProject},
		builtin: map[string]bool{},
	}
	for _, c := range set.Checks() {
		if c.Schema == "" {
			v.builtin[c.Code] = true
		}
	}
	if opts.ValidationTypesFile != "" {
		types, err := ReadValidationTypes(opts.ValidationTypesFile)
		if err != nil {
			return nil, err
		}
		v.cfg.ValidationTypes = types
	}
	return v, nil
}

// ReadValidationTypes reads an institution's extra validation types: one
// name per line; blank lines and everything after # are ignored.
func ReadValidationTypes(path string) ([]string, error) {
	data, err := redcap.ReadSmallFile(path, redcap.MaxFileBytes)
	if err != nil {
		return nil, fmt.Errorf("read validation types %s: %w", path, err)
	}
	var types []string
	sc := bufio.NewScanner(bytes.NewReader(data))
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line = line[:i]
		}
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		if strings.ContainsAny(line, " \t,;") {
			// The line is not quoted: the file may be a .env that validate's
			// redactor does not know of.
			return nil, fmt.Errorf("validation types %s:%d: the line holds a space, tab, comma or semicolon; want one type name per line", path, n)
		}
		types = append(types, line)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read validation types %s: %w", path, err)
	}
	return types, nil
}

// Validate checks a dictionary against the rules and schemas. Severity
// overrides are applied (off drops a finding), Stage is "validate" unless
// set, and the result is sorted by file (in d.Files order), line, code.
func (v *Validator) Validate(d *redcap.Dictionary) redcap.Diagnostics {
	if d == nil {
		d = &redcap.Dictionary{}
	}
	// Without user schemas the embedded row schema is not evaluated: every
	// finding it can make gives way to a Go rule's on the same cell (below;
	// TestBuiltinRowSchemaAddsNothing keeps it so), and it costs as much as
	// reading the file. It stays published for user schemas to $ref.
	if len(v.opts.SchemaFiles) == 0 {
		return v.finish(rules.Check(d, v.cfg), d)
	}
	// The two halves are independent; on a large dictionary running them
	// side by side saves most of the shorter one.
	var ruleDs redcap.Diagnostics
	done := make(chan struct{})
	go func() {
		defer close(done)
		ruleDs = rules.Check(d, v.cfg)
	}()
	schemaDs := v.schemas.Validate(d)
	<-done

	// The embedded row schema and the Go rules look at some of the same
	// cells (field type, flags, choices present); report such a cell once,
	// with the Go rule's more specific message.
	type cell struct {
		file   string
		line   int
		column string
	}
	covered := make(map[cell]bool, len(ruleDs))
	for _, x := range ruleDs {
		if x.Column != "" {
			covered[cell{x.File, x.Line, x.Column}] = true
		}
	}
	out := make(redcap.Diagnostics, 0, len(ruleDs)+len(schemaDs))
	out = append(out, ruleDs...)
	for _, x := range schemaDs {
		if v.builtin[x.Code] && covered[cell{x.File, x.Line, x.Column}] {
			continue
		}
		out = append(out, x)
	}
	return v.finish(out, d)
}

// finish applies the severity overrides, names the stage and sorts.
func (v *Validator) finish(out redcap.Diagnostics, d *redcap.Dictionary) redcap.Diagnostics {
	out = ApplySeverities(out, v.opts.Severities)
	for i := range out {
		if out[i].Stage == "" {
			out[i].Stage = StageValidate
		}
	}
	SortDiagnostics(out, d.Files)
	return out
}

// Rules lists every code the validator knows: the Go rules (with the
// reader's checks) and the schema rules that carry an x-code. The embedded
// row schema's rules are listed even without user schemas, when Validate
// does not evaluate them, so that their codes stay accepted and documented.
func (v *Validator) Rules() []rules.Rule {
	out := rules.All()
	seen := map[string]bool{}
	for _, r := range out {
		seen[r.Code] = true
	}
	for _, c := range v.schemas.Checks() {
		if !seen[c.Code] {
			seen[c.Code] = true
			out = append(out, rules.Rule{Code: c.Code, Severity: c.Severity, Title: c.Title, Doc: c.Doc})
		}
	}
	return out
}

// UnknownCodes returns the codes of opts.Severities that no rule, reader
// check or schema rule has, sorted; a caller may refuse them as typos.
func (v *Validator) UnknownCodes() []string {
	known := map[string]bool{schemas.CodeSchema: true}
	for _, r := range v.Rules() {
		known[r.Code] = true
	}
	var unknown []string
	for code := range v.opts.Severities {
		if !known[code] {
			unknown = append(unknown, code)
		}
	}
	slices.Sort(unknown)
	return unknown
}

// ApplySeverities changes the severity of findings whose code is in sev and
// drops those set to off. ds is modified in place and returned shortened.
func ApplySeverities(ds redcap.Diagnostics, sev map[string]redcap.Severity) redcap.Diagnostics {
	if len(sev) == 0 {
		return ds
	}
	out := ds[:0]
	for _, x := range ds {
		if s, ok := sev[x.Code]; ok {
			if s == redcap.SeverityOff {
				continue
			}
			x.Severity = s
		}
		out = append(out, x)
	}
	return out
}

// SortDiagnostics sorts findings by file (in the order of files, then other
// files by name; findings without a file first), line, code, column and
// message, so that reports are stable from run to run.
func SortDiagnostics(ds redcap.Diagnostics, files []string) {
	rank := make(map[string]int, len(files))
	for i, f := range files {
		if _, ok := rank[f]; !ok {
			rank[f] = i
		}
	}
	fileRank := func(f string) int {
		if f == "" {
			return -1
		}
		if r, ok := rank[f]; ok {
			return r
		}
		return len(files)
	}
	slices.SortStableFunc(ds, func(a, b redcap.Diagnostic) int {
		if c := cmp.Compare(fileRank(a.File), fileRank(b.File)); c != 0 {
			return c
		}
		return cmp.Or(
			cmp.Compare(a.File, b.File),
			cmp.Compare(a.Line, b.Line),
			cmp.Compare(a.Code, b.Code),
			cmp.Compare(a.Column, b.Column),
			cmp.Compare(a.Message, b.Message),
		)
	})
}
