package schemas

import (
	"fmt"
	"net/url"
	"runtime"
	"strconv"
	"strings"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"

	"github.com/rcolpipe/rcolpipe/redcap"
)

// parallelMin is the number of rows below which validating in one goroutine
// is cheaper than starting workers.
const parallelMin = 512

// Validate checks every row of d against the embedded row schema and the
// user schemas. Rows are validated in parallel on large dictionaries; the
// result is in row order.
func (s *Set) Validate(d *redcap.Dictionary) redcap.Diagnostics {
	n := len(d.Fields)
	// Each worker gets at least parallelMin rows.
	workers := min(runtime.GOMAXPROCS(0), n/parallelMin)
	if workers < 2 {
		return s.validateRange(d.Fields, nil)
	}
	parts := make([]redcap.Diagnostics, workers)
	var wg sync.WaitGroup
	for w := range workers {
		lo, hi := n*w/workers, n*(w+1)/workers
		wg.Add(1)
		go func() {
			defer wg.Done()
			parts[w] = s.validateRange(d.Fields[lo:hi], nil)
		}()
	}
	wg.Wait()
	var out redcap.Diagnostics
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

// ValidateField checks one row.
func (s *Set) ValidateField(f *redcap.Field) redcap.Diagnostics {
	return s.validateRange([]redcap.Field{*f}, nil)
}

func (s *Set) validateRange(fields []redcap.Field, out redcap.Diagnostics) redcap.Diagnostics {
	// One map per goroutine, overwritten for every row: the validator does
	// not keep the value, and the 18 keys never change.
	row := make(map[string]any, len(s.columns))
	for i := range fields {
		f := &fields[i]
		for _, c := range s.columns {
			row[redcap.Columns[c].Key] = f.Get(c)
		}
		out = s.validateRow(f, row, out)
	}
	return out
}

// validateRow checks the value form of row f against every schema.
func (s *Set) validateRow(f *redcap.Field, row map[string]any, out redcap.Diagnostics) redcap.Diagnostics {
	start := len(out)
	for _, cs := range s.schemas {
		err := cs.sch.Validate(row)
		if err == nil {
			continue
		}
		verr, ok := err.(*jsonschema.ValidationError)
		if !ok {
			out = append(out, redcap.At(f, redcap.ColNone, redcap.SeverityError, CodeSchema,
				fmt.Sprintf("schema validation failed: %v", err), ""))
			continue
		}
		w := walker{set: s, f: f, row: row}
		w.walk(verr, loc{}, annotation{})
		out = append(out, w.out...)
	}
	return append(out[:start], dedupe(out[start:])...)
}

// dedupe drops findings that repeat an earlier one on the same row (the
// same rule reached through two paths, e.g. a user schema that $refs the
// row schema).
func dedupe(ds redcap.Diagnostics) redcap.Diagnostics {
	if len(ds) < 2 {
		return ds
	}
	out := ds[:0]
	for i, d := range ds {
		dup := false
		for _, e := range ds[:i] {
			if e == d {
				dup = true
				break
			}
		}
		if !dup {
			out = append(out, d)
		}
	}
	return out
}

// loc is a schema location split into document URL and JSON pointer
// (tokens escaped with ~0/~1, as the annotation index keys them).
type loc struct {
	url, ptr string
	ok       bool
}

func parseLoc(s string) loc {
	u, frag, _ := strings.Cut(s, "#")
	ptr, err := url.PathUnescape(frag)
	if err != nil {
		ptr = frag
	}
	return loc{url: u, ptr: ptr, ok: true}
}

// walker turns one row's error tree into diagnostics.
type walker struct {
	set *Set
	f   *redcap.Field
	row map[string]any
	out redcap.Diagnostics
}

// walk descends to the leaves. parent is the location of the parent node;
// state holds the x-* annotations in force, the deepest one winning.
func (w *walker) walk(e *jsonschema.ValidationError, parent loc, state annotation) {
	here := parseLoc(e.SchemaURL)
	state = w.collect(parent, here, state)

	if len(e.Causes) == 0 {
		w.emit(e, state)
		return
	}
	// An anyOf/oneOf that no alternative matched is one finding when the
	// schema author wrote a message for it: listing why every alternative
	// failed would only confuse.
	if state.message != "" {
		switch k := e.ErrorKind.(type) {
		case *kind.AnyOf:
			w.emit(e, state)
			return
		case *kind.OneOf:
			if len(k.Subschemas) == 0 {
				w.emit(e, state)
				return
			}
		}
	}
	// A $ref jumps elsewhere: the locations between its target and the
	// causes are the ones to search, not those under the referrer.
	next := here
	if ref, ok := e.ErrorKind.(*kind.Reference); ok {
		t := parseLoc(ref.URL)
		next = loc{url: t.url, ptr: t.ptr, ok: false} // ok=false: the target itself counts
	}
	for _, c := range e.Causes {
		w.walk(c, next, state)
	}
}

// collect overlays the annotations found on the schema objects between
// parent (exclusive, unless it is a $ref target) and here (inclusive).
func (w *walker) collect(parent, here loc, state annotation) annotation {
	ann := w.set.ann
	if len(ann) == 0 {
		return state
	}
	inclusive := !parent.ok
	if here.url == parent.url && (here.ptr == parent.ptr || strings.HasPrefix(here.ptr, parent.ptr+"/")) {
		if inclusive {
			state = overlay(state, ann[here.url+"#"+parent.ptr])
		}
		rest := here.ptr[len(parent.ptr):]
		p := parent.ptr
		for rest != "" {
			j := strings.IndexByte(rest[1:], '/')
			if j < 0 {
				p, rest = p+rest, ""
			} else {
				p, rest = p+rest[:j+1], rest[j+1:]
			}
			state = overlay(state, ann[here.url+"#"+p])
		}
		return state
	}
	return overlay(state, ann[here.url+"#"+here.ptr])
}

func overlay(s annotation, a *annotation) annotation {
	if a == nil {
		return s
	}
	if a.code != "" {
		s.code = a.code
	}
	if a.message != "" {
		s.message = a.message
	}
	if a.hint != "" {
		s.hint = a.hint
	}
	if a.severity != "" {
		s.severity = a.severity
	}
	return s
}

func (w *walker) emit(e *jsonschema.ValidationError, state annotation) {
	column := ""
	if len(e.InstanceLocation) > 0 {
		column = e.InstanceLocation[0]
	} else if r, ok := e.ErrorKind.(*kind.Required); ok && len(r.Missing) > 0 {
		column = r.Missing[0]
	}
	var value any
	if len(e.InstanceLocation) == 1 {
		value = w.row[column]
	}
	code := state.code
	if code == "" {
		code = CodeSchema
	}
	sev := redcap.SeverityError
	if state.severity != "" {
		if v, err := redcap.ParseSeverity(state.severity); err == nil && v != redcap.SeverityOff {
			sev = v
		}
	}
	msg := state.message
	if msg != "" {
		msg = expand(msg, w.f, column, value)
	} else {
		msg = describe(e.ErrorKind, column, value)
	}
	hint := state.hint
	if hint != "" {
		hint = expand(hint, w.f, column, value)
	} else if state.message == "" {
		hint = defaultHint(e.ErrorKind, column)
	}
	w.out = append(w.out, redcap.Diagnostic{
		Severity: sev,
		Code:     code,
		Message:  msg,
		Hint:     hint,
		File:     w.f.Origin.File,
		Line:     w.f.Origin.Line,
		Row:      w.f.Origin.Row,
		Field:    w.f.FieldName,
		Column:   column,
	})
}

// expand fills the placeholders a schema author may use in x-message and
// x-hint: {value} (quoted), {column}, {field}, {form}, {type}.
func expand(s string, f *redcap.Field, column string, value any) string {
	if !strings.Contains(s, "{") {
		return s
	}
	return strings.NewReplacer(
		"{value}", quoteValue(value),
		"{column}", column,
		"{field}", f.FieldName,
		"{form}", f.FormName,
		"{type}", f.FieldType,
	).Replace(s)
}

func quoteValue(v any) string {
	switch v := v.(type) {
	case nil:
		return `""`
	case string:
		return strconv.Quote(v)
	}
	return fmt.Sprint(v)
}

// describe renders a leaf in our own words (the library's text is written
// for schema authors, not for people fixing a dictionary).
func describe(k jsonschema.ErrorKind, column string, value any) string {
	subject := column
	if subject == "" {
		subject = "the row"
	}
	switch k := k.(type) {
	case *kind.Type:
		return fmt.Sprintf("%s must be a %s, not %s", subject, strings.Join(k.Want, " or "), k.Got)
	case *kind.Enum:
		return fmt.Sprintf("%s %s is not one of %s", subject, quoteValue(k.Got), listValues(k.Want))
	case *kind.Const:
		return fmt.Sprintf("%s %s is not %s", subject, quoteValue(k.Got), quoteValue(k.Want))
	case *kind.Pattern:
		return fmt.Sprintf("%s %s does not match the pattern %s", subject, strconv.Quote(k.Got), k.Want)
	case *kind.MinLength:
		if k.Got == 0 {
			return fmt.Sprintf("%s is empty", subject)
		}
		return fmt.Sprintf("%s has %d characters, fewer than %d", subject, k.Got, k.Want)
	case *kind.MaxLength:
		return fmt.Sprintf("%s has %d characters, more than %d", subject, k.Got, k.Want)
	case *kind.Required:
		return fmt.Sprintf("the row has no %s column", strings.Join(k.Missing, ", "))
	case *kind.AdditionalProperties:
		return fmt.Sprintf("the row has unexpected columns %s", strings.Join(k.Properties, ", "))
	case *kind.DependentRequired:
		return fmt.Sprintf("when %s is present, %s must be too", k.Prop, strings.Join(k.Missing, ", "))
	case *kind.FalseSchema:
		return fmt.Sprintf("%s is not allowed", subject)
	case *kind.Not:
		if value != nil {
			return fmt.Sprintf("%s %s matches a schema it must not match", subject, quoteValue(value))
		}
		return fmt.Sprintf("%s matches a schema it must not match", subject)
	case *kind.Format:
		return fmt.Sprintf("%s %s is not a valid %s", subject, quoteValue(k.Got), k.Want)
	case *kind.OneOf:
		if len(k.Subschemas) == 2 {
			return fmt.Sprintf("%s matches more than one alternative (%d and %d)", subject, k.Subschemas[0], k.Subschemas[1])
		}
		return fmt.Sprintf("%s matches none of the alternatives", subject)
	case *kind.AnyOf:
		return fmt.Sprintf("%s matches none of the alternatives", subject)
	}
	return fmt.Sprintf("%s fails the schema keyword %q", subject, strings.Join(k.KeywordPath(), "/"))
}

// defaultHint says how to fix a leaf when the schema author gave no x-hint
// (and no x-message, whose author would have written the hint too).
func defaultHint(k jsonschema.ErrorKind, column string) string {
	if column == "" {
		return ""
	}
	switch k := k.(type) {
	case *kind.Type:
		return fmt.Sprintf("write %s as a string (\"\" when empty)", column)
	case *kind.Enum, *kind.Const:
		return fmt.Sprintf("write one of the allowed values in %s", column)
	case *kind.Pattern:
		return fmt.Sprintf("change %s so that it matches %s", column, k.Want)
	case *kind.MinLength:
		if k.Got == 0 {
			return fmt.Sprintf("fill in %s", column)
		}
		return fmt.Sprintf("lengthen %s to at least %d characters", column, k.Want)
	case *kind.MaxLength:
		return fmt.Sprintf("shorten %s to at most %d characters", column, k.Want)
	}
	return ""
}

func listValues(vs []any) string {
	const most = 15
	parts := make([]string, 0, min(len(vs), most))
	for i, v := range vs {
		if i == most {
			parts = append(parts, "…")
			break
		}
		parts = append(parts, quoteValue(v))
	}
	return strings.Join(parts, ", ")
}
