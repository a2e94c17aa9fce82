package sandbox

// What the rcolpipe sandbox commands (init, serve, add-user) do to a state
// folder, apart from the command line.

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"os"
	"strings"
	"time"

	"github.com/rcolpipe/rcolpipe/internal/outfile"
)

// BackUpState copies the state file at path to path.bak-TIME (-1, -2...
// when taken) and returns the copy's name. It never replaces a file: two
// backups in one second both stay. The state file itself stays until
// SaveState replaces it, so a failed init leaves the old state in place.
func BackUpState(path string, now time.Time) (string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("back up %s: %w", path, err)
	}
	base := path + ".bak-" + now.UTC().Format("20060102-150405")
	for i := 0; ; i++ {
		backup := base
		if i > 0 {
			backup = fmt.Sprintf("%s-%d", base, i)
		}
		// 0600: the state holds the sandbox's tokens.
		err := outfile.CreateNew(backup, 0o600, func(w io.Writer) error {
			_, err := w.Write(data)
			return err
		})
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if err != nil {
			return "", fmt.Errorf("back up %s: %w", path, err)
		}
		return backup, nil
	}
}

// IsLoopback reports whether a listen address stays on this machine.
func IsLoopback(addr string) (bool, error) {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false, err
	}
	if host == "localhost" {
		return true, nil
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback(), nil
}

// ParseRights reads a comma-separated list of export, import, design and
// user_rights ("" for none).
func ParseRights(list string) (Rights, error) {
	var r Rights
	for _, name := range strings.Split(list, ",") {
		switch strings.TrimSpace(name) {
		case "":
		case "export":
			r.APIExport = 1
		case "import":
			r.APIImport = 1
		case "design":
			r.Design = 1
		case "user_rights":
			r.UserRights = 1
		default:
			return Rights{}, fmt.Errorf("unknown right %q (want export, import, design, user_rights)", name)
		}
	}
	return r, nil
}

// ErrNoProject is AddUser's error for a project the state does not have.
var ErrNoProject = errors.New("no such project")

// AddUser adds u with a new token to the project u.ProjectID, with view,
// edit and export rights on every instrument on top of u.Rights, and
// returns the token.
func (s *State) AddUser(u User) (string, error) {
	p := s.Project(u.ProjectID)
	if p == nil {
		return "", ErrNoProject
	}
	u.Rights.Forms, u.Rights.FormsExport = map[string]int{}, map[string]int{}
	for _, in := range p.Instruments {
		u.Rights.Forms[in.Name], u.Rights.FormsExport[in.Name] = 1, 1
	}
	u.Token = NewToken()
	s.Users = append(s.Users, &u)
	return u.Token, nil
}

// StartDemo starts an in-memory demo sandbox on a free loopback port and
// returns its API URL and the token of the demo user that has every right
// (kept in memory, never printed). stop shuts it down.
func StartDemo(ctx context.Context) (url, token string, stop func(), err error) {
	state, tokens := Demo()
	for _, t := range tokens {
		if t.Name == DemoFull {
			token = t.Token
		}
	}
	url, stop, err = Start(ctx, New(state))
	return url, token, stop, err
}
