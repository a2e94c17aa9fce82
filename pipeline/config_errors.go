package pipeline

// How problems in a pipeline file are worded: one line each, with the
// file, the line and the key path, in words for people who write YAML
// rather than in the schema library's terms.

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
	"gopkg.in/yaml.v3"
)

// ConfigProblem is one thing wrong in a pipeline file.
type ConfigProblem struct {
	Line int
	// KeyPath names the key, e.g. "stages[1].timeout" ("" for the whole file).
	KeyPath string
	Message string
}

// ConfigError lists what is wrong in a pipeline file, each problem with its
// line and key path.
type ConfigError struct {
	Path     string
	Problems []ConfigProblem
}

func (e *ConfigError) Error() string {
	var b strings.Builder
	for i, p := range e.Problems {
		if i > 0 {
			b.WriteString("\n")
		}
		b.WriteString(e.Path)
		if p.Line > 0 {
			fmt.Fprintf(&b, ":%d", p.Line)
		}
		b.WriteString(": ")
		if p.KeyPath != "" {
			b.WriteString(p.KeyPath)
			b.WriteString(": ")
		}
		b.WriteString(p.Message)
	}
	return b.String()
}

// keyHints replace the schema library's wording for keys whose rule is
// easier said in words than as a pattern.
func keyHints() []struct{ suffix, msg string } {
	return []struct{ suffix, msg string }{
		{"target.url", `must be "sandbox", an https URL of a REDCap API ending in /api/ (e.g. https://redcap.example.org/api/), or http on localhost`},
		{".timeout", `must be a duration such as "30s", "90s" or "2m"`},
		{"version", "must be 1 (the only version of the pipeline file)"},
	}
}

// schemaProblems walks the error tree to its leaves and says each in one
// line with the key path and the line of the offending value.
func schemaProblems(ve *jsonschema.ValidationError, root *yaml.Node) []ConfigProblem {
	p := message.NewPrinter(language.English)
	var out []ConfigProblem
	seen := map[string]bool{}
	hints := keyHints()
	var walk func(e *jsonschema.ValidationError)
	walk = func(e *jsonschema.ValidationError) {
		key := keyPath(e.InstanceLocation)
		for _, h := range hints {
			if key == h.suffix || strings.HasSuffix(key, h.suffix) {
				if !seen[key] {
					seen[key] = true
					out = append(out, ConfigProblem{Line: lineOf(root, key), KeyPath: key, Message: h.msg})
				}
				return
			}
		}
		if ap, ok := e.ErrorKind.(*kind.AdditionalProperties); ok && freeFormMapping(key) {
			// A mapping whose keys follow a pattern (the schema's
			// patternProperties): name each refused key with the rule.
			// (Not propertyNames: jsonschema v6.0.3 reuses the memory of
			// such an error's instance location, which then names
			// another key.)
			for _, prop := range ap.Properties {
				sub := key + "." + prop
				out = append(out, ConfigProblem{Line: lineOf(root, sub), KeyPath: sub, Message: "this key is not allowed here: " + keyRule(key)})
			}
			return
		}
		if len(e.Causes) > 0 {
			for _, c := range e.Causes {
				walk(c)
			}
			return
		}
		msg := describeKind(e.ErrorKind, p)
		if seen[key+"\x00"+msg] {
			return
		}
		seen[key+"\x00"+msg] = true
		out = append(out, ConfigProblem{Line: lineOf(root, key), KeyPath: key, Message: msg})
	}
	walk(ve)
	sort.SliceStable(out, func(i, j int) bool { return out[i].Line < out[j].Line })
	return out
}

// describeKind words the common schema failures for people who write YAML.
func describeKind(k jsonschema.ErrorKind, p *message.Printer) string {
	switch k := k.(type) {
	case *kind.AdditionalProperties:
		if len(k.Properties) == 1 {
			return fmt.Sprintf("unknown key %q", k.Properties[0])
		}
		return fmt.Sprintf("unknown keys %s", quoteAll(k.Properties))
	case *kind.Required:
		if len(k.Missing) == 1 {
			return fmt.Sprintf("missing key %q", k.Missing[0])
		}
		return fmt.Sprintf("missing keys %s", quoteAll(k.Missing))
	case *kind.Type:
		return fmt.Sprintf("is %s, want %s", article(k.Got), strings.Join(k.Want, " or "))
	case *kind.Enum:
		var want []string
		for _, v := range k.Want {
			want = append(want, fmt.Sprint(v))
		}
		return fmt.Sprintf("%v is not allowed; want one of %s", k.Got, strings.Join(want, ", "))
	case *kind.Pattern:
		return fmt.Sprintf("%q does not have the required form (pattern %s)", k.Got, k.Want)
	case *kind.MinLength:
		return "must not be empty"
	}
	return k.LocalizedString(p)
}

// freeFormMapping reports whether the mapping at key takes keys of the
// user's choosing that must match a pattern, rather than a fixed set.
func freeFormMapping(key string) bool {
	return key == "validate.rules"
}

// keyRule says what the keys of a free-form mapping must look like.
func keyRule(mapping string) string {
	if mapping == "validate.rules" {
		return "rule codes are upper-case letters, digits, _ and - (e.g. RC101); `rcolpipe rules` lists them"
	}
	return "see docs/pipeline.md"
}

func article(t string) string {
	switch t {
	case "object":
		return "a mapping"
	case "array":
		return "a list"
	case "null":
		return "empty"
	case "integer":
		return "an integer"
	}
	return "a " + t
}

func quoteAll(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = strconv.Quote(s)
	}
	return strings.Join(q, ", ")
}

// keyPath writes an instance location as "stages[1].config".
func keyPath(loc []string) string {
	var b strings.Builder
	for _, part := range loc {
		if _, err := strconv.Atoi(part); err == nil {
			fmt.Fprintf(&b, "[%s]", part)
			continue
		}
		if b.Len() > 0 {
			b.WriteString(".")
		}
		b.WriteString(part)
	}
	return b.String()
}

// yamlErrorLine pulls the line out of yaml.v3's "yaml: line N: ..." text.
func yamlErrorLine(err error) int {
	msg := err.Error()
	i := strings.Index(msg, "line ")
	if i < 0 {
		return 0
	}
	rest := msg[i+len("line "):]
	j := strings.IndexFunc(rest, func(r rune) bool { return r < '0' || r > '9' })
	if j <= 0 {
		return 0
	}
	n, _ := strconv.Atoi(rest[:j])
	return n
}

// yamlErrorText drops yaml.v3's "yaml: line N: " prefix (the line is
// printed by ConfigError).
func yamlErrorText(err error) string {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	if strings.HasPrefix(msg, "line ") {
		if _, after, ok := strings.Cut(msg, ": "); ok {
			return after
		}
	}
	return msg
}
