package main

import (
	"errors"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/rcolpipe/rcolpipe/output"
	"github.com/rcolpipe/rcolpipe/redcap/sandbox"
)

func sandboxCommand(e *env) *cli.Command {
	stateFlag := &cli.StringFlag{Name: "state", Usage: "state `DIR` (holds state.json)", Required: true}
	return &cli.Command{
		Name:      "sandbox",
		Usage:     "run a REDCap-compatible API server to try uploads without a REDCap account",
		ArgsUsage: " ",
		Description: `The sandbox answers the REDCap API methods rcolpipe uses (version, project,
metadata export and import, instrument, user, repeatingFormsEvents,
fieldValidation, exportFieldNames, record, log, arm, event, formEventMapping)
with REDCap 15.7.6's checks, messages and status codes. Its projects, users and tokens live in DIR/state.json
(format: docs/sandbox.md). Tokens are random; ` + "`sandbox init`" + ` prints them.

Examples:
   rcolpipe sandbox init --state ./sandbox
   rcolpipe sandbox serve --state ./sandbox --addr 127.0.0.1:8380
   curl -s -X POST http://127.0.0.1:8380/api/ -d token=TOKEN -d content=metadata -d format=json
   rcolpipe sandbox add-user --state ./sandbox --username ivy --rights import
   rcolpipe sandbox fault --state ./sandbox --kind status --status 503 --content metadata --count 2`,
		Subcommands: []*cli.Command{
			{
				Name:      "init",
				Usage:     "write a demo state and print its tokens, one `NAME TOKEN` line each",
				ArgsUsage: " ",
				Description: `init writes DIR/state.json with four projects (1 in Development, 2 in
Production, 3 and 4 longitudinal) and one user per token, and prints the tokens:

   full                project 1, every right
   export-only         project 1, API Export only
   no-design           project 1, API Export and Import, no Project Design
   production          project 2 (in Production), every right
   expired             project 1, every right, expired on 2020-01-01
   longitudinal        project 3 (two arms, events, designations), every right
   longitudinal-empty  project 4 (longitudinal, no arms or events yet), every right

An existing state is kept unless --force; then it is first copied to
state.json.bak-YYYYMMDD-HHMMSS (UTC; -1, -2... added when that name is taken).

Examples:
   rcolpipe sandbox init --state ./sandbox
   rcolpipe sandbox init --state ./sandbox --force`,
				Flags: []cli.Flag{stateFlag,
					&cli.BoolFlag{Name: "force", Usage: "replace an existing state (after backing it up)"}},
				Action: func(c *cli.Context) error { return runSandboxInit(c, e) },
			},
			{
				Name:      "serve",
				Usage:     "serve the state in DIR until interrupted",
				ArgsUsage: " ",
				Description: `serve prints the API URL, then answers requests until SIGINT or SIGTERM.
It listens on loopback only unless --public is given: the state holds
tokens, and the sandbox is for trying things, not for data.

Examples:
   rcolpipe sandbox serve --state ./sandbox
   rcolpipe sandbox serve --state ./sandbox --addr 127.0.0.1:9000
   curl -s -X POST http://127.0.0.1:9000/api/ -d token=TOKEN -d content=version`,
				Flags: []cli.Flag{stateFlag,
					&cli.StringFlag{Name: "addr", Value: "127.0.0.1:8380", Usage: "listen on `HOST:PORT` (port 0: any free port)"},
					&cli.BoolFlag{Name: "public", Usage: "allow an address that is not loopback"}},
				Action: func(c *cli.Context) error { return runSandboxServe(c, e) },
			},
			{
				Name:      "add-user",
				Usage:     "add a user with chosen rights and print its new token",
				ArgsUsage: " ",
				Description: `add-user adds a token for tests of rights the demo tokens do not cover,
e.g. a token without API Export. --rights lists what the user may do:
export, import, design, user_rights (comma-separated; "" for nothing).

Examples:
   rcolpipe sandbox add-user --state ./sandbox --username ivy --rights import
   rcolpipe sandbox add-user --state ./sandbox --username sam --rights export --suspended`,
				Flags: []cli.Flag{stateFlag,
					&cli.StringFlag{Name: "username", Usage: "user `NAME`", Required: true},
					&cli.IntFlag{Name: "project", Value: 1, Usage: "project `ID`"},
					&cli.StringFlag{Name: "rights", Value: "export,import,design,user_rights", Usage: "`LIST` of rights"},
					&cli.StringFlag{Name: "expiration", Usage: "rights expire on `YYYY-MM-DD`"},
					&cli.BoolFlag{Name: "suspended", Usage: "the user is suspended"}},
				Action: func(c *cli.Context) error { return runSandboxAddUser(c, e) },
			},
			{
				Name:      "fault",
				Usage:     "add a fault to inject into matching requests (before serve starts)",
				ArgsUsage: " ",
				Description: `fault records a fault in DIR/state.json; a server started afterwards
injects it. Kinds: latency (--latency), status (--status, default 500),
html (200 with a login page), redirect (--status 301|302, --location),
drop-before (connection closed, request not handled), drop-after (request
handled, e.g. an import applied, then the connection closed), body (200
with --body as JSON, request not handled).

Examples:
   rcolpipe sandbox fault --state ./sandbox --kind status --status 503 --content metadata --action export --count 2
   rcolpipe sandbox fault --state ./sandbox --kind drop-after --content metadata --action import --count 1
   rcolpipe sandbox fault --state ./sandbox --kind latency --latency 2s
   rcolpipe sandbox fault --state ./sandbox --kind body --body '[]' --content metadata --action export`,
				Flags: []cli.Flag{stateFlag,
					&cli.StringFlag{Name: "kind", Usage: "`KIND` of fault", Required: true},
					&cli.StringFlag{Name: "content", Usage: "only for this `CONTENT` (default: any)"},
					&cli.StringFlag{Name: "action", Usage: "only for this `ACTION`: export or import (default: both)"},
					&cli.IntFlag{Name: "count", Usage: "for the next `N` matching requests (0: all)"},
					&cli.IntFlag{Name: "skip", Usage: "let the first `N` matching requests pass untouched"},
					&cli.IntFlag{Name: "status", Usage: "HTTP `STATUS` for status and redirect faults"},
					&cli.DurationFlag{Name: "latency", Usage: "`DURATION` for latency faults"},
					&cli.StringFlag{Name: "location", Usage: "redirect target `URL`"},
					&cli.StringFlag{Name: "body", Usage: "`JSON` that body faults answer"}},
				Action: func(c *cli.Context) error { return runSandboxFault(c, e) },
			},
		},
	}
}

