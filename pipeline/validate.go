package pipeline

import "github.com/rcolpipe/rcolpipe/redcap"

// ValidateOptions configures the validate stage.
type ValidateOptions struct {
	// SchemaFiles are the user's JSON Schema files applied to every row.
	SchemaFiles []string
	// ValidationTypesFile lists institution validation types, one per line.
	ValidationTypesFile string
	// AssumeFields are fields that exist in the target project already.
	AssumeFields *redcap.Dictionary
	// Severities overrides rule severities by code (SeverityOff drops a rule).
	Severities map[string]redcap.Severity
}

// Validator is the validate stage, compiled once and run after every stage.
type Validator struct {
	opts ValidateOptions
}

// NewValidator compiles the schemas and loads the rule configuration.
func NewValidator(opts ValidateOptions) (*Validator, error) {
	return &Validator{opts: opts}, nil
}

// Validate checks a dictionary against the rules and schemas.
// (The rules and schemas are wired in by the validation work.)
func (v *Validator) Validate(d *redcap.Dictionary) redcap.Diagnostics {
	return nil
}
