package pipeline

// Reading a pipeline file into the model (config.go): YAML to JSON values,
// the embedded schema check, then paths resolved and values decoded.

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"gopkg.in/yaml.v3"

	"github.com/rcolpipe/rcolpipe/redcap"
	"github.com/rcolpipe/rcolpipe/schemas"
)

// LoadConfig reads a pipeline file, checks it against
// schemas/pipeline.schema.json and resolves its paths. A file that is wrong
// gives a *ConfigError naming the file, the line and the key path.
func LoadConfig(path string) (*Config, error) {
	data, err := redcap.ReadSmallFile(path, redcap.MaxFileBytes)
	if err != nil {
		return nil, fmt.Errorf("read pipeline file: %w", err)
	}
	return ParseConfig(path, data)
}

// ParseConfig is LoadConfig on bytes already read; path names the file in
// messages and anchors relative paths.
func ParseConfig(path string, data []byte) (*Config, error) {
	fail := func(line int, key, format string, args ...any) error {
		return &ConfigError{Path: path, Problems: []ConfigProblem{{Line: line, KeyPath: key, Message: fmt.Sprintf(format, args...)}}}
	}
	var doc yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, fail(0, "", "the file is empty; it needs at least `version: 1`")
		}
		return nil, fail(yamlErrorLine(err), "", "not valid YAML: %s", yamlErrorText(err))
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); err == nil {
		return nil, fail(extra.Line, "", "the file holds more than one YAML document; keep one")
	}
	root := &doc
	if root.Kind == yaml.DocumentNode && len(root.Content) == 1 {
		root = root.Content[0]
	}
	if root.Kind == 0 || (root.Kind == yaml.ScalarNode && root.Tag == "!!null") {
		return nil, fail(0, "", "the file is empty; it needs at least `version: 1`")
	}
	value, err := nodeValue(root, "")
	if err != nil {
		var pe *nodeError
		if errors.As(err, &pe) {
			return nil, fail(pe.line, pe.key, "%s", pe.msg)
		}
		return nil, fail(0, "", "%v", err)
	}

	sch, err := compilePipelineSchema()
	if err != nil {
		return nil, err
	}
	if err := sch.Validate(value); err != nil {
		var ve *jsonschema.ValidationError
		if !errors.As(err, &ve) {
			return nil, fail(0, "", "%v", err)
		}
		return nil, &ConfigError{Path: path, Problems: schemaProblems(ve, root)}
	}

	// The schema has accepted the shape; decoding cannot meet surprises now.
	var raw rawConfig
	if err := root.Decode(&raw); err != nil {
		return nil, fail(0, "", "%v", err)
	}
	return raw.resolve(path, root)
}

// rawConfig mirrors the file for decoding after the schema check.
type rawConfig struct {
	Version  int      `yaml:"version"`
	Inputs   []string `yaml:"inputs"`
	Validate struct {
		Schemas         []string          `yaml:"schemas"`
		ValidationTypes string            `yaml:"validation_types"`
		AssumeFields    []string          `yaml:"assume_fields"`
		Strict          bool              `yaml:"strict"`
		Rules           map[string]string `yaml:"rules"`
	} `yaml:"validate"`
	Stages []struct {
		Name    string    `yaml:"name"`
		Plugin  string    `yaml:"plugin"`
		Config  yaml.Node `yaml:"config"`
		Timeout string    `yaml:"timeout"`
	} `yaml:"stages"`
	Structure struct {
		Files     []string `yaml:"files"`
		Project   string   `yaml:"project"`
		Designate *struct {
			Events []string `yaml:"events"`
			Forms  []string `yaml:"forms"`
		} `yaml:"designate"`
	} `yaml:"structure"`
	Target struct {
		URL           string `yaml:"url"`
		TokenFile     string `yaml:"token_file"`
		Username      string `yaml:"username"`
		BackupDir     string `yaml:"backup_dir"`
		ReplaceAll    bool   `yaml:"replace_all"`
		AllowDelete   bool   `yaml:"allow_delete"`
		AllowCritical bool   `yaml:"allow_critical"`
		TokenPattern  string `yaml:"token_pattern"`
	} `yaml:"target"`
}

