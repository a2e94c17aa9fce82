package api

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
)

func getenvMap(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func writeFile(t *testing.T, path, content string, perm os.FileMode) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), perm); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, perm); err != nil { // umask may have cut perm
		t.Fatal(err)
	}
}

func TestTokenNeverPrinted(t *testing.T) {
	tok := mustToken(t, tokFull)
	type holder struct {
		Name  string
		Token Token
		Ptr   *Token
	}
	h := holder{Name: "x", Token: tok, Ptr: &tok}
	var outs []string
	for _, f := range []string{"%v", "%s", "%q", "%x", "%X", "%#v", "%+v", "%d", "%T %v"} {
		outs = append(outs, fmt.Sprintf(f, tok), fmt.Sprintf(f, h), fmt.Sprintf(f, &h))
	}
	outs = append(outs, fmt.Sprint(tok), fmt.Sprintln(tok), tok.String(), tok.GoString())
	for _, v := range []any{tok, h, &h, []Token{tok}, map[string]Token{"k": tok}} {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		outs = append(outs, string(b))
	}
	b, _ := tok.MarshalText()
	outs = append(outs, string(b))
	for _, o := range outs {
		if strings.Contains(strings.ToUpper(o), tokFull) || strings.Contains(o, "0123456789") {
			t.Errorf("token printed: %s", o)
		}
	}
	if fmt.Sprint(tok) != "[REDACTED]" {
		t.Errorf("Sprint = %q", fmt.Sprint(tok))
	}
}

func TestTokenRedact(t *testing.T) {
	tok := mustToken(t, tokFull)
	in := "a " + tokFull + " b " + strings.ToLower(tokFull) + " c"
	if got := tok.Redact(in); got != "a [REDACTED] b [REDACTED] c" {
		t.Errorf("Redact = %q", got)
	}
	if got := tok.Redact("nothing here"); got != "nothing here" {
		t.Errorf("Redact = %q", got)
	}
}

// escapeEach writes every character of s with format (e.g. `\u%04x`).
func escapeEach(s, format string) string {
	var b strings.Builder
	for _, r := range s {
		fmt.Fprintf(&b, format, r)
	}
	return b.String()
}

