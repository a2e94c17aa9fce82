package main

import (
	"context"

	"github.com/urfave/cli/v2"

	"github.com/rcolpipe/rcolpipe/output"
	"github.com/rcolpipe/rcolpipe/redcap/api"
)

// Names of the rows check adds before the preflight.
const (
	checkRowURL   = "API URL"
	checkRowToken = "token"
	checkRowSafe  = "token storage"
)

func checkCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:      "check",
		Usage:     "check what the API token may do in the REDCap project, before an upload",
		ArgsUsage: " ",
		Description: `Checks, with read-only API calls, whether a data dictionary can be uploaded:

   API URL                the URL ends in /api/ and is https (http only on loopback)
   token                  found (RC_API_KEY in the environment, else in ./.env,
                          else --token-file) and shaped like a REDCap token
   token and API Export   REDCap accepts the token and it may export (version)
   project status         the project is in Development (Production and
                          Analysis/Cleanup refuse a dictionary upload)
   Project Design rights  the repeating-instruments export, which needs Design
   user rights            with --username (or RC_USERNAME): the user export says
                          whether you have API Import/Update, Project Design and
                          which forms you may edit (needs the User Rights privilege)
   API Import/Update      cannot be tested without changing the project; an
                          upload without it fails before it changes anything

REDCap cannot tell whose token it is: --username names the user whose rights
are read, so give your own. Each failed check says what to do. The token is
never printed; --debug-http logs the requests with the token redacted.

Examples:
   rcolpipe check --url https://redcap.example.org/redcap/api/
   RC_API_KEY=... rcolpipe check --url https://redcap.example.org/redcap/api/ --username jdoe
   rcolpipe check -c rcolpipe.yaml --format json

EXIT CODES:
   0  every required check passed (warnings and skipped optional checks allowed)
   1  a required check failed
   2  the command line is wrong`,
		Flags: append(targetFlags(),
			configFlag(),
			&cli.StringFlag{Name: "format", Aliases: []string{"f"}, Value: "text", Usage: "output: text or json"},
		),
		Action: func(c *cli.Context) error {
			if c.Args().Len() > 0 {
				return usageError("check: unexpected argument %q", c.Args().First())
			}
			format := c.String("format")
			if err := output.CheckFormat(format); err != nil {
				return usageError("check: %v", err)
			}
			cfg, err := loadTargetConfig(c)
			if err != nil {
				return err
			}
			s := targetSettingsFrom(c, cfg)
			if s.URL == "" {
				return usageError("check: no REDCap API URL: pass --url https://redcap.example.org/redcap/api/ (or set RC_API_URL, or target.url in the pipeline file)")
			}
			if s.URL == "sandbox" {
				return usageError("check: the target \"sandbox\" exists only inside rcolpipe run; start one with rcolpipe sandbox serve and pass its URL")
			}
			r := runCheck(c.Context, e, s)
			if err := output.WriteCheck(e.stdout, r, format); err != nil {
				return inputError("check: %v", err)
			}
			if !r.OK {
				return silentExit(exitInvalid)
			}
			return nil
		},
	}
}

// runCheck checks the URL and the token, then runs the API preflight.
func runCheck(ctx context.Context, e *env, s targetSettings) output.Check {
	var r output.Check
	if _, err := api.CheckURL(s.URL); err != nil {
		// The report leaves out a refused URL: it may hold a secret.
		r.Checks = append(r.Checks, api.PreflightItem{Check: checkRowURL, Result: api.ResultFail, Required: true,
			Detail: err.Error(), Advice: "Use your REDCap address followed by /api/, as shown on the project's API page (Applications > API)."})
		return r
	}
	r.URL = s.URL
	r.Checks = append(r.Checks, api.PreflightItem{Check: checkRowURL, Result: api.ResultOK, Required: true, Detail: s.URL})
	tok, warnings, err := loadToken(e, s)
	if err != nil {
		r.Checks = append(r.Checks, api.PreflightItem{Check: checkRowToken, Result: api.ResultFail, Required: true,
			Detail: err.Error(),
			Advice: "Put the token in .env as RC_API_KEY=<token> (chmod 600 .env, and keep .env out of git), or pass --token-file. " +
				"No token yet? Request one on the project's API page (Applications > API); your REDCap administrator approves it."})
		return r
	}
	r.Checks = append(r.Checks, api.PreflightItem{Check: checkRowToken, Result: api.ResultOK, Required: true,
		Detail: "from " + tok.Source()})
	for _, w := range warnings {
		r.Checks = append(r.Checks, api.PreflightItem{Check: checkRowSafe, Result: api.ResultWarn, Detail: w,
			Advice: "Anyone who can read the token can change the project; keep it private."})
	}
	client, err := api.New(s.URL, tok, clientOptions(e, s)...)
	if err != nil {
		r.Checks = append(r.Checks, api.PreflightItem{Check: checkRowURL, Result: api.ResultFail, Required: true, Detail: err.Error()})
		return r
	}
	pre := api.Preflight(ctx, client, api.PreflightOptions{Username: s.Username})
	r.Version, r.Project = pre.Version, pre.Project
	r.Checks = append(r.Checks, pre.Items...)
	r.OK = true
	for _, it := range r.Checks {
		if it.Required && it.Result != api.ResultOK {
			r.OK = false
		}
	}
	return r
}
