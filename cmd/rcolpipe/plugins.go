package main

import (
	"context"
	"errors"

	"github.com/urfave/cli/v2"

	"github.com/rcolpipe/rcolpipe/output"
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

// pluginHostOptions configures the plugin host for this command line
// (bundled.HostOptions).
func pluginHostOptions(e *env, allowProject bool) (host.Options, error) {
	return bundled.HostOptions(e.getenv, e.log, version, allowProject)
}

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
   rcolpipe plugins info --format json ./bin/add-annotation`,
				Flags: []cli.Flag{
					&cli.StringFlag{Name: "format", Aliases: []string{"f"}, Value: "text", Usage: "output format: text or json"},
					&cli.BoolFlag{Name: "json", Usage: "the same as --format json"},
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
	l := output.PluginList{SearchPath: host.SearchPath(e.getenv), AllowFlag: flagAllowProjectPlugins}
	registry := bundled.Transformers()
	for _, name := range bundled.Names() {
		info := registry[name].Info()
		l.Bundled = append(l.Bundled, output.BundledPlugin{Name: name, Version: info.Version, Description: info.Description})
	}
	l.Installed = (&host.Resolver{SearchPath: l.SearchPath, Bundled: bundled.Names()}).Installed()
	return output.WritePluginList(e.stdout, l)
}

func runPluginsInfo(c *cli.Context, e *env) error {
	if c.NArg() != 1 {
		return usageError("plugins info: want one plugin NAME or PATH")
	}
	format := c.String("format")
	if c.Bool("json") {
		format = output.FormatJSON
	}
	if err := output.CheckFormat(format); err != nil {
		return usageError("plugins info: %v", err)
	}
	ref := c.Args().First()
	opts, err := pluginHostOptions(e, c.Bool(flagAllowProjectPlugins))
	if err != nil {
		return inputError("%v", err)
	}
	ctx, stop := host.WithSignals(context.Background())
	defer stop()
	h, err := host.Start(ctx, []host.Spec{{Stage: "info", Plugin: ref}}, opts)
	if err != nil {
		// "info" is only the name of the one stage started here, not a
		// stage the user named: say "plugins info: plugin NAME: ...".
		var he *host.Error
		if errors.As(err, &he) {
			he.Stage = ""
		}
		return inputError("plugins info: %v", err)
	}
	defer h.Close()
	info, err := h.Info("info")
	if err != nil {
		return inputError("%v", err)
	}
	return output.WritePluginInfo(e.stdout, info, format)
}

func runPluginsLock(c *cli.Context, e *env) error {
	if c.NArg() > 0 {
		return usageError("plugins lock: takes no arguments (the stages come from -c FILE)")
	}
	cfg, err := pipeline.LoadConfig(c.String("config"))
	if err != nil {
		return usageError("%v", err) // a missing or invalid pipeline file
	}
	opts, err := pluginHostOptions(e, c.Bool(flagAllowProjectPlugins))
	if err != nil {
		return inputError("%v", err)
	}
	lock, path, warnings, err := pipeline.LockPlugins(cfg, opts)
	for _, w := range warnings {
		e.log.Warn().Msg(w)
	}
	var ple *host.ProjectLocalError
	if errors.As(err, &ple) {
		return inputError("plugins lock: %v; if you trust it, run `rcolpipe plugins lock --%s`", err, flagAllowProjectPlugins)
	} else if err != nil {
		return pipelineError("plugins lock", err)
	}
	return output.WriteLock(e.stdout, lock, path)
}
