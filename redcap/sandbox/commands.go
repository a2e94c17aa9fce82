package sandbox

// What the rcolpipe sandbox commands and `rcolpipe run` with target.url
// "sandbox" do, apart from the command line: each is one call.

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"time"

	"github.com/rs/zerolog"

	"github.com/rcolpipe/rcolpipe/redcap/api"
)

// ErrInvalid marks a change that would make a state invalid (a fault or a
// user that Check refuses): the request is wrong, not the state file.
var ErrInvalid = errors.New("invalid change")

type invalidError struct{ error }

func (e invalidError) Unwrap() []error { return []error{e.error, ErrInvalid} }

// Init writes the demo state (Demo) to dir and returns its tokens. An
// existing state is refused unless force; then it is first copied aside
// (BackUpState) and backup names the copy.
func Init(dir string, force bool, now time.Time) (tokens []DemoToken, backup string, err error) {
	path := filepath.Join(dir, StateFile)
	_, err = os.Stat(path)
	switch {
	case err == nil && !force:
		return nil, "", fmt.Errorf("%s exists; use --force to replace it (it is backed up first)", path)
	case err == nil:
		if backup, err = BackUpState(path, now); err != nil {
			return nil, "", err
		}
	case !errors.Is(err, fs.ErrNotExist):
		return nil, "", err
	}
	st, tokens := Demo()
	if err := SaveState(dir, st); err != nil {
		return nil, backup, err
	}
	return tokens, backup, nil
}

// AddUserTo adds u to the state in dir (State.AddUser) and saves it; it
// returns the new token. A project the state does not have is
// ErrNoProject.
func AddUserTo(dir string, u User) (string, error) {
	st, err := LoadState(dir)
	if err != nil {
		return "", err
	}
	tok, err := st.AddUser(u)
	if err != nil {
		return "", err
	}
	if err := st.Check(); err != nil {
		return "", err
	}
	return tok, SaveState(dir, st)
}

// AddFault adds f to the state in dir and saves it. A fault Check refuses
// is ErrInvalid.
func AddFault(dir string, f Fault) error {
	st, err := LoadState(dir)
	if err != nil {
		return err
	}
	st.Faults = append(st.Faults, f)
	if err := st.Check(); err != nil {
		return invalidError{err}
	}
	return SaveState(dir, st)
}

// ServeDir serves the state in dir on addr until ctx ends; ready gets the
// API URL as soon as it listens.
func ServeDir(ctx context.Context, dir, addr string, ready func(url string), opts ...Option) error {
	if _, err := os.Stat(filepath.Join(dir, StateFile)); errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("no state in %s; create one with: rcolpipe sandbox init --state %s", dir, dir)
	}
	srv, err := Open(dir, opts...)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	ready(APIURL(ln.Addr()))
	return Serve(ctx, srv, ln)
}

// StartDemoClient starts an in-memory demo sandbox on a free loopback port
// (StartDemo) and returns a client with the demo token that has every
// right. The token stays in memory; it is never printed. stop shuts the
// sandbox down.
func StartDemoClient(ctx context.Context, log zerolog.Logger) (client *api.Client, stop func(), err error) {
	url, secret, stop, err := StartDemo(ctx)
	if err != nil {
		return nil, nil, err
	}
	tok, err := api.NewToken(secret, "the sandbox's demo user", "")
	if err == nil {
		client, err = api.New(url, tok, api.WithLogger(log))
	}
	if err != nil {
		stop()
		return nil, nil, err
	}
	log.Info().Str("url", url).Msg("started the built-in REDCap sandbox for this run (demo project 1, in memory)")
	return client, stop, nil
}
