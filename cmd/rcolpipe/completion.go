package main

// Shell completion and the manual page, both generated from the app's
// definition by internal/cliargs (docs/rcolpipe.1 is kept up to date by
// TestManPageUpToDate).

import (
	"errors"
	"fmt"

	"github.com/rcolpipe/rcolpipe/internal/cliargs"
	"github.com/urfave/cli/v2"
)

func completionCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:      "completion",
		Usage:     "print a shell completion script: bash, zsh, fish or powershell",
		ArgsUsage: "bash|zsh|fish|powershell",
		Description: `Prints a script that completes rcolpipe's commands, subcommands and flags.
The bash, zsh and PowerShell scripts ask rcolpipe itself what fits, so they
follow the installed version; the fish script is generated from the commands.

Examples:
   source <(rcolpipe completion bash)                      # in ~/.bashrc
   rcolpipe completion zsh > "${fpath[1]}/_rcolpipe"
   rcolpipe completion fish > ~/.config/fish/completions/rcolpipe.fish
   rcolpipe completion powershell | Out-String | Invoke-Expression   # in $PROFILE

` + exitCodesHelp,
		Action: func(c *cli.Context) error {
			if c.NArg() != 1 {
				return usageError("completion: want one shell: bash, zsh, fish or powershell")
			}
			script, err := cliargs.CompletionScript(c.App, c.Args().First())
			var unknown *cliargs.UnknownError
			switch {
			case errors.As(err, &unknown):
				return usageError("completion: %v", err)
			case err != nil:
				return inputError("completion: %w", err)
			}
			_, err = fmt.Fprint(e.stdout, script)
			return err
		},
	}
}

func manCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:  "man",
		Usage: "print the manual page (roff), generated from the commands and flags",
		Description: `Prints rcolpipe(1) in roff; docs/rcolpipe.1 is the same page.

Examples:
   rcolpipe man | man -l -
   rcolpipe man > /usr/local/share/man/man1/rcolpipe.1

` + exitCodesHelp,
		Action: func(c *cli.Context) error {
			if c.NArg() > 0 {
				return usageError("man: takes no arguments")
			}
			page, err := cliargs.ManPage(c.App)
			if err != nil {
				return inputError("man: %w", err)
			}
			_, err = fmt.Fprint(e.stdout, page)
			return err
		},
	}
}
