package api

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"time"

	"github.com/joho/godotenv"
)

// TokenEnv is the environment variable (and .env key) that holds the token.
const TokenEnv = "RC_API_KEY"

// DefaultTokenPattern is the shape of a REDCap project token: 32 hex
// characters (REDCap issues upper case; the server compares case-insensitively).
const DefaultTokenPattern = `^[0-9A-Fa-f]{32}$`

// redacted is what every printing method of Token shows.
const redacted = "[REDACTED]"

// Token is a REDCap API token. Its value cannot be printed, logged or
// marshalled: every formatting method yields "[REDACTED]". Only the client
// in this package reads the secret, to put it into a request body.
type Token struct {
	secret string
	source string
}

// NewToken checks s against pattern (DefaultTokenPattern when empty) after
// trimming whitespace and line ends. source says where s came from ("the
// sandbox", "token file x"); it appears in errors instead of the token.
func NewToken(s, source, pattern string) (Token, error) {
	s = strings.TrimSpace(s)
	if source == "" {
		source = "the token"
	}
	if s == "" {
		return Token{}, fmt.Errorf("%s is empty", source)
	}
	if pattern == "" {
		pattern = DefaultTokenPattern
	}
	re, err := regexp.Compile(pattern)
	if err != nil {
		return Token{}, fmt.Errorf("token pattern %q: %w", pattern, err)
	}
	if !re.MatchString(s) {
		hint := ""
		if pattern == DefaultTokenPattern {
			hint = ": a REDCap project token is 32 hexadecimal characters (Applications > API in the project); " +
				"if your site issues another kind of token, set --token-pattern"
		}
		// The length helps find a truncated copy; it does not reveal the token.
		return Token{}, fmt.Errorf("the token from %s does not match the token pattern %s (it has %d characters)%s",
			source, pattern, len([]rune(s)), hint)
	}
	return Token{secret: s, source: source}, nil
}

// String returns "[REDACTED]".
func (t Token) String() string { return redacted }

// GoString returns "[REDACTED]", so %#v does not show the secret either.
func (t Token) GoString() string { return redacted }

// Format prints "[REDACTED]" for every verb.
func (t Token) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, redacted) }

// MarshalJSON returns the JSON string "[REDACTED]".
func (t Token) MarshalJSON() ([]byte, error) { return []byte(`"` + redacted + `"`), nil }

// MarshalText returns "[REDACTED]" (used by YAML, zerolog and the like).
func (t Token) MarshalText() ([]byte, error) { return []byte(redacted), nil }

// IsZero reports whether the token is unset.
func (t Token) IsZero() bool { return t.secret == "" }

// Source says where the token was read (e.g. "RC_API_KEY in .env (/p/.env)").
func (t Token) Source() string { return t.source }

// Redact replaces the token in s with "[REDACTED]", in any letter case
// (REDCap compares tokens case-insensitively, so an echo may be lower case).
func (t Token) Redact(s string) string {
	if t.secret == "" || s == "" {
		return s
	}
	if !strings.Contains(strings.ToLower(s), strings.ToLower(t.secret)) {
		return s
	}
	return regexp.MustCompile(`(?i)`+regexp.QuoteMeta(t.secret)).ReplaceAllString(s, redacted)
}

// RedactBytes is Redact for byte slices.
func (t Token) RedactBytes(b []byte) []byte {
	if t.secret == "" || !bytes.Contains(bytes.ToLower(b), bytes.ToLower([]byte(t.secret))) {
		return b
	}
	return []byte(t.Redact(string(b)))
}

// ErrNoToken means no token was found in any of the places LoadToken looks.
var ErrNoToken = errors.New("no REDCap API token: set RC_API_KEY in the environment or in a .env file in the working directory, or pass --token-file")