func (raw *rawConfig) resolve(path string, root *yaml.Node) (*Config, error) {
	dir := filepath.Dir(path)
	rel := func(p string) string {
		if p == "" || filepath.IsAbs(p) {
			return p
		}
		return filepath.Join(dir, p)
	}
	var problems []ConfigProblem
	add := func(key, format string, args ...any) {
		problems = append(problems, ConfigProblem{Line: lineOf(root, key), KeyPath: key, Message: fmt.Sprintf(format, args...)})
	}

	c := &Config{Path: path, Version: raw.Version}
	for i, in := range raw.Inputs {
		p := rel(in)
		if !strings.ContainsAny(in, "*?[") {
			c.Inputs = append(c.Inputs, p)
			continue
		}
		matches, err := filepath.Glob(p)
		switch {
		case err != nil:
			add(fmt.Sprintf("inputs[%d]", i), "bad glob pattern %q: %v", in, err)
		case len(matches) == 0:
			add(fmt.Sprintf("inputs[%d]", i), "pattern %q matches no file (relative to %s)", in, dir)
		default:
			sort.Strings(matches)
			// A pattern, like a folder input, never follows a symbolic link:
			// in a checkout under review, aa.csv -> ../.env would be read.
			for _, m := range matches {
				if fi, err := os.Lstat(m); err == nil && fi.Mode()&fs.ModeSymlink != 0 {
					add(fmt.Sprintf("inputs[%d]", i), "pattern %q matches %s, a symbolic link; patterns do not follow links: name the file itself in inputs, or remove the link", in, filepath.Base(m))
					continue
				}
				c.Inputs = append(c.Inputs, m)
			}
		}
	}

	raw.resolveStructure(c, rel, root)

	v := raw.Validate
	for _, s := range v.Schemas {
		c.Validate.Schemas = append(c.Validate.Schemas, rel(s))
	}
	c.Validate.ValidationTypes = rel(v.ValidationTypes)
	for _, s := range v.AssumeFields {
		c.Validate.AssumeFields = append(c.Validate.AssumeFields, rel(s))
	}
	c.Validate.Strict = v.Strict
	if len(v.Rules) > 0 {
		c.Validate.Rules = make(map[string]redcap.Severity, len(v.Rules))
		for code, s := range v.Rules {
			sev, err := redcap.ParseSeverity(s)
			if err != nil { // the schema's enum makes this unreachable; keep the check honest
				add("validate.rules."+code, "%v", err)
				continue
			}
			c.Validate.Rules[code] = sev
		}
	}

	seen := map[string]int{}
	for i, s := range raw.Stages {
		key := fmt.Sprintf("stages[%d]", i)
		st := StageConfig{Name: s.Name, Plugin: s.Plugin, Config: json.RawMessage("{}"), Line: lineOf(root, key)}
		if st.Name == "" {
			st.Name = s.Plugin
		}
		if s.Config.Kind != 0 {
			val, err := nodeValue(&s.Config, key+".config")
			if err != nil {
				add(key+".config", "%v", err)
			} else if b, err := json.Marshal(val); err != nil {
				add(key+".config", "cannot be written as JSON: %v", err)
			} else {
				st.Config = b
			}
		}
		if s.Timeout != "" {
			d, err := time.ParseDuration(s.Timeout)
			if err != nil || d <= 0 {
				add(key+".timeout", "%q is not a positive duration; write e.g. \"30s\" or \"2m\"", s.Timeout)
			}
			st.Timeout = d
		}
		if j, dup := seen[st.Name]; dup {
			add(key, "stage name %q is used by stages[%d] already; give one of them another `name`", st.Name, j)
		}
		seen[st.Name] = i
		c.Stages = append(c.Stages, st)
	}

	t := raw.Target
	c.Target = TargetConfig{
		URL:           t.URL,
		TokenFile:     rel(t.TokenFile),
		Username:      t.Username,
		BackupDir:     rel(t.BackupDir),
		ReplaceAll:    t.ReplaceAll,
		AllowDelete:   t.AllowDelete,
		AllowCritical: t.AllowCritical,
		TokenPattern:  t.TokenPattern,
	}
	if t.TokenPattern != "" {
		if _, err := regexp.Compile(t.TokenPattern); err != nil {
			add("target.token_pattern", "not a valid regular expression: %v", err)
		}
	}
	if len(problems) > 0 {
		return nil, &ConfigError{Path: path, Problems: problems}
	}
	return c, nil
}

