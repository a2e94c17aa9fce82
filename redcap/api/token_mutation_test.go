package api

import (
	"fmt"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// Tests written to kill mutants of token.go that scripts/mutation.sh found
// alive.

// The hint about REDCap's 32 hex characters goes with the default pattern
// only: a site's own pattern gets no advice that contradicts it.
func TestNewTokenHintOnlyForTheDefaultPattern(t *testing.T) {
	const hint = "32 hexadecimal characters"
	_, err := NewToken("not-a-token", "test", "")
	if err == nil || !strings.Contains(err.Error(), hint) {
		t.Errorf("default pattern: err = %v, want the hint", err)
	}
	_, err = NewToken("not-a-token", "test", `^[a-z]{40}$`)
	if err == nil || strings.Contains(err.Error(), hint) || !strings.Contains(err.Error(), `^[a-z]{40}$`) {
		t.Errorf("own pattern: err = %v, want it named without the hint", err)
	}
}

// A token file others can read is warned about, a private one is not.
func TestLoadTokenWarnsAboutTokenFilePermissions(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no Unix permissions on Windows")
	}
	dir := t.TempDir()
	file := filepath.Join(dir, "token")
	writeFile(t, file, tokFull+"\n", 0o640)
	tok, w, err := LoadToken(getenvMap(nil), dir, file, "")
	if err != nil || tok.IsZero() {
		t.Fatalf("token %v err %v", tok, err)
	}
	if len(w) != 1 || !strings.Contains(w[0], "chmod 600 "+file) || !strings.Contains(w[0], "0640") || strings.Contains(w[0], tokFull) {
		t.Errorf("warnings for a readable token file = %q", w)
	}
	writeFile(t, file, tokFull+"\n", 0o600)
	if _, w, err := LoadToken(getenvMap(nil), dir, file, ""); err != nil || len(w) != 0 {
		t.Errorf("private token file: warnings %q err %v", w, err)
	}
}

// An echo is found wherever it ends: an escape as the very last bytes of a
// text (no ';' after &#NN, the last %HH), and a second echo right after the
// first. Each case is a boundary of the escape decoder that mutation testing
// found unguarded; a miss here prints the token.
func TestRedactFindsEchoesAtTheEdgesOfTheText(t *testing.T) {
	const secret = "0123456789ABCDEF0123456789ABCDEF"
	tok, err := NewToken(secret, "test", "")
	if err != nil {
		t.Fatal(err)
	}
	head := secret[:31] // the last character, 'F', is escaped below
	cases := map[string]string{
		"twice, back to back":    secret + secret,
		"JSON escape at the end": "x " + head + `\u0046`,
		"decimal entity, no ';'": "x " + head + "&#70",
		"hex entity at the end":  "x " + head + "&#x46;",
		"hex entity, no ';'":     "x " + head + "&#x46",
		"percent at the end":     "x " + head + "%46",
		"all percent":            "x " + percentAll(secret),
		"all entities, no ';'":   "x " + entitiesAll(secret),
	}
	for name, text := range cases {
		got := tok.Redact(text)
		if strings.Contains(got, head[:8]) || strings.Contains(strings.ToLower(got), strings.ToLower(head[:8])) {
			t.Errorf("%s: %q still holds the token: %q", name, text, got)
		}
		if !strings.Contains(got, redacted) {
			t.Errorf("%s: %q: no %s in %q", name, text, redacted, got)
		}
	}
}

func percentAll(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		fmt.Fprintf(&b, "%%%02X", s[i])
	}
	return b.String()
}

func entitiesAll(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		fmt.Fprintf(&b, "&#%d", s[i])
	}
	return b.String()
}

// A site's own token may hold any letter: hex entities with the digits a-f
// in either case, and the longest entity the decoder reads (8 digits),
// followed by a digit that belongs to the next character.
func TestRedactFindsEntitiesOfAnyLetter(t *testing.T) {
	const secret = "Jo5Zz9kK1mM2nN3q"
	tok, err := NewToken(secret, "test", `^[0-9A-Za-z]{16}$`)
	if err != nil {
		t.Fatal(err)
	}
	rest := secret[2:]
	cases := map[string]string{
		"lower-case hex digits": "&#x4a;&#x6f;" + rest,
		"upper-case hex digits": "&#x4A;&#x6F;" + rest,
		"eight digits, then a digit of the next character": "J&#x0000006F" + rest,
	}
	for name, text := range cases {
		if got := tok.Redact("say " + text + " end"); got != "say "+redacted+" end" {
			t.Errorf("%s: Redact(%q) = %q", name, text, got)
		}
	}
}
