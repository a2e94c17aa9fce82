package prefix

import (
	"bytes"
	"errors"
	"fmt"

	"github.com/rcolpipe/rcolpipe/plugins/sdk"
)

// Config is the prefix stage's configuration.
type Config struct {
	// Prefix is put before the name of every field of Forms (except the
	// record ID and names that start with it already).
	Prefix string `json:"prefix"`
	// Forms limits the prefix to these forms; empty means every form.
	Forms []string `json:"forms"`
	// Rename maps old field names to new ones, instead of or besides Prefix;
	// an entry here wins over the prefix for that field.
	Rename map[string]string `json:"rename"`
}

// ConfigSchema is the JSON Schema of Config, returned in the plugin's info.
const ConfigSchema = `{
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "title": "prefix plugin configuration",
  "type": "object",
  "additionalProperties": false,
  "properties": {
    "prefix": {
      "description": "Put before every field name of the chosen forms (not the record ID; names that start with it already are kept).",
      "type": "string",
      "pattern": "^[a-z][a-z0-9_]*$"
    },
    "forms": {
      "description": "Form names the prefix applies to; empty or missing means every form.",
      "type": "array",
      "items": {"type": "string", "minLength": 1}
    },
    "rename": {
      "description": "Old field name to new field name, instead of or besides a prefix.",
      "type": "object",
      "additionalProperties": {"type": "string", "minLength": 1}
    }
  },
  "anyOf": [
    {"required": ["prefix"]},
    {"required": ["rename"]}
  ]
}`

// ParseConfig reads the stage's JSON config strictly: an unknown key is an
// error, so a typo ("prefx") does not silently do nothing.
func ParseConfig(data []byte) (Config, error) {
	var c Config
	if len(bytes.TrimSpace(data)) == 0 {
		return c, errors.New("config is empty; give at least prefix or rename")
	}
	if err := sdk.DecodeConfig(data, &c); err != nil {
		return c, err
	}
	return c, c.Check()
}

// Check reports a config that cannot work.
func (c Config) Check() error {
	if c.Prefix == "" && len(c.Rename) == 0 {
		return errors.New("config: give prefix, rename, or both")
	}
	if c.Prefix != "" && !prefixRE.MatchString(c.Prefix) {
		return fmt.Errorf("config: prefix %q must start with a lower-case letter and hold only a-z, 0-9 and _", c.Prefix)
	}
	for old, new := range c.Rename {
		if new == "" {
			return fmt.Errorf("config: rename %q to an empty name", old)
		}
	}
	return nil
}
