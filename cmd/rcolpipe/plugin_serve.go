package main

import (
	"github.com/urfave/cli/v2"

	"github.com/rcolpipe/rcolpipe/plugins/bundled"
	"github.com/rcolpipe/rcolpipe/plugins/host"
	"github.com/rcolpipe/rcolpipe/plugins/sdk"
)

// pluginServeCommand is the hidden `rcolpipe __plugin NAME`: the host
// launches its own executable this way to run a bundled plugin out of
// process, on the same path as any third-party plugin.
func pluginServeCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:      host.ServeCommand,
		Hidden:    true,
		Usage:     "serve a bundled plugin (started by rcolpipe itself)",
		ArgsUsage: "NAME",
		Description: `__plugin serves the bundled plugin NAME over the go-plugin protocol. rcolpipe
starts itself this way for each bundled stage; it is not meant to be run by hand.

Example (what the host runs):
   rcolpipe __plugin prefix`,
		Action: func(c *cli.Context) error {
			if c.NArg() != 1 {
				return usageError("%s: want one plugin NAME", host.ServeCommand)
			}
			t, ok := bundled.Transformers()[c.Args().First()]
			if !ok {
				return usageError("%s: no bundled plugin %q (bundled: %v)", host.ServeCommand, c.Args().First(), bundled.Names())
			}
			sdk.Serve(t) // exits the process
			return nil
		},
	}
}
