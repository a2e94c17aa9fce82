package pipeline

import (
	"encoding/json"
	"path/filepath"
	"time"

	"github.com/rcolpipe/rcolpipe/redcap"
)

// Config is a pipeline file (rcolpipe.yaml) after checking. Every file path
// in it has been resolved against the folder of the file (plugin paths
// excepted, see StageConfig.Plugin), and input globs have been expanded.
type Config struct {
	// Path is the pipeline file as it was named.
	Path string
	// Version is the file format version (1).
	Version int
	// Inputs are the dictionary files, folders or ZIPs, in stacking order.
	Inputs   []string
	Validate ValidateConfig
	Stages   []StageConfig
	// Target is the REDCap project to upload to; URL is "" when the file
	// has no target.
	Target TargetConfig
	// Structure is the `structure` section (structure.go).
	Structure StructureConfig
}

// Dir is the folder of the pipeline file, where relative paths start
// (for the plugin host's BaseDir and the lock file).
func (c *Config) Dir() string { return filepath.Dir(c.Path) }

// ValidateConfig is the `validate` section.
type ValidateConfig struct {
	// Schemas are the user's JSON Schema files for rows.
	Schemas []string
	// ValidationTypes is a file listing extra validation types.
	ValidationTypes string
	// AssumeFields are dictionary files whose fields the target has already.
	AssumeFields []string
	// Strict makes warnings fail the run.
	Strict bool
	// Rules overrides rule severities by code.
	Rules map[string]redcap.Severity
}

// StageConfig is one entry of `stages`.
type StageConfig struct {
	// Name names the stage in messages; it defaults to Plugin.
	Name string
	// Plugin is a bundled plugin's name, a name on the plugin search path,
	// or a path to an executable (anything with a slash). It is kept as
	// written, because the lock file records it that way: the plugin host
	// resolves a relative path against ConfigDir (plugins.Options.BaseDir).
	Plugin string
	// Config is the plugin's configuration as JSON ("{}" when not given).
	Config json.RawMessage
	// Timeout bounds one call of the plugin; 0 means the host's default.
	Timeout time.Duration
	// Line is the line of the stage in the pipeline file (0 for a stage
	// given on the command line).
	Line int
}

// TargetConfig is the `target` section, used by the upload.
type TargetConfig struct {
	// URL is "sandbox" or a REDCap API URL ending in /api/.
	URL         string
	TokenFile   string
	Username    string
	BackupDir   string
	ReplaceAll  bool
	AllowDelete bool
	// AllowCritical allows critical changes other than deletions.
	AllowCritical bool
	TokenPattern  string
}
