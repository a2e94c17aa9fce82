// Package conventions is the bundled `conventions` transform: an institution's
// conventions as configured checks, each with diagnostics, and fixes that
// apply only when the config asks for them. The plugin executable
// (plugins/cmd/conventions) and `rcolpipe __plugin conventions` both serve it.
package conventions

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/rcolpipe/rcolpipe/plugins/sdk"

	"github.com/rcolpipe/rcolpipe/redcap"
)

// Config is the conventions stage's configuration. A check runs when its
// key is present.
type Config struct {
	// Fix applies the fixes of every check that has one; a check's own
	// `fix` overrides it.
	Fix bool `json:"fix"`
	// FormPrefix: field names begin with their form's short name.
	FormPrefix *FormPrefixConfig `json:"form_prefix"`
	// MaxNameLength: field names are no longer than this (REDCap advises 26).
	MaxNameLength *MaxNameLengthConfig `json:"max_name_length"`
	// Identifiers: fields whose names look like personal data are marked as
	// identifiers (column identifier = y).
	Identifiers *IdentifiersConfig `json:"identifiers"`
	// RequiredTags: action tags every (matching) field must have.
	RequiredTags []TagRule `json:"required_tags"`
	// ForbiddenTypes: field types that must not be used.
	ForbiddenTypes *ForbiddenTypesConfig `json:"forbidden_types"`
	// Language: forms whose labels mix languages.
	Language *LanguageConfig `json:"language"`
}

// Common holds what every check may set.
type Common struct {
	// Severity of the check's findings ("error", "warning", "info").
	Severity string `json:"severity"`
	// Fix overrides Config.Fix for this check.
	Fix *bool `json:"fix"`
}

func (c Common) severity(def redcap.Severity) redcap.Severity {
	if c.Severity == "" {
		return def
	}
	s, err := redcap.ParseSeverity(c.Severity)
	if err != nil {
		return def // ParseConfig refused it already
	}
	return s
}

func (c Common) fix(global bool) bool {
	if c.Fix != nil {
		return *c.Fix
	}
	return global
}

// FormPrefixConfig configures the form-prefix check.
type FormPrefixConfig struct {
	Common
	// ShortNames maps a form name to its short name.
	ShortNames map[string]string `json:"short_names"`
	// Derive says how to find the short name of a form not in ShortNames:
	// "initials" (default: the first letters of the form name's words, and
	// for a one-word form the form name; the form name itself and its first
	// word are accepted too), "form" (the form name only) or "none" (forms
	// not in ShortNames are not checked).
	Derive string `json:"derive"`
	// Separator follows the short name (default "_").
	Separator *string `json:"separator"`
}

// MaxNameLengthConfig configures the name-length check. In JSON it is a
// number or {"max": N, "severity": ...}.
type MaxNameLengthConfig struct {
	Common
	Max int `json:"max"`
}

// UnmarshalJSON accepts a bare number.
func (m *MaxNameLengthConfig) UnmarshalJSON(b []byte) error {
	var n int
	if err := json.Unmarshal(b, &n); err == nil {
		m.Max = n
		return nil
	}
	type plain MaxNameLengthConfig
	return sdk.DecodeConfig(b, (*plain)(m))
}

// IdentifiersConfig configures the personal-data check.
type IdentifiersConfig struct {
	Common
	// Words replaces the built-in list of words that mark personal data.
	Words []string `json:"words"`
	// ExtraWords adds to the list.
	ExtraWords []string `json:"extra_words"`
	// Ignore lists field names that are not personal data.
	Ignore []string `json:"ignore"`
}

// TagRule says which fields must carry an action tag. In JSON it is a tag
// ("@HIDDEN-PDF") or an object.
type TagRule struct {
	Common
	// Tag as it is added by the fix, e.g. "@HIDDEN-PDF" or "@DEFAULT='0'";
	// the check looks for the tag's name (up to '=' or '(').
	Tag string `json:"tag"`
	// Types limits the rule to these field types (empty: all but descriptive).
	Types []string `json:"types"`
	// Forms limits the rule to these forms (empty: all).
	Forms []string `json:"forms"`
}