// TestTokenRedactFindsEscapedEchoes: a token written with JSON, HTML/XML or
// URL escapes, wholly or in part, is what a reader of the text sees once
// decoded, so Redact removes it too; escapes of other text stay.
func TestTokenRedactFindsEscapedEchoes(t *testing.T) {
	tok := mustToken(t, tokFull)
	half := len(tokFull) / 2
	for name, echo := range map[string]string{
		"json":            escapeEach(tokFull, `\u%04x`),
		"json upper hex":  escapeEach(strings.ToLower(tokFull), `\u%04X`),
		"json mixed":      tokFull[:half] + escapeEach(tokFull[half:], `\u%04x`),
		"html decimal":    escapeEach(tokFull, "&#%d;"),
		"html hex":        escapeEach(tokFull, "&#x%x;"),
		"html no ;":       escapeEach(tokFull, "&#%d"),
		"url":             escapeEach(tokFull, "%%%02X"),
		"url lower, half": escapeEach(strings.ToLower(tokFull[:half]), "%%%02x") + tokFull[half:],
	} {
		in := `{"error":"bad ` + echo + `"}`
		if got, want := tok.Redact(in), `{"error":"bad [REDACTED]"}`; got != want {
			t.Errorf("%s: Redact(%q) = %q, want %q", name, in, got, want)
		}
		if got := string(tok.RedactBytes([]byte(in))); strings.Contains(got, echo) {
			t.Errorf("%s: RedactBytes left the echo: %q", name, got)
		}
	}
	for _, keep := range []string{
		`100% sure &amp; caf\u00e9 &#65; %41`,
		escapeEach(tokFull[:31], `\u%04x`) + "X", // one character short
		`\` + `\u0030` + tokFull[1:31],           // 31 characters
	} {
		if got := tok.Redact(keep); got != keep {
			t.Errorf("Redact(%q) = %q, want it unchanged", keep, got)
		}
	}
	// A token of other characters (--token-pattern), percent-encoded as UTF-8.
	odd, err := NewToken("tökén-ÄÖÜ-12", "test", `^.+$`)
	if err != nil {
		t.Fatal(err)
	}
	if got := odd.Redact("x " + url.PathEscape("TÖKÉN-äöü-12") + " y"); got != "x [REDACTED] y" {
		t.Errorf("Redact of a percent-encoded UTF-8 token = %q", got)
	}
}

// TestRedactShortLeavesNoPartOfAnEcho: redactShort redacts only what can
// reach the cut; an escaped echo starting anywhere before the cut must
// still go entirely.
func TestRedactShortLeavesNoPartOfAnEcho(t *testing.T) {
	tok := mustToken(t, tokFull)
	const n = 100
	for _, echo := range []string{tokFull, escapeEach(tokFull, `\u%04x`), escapeEach(tokFull, "&#x%08x;")} {
		for start := 0; start < n; start++ {
			s := strings.Repeat("x", start) + echo + strings.Repeat("y", 2*len(echo))
			want := shorten(strings.Repeat("x", start)+redacted+strings.Repeat("y", 2*len(echo)), n)
			if got := tok.redactShort(s, n); got != want {
				t.Errorf("echo %.12s… at %d: redactShort = %q, want %q", echo, start, got, want)
			}
		}
	}
}

func TestNewToken(t *testing.T) {
	cases := []struct {
		in, pattern string
		ok          bool
	}{
		{tokFull, "", true},
		{strings.ToLower(tokFull), "", true},
		{" " + tokFull + "\r\n", "", true},
		{tokFull[:31], "", false},
		{tokFull + "0", "", false},
		{strings.Repeat("G", 32), "", false},
		{"", "", false},
		{"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMN", `^[A-Za-z0-9+/=]{40}$`, true},
		{tokFull, `^[A-Za-z0-9+/=]{40}$`, false},
	}
	for _, tc := range cases {
		_, err := NewToken(tc.in, "the test", tc.pattern)
		if (err == nil) != tc.ok {
			t.Errorf("NewToken(%q, %q) err = %v", tc.in, tc.pattern, err)
		}
		if err != nil && tc.in != "" && strings.Contains(err.Error(), strings.TrimSpace(tc.in)) {
			t.Errorf("error quotes the token: %v", err)
		}
	}
	if _, err := NewToken(tokFull, "x", "("); err == nil {
		t.Error("bad pattern accepted")
	}
}

func TestLoadTokenOrder(t *testing.T) {
	dir := t.TempDir()
	const envTok, dotTok, fileTok = tokFull, tokExportOnly, tokNoDesign
	tokenFile := filepath.Join(dir, "token.txt")
	writeFile(t, tokenFile, fileTok+"\r\n", 0o600)

	check := func(name string, getenv func(string) string, tf, want, wantSource string) []string {
		t.Helper()
		tok, warnings, err := LoadToken(getenv, dir, tf, "")
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if tok.secret != want || !strings.Contains(tok.Source(), wantSource) {
			t.Errorf("%s: got the token from %q", name, tok.Source())
		}
		return warnings
	}
	// Only the token file.
	check("file", getenvMap(nil), tokenFile, fileTok, "token file")
	// .env beats the token file, with a warning that the file is unused.
	writeFile(t, filepath.Join(dir, ".env"), "# secrets\nOTHER=1\nRC_API_KEY="+dotTok+"  \n", 0o600)
	w := check(".env", getenvMap(nil), tokenFile, dotTok, ".env")
	if len(w) != 1 || !strings.Contains(w[0], "--token-file") {
		t.Errorf("warnings = %q", w)
	}
	// The environment beats .env.
	check("env", getenvMap(map[string]string{"RC_API_KEY": " " + envTok + "\n"}), "", envTok, "environment")
	// An empty variable in the environment does not hide .env.
	check("empty env", getenvMap(map[string]string{"RC_API_KEY": "  "}), "", dotTok, ".env")
}

func TestLoadTokenErrors(t *testing.T) {
	dir := t.TempDir()
	if _, _, err := LoadToken(getenvMap(nil), dir, "", ""); !errors.Is(err, ErrNoToken) {
		t.Errorf("no token: %v", err)
	}
	if _, _, err := LoadToken(getenvMap(nil), dir, filepath.Join(dir, "missing"), ""); err == nil || !strings.Contains(err.Error(), "token file") {
		t.Errorf("missing token file: %v", err)
	}
	bad := tokFull[:30]
	_, _, err := LoadToken(getenvMap(map[string]string{"RC_API_KEY": bad}), dir, "", "")
	if err == nil || !strings.Contains(err.Error(), "RC_API_KEY in the environment") || strings.Contains(err.Error(), bad) {
		t.Errorf("bad env token: %v", err)
	}
	writeFile(t, filepath.Join(dir, ".env"), "RC_API_KEY="+bad+"\n", 0o600)
	_, _, err = LoadToken(getenvMap(nil), dir, "", "")
	if err == nil || !strings.Contains(err.Error(), ".env") || strings.Contains(err.Error(), bad) {
		t.Errorf("bad .env token: %v", err)
	}
	// A malformed .env: godotenv's message would quote the file.
	writeFile(t, filepath.Join(dir, ".env"), "RC_API_KEY=\""+bad+"\n", 0o600)
	_, _, err = LoadToken(getenvMap(nil), dir, "", "")
	if err == nil || !strings.Contains(err.Error(), "not a valid .env") || strings.Contains(err.Error(), bad) {
		t.Errorf("malformed .env: %v", err)
	}
	// A custom pattern.
	writeFile(t, filepath.Join(dir, ".env"), "RC_API_KEY=site-token-1234\n", 0o600)
	if _, _, err := LoadToken(getenvMap(nil), dir, "", `^site-token-\d+$`); err != nil {
		t.Errorf("custom pattern: %v", err)
	}
}

func TestLoadTokenWarnsAboutPermissions(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no Unix permissions on Windows")
	}
	dir := t.TempDir()
	env := filepath.Join(dir, ".env")
	writeFile(t, env, "RC_API_KEY="+tokFull+"\n", 0o644)
	_, w, err := LoadToken(getenvMap(nil), dir, "", "")
	if err != nil {
		t.Fatal(err)
	}
	if len(w) != 1 || !strings.Contains(w[0], "chmod 600") || !strings.Contains(w[0], "0644") {
		t.Errorf("warnings = %q", w)
	}
	// The warning stands when the environment's token wins over .env's.
	if _, w, _ := LoadToken(getenvMap(map[string]string{"RC_API_KEY": tokExportOnly}), dir, "", ""); len(w) != 1 {
		t.Errorf("warnings with the environment's token = %q", w)
	}
	writeFile(t, env, "RC_API_KEY="+tokFull+"\n", 0o600)
	if _, w, _ := LoadToken(getenvMap(nil), dir, "", ""); len(w) != 0 {
		t.Errorf("warnings for a private .env: %q", w)
	}
	for _, s := range w {
		if strings.Contains(s, tokFull) {
			t.Error("warning contains the token")
		}
	}
}

func TestLoadTokenWarnsWhenGitTracksDotEnv(t *testing.T) {
	git, err := exec.LookPath("git")
	if err != nil {
		t.Skip("git is not installed")
	}
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, ".env"), "RC_API_KEY="+tokFull+"\n", 0o600)
	run := func(args ...string) {
		cmd := exec.Command(git, args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	run("init", "-q")
	if _, w, _ := LoadToken(getenvMap(nil), dir, "", ""); len(w) != 0 {
		t.Errorf("warnings for an untracked .env: %q", w)
	}
	run("add", ".env")
	_, w, err := LoadToken(getenvMap(nil), dir, "", "")
	if err != nil {
		t.Fatal(err)
	}
	if len(w) != 1 || !strings.Contains(w[0], "tracked by git") {
		t.Errorf("warnings = %q", w)
	}
}

// TestGitCheckRunsNoRepoProgram: the check whether git tracks .env runs git
// in the working folder, whose .git/config may name a program git runs
// (core.fsmonitor). That program must not run, and must never see the token:
// once with the token only in .env, once with it in the environment.
func TestGitCheckRunsNoRepoProgram(t *testing.T) {
	git, err := exec.LookPath("git")
	if err != nil {
		t.Skip("git is not installed")
	}
	if runtime.GOOS == "windows" {
		t.Skip("the probe is run by its file name, which git on Windows resolves differently")
	}
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	probeDir := t.TempDir()
	probe := filepath.Join(probeDir, fsmonitorProbeName)
	data, err := os.ReadFile(self)
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, probe, string(data), 0o700)
	ranFile := filepath.Join(probeDir, "ran.env")

	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, ".env"), "RC_API_KEY="+tokFull+"\n", 0o600)
	run := func(args ...string) {
		cmd := exec.Command(git, args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	run("init", "-q")
	run("add", ".env")
	run("config", "core.fsmonitor", probe)

	// The probe works: plain git runs it (else this test proves nothing).
	run("ls-files")
	if _, err := os.Stat(ranFile); err != nil {
		t.Fatalf("git did not run the fsmonitor probe by itself (%v); the test cannot tell anything", err)
	}
	if err := os.Remove(ranFile); err != nil {
		t.Fatal(err)
	}

	for _, where := range []string{".env", "environment"} {
		getenv := getenvMap(nil)
		if where == "environment" {
			t.Setenv(TokenEnv, tokFull)
			getenv = os.Getenv
		}
		_, w, err := LoadToken(getenv, dir, "", "")
		if err != nil {
			t.Fatalf("token in %s: %v", where, err)
		}
		if !slices.ContainsFunc(w, func(s string) bool { return strings.Contains(s, "tracked by git") }) {
			t.Errorf("token in %s: no tracked-by-git warning: %q", where, w)
		}
		env, err := os.ReadFile(ranFile)
		if err == nil {
			t.Errorf("token in %s: the repository's fsmonitor program ran (token in its environment: %v)",
				where, strings.Contains(string(env), tokFull))
			_ = os.Remove(ranFile)
		}
	}
}

func TestCheckURL(t *testing.T) {
	cases := []struct {
		in      string
		ok      bool
		mention string
	}{
		{"https://redcap.example.org/redcap/api/", true, ""},
		{"https://redcap.example.org/api/", true, ""},
		{"https://redcap.example.org/redcap/redcap_v15.7.6/API/", true, ""},
		{"http://127.0.0.1:8080/api/", true, ""},
		{"http://127.1.2.3/api/", true, ""},
		{"http://localhost:9000/redcap/api/", true, ""},
		{"http://[::1]:9000/api/", true, ""},
		{"https://redcap.example.org/redcap/api", false, "https://redcap.example.org/redcap/api/"},
		{"https://redcap.example.org/redcap/", false, "https://redcap.example.org/redcap/api/"},
		{"https://redcap.example.org/redcap/redcap_v15.7.6/index.php", false, "https://redcap.example.org/redcap/api/"},
		{"http://redcap.example.org/redcap/api/", false, "https://redcap.example.org/redcap/api/"},
		{"ftp://redcap.example.org/api/", false, "https://"},
		{"redcap.example.org/api/", false, "https://"},
		{"https://user:pw@redcap.example.org/api/", false, "password"},
		{"https://redcap.example.org/api/?token=x", false, "query"},
		{"https://redcap.example.org/api/#top", false, "fragment"},
		{"https://redcap.example.org/api/?", false, "query"},
		{"https://redcap.example.org/api/%zz", false, "two hexadecimal digits"},
		{"https://redcap.example.org/0123456789abcdef0123456789abcdef/api/", false, "API token"},
		{"", false, "--url"},
	}
	for _, tc := range cases {
		_, err := CheckURL(tc.in)
		if (err == nil) != tc.ok {
			t.Errorf("CheckURL(%q) = %v", tc.in, err)
			continue
		}
		if err != nil && !strings.Contains(err.Error(), tc.mention) {
			t.Errorf("CheckURL(%q) = %v, want it to mention %q", tc.in, err, tc.mention)
		}
	}
}

// TestURLWithSecretIsRefusedUnrepeated: a URL that carries a secret in
// its user info, query, fragment or path is refused with a message that
// names the part and says to remove it, but repeats neither the URL nor
// the secret. When the token is known, New also refuses it in any other
// shape the token has (--token-pattern), as written or %-escaped.
func TestURLWithSecretIsRefusedUnrepeated(t *testing.T) {
	const host = "redcap.uni-nowhere.test"
	for _, tc := range []struct{ url, secret, part string }{
		{"https://alice:s3cretPW@" + host + "/api/", "s3cretPW", "password"},
		{"https://" + tokFull + "@" + host + "/api/", tokFull, "API token"},
		{"https://" + host + "/api/?token=s3cretPW", "s3cretPW", "query"},
		{"https://" + host + "/api/?token=" + tokFull, tokFull, "API token"},
		{"https://" + host + "/api/#s3cretPW", "s3cretPW", "fragment"},
		{"https://" + host + "/" + tokFull + "/api/", tokFull, "API token"},
		{"https://" + host + "/" + escapeEach(tokFull, "%%%02x") + "/api/", tokFull, "API token"},
		{tokFull, tokFull, "API token"}, // --url "$RC_API_KEY"
		{"https://" + host + "/api/%zz?t=s3cretPW", "s3cretPW", "cannot be read"},
		{"https://" + host + ":s3cretPW/api/", "s3cretPW", "cannot be read"},
	} {
		_, err := CheckURL(tc.url)
		if err == nil {
			t.Errorf("CheckURL(%q) accepted it", tc.url)
			continue
		}
		msg := err.Error()
		if !strings.Contains(msg, tc.part) || !strings.Contains(msg, "remove") && tc.part != "cannot be read" {
			t.Errorf("CheckURL(%q) = %q, want it to name the %s and say to remove it", tc.url, msg, tc.part)
		}
		if strings.Contains(strings.ToUpper(msg), strings.ToUpper(tc.secret)) || strings.Contains(msg, host) {
			t.Errorf("CheckURL(%q) repeats the URL or its secret: %q", tc.url, msg)
		}
	}

	// A token of another shape, which CheckURL cannot recognise.
	tok, err := NewToken("site-Token-7f3a9", "test", `^[a-zA-Z0-9-]+$`)
	if err != nil {
		t.Fatal(err)
	}
	for _, raw := range []string{
		"https://" + host + "/site-token-7f3a9/api/",
		"https://" + host + "/" + escapeEach("site-Token-7f3a9", "%%%02X") + "/api/",
		"http://" + host + "/site-Token-7f3a9/", // also wrong otherwise: those errors quote the URL
	} {
		_, err := New(raw, tok)
		if err == nil {
			t.Errorf("New(%q) accepted a URL with the token", raw)
			continue
		}
		if !strings.Contains(err.Error(), "contains the API token") || revealedToken(err.Error(), "site-Token-7f3a9") {
			t.Errorf("New(%q) = %q, want it to say the URL holds the token, without the token", raw, err)
		}
	}
}

// revealedToken reports whether text shows secret, in any case, as is or
// with its characters %-escaped.
func revealedToken(text, secret string) bool {
	if decoded, err := url.PathUnescape(text); err == nil {
		text = decoded
	}
	return strings.Contains(strings.ToLower(text), strings.ToLower(secret))
}
