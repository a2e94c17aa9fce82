package schemas

import (
	"bytes"
	_ "embed"
	"fmt"
	"net/url"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/rcolpipe/rcolpipe/redcap"
)

//go:embed row.schema.json
var rowSchemaJSON []byte

// RowSchemaURL is the $id of the embedded row schema. User schemas refer to
// it (or to its $defs, e.g. RowSchemaURL+"#/$defs/fieldType") with $ref; it
// is never fetched.
const RowSchemaURL = "https://github.com/rcolpipe/rcolpipe/schemas/row.schema.json"

// rowCheckURL names the pruned copy of the row schema that rows are
// validated against.
const rowCheckURL = "https://github.com/rcolpipe/rcolpipe/schemas/row.check.json"

// pruneRowSchema turns the published row schema into the copy every row is
// checked against, without two kinds of keywords that cost much and can add
// nothing (measured on 10,000 rows: 230 ms CPU with them, 85 ms without,
// against 40 ms to read the file):
//
//   - what a row made from a redcap.Field always meets: the 18 keys are
//     there, nothing else is, every value is a string (required,
//     additionalProperties, properties that only say "type": "string");
//   - the per-type conditions (allOf of if/then: choices, calc equation,
//     descriptive not required, slider bounds). Each costs the validator
//     three nested evaluations per row, and each is also a Go rule that
//     reports the same cell with a more specific message (RC310, RC401,
//     RC604, RC510; pipeline's TestRowSchemaConditionsCoveredByRules keeps
//     it so), which wins over the schema's finding anyway.
//
// The published schema keeps all of it, for files checked with other tools
// and for user schemas that $ref it (those get every rule, RS001..RS011).
func pruneRowSchema(doc any) {
	root := doc.(map[string]any)
	root["$id"] = rowCheckURL
	delete(root, "required")
	delete(root, "additionalProperties")
	delete(root, "allOf")
	props := root["properties"].(map[string]any)
	for key, p := range props {
		m, ok := p.(map[string]any)
		if !ok {
			continue
		}
		only := true
		for k := range m {
			if k != "type" && !strings.HasPrefix(k, "x-") && k != "description" {
				only = false
			}
		}
		if only && m["type"] == "string" {
			delete(props, key)
		}
	}
}

// checkedColumns lists the columns the pruned row schema has properties
// for, in column order. It must hold only "properties" that look at single
// columns (pruneRowSchema removed required and additionalProperties, which
// would see the missing keys).
func checkedColumns(doc any) []redcap.Column {
	root := doc.(map[string]any)
	for k := range root {
		switch {
		case strings.HasPrefix(k, "x-"), k == "$schema", k == "$id", k == "title",
			k == "description", k == "type", k == "properties", k == "$defs":
		default:
			// A keyword that may look at the row as a whole: give it all.
			return allColumns()
		}
	}
	props, _ := root["properties"].(map[string]any)
	var out []redcap.Column
	for c := redcap.Column(0); c < redcap.NumColumns; c++ {
		if _, ok := props[c.Key()]; ok {
			out = append(out, c)
		}
	}
	return out
}

func allColumns() []redcap.Column {
	out := make([]redcap.Column, redcap.NumColumns)
	for c := range out {
		out[c] = redcap.Column(c)
	}
	return out
}

// CodeSchema is the code of a finding from a user schema rule that carries
// no x-code.
const CodeSchema = "SCHEMA"

// RowSchema returns the embedded row schema (a copy).
func RowSchema() []byte { return bytes.Clone(rowSchemaJSON) }

// Check describes one schema rule that has an x-code, for `rcolpipe rules`
// and for report help texts.
type Check struct {
	Code     string
	Severity redcap.Severity
	Title    string
	Doc      string
	// Schema is the schema file the rule comes from ("" for the embedded one).
	Schema string
}

