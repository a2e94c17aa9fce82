package output

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/rcolpipe/rcolpipe/plugins/host"
)

// WritePluginInfo writes what a plugin says about itself: one line per
// item and its config schema (text), or one JSON object (json).
func WritePluginInfo(w io.Writer, info host.Info, format string) error {
	if format == FormatJSON {
		out := struct {
			Name            string          `json:"name"`
			Version         string          `json:"version"`
			Description     string          `json:"description"`
			ProtocolVersion int             `json:"protocol_version"`
			SDKVersion      string          `json:"sdk_version"`
			Capabilities    []string        `json:"capabilities"`
			ConfigSchema    json.RawMessage `json:"config_schema,omitempty"`
			Path            string          `json:"path"`
			Bundled         bool            `json:"bundled"`
		}{info.Name, info.Version, info.Description, info.ProtocolVersion, info.SDKVersion,
			append([]string{}, info.Capabilities...), info.ConfigSchema, info.Path, info.Bundled}
		if err := writeJSON(w, out, true); err != nil {
			return fmt.Errorf("write plugin info: %w", err)
		}
		return nil
	}
	var b strings.Builder
	fmt.Fprintf(&b, "name:         %s\n", info.Name)
	fmt.Fprintf(&b, "version:      %s\n", info.Version)
	fmt.Fprintf(&b, "description:  %s\n", info.Description)
	fmt.Fprintf(&b, "protocol:     %d\n", info.ProtocolVersion)
	fmt.Fprintf(&b, "sdk:          %s\n", info.SDKVersion)
	if info.Bundled {
		fmt.Fprintf(&b, "path:         %s (bundled)\n", info.Path)
	} else {
		fmt.Fprintf(&b, "path:         %s\n", info.Path)
	}
	fmt.Fprintf(&b, "capabilities: %s\n", strings.Join(info.Capabilities, ", "))
	if len(info.ConfigSchema) > 0 {
		var v any
		if json.Unmarshal(info.ConfigSchema, &v) == nil {
			s, _ := json.MarshalIndent(v, "  ", "  ")
			fmt.Fprintf(&b, "config schema:\n  %s\n", s)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// PluginList is what rcolpipe plugins list shows.
type PluginList struct {
	// Bundled are the plugins served by rcolpipe itself, in name order.
	Bundled []BundledPlugin
	// Installed are the executables found on the search path.
	Installed []host.Found
	// SearchPath are the folders searched, in order.
	SearchPath []string
	// AllowFlag is the flag that lets project-local plugins run unpinned.
	AllowFlag string
}

// BundledPlugin is one line of the bundled plugins.
type BundledPlugin struct{ Name, Version, Description string }

// WritePluginList writes the bundled plugins, the installed ones (with
// what shadows what) and the search path.
func WritePluginList(w io.Writer, l PluginList) error {
	var b strings.Builder
	b.WriteString("bundled:\n")
	for _, info := range l.Bundled {
		fmt.Fprintf(&b, "  %-16s %-8s %s\n", info.Name, info.Version, info.Description)
	}
	b.WriteString("on the search path:\n")
	for _, f := range l.Installed {
		note := ""
		if f.ShadowedBy != "" {
			note = " (shadowed by " + f.ShadowedBy + ")"
		} else if f.ProjectLocal {
			note = " (project-local: runs only when pinned in " + host.LockFileName + " or with --" + l.AllowFlag + ")"
		}
		fmt.Fprintf(&b, "  %-16s %s%s\n", f.Name, f.Path, note)
	}
	if len(l.Installed) == 0 {
		b.WriteString("  (none)\n")
	}
	b.WriteString("search path:\n")
	for _, dir := range l.SearchPath {
		fmt.Fprintf(&b, "  %s\n", dir)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// WriteLock writes what plugins lock pinned, one plugin a line, and where.
func WriteLock(w io.Writer, lock *host.Lock, path string) error {
	var b strings.Builder
	keys := lock.Refs() // sorted
	for _, k := range keys {
		ent := lock.Plugins[k]
		if ent.Bundled {
			fmt.Fprintf(&b, "%-24s bundled\n", k)
		} else {
			fmt.Fprintf(&b, "%-24s sha256:%s\n", k, ent.SHA256)
		}
	}
	fmt.Fprintf(&b, "wrote %s (%d plugins)\n", path, len(keys))
	_, err := io.WriteString(w, b.String())
	return err
}
