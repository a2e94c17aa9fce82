package main

// The target flags of every command that talks to a REDCap project
// (check, export, and upload/diff/run); package upload opens the target
// (upload.Target: the token's sources, the client).

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/urfave/cli/v2"

	"github.com/rcolpipe/rcolpipe/pipeline"
	"github.com/rcolpipe/rcolpipe/redcap/api"
	"github.com/rcolpipe/rcolpipe/upload"
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
			Usage: "file holding the API token, used when RC_API_KEY is neither in the environment nor in a .env (next to the pipeline file, or ./.env)"},
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

// targetSettingsFrom reads the target flags; cfg (the pipeline file's
// target section, may be nil) supplies what the flags leave unset, and the
// pipeline file's folder (configPath "" for none) is where .env is looked
// up first.
func targetSettingsFrom(c *cli.Context, cfg *pipeline.TargetConfig, configPath string) upload.Target {
	s := upload.Target{
		URL:          c.String(flagURL),
		TokenFile:    c.String(flagTokenFile),
		TokenPattern: c.String(flagTokenPattern),
		Username:     c.String(flagUsername),
		Timeout:      c.Duration(flagTimeout),
		DebugHTTP:    c.Bool(flagDebugHTTP),
	}
	if configPath != "" {
		s.ConfigDir = filepath.Dir(configPath)
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

// loadConfig reads the pipeline file named by -c (nil without -c).
func loadConfig(c *cli.Context) (*pipeline.Config, error) {
	path := c.String("config")
	if path == "" {
		return nil, nil
	}
	cfg, err := pipeline.LoadConfig(path)
	if err != nil {
		// A missing or invalid pipeline file is a wrong command line.
		return nil, usageError("%v", err)
	}
	return cfg, nil
}

// loadTargetConfig reads the target section of the pipeline file named by
// -c, or returns nil when -c was not given.
func loadTargetConfig(c *cli.Context) (*pipeline.TargetConfig, error) {
	cfg, err := loadConfig(c)
	if cfg == nil {
		return nil, err
	}
	return &cfg.Target, nil
}

// configFlag is -c, the pipeline file whose target section is used.
func configFlag() cli.Flag {
	return &cli.StringFlag{Name: "config", Aliases: []string{"c"},
		Usage: "pipeline file (rcolpipe.yaml) whose target section gives the URL, token file and user name; flags win"}
}

// targetEnv is what opening a target may read and tell.
func targetEnv(e *env) (upload.Env, error) {
	wd, err := os.Getwd()
	if err != nil {
		return upload.Env{}, fmt.Errorf("working directory: %w", err)
	}
	te := upload.Env{Getenv: e.getenv, Dir: wd, Log: e.log}
	if e.secrets != nil {
		te.Secrets = e.secrets
	}
	return te, nil
}

// openTarget opens the client for s. A missing or malformed URL is a
// usage error (exit 2); a bad token exits 1.
func openTarget(e *env, s upload.Target) (*api.Client, error) {
	if err := checkTargetURL(s.URL); err != nil {
		return nil, err
	}
	te, err := targetEnv(e)
	if err != nil {
		return nil, inputError("%v", err)
	}
	c, err := s.Open(te)
	switch {
	case errors.Is(err, upload.ErrNoURL), errors.Is(err, upload.ErrSandboxURL):
		return nil, usageError("%v", err)
	case err != nil:
		return nil, inputError("%v", err)
	}
	return c, nil
}

// openConfiguredTarget opens the target of the flags over -c's target
// section.
func openConfiguredTarget(c *cli.Context, e *env) (*api.Client, error) {
	cfg, err := loadTargetConfig(c)
	if err != nil {
		return nil, err
	}
	return openTarget(e, targetSettingsFrom(c, cfg, c.String("config")))
}

// apiError turns a client error into an exit-1 error that carries its
// advice on a second line.
func apiError(prefix string, err error) error {
	if adv := api.Advice(err); adv != "" {
		return inputError("%s: %v\n  what to do: %s", prefix, err, adv)
	}
	return inputError("%s: %v", prefix, err)
}

// checkTargetURL refuses, as a wrong command line (exit 2), a URL that
// api.CheckURL rejects: the same answer in every command. "" and "sandbox"
// are left to upload.Target.Open, whose errors say what to pass instead.
func checkTargetURL(raw string) error {
	if raw == "" || raw == "sandbox" {
		return nil
	}
	if _, err := api.CheckURL(raw); err != nil {
		return usageError("%v", err)
	}
	return nil
}