// UnmarshalJSON accepts a bare tag string.
func (r *TagRule) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		r.Tag = s
		return nil
	}
	type plain TagRule
	return sdk.DecodeConfig(b, (*plain)(r))
}

// name is the tag's name: "@DEFAULT='0'" → "@DEFAULT".
func (r TagRule) name() string {
	n := r.Tag
	if i := strings.IndexAny(n, "=( "); i >= 0 {
		n = n[:i]
	}
	return strings.ToUpper(n)
}

// ForbiddenTypesConfig configures the forbidden-types check. In JSON it is
// a list of types or {"types": [...], "severity": ...}.
type ForbiddenTypesConfig struct {
	Common
	Types []string `json:"types"`
}

// UnmarshalJSON accepts a bare list.
func (f *ForbiddenTypesConfig) UnmarshalJSON(b []byte) error {
	var l []string
	if err := json.Unmarshal(b, &l); err == nil {
		f.Types = l
		return nil
	}
	type plain ForbiddenTypesConfig
	return sdk.DecodeConfig(b, (*plain)(f))
}

// LanguageConfig configures the label-language check.
type LanguageConfig struct {
	Common
	// Expect is "de" or "en": every field whose label reads as the other
	// language is reported. Empty: only forms that mix are reported.
	Expect string `json:"expect"`
	// MinFields is how many fields of the minority language a form needs
	// before it counts as mixed (default 2: one odd label is often a name
	// or a borrowed word).
	MinFields int `json:"min_fields"`
}

// ParseConfig reads the stage's JSON config strictly: unknown keys are
// errors, so a typo does not turn a check off silently.
func ParseConfig(data []byte) (Config, error) {
	var c Config
	if len(bytes.TrimSpace(data)) == 0 || string(bytes.TrimSpace(data)) == "null" {
		return c, errors.New("config is empty; turn on at least one check (see the plugin's config schema)")
	}
	if err := sdk.DecodeConfig(data, &c); err != nil {
		return c, err
	}
	return c, c.Check()
}

// Check reports a config that cannot work.
func (c Config) Check() error {
	if c.FormPrefix == nil && c.MaxNameLength == nil && c.Identifiers == nil && len(c.RequiredTags) == 0 &&
		c.ForbiddenTypes == nil && c.Language == nil {
		return errors.New("config: no check is turned on; give form_prefix, max_name_length, identifiers, required_tags, forbidden_types or language")
	}
	// Severities are checked last, once every check's own settings are.
	type keyed struct {
		key string
		c   Common
	}
	var commons []keyed
	add := func(key string, c Common) { commons = append(commons, keyed{key, c}) }
	if p := c.FormPrefix; p != nil {
		add("form_prefix", p.Common)
		switch p.Derive {
		case "", "initials", "form", "none":
		default:
			return fmt.Errorf("config: form_prefix.derive %q: want initials, form or none", p.Derive)
		}
	}
	if m := c.MaxNameLength; m != nil {
		add("max_name_length", m.Common)
		if m.Max < 1 || m.Max > 100 {
			return fmt.Errorf("config: max_name_length %d: want 1 to 100", m.Max)
		}
	}
	if i := c.Identifiers; i != nil {
		add("identifiers", i.Common)
	}
	for k, r := range c.RequiredTags {
		add(fmt.Sprintf("required_tags[%d]", k), r.Common)
		if !strings.HasPrefix(r.Tag, "@") || len(r.name()) < 2 {
			return fmt.Errorf("config: required_tags[%d]: %q is not an action tag (it starts with @)", k, r.Tag)
		}
	}
	if f := c.ForbiddenTypes; f != nil {
		add("forbidden_types", f.Common)
	}
	if l := c.Language; l != nil {
		add("language", l.Common)
		switch l.Expect {
		case "", "de", "en":
		default:
			return fmt.Errorf("config: language.expect %q: want de or en", l.Expect)
		}
		if l.MinFields < 0 {
			return fmt.Errorf("config: language.min_fields %d: want 1 or more", l.MinFields)
		}
	}
	for _, x := range commons {
		if x.c.Severity == "" {
			continue
		}
		if s, err := redcap.ParseSeverity(x.c.Severity); err != nil || s == redcap.SeverityOff {
			return fmt.Errorf("config: %s.severity %q: want error, warning or info", x.key, x.c.Severity)
		}
	}
	return nil
}