// Set is the embedded row schema plus the user's schema files, compiled
// once. It is safe for concurrent use.
type Set struct {
	schemas []compiled
	// ann holds the x-* annotations of every schema object that has any,
	// keyed by "url#pointer" (pointer as the compiler writes it, decoded).
	ann    map[string]*annotation
	checks []Check
	// columns are the columns a row's value form needs: all 18 when there
	// are user schemas, else only those the row check reads (building and
	// walking a smaller map is a good part of the per-row cost). The
	// pipeline's validator no longer validates rows without user schemas,
	// so only direct callers of a plain Set get the smaller map.
	columns []redcap.Column
}

type compiled struct {
	sch *jsonschema.Schema
	// file is the user's path ("" for the embedded row schema).
	file string
}

// annotation is what a schema object says about how its failures are
// reported. Empty strings mean "not set here".
type annotation struct {
	code, message, hint, severity, title, doc string
}

// Compile compiles the embedded row schema and the given user schema files.
// A user schema is a draft 2020-12 schema of one row; files it refers to
// with $ref are loaded from disk, nothing is fetched from the network.
func Compile(files ...string) (*Set, error) {
	s := &Set{ann: map[string]*annotation{}}
	loader := &recordingLoader{docs: map[string]any{}}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	c.UseLoader(loader)

	// The full row schema is there for user schemas to $ref; rows are
	// checked against a pruned copy (see pruneRowSchema).
	rowDoc, err := jsonschema.UnmarshalJSON(bytes.NewReader(rowSchemaJSON))
	if err != nil {
		return nil, fmt.Errorf("embedded row schema: %w", err)
	}
	if err := c.AddResource(RowSchemaURL, rowDoc); err != nil {
		return nil, fmt.Errorf("embedded row schema: %w", err)
	}
	s.index(RowSchemaURL, rowDoc, "")
	fastDoc, err := jsonschema.UnmarshalJSON(bytes.NewReader(rowSchemaJSON))
	if err != nil {
		return nil, fmt.Errorf("embedded row schema: %w", err)
	}
	pruneRowSchema(fastDoc)
	s.columns = checkedColumns(fastDoc)
	if err := c.AddResource(rowCheckURL, fastDoc); err != nil {
		return nil, fmt.Errorf("embedded row schema: %w", err)
	}
	s.index(rowCheckURL, fastDoc, "")

	urls := []string{rowCheckURL}
	for _, f := range files {
		data, err := redcap.ReadSmallFile(f, redcap.MaxFileBytes)
		if err != nil {
			return nil, fmt.Errorf("read schema %s: %w", f, err)
		}
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
		if err != nil {
			return nil, fmt.Errorf("schema %s: not JSON: %w", f, err)
		}
		u, err := fileURL(f)
		if err != nil {
			return nil, fmt.Errorf("schema %s: %w", f, err)
		}
		if err := c.AddResource(u, doc); err != nil {
			return nil, fmt.Errorf("schema %s: %w", f, err)
		}
		s.index(u, doc, f)
		s.columns = allColumns()
		if err := s.checkSeverities(u); err != nil {
			return nil, fmt.Errorf("schema %s: %w", f, err)
		}
		urls = append(urls, u)
	}
	for i, u := range urls {
		sch, err := c.Compile(u)
		if err != nil {
			if i == 0 {
				return nil, fmt.Errorf("embedded row schema: %w", err)
			}
			return nil, fmt.Errorf("compile schema %s: %w", files[i-1], err)
		}
		file := ""
		if i > 0 {
			file = files[i-1]
		}
		s.schemas = append(s.schemas, compiled{sch: sch, file: file})
	}
	// Files reached through $ref are indexed too, so their x-code applies.
	for u, doc := range loader.docs {
		s.index(u, doc, strings.TrimPrefix(u, "file://"))
	}
	sort.Slice(s.checks, func(i, j int) bool { return s.checks[i].Code < s.checks[j].Code })
	return s, nil
}

// BuiltinChecks lists the rules of the embedded row schema.
func BuiltinChecks() []Check {
	s, err := Compile()
	if err != nil {
		// The embedded schema is compiled by every test; this cannot happen
		// in a built binary.
		panic(err)
	}
	return s.Checks()
}

