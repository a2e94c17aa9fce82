package upload

// The token is read, in this order, from RC_API_KEY in the environment,
// RC_API_KEY in .env next to the pipeline file (Target.ConfigDir), then in
// .env in the working directory, then the file named by Target.TokenFile. It is never printed: api.Token
// redacts itself and the client redacts it from every error and
// --debug-http dump.

import (
	"context"
	"errors"
	"time"

	"github.com/rs/zerolog"

	"github.com/rcolpipe/rcolpipe/redcap/api"
)

// Target says how to reach a REDCap project.
type Target struct {
	URL          string
	TokenFile    string
	TokenPattern string
	Username     string
	Timeout      time.Duration
	DebugHTTP    bool
	// ConfigDir is the folder of the pipeline file ("" without one): its
	// .env is read before the working directory's.
	ConfigDir string
}

// Env is what opening a target reads and tells: the environment, the
// working directory (for .env), the log, and a sink that learns the token
// (the output redactor; may be nil).
type Env struct {
	Getenv  func(string) string
	Dir     string
	Log     zerolog.Logger
	Secrets api.SecretSink
}

// ErrNoURL and ErrSandboxURL are the targets that are a wrong command line
// rather than a failed run.
var (
	ErrNoURL      = errors.New("no REDCap API URL: pass --url https://redcap.example.org/redcap/api/ (or set RC_API_URL, or target.url in the pipeline file)")
	ErrSandboxURL = errors.New("the target \"sandbox\" exists only inside rcolpipe run; start one with rcolpipe sandbox serve and pass its URL")
)

// Token finds the token of t (see the file comment for the order) and
// hands it to env.Secrets. The warnings say when its file is readable by
// others or tracked by git.
func (t Target) Token(env Env) (api.Token, []string, error) {
	var dirs []string
	if t.ConfigDir != "" {
		dirs = append(dirs, t.ConfigDir)
	}
	tok, warnings, err := api.LoadTokenFrom(env.Getenv, append(dirs, env.Dir), t.TokenFile, t.TokenPattern)
	if env.Secrets != nil {
		tok.ShareWith(env.Secrets)
	}
	return tok, warnings, err
}

// clientOptions are the api options for t, logging to log.
func (t Target) clientOptions(log zerolog.Logger) []api.Option {
	if t.DebugHTTP && log.GetLevel() > zerolog.DebugLevel {
		// --debug-http asks for the dumps even at the default log level.
		log = log.Level(zerolog.DebugLevel)
	}
	return []api.Option{api.WithTimeout(t.Timeout), api.WithLogger(log), api.WithDebugHTTP(t.DebugHTTP)}
}

// Open checks the URL, loads the token (logging its warnings) and builds
// the client. A missing URL or "sandbox" is ErrNoURL or ErrSandboxURL.
func (t Target) Open(env Env) (*api.Client, error) {
	if t.URL == "" {
		return nil, ErrNoURL
	}
	if t.URL == "sandbox" {
		return nil, ErrSandboxURL
	}
	if _, err := api.CheckURL(t.URL); err != nil {
		return nil, err
	}
	tok, warnings, err := t.Token(env)
	for _, w := range warnings {
		env.Log.Warn().Msg(w)
	}
	if err != nil {
		return nil, err
	}
	return api.New(t.URL, tok, t.clientOptions(env.Log)...)
}

// CheckResult is what Check found: the URL and token rows, then the API
// preflight.
type CheckResult struct {
	OK      bool                `json:"ok"`
	URL     string              `json:"url"`
	Version string              `json:"redcap_version,omitempty"`
	Project *api.ProjectInfo    `json:"project,omitempty"`
	Checks  []api.PreflightItem `json:"checks"`
	// Structure is the project's arms, events, designations and repeating
	// settings counted, and what the files would change (check_structure.go).
	Structure *StructureCheck `json:"structure,omitempty"`
}

// Names of the rows Check adds before the preflight.
const (
	checkRowURL   = "API URL"
	checkRowToken = "token"
	checkRowSafe  = "token storage"
)

// Check checks the URL and the token, then runs the API preflight, with
// read-only calls. Every problem is a row of the result.
func (t Target) Check(ctx context.Context, env Env) CheckResult {
	return t.CheckWith(ctx, env, CheckFiles{})
}

// CheckWith is Check that also reports the project's structure and whether
// the token may make the structure changes files ask for.
func (t Target) CheckWith(ctx context.Context, env Env, files CheckFiles) CheckResult {
	var r CheckResult
	if _, err := api.CheckURL(t.URL); err != nil {
		// The report leaves out a refused URL: it may hold a secret.
		r.Checks = append(r.Checks, api.PreflightItem{Check: checkRowURL, Result: api.ResultFail, Required: true,
			Detail: err.Error(), Advice: "Use your REDCap address followed by /api/, as shown on the project's API page (Applications > API)."})
		return r
	}
	r.URL = t.URL
	r.Checks = append(r.Checks, api.PreflightItem{Check: checkRowURL, Result: api.ResultOK, Required: true, Detail: t.URL})
	tok, warnings, err := t.Token(env)
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
	client, err := api.New(t.URL, tok, t.clientOptions(env.Log)...)
	if err != nil {
		r.Checks = append(r.Checks, api.PreflightItem{Check: checkRowURL, Result: api.ResultFail, Required: true, Detail: err.Error()})
		return r
	}
	pre := api.Preflight(ctx, client, api.PreflightOptions{Username: t.Username})
	r.Version, r.Project = pre.Version, pre.Project
	r.Checks = append(r.Checks, pre.Items...)
	if r.Project != nil {
		checkStructure(ctx, client, &r, files)
	}
	r.OK = true
	for _, it := range r.Checks {
		if it.Required && it.Result != api.ResultOK {
			r.OK = false
		}
	}
	return r
}
