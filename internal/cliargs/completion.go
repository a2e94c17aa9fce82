package cliargs

import (
	"fmt"
	"strings"

	"github.com/urfave/cli/v2"
)

// Shells are the shells CompletionScript writes for.
var Shells = []string{"bash", "zsh", "fish", "powershell"}

// CompletionScript is the completion script of app for shell: bash, zsh
// and PowerShell ask the binary (urfave/cli's --generate-bash-completion
// lists the commands, subcommands and flags that fit), so they follow the
// installed version; fish gets a static script generated from the
// definitions.
func CompletionScript(app *cli.App, shell string) (string, error) {
	if shell == "fish" {
		return app.ToFishCompletion()
	}
	tmpl, ok := completionScripts[shell]
	if !ok {
		return "", &UnknownError{fmt.Sprintf("unknown shell %q%s: want bash, zsh, fish or powershell", shell, DidYouMean(shell, Shells))}
	}
	return fmt.Sprintf(tmpl, app.Name), nil
}

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

// ManPage renders the app as section-1 roff. The help command and the
// hidden ones are left out; the version is not in it, so the committed
// page does not change with each build.
func ManPage(app *cli.App) (string, error) {
	page, err := app.ToManWithSection(1)
	if err != nil {
		return "", err
	}
	return strings.TrimRight(page, "\n") + "\n", nil
}
