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
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/joho/godotenv"

	"github.com/rcolpipe/rcolpipe/internal/safegit"
	"github.com/rcolpipe/rcolpipe/redcap"
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

// Redact replaces the token in s with "[REDACTED]": in any letter case
// (REDCap compares tokens case-insensitively, so an echo may be lower case),
// and also where some or all of its characters are written as the escapes
// a reader of the text would decode: JSON \u0041, HTML and XML &#65; or
// &#x41;, URL %41. Callers still redact a server's text again after
// decoding it, for encodings not listed here.
func (t Token) Redact(s string) string {
	if t.secret == "" || s == "" {
		return s
	}
	secret := []rune(t.secret)
	// Only these bytes can start an echo: the first character (either
	// case) or an escape.
	var starts [256]bool
	starts['\\'], starts['&'], starts['%'] = true, true, true
	for _, v := range []rune{unicode.ToLower(secret[0]), unicode.ToUpper(secret[0])} {
		starts[string(v)[0]] = true
	}
	var b strings.Builder
	done := 0 // s[:done] is written to b
	for i := 0; i < len(s); i++ {
		if !starts[s[i]] {
			continue
		}
		end, ok := matchEcho(s, i, secret)
		if !ok {
			continue
		}
		b.WriteString(s[done:i])
		b.WriteString(redacted)
		done = end
		i = end - 1
	}
	if done == 0 {
		return s
	}
	b.WriteString(s[done:])
	return b.String()
}

// RedactBytes is Redact for byte slices.
func (t Token) RedactBytes(b []byte) []byte {
	if t.secret == "" || len(b) == 0 {
		return b
	}
	s := string(b)
	if r := t.Redact(s); r != s {
		return []byte(r)
	}
	return b
}

// maxEchoBytes is the most bytes one character of a token takes in an echo
// Redact finds (%F0%9F%98%80; &#x + 8 digits + ;).
const maxEchoBytes = 12

// redactShort is shorten(t.Redact(s), n) for s of any length: it redacts
// only the part that can reach the cut, which is enough, since an echo
// starting before the cut ends within maxEchoBytes per character of it.
func (t Token) redactShort(s string, n int) string {
	if limit := n + maxEchoBytes*utf8.RuneCountInString(t.secret); len(s) > limit {
		s = s[:limit]
	}
	return shorten(t.Redact(s), n)
}

// matchEcho reports whether s at i spells secret, each character as itself
// in either case or escaped (see Redact), and where that spelling ends.
func matchEcho(s string, i int, secret []rune) (int, bool) {
	for _, want := range secret {
		got, n := decodeEchoRune(s[i:])
		if n == 0 || !sameLetter(got, want) {
			// An escape that is not the wanted character may still be
			// the character itself (a literal '%', '&' or '\\').
			lit, m := utf8.DecodeRuneInString(s[i:])
			if m == 0 || lit == utf8.RuneError || !sameLetter(lit, want) {
				return 0, false
			}
			n = m
		}
		i += n
	}
	return i, true
}

// sameLetter compares runes case-insensitively.
func sameLetter(a, b rune) bool {
	return a == b || unicode.ToLower(a) == unicode.ToLower(b) || unicode.ToUpper(a) == unicode.ToUpper(b)
}

// decodeEchoRune decodes the character at the start of s: an escape
// (\uXXXX, &#NN;, &#xHH;, %HH…) or a plain UTF-8 character. n is the
// number of bytes it takes; 0 at the end of s.
func decodeEchoRune(s string) (r rune, n int) {
	if s == "" {
		return 0, 0
	}
	switch {
	case len(s) >= 6 && s[0] == '\\' && (s[1] == 'u' || s[1] == 'U'):
		if v, err := strconv.ParseUint(s[2:6], 16, 32); err == nil {
			return rune(v), 6
		}
	case len(s) >= 3 && s[0] == '&' && s[1] == '#':
		j, base := 2, 10
		if s[j] == 'x' || s[j] == 'X' {
			j, base = 3, 16
		}
		k := j
		for k < len(s) && k-j < 8 && isDigitIn(s[k], base) {
			k++
		}
		if k > j {
			v, err := strconv.ParseUint(s[j:k], base, 32)
			if err == nil {
				if k < len(s) && s[k] == ';' {
					k++
				}
				return rune(v), k
			}
		}
	case s[0] == '%':
		// One character as its UTF-8 bytes, each %HH.
		var buf [utf8.UTFMax]byte
		k, nb := 0, 0
		for nb < utf8.UTFMax && k+3 <= len(s) && s[k] == '%' {
			v, err := strconv.ParseUint(s[k+1:k+3], 16, 8)
			if err != nil {
				break
			}
			buf[nb] = byte(v)
			nb++
			k += 3
			if utf8.FullRune(buf[:nb]) {
				if r, _ := utf8.DecodeRune(buf[:nb]); r != utf8.RuneError {
					return r, k
				}
				break
			}
		}
	}
	return utf8.DecodeRuneInString(s)
}

