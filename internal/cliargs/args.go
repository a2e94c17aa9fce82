// Package cliargs is the command line's grammar around urfave/cli: the
// order of flags and inputs, "did you mean" for names, and the shell
// completion scripts and manual page generated from an app's definition.
package cliargs

// urfave/cli v2 stops reading flags at the first positional argument, so
// `rcolpipe validate x.json --strict` would take "--strict" for an input,
// and a global flag after the command name would be unknown. Normalize
// reorders the command line before the app parses it, using the flag
// definitions of the app and of the command: global flags go before the
// command, the command's flags before its positional arguments, and
// everything after "--" stays positional. An unknown command is refused
// here, with the nearest name.

import (
	"fmt"
	"slices"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/rcolpipe/rcolpipe/internal/textdist"
)

// Normalize returns args (program name first) in the order urfave/cli
// reads them, or a usage error for an unknown command or subcommand.
func Normalize(app *cli.App, args []string) ([]string, error) {
	// Shell completion (completion.go): urfave/cli looks for its flag at
	// the end of the line, where the scripts put it.
	if len(args) < 2 || args[len(args)-1] == "--generate-bash-completion" {
		return args, nil
	}
	var globals, path, flags, positionals []string
	rest := args[1:]

	// Global flags before the command.
	for len(rest) > 0 && isFlagToken(rest[0]) {
		if findFlag(app.Flags, flagName(rest[0])) == nil {
			return args, nil // urfave/cli reports the unknown flag
		}
		n := flagTokens(rest, app.Flags)
		globals = append(globals, rest[:n]...)
		rest = rest[n:]
	}
	if len(rest) == 0 || rest[0] == "--" {
		return args, nil
	}
	name := rest[0]
	if name == "help" || name == "h" {
		return args, nil // the help command takes command names, no flags
	}
	cmd := app.Command(name)
	if cmd == nil {
		return nil, &UnknownError{fmt.Sprintf("unknown command %q%s (`%s --help` lists the commands)", name, DidYouMean(name, commandNames(app.Commands)), app.Name)}
	}
	path = append(path, name)
	rest = rest[1:]

	// A command with subcommands: its own flags, then the subcommand.
	for len(cmd.Subcommands) > 0 {
		for len(rest) > 0 && isFlagToken(rest[0]) {
			n := flagTokens(rest, cmd.Flags)
			path = append(path, rest[:n]...)
			rest = rest[n:]
		}
		if len(rest) == 0 || rest[0] == "--" {
			return args, nil // urfave/cli shows the command's help
		}
		sub := cmd.Command(rest[0])
		if rest[0] == "help" || rest[0] == "h" {
			return args, nil
		}
		if sub == nil {
			return nil, &UnknownError{fmt.Sprintf("%s: unknown subcommand %q%s (`%s %s --help` lists them)", cmd.Name, rest[0], DidYouMean(rest[0], commandNames(cmd.Subcommands)), app.Name, cmd.Name)}
		}
		path = append(path, rest[0])
		rest = rest[1:]
		cmd = sub
	}

	dashDash := false
	for len(rest) > 0 {
		tok := rest[0]
		switch {
		case tok == "--":
			dashDash = true
			positionals = append(positionals, rest[1:]...)
			rest = nil
		case isFlagToken(tok):
			// The command's own flag wins over a global flag of the same name.
			if findFlag(cmd.Flags, flagName(tok)) == nil && findFlag(app.Flags, flagName(tok)) != nil {
				n := flagTokens(rest, app.Flags)
				globals = append(globals, rest[:n]...)
				rest = rest[n:]
				continue
			}
			n := flagTokens(rest, cmd.Flags)
			flags = append(flags, rest[:n]...)
			rest = rest[n:]
		default:
			positionals = append(positionals, tok)
			rest = rest[1:]
		}
	}
	out := append([]string{args[0]}, globals...)
	out = append(out, path...)
	out = append(out, flags...)
	if dashDash || slices.ContainsFunc(positionals, isFlagToken) {
		out = append(out, "--")
	}
	return append(out, positionals...), nil
}

