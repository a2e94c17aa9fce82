package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/rcolpipe/rcolpipe/pipeline"
	"github.com/rcolpipe/rcolpipe/plugins/bundled"
	"github.com/rcolpipe/rcolpipe/plugins/host"
)

// flagAllowProjectPlugins lets plugins found in ./.rcolpipe/plugins run
// without a pin in rcolpipe.lock. A flag only: the pipeline file comes with
// the same checkout as the plugins, so it cannot vouch for them.
const flagAllowProjectPlugins = "allow-project-plugins"

func allowProjectPluginsFlag() cli.Flag {
	return &cli.BoolFlag{Name: flagAllowProjectPlugins,
		Usage: "run plugins found in ./.rcolpipe/plugins (they come with the checkout) even when rcolpipe.lock does not pin them"}
}

// pluginHostOptions is how every command that runs plugins configures the
// host: the search path from the environment, the bundled registry served
// by this executable, rcolpipe's log and version. baseDir anchors relative
// plugin paths (the pipeline file's folder); lock may be nil; allowProject
// is --allow-project-plugins.
func pluginHostOptions(e *env, baseDir string, lock *host.Lock, allowProject bool) (host.Options, error) {
	self, err := os.Executable()
	if err != nil {
		return host.Options{}, fmt.Errorf("find rcolpipe's own executable (for bundled plugins): %w", err)
	}
	reattach, err := host.ParseReattach(e.getenv(host.EnvReattach))
	if err != nil {
		return host.Options{}, err
	}
	return host.Options{
		Reattach:   reattach,
		SearchPath: host.SearchPath(e.getenv),
		Bundled:    bundled.Names(),
		SelfExe:    self,
		BaseDir:    baseDir,
		Lock:       lock,
		Log:        e.log,
		// The flag only: see flagAllowProjectPlugins.
		AllowProjectLocal: allowProject,
		LogLevel:          e.log.GetLevel().String(),
		Version:           version,
		AutoMTLS:          e.getenv(envPluginMTLS) == "1",
	}, nil
}

// envPluginMTLS=1 turns on go-plugin's AutoMTLS for the plugin sockets
// (off by default: each run's sockets are in a private 0700 folder, and
// mTLS costs about 40 ms per plugin start).
const envPluginMTLS = "RCOLPIPE_PLUGIN_MTLS"

func pluginsCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:      "plugins",
		Usage:     "list, describe and lock transform plugins",
		ArgsUsage: "list | info NAME | lock",
		Description: `Transform plugins are programs rcolpipe starts for the stages of a pipeline.
A plugin is named in a pipeline by path (anything with a slash, relative to the
pipeline file's folder) or by name: a bundled plugin, or an executable of that
name in, in order, $RCOLPIPE_PLUGIN_PATH, ./.rcolpipe/plugins and the user's
plugin folder (` + "`rcolpipe plugins list`" + ` prints it).

Plugins in ./.rcolpipe/plugins come with the checkout, so they run only when
rcolpipe.lock pins them or you pass --allow-project-plugins; otherwise an
installed plugin of the same name runs (with a warning), or the stage fails.

Examples:
   rcolpipe plugins list
   rcolpipe plugins info prefix
   rcolpipe plugins info ./bin/add-annotation
   rcolpipe plugins lock -c rcolpipe.yaml`,
		Subcommands: []*cli.Command{
			{
				Name:      "list",
				Usage:     "list bundled plugins and the plugins on the search path",
				ArgsUsage: " ",
				Description: `list prints the bundled plugins, then every executable found on the plugin
search path, and the search path itself.

Example:
   rcolpipe plugins list`,
				Action: func(c *cli.Context) error { return runPluginsList(c, e) },
			},
			{
				Name:      "info",
				Usage:     "start a plugin and print what it says about itself",
				ArgsUsage: "NAME|PATH",
				Description: `info starts the plugin, asks for its Info and prints its name, version,
description, protocol and SDK versions, capabilities and the JSON Schema of its
config.

Examples:
   rcolpipe plugins info prefix
   rcolpipe plugins info --json ./bin/add-annotation`,
				Flags: []cli.Flag{
					&cli.BoolFlag{Name: "json", Usage: "print the info as JSON"},
					allowProjectPluginsFlag(),
				},
				Action: func(c *cli.Context) error { return runPluginsInfo(c, e) },
			},
			{
				Name:      "lock",
				Usage:     "pin the SHA-256 of every plugin a pipeline uses in rcolpipe.lock",
				ArgsUsage: " ",
				Description: `lock resolves each stage's plugin in the pipeline file and writes
rcolpipe.lock next to it, with the SHA-256 of each external plugin. Runs of a
pipeline that has a lock file refuse a plugin whose binary has changed since.
Bundled plugins are part of rcolpipe itself and are recorded without a sum.
Run it again after you update a plugin you trust. A plugin in
./.rcolpipe/plugins is pinned only with --allow-project-plugins (or when the
lock already pins it as it is); pinning it is what lets runs use it.

Examples:
   rcolpipe plugins lock
   rcolpipe plugins lock -c pipelines/nightly.yaml`,
				Flags: []cli.Flag{
					&cli.StringFlag{Name: "config", Aliases: []string{"c"}, Value: "rcolpipe.yaml", Usage: "pipeline `FILE`"},
					allowProjectPluginsFlag(),
				},
				Action: func(c *cli.Context) error { return runPluginsLock(c, e) },
			},
		},
	}
}

