// Package prefix is the bundled `prefix` transform: it gives the fields of
// chosen forms a prefix, or renames fields by a map, and rewrites every
// reference to them across the dictionary. The plugin executable
// (plugins/cmd/prefix) and `rcolpipe __plugin prefix` both serve it.
package prefix

import (
	"fmt"

	"github.com/rcolpipe/rcolpipe/internal/lazyre"
	"github.com/rcolpipe/rcolpipe/plugins/sdk"
	"github.com/rcolpipe/rcolpipe/redcap"
)

// Diagnostic codes of the prefix plugin.
const (
	CodeConfig      = "PX001" // the stage's config is wrong
	CodeUnknownForm = "PX002" // forms names a form the dictionary does not have
	CodeUnknownName = "PX003" // rename names a field the dictionary does not have
	CodeRecordID    = "PX004" // rename names the record ID
	CodeCollision   = "PX005" // a new name is taken
	CodeInvalidName = "PX006" // a new name is not a valid REDCap field name
	CodeLongName    = "PX007" // a new name is longer than REDCap's advised 26 characters
	CodeTextual     = "PX008" // logic that does not parse was rewritten as text
	CodeSplitName   = "PX009" // a duplicated name was renamed in some forms only
	CodeSummary     = "PX010" // what was renamed
)

// prefixRE is what a prefix may hold: the start of a valid name.
var prefixRE = lazyre.New(`^[a-z][a-z0-9_]*$`)

// renameCodes are this plugin's codes for the findings of the SDK's rename
// engine, which does the work.
var renameCodes = sdk.RenameCodes{
	UnknownForm: CodeUnknownForm,
	UnknownName: CodeUnknownName,
	RecordID:    CodeRecordID,
	Collision:   CodeCollision,
	InvalidName: CodeInvalidName,
	LongName:    CodeLongName,
	Textual:     CodeTextual,
	SplitName:   CodeSplitName,
}

// Run plans and applies cfg on a copy of d. When the plan has errors the
// dictionary is returned unchanged with them.
func Run(d *redcap.Dictionary, cfg Config) (*redcap.Dictionary, redcap.Diagnostics) {
	if err := cfg.Check(); err != nil {
		return d, redcap.Diagnostics{{Severity: redcap.SeverityError, Code: CodeConfig, Message: err.Error(),
			Hint: `config: {"prefix": "sf_", "forms": ["sf12"], "rename": {"old": "new"}}`}}
	}
	plan, diags := sdk.PlanRenames(d, sdk.Renames{Prefix: cfg.Prefix, Forms: cfg.Forms, Rename: cfg.Rename}, renameCodes)
	if diags.HasErrors() {
		return d, diags
	}
	out := d.Clone()
	diags = append(diags, plan.Apply(out)...)
	n := len(plan.Global) + len(plan.Local)
	msg := fmt.Sprintf("renamed %d field(s)", n)
	if plan.Skipped > 0 {
		msg += fmt.Sprintf("; %d already had the prefix %q", plan.Skipped, cfg.Prefix)
	}
	diags = append(diags, redcap.Diagnostic{Severity: redcap.SeverityInfo, Code: CodeSummary, Message: msg})
	return out, diags
}