// isFlagToken: "-x", "--name", "--name=value"; "-" alone is a positional
// (standard input).
func isFlagToken(s string) bool { return len(s) > 1 && s[0] == '-' && s != "--" }

// flagName is the name in "-x", "--name" or "--name=value".
func flagName(tok string) string {
	name, _, _ := strings.Cut(strings.TrimLeft(tok, "-"), "=")
	return name
}

// flagTokens is how many tokens the flag at rest[0] spans: two when it
// takes a value given as the next argument, else one. An unknown flag spans
// one; urfave/cli then reports it.
func flagTokens(rest []string, defs []cli.Flag) int {
	tok := rest[0]
	if strings.Contains(tok, "=") {
		return 1
	}
	f := findFlag(defs, flagName(tok))
	if f == nil || !takesValue(f) || len(rest) < 2 {
		return 1
	}
	return 2
}

// findFlag finds a flag by any of its names; the help flags,
// which the app adds only when it runs, are booleans of their own.
func findFlag(defs []cli.Flag, name string) cli.Flag {
	for _, f := range defs {
		if slices.Contains(f.Names(), name) {
			return f
		}
	}
	for _, f := range []cli.Flag{cli.HelpFlag, cli.BashCompletionFlag} {
		if f != nil && slices.Contains(f.Names(), name) {
			return f
		}
	}
	return nil
}

func takesValue(f cli.Flag) bool {
	if d, ok := f.(cli.DocGenerationFlag); ok {
		return d.TakesValue()
	}
	return false
}

func commandNames(cmds []*cli.Command) []string {
	var names []string
	for _, c := range cmds {
		if !c.Hidden {
			names = append(names, c.Names()...)
		}
	}
	return names
}

// DidYouMean returns "; did you mean X?" for the candidate nearest to
// given (by edit distance, a third of its length at most), or "".
func DidYouMean(given string, candidates []string) string {
	best, bestDist := "", -1
	for _, c := range candidates {
		a, b := strings.ToLower(given), strings.ToLower(c)
		d := textdist.Levenshtein(a, b, len(a)+len(b)+1) // unbounded
		if bestDist < 0 || d < bestDist {
			best, bestDist = c, d
		}
	}
	limit := max(2, len(given)/3)
	if best == "" || bestDist > limit {
		return ""
	}
	return "; did you mean " + best + "?"
}

// FlagSuggestion adds "did you mean --X?" to urfave/cli's error for an
// unknown flag, from the flags of the command (and the global ones).
func FlagSuggestion(err error, defs ...[]cli.Flag) string {
	const prefix = "flag provided but not defined: -"
	msg := err.Error()
	i := strings.Index(msg, prefix)
	if i < 0 {
		return ""
	}
	given := strings.TrimLeft(msg[i+len(prefix):], "-")
	var names []string
	for _, fs := range defs {
		for _, f := range fs {
			for _, n := range f.Names() {
				if len(n) > 1 {
					names = append(names, n)
				}
			}
		}
	}
	s := DidYouMean(given, names)
	if s == "" {
		return ""
	}
	return strings.Replace(s, "did you mean ", "did you mean --", 1)
}

// UnknownError is an unknown command or subcommand: a command-line error.
type UnknownError struct{ msg string }

func (e *UnknownError) Error() string { return e.msg }

// IsUsage reports whether an error of urfave/cli itself (an unknown flag,
// a missing flag or flag value, an invalid value, an unknown help topic)
// says the command line is wrong.
func IsUsage(err error) bool {
	msg := err.Error()
	for _, s := range []string{"flag provided but not defined", "Required flag", "No help topic", "invalid value", "flag needs an argument"} {
		if strings.Contains(msg, s) {
			return true
		}
	}
	return false
}