func runSandboxInit(c *cli.Context, e *env) error {
	dir := c.String("state")
	tokens, backup, err := sandbox.Init(dir, c.Bool("force"), time.Now())
	if backup != "" {
		e.log.Info().Str("backup", backup).Msg("backed up the old state")
	}
	if err != nil {
		return inputError("sandbox init: %v", err)
	}
	for _, t := range tokens {
		fmt.Fprintf(e.stdout, "%s %s\n", t.Name, t.Token)
	}
	e.log.Info().Str("state", filepath.Join(dir, sandbox.StateFile)).Msg("wrote the demo state")
	return nil
}

func runSandboxServe(c *cli.Context, e *env) error {
	addr := c.String("addr")
	loop, err := sandbox.IsLoopback(addr)
	if err != nil {
		return usageError("sandbox serve --addr %q: %v", addr, err)
	}
	if !loop && !c.Bool("public") {
		return usageError("sandbox serve --addr %q is not a loopback address; add --public to serve it to other machines", addr)
	}
	// Catch the signals before the URL is out: whoever reads the URL may
	// send SIGINT at once.
	ctx, stop := signal.NotifyContext(c.Context, os.Interrupt, syscall.SIGTERM)
	defer stop()
	printURL := func(url string) { fmt.Fprintln(e.stdout, url) }
	if err := sandbox.ServeDir(ctx, c.String("state"), addr, printURL, sandbox.WithRequestLog(output.SandboxRequestLogger(e.log))); err != nil {
		return inputError("sandbox serve: %v", err)
	}
	e.log.Info().Msg("sandbox stopped")
	return nil
}

func runSandboxAddUser(c *cli.Context, e *env) error {
	r, err := sandbox.ParseRights(c.String("rights"))
	if err != nil {
		return usageError("sandbox add-user --rights: %v", err)
	}
	if exp := c.String("expiration"); exp != "" {
		if _, err := time.Parse("2006-01-02", exp); err != nil {
			return usageError("sandbox add-user --expiration %q: want YYYY-MM-DD", exp)
		}
	}
	tok, err := sandbox.AddUserTo(c.String("state"), sandbox.User{Username: c.String("username"), ProjectID: c.Int("project"),
		Expiration: c.String("expiration"), Suspended: c.Bool("suspended"), Rights: r})
	if errors.Is(err, sandbox.ErrNoProject) {
		return usageError("sandbox add-user --project %d: no such project", c.Int("project"))
	} else if err != nil {
		return inputError("sandbox add-user: %v", err)
	}
	fmt.Fprintf(e.stdout, "%s %s\n", c.String("username"), tok)
	return nil
}

func runSandboxFault(c *cli.Context, e *env) error {
	f := sandbox.Fault{
		Kind: c.String("kind"), Content: c.String("content"), Action: c.String("action"),
		Count: c.Int("count"), Skip: c.Int("skip"), Status: c.Int("status"), Latency: sandbox.Duration{Duration: c.Duration("latency")},
		Location: c.String("location"), Body: c.String("body"),
	}
	err := sandbox.AddFault(c.String("state"), f)
	if errors.Is(err, sandbox.ErrInvalid) {
		return usageError("sandbox fault: %v", err)
	} else if err != nil {
		return inputError("sandbox fault: %v", err)
	}
	e.log.Info().Str("fault", f.String()).Int("count", f.Count).Msg("added fault")
	return nil
}