func runPluginsList(c *cli.Context, e *env) error {
	if c.NArg() > 0 {
		return usageError("plugins list: takes no arguments")
	}
	w := e.stdout
	fmt.Fprintln(w, "bundled:")
	registry := bundled.Transformers()
	for _, name := range bundled.Names() {
		info := registry[name].Info()
		fmt.Fprintf(w, "  %-16s %-8s %s\n", name, info.Version, info.Description)
	}
	fmt.Fprintln(w, "on the search path:")
	dirs := host.SearchPath(e.getenv)
	found := (&host.Resolver{SearchPath: dirs, Bundled: bundled.Names()}).Installed()
	for _, f := range found {
		note := ""
		if f.ShadowedBy != "" {
			note = " (shadowed by " + f.ShadowedBy + ")"
		} else if f.ProjectLocal {
			note = " (project-local: runs only when pinned in " + host.LockFileName + " or with --" + flagAllowProjectPlugins + ")"
		}
		fmt.Fprintf(w, "  %-16s %s%s\n", f.Name, f.Path, note)
	}
	if len(found) == 0 {
		fmt.Fprintln(w, "  (none)")
	}
	fmt.Fprintln(w, "search path:")
	for _, dir := range dirs {
		fmt.Fprintf(w, "  %s\n", dir)
	}
	return nil
}

func runPluginsInfo(c *cli.Context, e *env) error {
	if c.NArg() != 1 {
		return usageError("plugins info: want one plugin NAME or PATH")
	}
	ref := c.Args().First()
	opts, err := pluginHostOptions(e, "", nil, c.Bool(flagAllowProjectPlugins))
	if err != nil {
		return inputError("%v", err)
	}
	ctx, stop := host.WithSignals(context.Background())
	defer stop()
	h, err := host.Start(ctx, []host.Spec{{Stage: "info", Plugin: ref}}, opts)
	if err != nil {
		return inputError("%v", err)
	}
	defer h.Close()
	info, err := h.Info("info")
	if err != nil {
		return inputError("%v", err)
	}
	if c.Bool("json") {
		return writePluginInfoJSON(e.stdout, info)
	}
	w := e.stdout
	fmt.Fprintf(w, "name:         %s\n", info.Name)
	fmt.Fprintf(w, "version:      %s\n", info.Version)
	fmt.Fprintf(w, "description:  %s\n", info.Description)
	fmt.Fprintf(w, "protocol:     %d\n", info.ProtocolVersion)
	fmt.Fprintf(w, "sdk:          %s\n", info.SDKVersion)
	if info.Bundled {
		fmt.Fprintf(w, "path:         %s (bundled)\n", info.Path)
	} else {
		fmt.Fprintf(w, "path:         %s\n", info.Path)
	}
	fmt.Fprintf(w, "capabilities: %s\n", strings.Join(info.Capabilities, ", "))
	if len(info.ConfigSchema) > 0 {
		var v any
		if json.Unmarshal(info.ConfigSchema, &v) == nil {
			b, _ := json.MarshalIndent(v, "  ", "  ")
			fmt.Fprintf(w, "config schema:\n  %s\n", b)
		}
	}
	return nil
}

func writePluginInfoJSON(w io.Writer, info host.Info) error {
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
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(out); err != nil {
		return fmt.Errorf("write plugin info: %w", err)
	}
	return nil
}

func runPluginsLock(c *cli.Context, e *env) error {
	if c.NArg() > 0 {
		return usageError("plugins lock: takes no arguments (the stages come from -c FILE)")
	}
	cfg, err := pipeline.LoadConfig(c.String("config"))
	if err != nil {
		return inputError("%v", err)
	}
	base := filepath.Dir(c.String("config"))
	// A project-local plugin the lock already pins as it is stays pinned.
	old, err := host.ReadLockIfExists(filepath.Join(base, host.LockFileName))
	if err != nil {
		return inputError("plugins lock: %v", err)
	}
	opts, err := pluginHostOptions(e, base, old, c.Bool(flagAllowProjectPlugins))
	if err != nil {
		return inputError("%v", err)
	}
	var refs []string
	for _, s := range cfg.Stages {
		if !slices.Contains(refs, s.Plugin) {
			refs = append(refs, s.Plugin)
		}
	}
	r := &host.Resolver{SearchPath: opts.SearchPath, Bundled: opts.Bundled, SelfExe: opts.SelfExe, BaseDir: base,
		AllowProjectLocal: opts.AllowProjectLocal, Lock: old}
	lock, warnings, err := host.LockFor(r, refs)
	for _, w := range warnings {
		e.log.Warn().Msg(w)
	}
	if err != nil {
		var ple *host.ProjectLocalError
		if errors.As(err, &ple) {
			return inputError("plugins lock: %v; if you trust it, run `rcolpipe plugins lock --%s`", err, flagAllowProjectPlugins)
		}
		return inputError("plugins lock: %v", err)
	}
	path := filepath.Join(base, host.LockFileName)
	if err := lock.Write(path); err != nil {
		return inputError("%v", err)
	}
	keys := lock.Refs() // sorted
	for _, k := range keys {
		ent := lock.Plugins[k]
		if ent.Bundled {
			fmt.Fprintf(e.stdout, "%-24s bundled\n", k)
		} else {
			fmt.Fprintf(e.stdout, "%-24s sha256:%s\n", k, ent.SHA256)
		}
	}
	fmt.Fprintf(e.stdout, "wrote %s (%d plugins)\n", path, len(keys))
	return nil
}