// LoadToken finds the API token, in this order:
//
//  1. RC_API_KEY in the environment (getenv);
//  2. RC_API_KEY in the file .env in workdir (the environment wins over it);
//  3. the token file tokenFile (when not empty): the whole file, trimmed.
//
// The value is trimmed of whitespace and line ends and checked against
// pattern (DefaultTokenPattern when empty). The warnings say when .env or the
// token file can be read by other users or .env is tracked by git, and when
// a token file was given but not used. Errors name the source, never the
// token.
func LoadToken(getenv func(string) string, workdir, tokenFile, pattern string) (Token, []string, error) {
	var warnings []string
	envFile := filepath.Join(workdir, ".env")
	tok, found, err := func() (Token, bool, error) {
		if v := getenv(TokenEnv); strings.TrimSpace(v) != "" {
			// A token in .env is still a risk when the environment's wins:
			// keep its warnings, ignore the rest.
			_, _, w, _ := readDotEnv(envFile)
			warnings = append(warnings, w...)
			t, err := NewToken(v, TokenEnv+" in the environment", pattern)
			return t, true, err
		}
		v, ok, w, err := readDotEnv(envFile)
		warnings = append(warnings, w...)
		if err != nil {
			return Token{}, false, err
		}
		if ok {
			t, err := NewToken(v, fmt.Sprintf("%s in %s", TokenEnv, envFile), pattern)
			return t, true, err
		}
		return Token{}, false, nil
	}()
	if found {
		if tokenFile != "" {
			warnings = append(warnings, fmt.Sprintf("--token-file %s is not used: the token comes from %s, which takes precedence", tokenFile, tok.source))
		}
		return tok, warnings, err
	}
	if err != nil {
		return Token{}, warnings, err
	}
	if tokenFile == "" {
		return Token{}, warnings, ErrNoToken
	}
	f, err := os.Open(tokenFile)
	if err != nil {
		return Token{}, warnings, fmt.Errorf("read token file: %w", err)
	}
	defer f.Close()
	if w := permissionWarning(f, tokenFile); w != "" {
		warnings = append(warnings, w)
	}
	data, err := io.ReadAll(io.LimitReader(f, 64<<10))
	if err != nil {
		return Token{}, warnings, fmt.Errorf("read token file %s: %w", tokenFile, err)
	}
	tok, err = NewToken(string(data), "token file "+tokenFile, pattern)
	return tok, warnings, err
}

// readDotEnv reads RC_API_KEY from path. A missing file is not an error.
func readDotEnv(path string) (value string, ok bool, warnings []string, err error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return "", false, nil, nil
	}
	if err != nil {
		return "", false, nil, fmt.Errorf("read %s: %w", path, err)
	}
	defer f.Close()
	vars, err := godotenv.Parse(f)
	if err != nil {
		// godotenv's messages quote the text around the problem, which may
		// be a secret: say only that the file is malformed.
		return "", false, nil, fmt.Errorf("read %s: not a valid .env file (lines are NAME=value; the parser's message is withheld because it quotes the file)", path)
	}
	v, ok := vars[TokenEnv]
	if !ok || strings.TrimSpace(v) == "" {
		return "", false, nil, nil
	}
	if w := permissionWarning(f, path); w != "" {
		warnings = append(warnings, w)
	}
	if gitTracks(filepath.Dir(path), filepath.Base(path)) {
		warnings = append(warnings, fmt.Sprintf("%s holds the API token and is tracked by git: remove it from the repository (git rm --cached .env), add .env to .gitignore, and ask for a new token, since the old one is in the history", path))
	}
	return v, true, warnings, nil
}

// permissionWarning warns when a file holding the token is readable by
// group or others (on systems with Unix permissions).
func permissionWarning(f *os.File, path string) string {
	if runtime.GOOS == "windows" {
		return ""
	}
	st, err := f.Stat()
	if err != nil {
		return ""
	}
	if perm := st.Mode().Perm(); perm&0o077 != 0 {
		return fmt.Sprintf("%s holds the API token and can be read by other users (mode %04o): run chmod 600 %s", path, perm, path)
	}
	return ""
}

// gitTracks reports whether git tracks name in dir; false when git is not
// installed or dir is not in a repository.
//
// dir may be anyone's repository, and git runs programs its config names:
// core.fsmonitor is run by every command that reads the index, ls-files
// included. So git gets no environment of ours (which may hold RC_API_KEY),
// no system or global config, and the command line switches off the
// fsmonitor and hooks and the optional index write-back.
func gitTracks(dir, name string) bool {
	git, err := exec.LookPath("git")
	if err != nil {
		return false
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, git,
		"--no-optional-locks",
		"-c", "core.fsmonitor=false",
		"-c", "core.hooksPath="+os.DevNull,
		"ls-files", "--error-unmatch", "--", name)
	cmd.Dir = dir
	cmd.Env = gitEnv(os.Getenv)
	return cmd.Run() == nil
}

// gitEnv is the whole environment gitTracks gives git: PATH (git finds its
// helpers there), Windows' SYSTEMROOT, and switches that keep the system's
// and the user's config out. Nothing else of the parent's passes.
func gitEnv(getenv func(string) string) []string {
	env := []string{
		"GIT_CONFIG_NOSYSTEM=1",
		"GIT_CONFIG_GLOBAL=" + os.DevNull,
		"GIT_TERMINAL_PROMPT=0",
		"LC_ALL=C",
	}
	for _, k := range []string{"PATH", "SYSTEMROOT"} {
		if v := getenv(k); v != "" {
			env = append(env, k+"="+v)
		}
	}
	return env
}