// Checks lists every rule with an x-code: the embedded schema's and the
// user schemas', sorted by code.
func (s *Set) Checks() []Check { return append([]Check(nil), s.checks...) }

// recordingLoader loads file: URLs only and remembers what it loaded, so
// the annotations of schemas reached through $ref can be indexed.
type recordingLoader struct {
	mu   sync.Mutex
	docs map[string]any
}

func (l *recordingLoader) Load(u string) (any, error) {
	doc, err := jsonschema.FileLoader{}.Load(u)
	if err != nil {
		return nil, err
	}
	l.mu.Lock()
	l.docs[u] = doc
	l.mu.Unlock()
	return doc, nil
}

// fileURL turns a path into the file: URL the compiler uses for it.
func fileURL(path string) (string, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", err
	}
	if runtime.GOOS == "windows" {
		return "file:///" + filepath.ToSlash(abs), nil
	}
	return "file://" + filepath.ToSlash(abs), nil
}

// index records the annotations of every object in doc. A nested $id starts
// a new resource whose locations the compiler writes relative to that $id.
func (s *Set) index(base string, doc any, file string) {
	var walk func(v any, base, ptr string)
	walk = func(v any, base, ptr string) {
		switch v := v.(type) {
		case map[string]any:
			if id, ok := v["$id"].(string); ok && ptr != "" {
				if b, err := url.Parse(base); err == nil {
					if r, err := b.Parse(id); err == nil {
						r.Fragment = ""
						base, ptr = r.String(), ""
					}
				}
			}
			a := &annotation{
				code:     str(v["x-code"]),
				message:  str(v["x-message"]),
				hint:     str(v["x-hint"]),
				severity: str(v["x-severity"]),
				title:    str(v["x-title"]),
				doc:      str(v["x-doc"]),
			}
			if *a != (annotation{}) {
				key := base + "#" + ptr
				if _, seen := s.ann[key]; !seen {
					s.ann[key] = a
					if a.code != "" && !s.hasCheck(a.code) {
						s.checks = append(s.checks, a.check(file))
					}
				}
			}
			for k, child := range v {
				walk(child, base, ptr+"/"+escapeToken(k))
			}
		case []any:
			for i, child := range v {
				walk(child, base, fmt.Sprintf("%s/%d", ptr, i))
			}
		}
	}
	walk(doc, base, "")
}

// checkSeverities refuses an x-severity that is not error, warning or info
// in the document at u, so that a typo does not silently become an error.
func (s *Set) checkSeverities(u string) error {
	for key, a := range s.ann {
		if a.severity == "" || !strings.HasPrefix(key, u+"#") {
			continue
		}
		if v, err := redcap.ParseSeverity(a.severity); err != nil || v == redcap.SeverityOff {
			return fmt.Errorf("x-severity %q at %s: want error, warning or info", a.severity, strings.TrimPrefix(key, u))
		}
	}
	return nil
}

// hasCheck reports whether a rule with the code is listed already: one rule
// may sit on several schema objects (the three y-flags share RS005).
func (s *Set) hasCheck(code string) bool {
	for _, c := range s.checks {
		if c.Code == code {
			return true
		}
	}
	return false
}

func (a *annotation) check(file string) Check {
	sev := redcap.SeverityError
	if a.severity != "" {
		if v, err := redcap.ParseSeverity(a.severity); err == nil && v != redcap.SeverityOff {
			sev = v
		}
	}
	title := a.title
	if title == "" {
		title = a.message
	}
	return Check{Code: a.code, Severity: sev, Title: title, Doc: a.doc, Schema: file}
}

func str(v any) string {
	s, _ := v.(string)
	return s
}

func escapeToken(tok string) string {
	tok = strings.ReplaceAll(tok, "~", "~0")
	return strings.ReplaceAll(tok, "/", "~1")
}