// ConfigSchema is the JSON Schema of Config, returned in the plugin's info
// and documented in docs/pipeline.md.
const ConfigSchema = `{
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "title": "conventions plugin configuration",
  "description": "Each check runs when its key is present. fix: true applies the fixes of the checks that have one (identifiers, form_prefix, required_tags); a check's own fix overrides it.",
  "type": "object",
  "additionalProperties": false,
  "minProperties": 1,
  "$defs": {
    "severity": {"enum": ["error", "warning", "info"]},
    "tagRule": {
      "oneOf": [
        {"type": "string", "pattern": "^@[A-Za-z]"},
        {
          "type": "object",
          "additionalProperties": false,
          "required": ["tag"],
          "properties": {
            "tag": {"type": "string", "pattern": "^@[A-Za-z]", "description": "The tag as the fix adds it, e.g. @HIDDEN-PDF or @DEFAULT='0'."},
            "types": {"type": "array", "items": {"type": "string"}, "description": "Only fields of these types (default: all but descriptive)."},
            "forms": {"type": "array", "items": {"type": "string"}, "description": "Only fields of these forms (default: all)."},
            "severity": {"$ref": "#/$defs/severity"},
            "fix": {"type": "boolean"}
          }
        }
      ]
    }
  },
  "properties": {
    "fix": {"type": "boolean", "description": "Apply fixes (default false: report only)."},
    "form_prefix": {
      "description": "Field names begin with the form's short name and a separator (default warning; fix renames the field and every reference to it).",
      "type": "object",
      "additionalProperties": false,
      "properties": {
        "short_names": {"type": "object", "additionalProperties": {"type": "string", "pattern": "^[a-z][a-z0-9_]*$"}},
        "derive": {"enum": ["initials", "form", "none"]},
        "separator": {"type": "string"},
        "severity": {"$ref": "#/$defs/severity"},
        "fix": {"type": "boolean"}
      }
    },
    "max_name_length": {
      "description": "Field names have at most this many characters (default warning).",
      "oneOf": [
        {"type": "integer", "minimum": 1, "maximum": 100},
        {
          "type": "object",
          "additionalProperties": false,
          "required": ["max"],
          "properties": {
            "max": {"type": "integer", "minimum": 1, "maximum": 100},
            "severity": {"$ref": "#/$defs/severity"}
          }
        }
      ]
    },
    "identifiers": {
      "description": "Fields whose names look like personal data are marked identifier = y (default warning; fix sets y).",
      "type": "object",
      "additionalProperties": false,
      "properties": {
        "words": {"type": "array", "items": {"type": "string", "minLength": 2}},
        "extra_words": {"type": "array", "items": {"type": "string", "minLength": 2}},
        "ignore": {"type": "array", "items": {"type": "string"}},
        "severity": {"$ref": "#/$defs/severity"},
        "fix": {"type": "boolean"}
      }
    },
    "required_tags": {
      "description": "Action tags every matching field must have (default warning; fix appends the tag).",
      "type": "array",
      "items": {"$ref": "#/$defs/tagRule"}
    },
    "forbidden_types": {
      "description": "Field types that must not be used (default error).",
      "oneOf": [
        {"type": "array", "items": {"type": "string"}},
        {
          "type": "object",
          "additionalProperties": false,
          "required": ["types"],
          "properties": {
            "types": {"type": "array", "items": {"type": "string"}},
            "severity": {"$ref": "#/$defs/severity"}
          }
        }
      ]
    },
    "language": {
      "description": "Warn when a form's labels mix German and English (stop-word heuristic); with expect, report each label in the other language.",
      "type": "object",
      "additionalProperties": false,
      "properties": {
        "expect": {"enum": ["de", "en"]},
        "min_fields": {"type": "integer", "minimum": 1},
        "severity": {"$ref": "#/$defs/severity"}
      }
    }
  }
}`