// compilePipelineSchema compiles the embedded schema of the pipeline file.
func compilePipelineSchema() (*jsonschema.Schema, error) {
	doc, err := jsonschema.UnmarshalJSON(strings.NewReader(schemas.PipelineSchema))
	if err != nil {
		return nil, fmt.Errorf("embedded pipeline schema: %w", err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource(schemas.PipelineSchemaURL, doc); err != nil {
		return nil, fmt.Errorf("embedded pipeline schema: %w", err)
	}
	sch, err := c.Compile(schemas.PipelineSchemaURL)
	if err != nil {
		return nil, fmt.Errorf("compile embedded pipeline schema: %w", err)
	}
	return sch, nil
}

// lineOf finds the line of the value at a key path ("" = the document).
// Unknown paths give the line of the deepest node found.
func lineOf(root *yaml.Node, key string) int {
	n := root
	line := n.Line
	for _, part := range splitKeyPath(key) {
		next := childNode(n, part)
		if next == nil {
			break
		}
		n = next
		line = n.Line
	}
	return line
}

func splitKeyPath(key string) []string {
	var parts []string
	for _, dotted := range strings.Split(key, ".") {
		if dotted == "" {
			continue
		}
		name, rest, _ := strings.Cut(dotted, "[")
		if name != "" {
			parts = append(parts, name)
		}
		for rest != "" {
			idx, after, _ := strings.Cut(rest, "]")
			parts = append(parts, idx)
			rest = strings.TrimPrefix(after, "[")
		}
	}
	return parts
}

func childNode(n *yaml.Node, part string) *yaml.Node {
	for n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	switch n.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == part {
				// Point at the key: that is the line a person looks for.
				if n.Content[i+1].Kind == yaml.ScalarNode {
					return n.Content[i+1]
				}
				v := *n.Content[i+1]
				v.Line = n.Content[i].Line
				return &v
			}
		}
	case yaml.SequenceNode:
		i, err := strconv.Atoi(part)
		if err == nil && i >= 0 && i < len(n.Content) {
			return n.Content[i]
		}
	}
	return nil
}

// nodeError is a problem found while turning YAML into JSON values.
type nodeError struct {
	line int
	key  string
	msg  string
}

func (e *nodeError) Error() string { return fmt.Sprintf("line %d: %s: %s", e.line, e.key, e.msg) }

// nodeValue turns a YAML node into the values encoding/json produces
// (map[string]any, []any, string, bool, nil, numbers), so that the schema
// sees what a JSON file would give. Timestamps stay strings: a plugin's
// config gets the text the user wrote.
func nodeValue(n *yaml.Node, key string) (any, error) {
	c := &nodeConverter{visiting: map[*yaml.Node]bool{}}
	return c.value(n, key)
}

// maxNodeValues bounds what aliases may expand to (a "billion laughs"
// file would otherwise take all memory).
const maxNodeValues = 1_000_000

type nodeConverter struct {
	// visiting holds the mappings and lists on the path being converted:
	// an alias to one of them refers to itself.
	visiting map[*yaml.Node]bool
	count    int
}

func (c *nodeConverter) value(n *yaml.Node, key string) (any, error) {
	c.count++
	if c.count > maxNodeValues {
		return nil, &nodeError{n.Line, key, "aliases expand to more than a million values"}
	}
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			return nil, nil
		}
		return c.value(n.Content[0], key)
	case yaml.AliasNode:
		if n.Alias == nil || c.visiting[n.Alias] {
			return nil, &nodeError{n.Line, key, "a YAML alias refers to itself"}
		}
		return c.value(n.Alias, key)
	case yaml.MappingNode:
		c.visiting[n] = true
		defer delete(c.visiting, n)
		m := make(map[string]any, len(n.Content)/2)
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if k.Kind != yaml.ScalarNode || (k.Tag != "!!str" && k.Tag != "!!int" && k.Tag != "!!bool" && k.Tag != "!!float") {
				return nil, &nodeError{k.Line, key, "a mapping key must be a plain word"}
			}
			sub := k.Value
			if key != "" {
				sub = key + "." + k.Value
			}
			if _, dup := m[k.Value]; dup {
				return nil, &nodeError{k.Line, sub, "key given twice"}
			}
			val, err := c.value(v, sub)
			if err != nil {
				return nil, err
			}
			m[k.Value] = val
		}
		return m, nil
	case yaml.SequenceNode:
		c.visiting[n] = true
		defer delete(c.visiting, n)
		s := make([]any, 0, len(n.Content))
		for i, item := range n.Content {
			val, err := c.value(item, fmt.Sprintf("%s[%d]", key, i))
			if err != nil {
				return nil, err
			}
			s = append(s, val)
		}
		return s, nil
	case yaml.ScalarNode:
		switch n.Tag {
		case "!!null":
			return nil, nil
		case "!!bool":
			return decodeScalar[bool](n, key)
		case "!!int":
			return decodeScalar[int64](n, key)
		case "!!float":
			return decodeScalar[float64](n, key)
		case "!!binary":
			return nil, &nodeError{n.Line, key, "binary values are not supported"}
		}
		return n.Value, nil
	}
	return nil, &nodeError{n.Line, key, "unsupported YAML node"}
}

// decodeScalar decodes a bool, int or float scalar into a T.
func decodeScalar[T any](n *yaml.Node, key string) (any, error) {
	var v T
	if err := n.Decode(&v); err != nil {
		return nil, &nodeError{n.Line, key, err.Error()}
	}
	return v, nil
}
