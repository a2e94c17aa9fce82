package main

// Shared by every command that talks to a REDCap project (check, export,
// and upload/diff/run): the target flags, where the token comes from, and
// building the API client.
//
// Use:
//
//	Flags: append(targetFlags(), ...),
//	Action: func(c *cli.Context) error {
//	    s, err := targetSettingsFrom(c, cfgTarget) // cfgTarget: *pipeline.TargetConfig or nil
//	    ...
//	    t, err := openTarget(e, s)                 // resolves the token, logs its warnings
//	    ... t.Client.ExportMetadata(ctx) ...
//	}
//
// The token is read, in this order, from RC_API_KEY in the environment,
// RC_API_KEY in .env in the working directory (the environment wins), then
// the file named by --token-file (or target.token_file). It is never
// printed: api.Token redacts itself and the client redacts it from every
// error and --debug-http dump.

import (
	"fmt"
	"os"
	"time"

	"github.com/rs/zerolog"
	"github.com/urfave/cli/v2"

	"github.com/rcolpipe/rcolpipe/pipeline"
	"github.com/rcolpipe/rcolpipe/redcap/api"
)

// Target flag names.
const (
	flagURL          = "url"
	flagTokenFile    = "token-file"
	flagTokenPattern = "token-pattern"
	flagUsername     = "username"
	flagDebugHTTP    = "debug-http"
	flagTimeout      = "timeout"
)

// targetFlags are the flags that say which REDCap project to talk to and how.
func targetFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: flagURL, EnvVars: []string{"RC_API_URL"},
			Usage: "REDCap API URL, ending in /api/ (e.g. https://redcap.example.org/redcap/api/)"},
		&cli.StringFlag{Name: flagTokenFile,
			Usage: "file holding the API token, used when RC_API_KEY is neither in the environment nor in ./.env"},
		&cli.StringFlag{Name: flagTokenPattern,
			Usage: "regular expression the token must match (default: 32 hex characters, REDCap's project tokens)"},
		&cli.StringFlag{Name: flagUsername, EnvVars: []string{"RC_USERNAME"},
			Usage: "your REDCap user name: lets the check read your API Import, Design and form rights"},
		&cli.BoolFlag{Name: flagDebugHTTP,
			Usage: "log every API request and response at debug level (the token is redacted)"},
		&cli.DurationFlag{Name: flagTimeout, Value: api.DefaultTimeout,
			Usage: "time limit of each API request"},
	}
}

// targetSettings says how to reach a REDCap project.
type targetSettings struct {
	URL          string
	TokenFile    string
	TokenPattern string
	Username     string
	Timeout      time.Duration
	DebugHTTP    bool
}

// targetSettingsFrom reads the target flags; cfg (the pipeline file's
// target section, may be nil) supplies what the flags leave unset.
func targetSettingsFrom(c *cli.Context, cfg *pipeline.TargetConfig) targetSettings {
	s := targetSettings{
		URL:          c.String(flagURL),
		TokenFile:    c.String(flagTokenFile),
		TokenPattern: c.String(flagTokenPattern),
		Username:     c.String(flagUsername),
		Timeout:      c.Duration(flagTimeout),
		DebugHTTP:    c.Bool(flagDebugHTTP),
	}
	if cfg != nil {
		for _, p := range []struct {
			dst *string
			v   string
		}{
			{&s.URL, cfg.URL}, {&s.TokenFile, cfg.TokenFile}, {&s.TokenPattern, cfg.TokenPattern}, {&s.Username, cfg.Username},
		} {
			if *p.dst == "" {
				*p.dst = p.v
			}
		}
	}
	return s
}

// loadTargetConfig reads the target section of the pipeline file named by
// -c, or returns nil when -c was not given.
func loadTargetConfig(c *cli.Context) (*pipeline.TargetConfig, error) {
	path := c.String("config")
	if path == "" {
		return nil, nil
	}
	cfg, err := pipeline.LoadConfig(path)
	if err != nil {
		return nil, inputError("%v", err)
	}
	return &cfg.Target, nil
}

// configFlag is -c, the pipeline file whose target section is used.
func configFlag() cli.Flag {
	return &cli.StringFlag{Name: "config", Aliases: []string{"c"},
		Usage: "pipeline file (rcolpipe.yaml) whose target section gives the URL, token file and user name; flags win"}
}

// target is an opened REDCap target.
type target struct {
	Client *api.Client
	// TokenWarnings say when the token's file is readable by others or
	// tracked by git; openTarget has logged them.
	TokenWarnings []string
}

// loadToken finds the token for s (see the file comment for the order).
func loadToken(e *env, s targetSettings) (api.Token, []string, error) {
	wd, err := os.Getwd()
	if err != nil {
		return api.Token{}, nil, fmt.Errorf("working directory: %w", err)
	}
	tok, warnings, err := api.LoadToken(e.getenv, wd, s.TokenFile, s.TokenPattern)
	if e.secrets != nil {
		tok.ShareWith(e.secrets)
	}
	return tok, warnings, err
}

// clientOptions are the api options for s, logging to e.log.
func clientOptions(e *env, s targetSettings) []api.Option {
	lg := e.log
	if s.DebugHTTP && lg.GetLevel() > zerolog.DebugLevel {
		// --debug-http asks for the dumps even at the default log level.
		lg = lg.Level(zerolog.DebugLevel)
	}
	return []api.Option{api.WithTimeout(s.Timeout), api.WithLogger(lg), api.WithDebugHTTP(s.DebugHTTP)}
}

// openTarget checks the URL, loads the token and builds the client. A
// missing URL is a usage error (exit 2); a bad URL or token exits 1.
func openTarget(e *env, s targetSettings) (*target, error) {
	if s.URL == "" {
		return nil, usageError("no REDCap API URL: pass --url https://redcap.example.org/redcap/api/ (or set RC_API_URL, or target.url in the pipeline file)")
	}
	if s.URL == "sandbox" {
		return nil, usageError("the target \"sandbox\" exists only inside rcolpipe run; start one with rcolpipe sandbox serve and pass its URL")
	}
	if _, err := api.CheckURL(s.URL); err != nil {
		return nil, inputError("%v", err)
	}
	tok, warnings, err := loadToken(e, s)
	for _, w := range warnings {
		e.log.Warn().Msg(w)
	}
	if err != nil {
		return nil, inputError("%v", err)
	}
	c, err := api.New(s.URL, tok, clientOptions(e, s)...)
	if err != nil {
		return nil, inputError("%v", err)
	}
	return &target{Client: c, TokenWarnings: warnings}, nil
}

// apiError turns a client error into an exit-1 error that carries its
// advice on a second line.
func apiError(prefix string, err error) error {
	if adv := api.Advice(err); adv != "" {
		return inputError("%s: %v\n  what to do: %s", prefix, err, adv)
	}
	return inputError("%s: %v", prefix, err)
}
