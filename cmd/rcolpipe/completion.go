package main

// Shell completion and the manual page, both from the app's definition:
// bash, zsh and PowerShell ask the binary (urfave/cli's
// --generate-bash-completion lists the commands, subcommands and flags
// that fit), fish gets a static script generated from the definitions,
// and the man page is rendered from them too (docs/rcolpipe.1, kept up to
// date by TestManPageUpToDate).

import (
	"fmt"
	"strings"

	"github.com/urfave/cli/v2"
)

// completionScripts for the shells that ask the binary; %[1]s is the
// program name.
var completionScripts = map[string]string{
	"bash": `# bash completion for %[1]s: source <(%[1]s completion bash)
_%[1]s_complete() {
  local cur="${COMP_WORDS[COMP_CWORD]}"
  local words=("${COMP_WORDS[@]:0:COMP_CWORD}")
  local candidates
  if [[ "$cur" == -* ]]; then
    candidates=$("${words[@]}" "$cur" --generate-bash-completion 2>/dev/null)
  else
    candidates=$("${words[@]}" --generate-bash-completion 2>/dev/null)
  fi
  COMPREPLY=($(compgen -W "$candidates" -- "$cur"))
}
complete -o bashdefault -o default -F _%[1]s_complete %[1]s
`,
	"zsh": `#compdef %[1]s
# zsh completion for %[1]s: %[1]s completion zsh > "${fpath[1]}/_%[1]s"
_%[1]s() {
  local -a candidates
  local cur=${words[CURRENT]}
  if [[ "$cur" == -* ]]; then
    candidates=("${(@f)$(${words[1,CURRENT-1]} $cur --generate-bash-completion 2>/dev/null)}")
  else
    candidates=("${(@f)$(${words[1,CURRENT-1]} --generate-bash-completion 2>/dev/null)}")
  fi
  if (( ${#candidates} )); then
    _describe 'values' candidates
  else
    _files
  fi
}
compdef _%[1]s %[1]s
`,
	"powershell": `# PowerShell completion for %[1]s: %[1]s completion powershell | Out-String | Invoke-Expression
Register-ArgumentCompleter -Native -CommandName %[1]s -ScriptBlock {
  param($wordToComplete, $commandAst, $cursorPosition)
  $words = $commandAst.CommandElements | ForEach-Object { $_.ToString() }
  if ($wordToComplete -ne '') { $words = $words[0..($words.Count - 2)] }
  $rest = @()
  if ($words.Count -gt 1) { $rest = $words[1..($words.Count - 1)] }
  if ($wordToComplete -like '-*') { $rest += $wordToComplete }
  & $words[0] @rest --generate-bash-completion 2>$null | Where-Object { $_ -like "$wordToComplete*" } | ForEach-Object {
    [System.Management.Automation.CompletionResult]::new($_, $_, 'ParameterValue', $_)
  }
}
`,
}

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
			shell := c.Args().First()
			if shell == "fish" {
				script, err := c.App.ToFishCompletion()
				if err != nil {
					return inputError("completion fish: %w", err)
				}
				_, err = fmt.Fprint(e.stdout, script)
				return err
			}
			tmpl, ok := completionScripts[shell]
			if !ok {
				return usageError("completion: unknown shell %q%s: want bash, zsh, fish or powershell", shell, didYouMean(shell, []string{"bash", "zsh", "fish", "powershell"}))
			}
			_, err := fmt.Fprintf(e.stdout, tmpl, c.App.Name)
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
			page, err := manPage(c.App)
			if err != nil {
				return inputError("man: %w", err)
			}
			_, err = fmt.Fprint(e.stdout, page)
			return err
		},
	}
}

// manPage renders the app as section-1 roff. The help command and the
// hidden ones are left out; the version is not in it, so the committed
// page does not change with each build.
func manPage(app *cli.App) (string, error) {
	page, err := app.ToManWithSection(1)
	if err != nil {
		return "", err
	}
	return strings.TrimRight(page, "\n") + "\n", nil
}
