package main

import (
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/mattn/go-isatty"
	"github.com/rs/zerolog"
	"github.com/urfave/cli/v2"

	"github.com/rcolpipe/rcolpipe/internal/cliargs"
	"github.com/rcolpipe/rcolpipe/internal/redact"
	"github.com/rcolpipe/rcolpipe/output"
	"github.com/rcolpipe/rcolpipe/redcap/api"
)

// Exit codes, documented in --help and README.
const (
	exitOK      = 0 // success
	exitInvalid = 1 // the input has errors (or the run failed)
	exitUsage   = 2 // the command line is wrong
)

// defaultVersion is the version of a build without -ldflags.
const defaultVersion = "0.1.0-dev"

// version is set at build time with -ldflags "-X main.version=...".
var version = defaultVersion

// env is what a command may touch of the outside world. Tests and the
// testscript harness build their own; nothing else is global.
type env struct {
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	getenv func(string) string
	// stdoutIsTerminal turns on colour and confirmation prompts.
	stdoutIsTerminal bool
	stdinIsTerminal  bool
	// stderrIsTerminal turns on the progress line of long runs.
	stderrIsTerminal bool
	// openTTY opens the terminal for the upload prompt (nil: stderr).
	openTTY func() (io.WriteCloser, error)
	// log is set up by the app's Before hook from --log-level/--log-format.
	log zerolog.Logger
	// secrets redacts every token rcolpipe knows from stdout and stderr
	// (internal/redact); upload.Target.Token adds a token read from .env or a token file.
	secrets *redact.Redactor
}

// newEnv is the real world: stdout and stderr behind the redactor, which
// knows RC_API_KEY from the environment from the start.
func newEnv() *env {
	secrets := &redact.Redactor{}
	secrets.AddSecret(os.Getenv(api.TokenEnv))
	stderr := secrets.Wrap(os.Stderr)
	return &env{
		stdin:            os.Stdin,
		stdout:           secrets.Wrap(os.Stdout),
		stderr:           stderr,
		getenv:           os.Getenv,
		stdoutIsTerminal: isatty.IsTerminal(os.Stdout.Fd()),
		stdinIsTerminal:  isatty.IsTerminal(os.Stdin.Fd()),
		stderrIsTerminal: isatty.IsTerminal(os.Stderr.Fd()),
		openTTY:          openControllingTerminal,
		log:              zerolog.New(stderr),
		secrets:          secrets,
	}
}

// flush writes out what the redactor holds back (before a prompt, at exit).
func (e *env) flush() {
	if e.secrets != nil {
		e.secrets.Flush()
	}
}

// exitError carries an exit code out of a command's Action.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

// usageError reports a wrong command line (exit 2).
func usageError(format string, args ...any) error {
	return &exitError{code: exitUsage, err: fmt.Errorf(format, args...)}
}

// inputError reports that the input has errors or the run failed (exit 1).
func inputError(format string, args ...any) error {
	return &exitError{code: exitInvalid, err: fmt.Errorf(format, args...)}
}

// silentExit ends a command with a code whose reason was already printed.
func silentExit(code int) error { return &exitError{code: code} }

const exitCodesHelp = `EXIT CODES:
   0  success
   1  the input has errors, or the run failed (validation errors, a refused or
      failed upload)
   2  the command line is wrong (unknown flag, missing argument, bad value, an
      INPUT or pipeline file that does not exist, an invalid pipeline file, a
      --url that is not a REDCap API URL, a stage config the plugin refuses or a
      stage naming no plugin)`

func newApp(e *env) *cli.App {
	app := &cli.App{
		Name:        "rcolpipe",
		Usage:       "validate, transform and upload REDCap data dictionaries",
		Version:     version,
		HideVersion: true, // versionFlag: with the commit and Go version
		Description: `rcolpipe reads REDCap instrument definitions (data dictionaries) from CSV,
JSON, instrument ZIPs or folders, checks them against REDCap's own rules and your
institution's conventions, runs them through transform plugins, and uploads them
to a REDCap project without deleting what is already there.

Flags may come before or after the inputs, global flags after the command
name too; after -- everything is an input. rcolpipe help CMD shows a command's help.

Examples:
   rcolpipe inspect instruments/
   rcolpipe validate instruments/ --strict --log-level debug
   rcolpipe help validate
   rcolpipe convert --to json -o all.json demographics.csv phq9.csv
   rcolpipe run examples/rcolpipe.yaml

` + exitCodesHelp,
		Reader:               e.stdin,
		Writer:               e.stdout,
		ErrWriter:            e.stderr,
		EnableBashCompletion: true,
		Suggest:              true,
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "log-level", Value: "info", Usage: "log level: debug, info, warn, error", EnvVars: []string{"RCOLPIPE_LOG_LEVEL"}},
			&cli.StringFlag{Name: "log-format", Value: "console", Usage: "log format on stderr: console or json"},
			versionFlag(),
		},
		Before: func(c *cli.Context) error {
			if c.Bool("version") {
				if err := writeVersion(e.stdout); err != nil {
					return inputError("write the version: %w", err)
				}
				return silentExit(exitOK)
			}
			lg, err := output.NewLogger(e.stderr, c.String("log-level"), c.String("log-format"))
			if err != nil {
				return usageError("%v", err)
			}
			e.log = lg
			return nil
		},
		OnUsageError: func(c *cli.Context, err error, isSubcommand bool) error {
			return usageError("%v%s", err, cliargs.FlagSuggestion(err, c.App.Flags))
		},
		ExitErrHandler: func(*cli.Context, error) {}, // run() decides exit codes
		Commands:       commands(e),
	}
	for _, cmd := range app.Commands {
		setUsageErrors(cmd, app.Flags)
	}
	return app
}

// commands lists every command, one file per command.
func commands(e *env) []*cli.Command {
	return []*cli.Command{
		validateCommand(e),
		convertCommand(e),
		inspectCommand(e),
		rulesCommand(e),
		checkCommand(e),
		exportCommand(e),
		pluginsCommand(e),
		pluginServeCommand(e),
		transformCommand(e),
		sandboxCommand(e),
		uploadCommand(e),
		backupsCommand(e),
		diffCommand(e),
		previewCommand(e),
		runCommand(e),
		fmtCommand(e),
		completionCommand(e),
		manCommand(e),
	}
}

// setUsageErrors makes flag errors of every (sub)command exit 2, with the
// nearest flag name of the command or the global ones.
func setUsageErrors(cmd *cli.Command, globals []cli.Flag) {
	if cmd.OnUsageError == nil {
		cmd.OnUsageError = func(c *cli.Context, err error, isSubcommand bool) error {
			return usageError("%v%s", err, cliargs.FlagSuggestion(err, cmd.Flags, globals))
		}
	}
	for _, sub := range cmd.Subcommands {
		setUsageErrors(sub, globals)
	}
}

// run runs the app and turns its error into an exit code.
func run(args []string, e *env) int {
	defer e.flush()
	app := newApp(e)
	args, err := cliargs.Normalize(app, args)
	var unknown *cliargs.UnknownError
	if errors.As(err, &unknown) {
		err = usageError("%v", err)
	}
	if err == nil {
		err = app.Run(args)
	}
	if err == nil {
		return exitOK
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.err != nil {
			fmt.Fprintf(e.stderr, "rcolpipe: %v\n", ee.err)
		}
		return ee.code
	}
	// Errors from urfave/cli itself (unknown command, missing flag value).
	fmt.Fprintf(e.stderr, "rcolpipe: %v\n", err)
	if cliargs.IsUsage(err) {
		return exitUsage
	}
	return exitInvalid
}