func isDigitIn(c byte, base int) bool {
	switch {
	case c >= '0' && c <= '9':
		return true
	case base == 16:
		return (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')
	}
	return false
}

// ErrNoToken means no token was found in any of the places LoadToken looks.
var ErrNoToken = errors.New("no REDCap API token: set RC_API_KEY in the environment or in a .env file (next to the pipeline file, or in the working directory), or pass --token-file")

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
	return LoadTokenFrom(getenv, []string{workdir}, tokenFile, pattern)
}

// LoadTokenFrom is LoadToken with .env looked up in each of dirs, in order:
// the first .env that holds RC_API_KEY wins (a folder named twice is read
// once). A later .env that also holds a token is reported in a warning,
// since it is not used.
func LoadTokenFrom(getenv func(string) string, dirs []string, tokenFile, pattern string) (Token, []string, error) {
	var warnings []string
	var envFiles []string
	seen := map[string]bool{}
	for _, d := range dirs {
		f := filepath.Join(d, ".env")
		key := f
		if abs, err := filepath.Abs(f); err == nil {
			key = abs
		}
		if !seen[key] {
			seen[key] = true
			envFiles = append(envFiles, f)
		}
	}
	tok, found, err := func() (Token, bool, error) {
		if v := getenv(TokenEnv); strings.TrimSpace(v) != "" {
			// A token in .env is still a risk when the environment's wins:
			// keep its warnings, ignore the rest.
			for _, f := range envFiles {
				_, _, w, _ := readDotEnv(f)
				warnings = append(warnings, w...)
			}
			t, err := NewToken(v, TokenEnv+" in the environment", pattern)
			return t, true, err
		}
		for i, f := range envFiles {
			v, ok, w, err := readDotEnv(f)
			warnings = append(warnings, w...)
			if err != nil {
				return Token{}, false, err
			}
			if ok {
				for _, later := range envFiles[i+1:] {
					if _, ok2, w2, _ := readDotEnv(later); ok2 {
						warnings = append(warnings, w2...)
						warnings = append(warnings, fmt.Sprintf("%s also holds %s; it is not used: %s takes precedence", later, TokenEnv, f))
					}
				}
				t, err := NewToken(v, fmt.Sprintf("%s in %s", TokenEnv, f), pattern)
				return t, true, err
			}
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
	data, err := readSecretFile(tokenFile)
	if err != nil {
		return Token{}, warnings, fmt.Errorf("read token file: %w", err)
	}
	if w := permissionWarning(tokenFile); w != "" {
		warnings = append(warnings, w)
	}
	tok, err = NewToken(string(data), "token file "+tokenFile, pattern)
	return tok, warnings, err
}

// readDotEnv reads RC_API_KEY from path. A missing file is not an error.
func readDotEnv(path string) (value string, ok bool, warnings []string, err error) {
	data, err := readSecretFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return "", false, nil, nil
	}
	if err != nil {
		return "", false, nil, fmt.Errorf("read %s: %w", path, err)
	}
	vars, err := godotenv.Parse(bytes.NewReader(data))
	if err != nil {
		// godotenv's messages quote the text around the problem, which may
		// be a secret: say only that the file is malformed.
		return "", false, nil, fmt.Errorf("read %s: not a valid .env file (lines are NAME=value; the parser's message is withheld because it quotes the file)", path)
	}
	v, ok := vars[TokenEnv]
	if !ok || strings.TrimSpace(v) == "" {
		return "", false, nil, nil
	}
	if w := permissionWarning(path); w != "" {
		warnings = append(warnings, w)
	}
	if gitTracks(filepath.Dir(path), filepath.Base(path)) {
		warnings = append(warnings, fmt.Sprintf("%s holds the API token and is tracked by git: remove it from the repository (git rm --cached .env), add .env to .gitignore, and ask for a new token, since the old one is in the history", path))
	}
	return v, true, warnings, nil
}

// maxSecretFileBytes bounds what is read of .env or a token file.
const maxSecretFileBytes = 64 << 10

// readSecretFile reads .env or a token file like any file rcolpipe did not
// write: a regular file only, opened without blocking, at most
// maxSecretFileBytes. The working folder may be a checkout someone else
// made, whose .env is a named pipe (the upload would hang) or a link to
// /dev/zero.
func readSecretFile(path string) ([]byte, error) {
	return redcap.ReadSmallFile(path, maxSecretFileBytes)
}

// permissionWarning warns when a file holding the token is readable by
// group or others (on systems with Unix permissions).
func permissionWarning(path string) string {
	if runtime.GOOS == "windows" {
		return ""
	}
	st, err := os.Stat(path)
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
// dir may be anyone's repository: git runs as package safegit says.
func gitTracks(dir, name string) bool {
	git, err := exec.LookPath("git")
	if err != nil {
		return false
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, git, safegit.Args("ls-files", "--error-unmatch", "--", name)...)
	cmd.Dir = dir
	cmd.Env = safegit.Env(os.Getenv)
	return cmd.Run() == nil
}
