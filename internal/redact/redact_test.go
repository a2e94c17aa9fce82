package redact

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
)

const testSecret = "0123456789ABCDEF0123456789ABCDEF"

func TestRedactorHidesSecretsAcrossWrites(t *testing.T) {
	cases := []struct {
		name   string
		writes []string
		want   string
	}{
		{"whole", []string{"token " + testSecret + " end\n"}, "token [REDACTED] end\n"},
		{"lower case echo", []string{strings.ToLower(testSecret) + "\n"}, "[REDACTED]\n"},
		{"split in two", []string{"a " + testSecret[:10], testSecret[10:] + " b\n"}, "a [REDACTED] b\n"},
		{"one byte at a time", strings.Split("x"+testSecret+"y", ""), "x[REDACTED]y"},
		{"twice", []string{testSecret + testSecret}, "[REDACTED][REDACTED]"},
		{"prefix only, then flushed", []string{"ends with " + testSecret[:31]}, "ends with " + testSecret[:31]},
		{"no secret", []string{"plain ", "text\n"}, "plain text\n"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var out bytes.Buffer
			r := &Redactor{}
			r.AddSecret(testSecret)
			w := r.Wrap(&out)
			for _, s := range c.writes {
				n, err := w.Write([]byte(s))
				if err != nil || n != len(s) {
					t.Fatalf("Write(%q) = %d, %v", s, n, err)
				}
			}
			r.Flush()
			if got := out.String(); got != c.want {
				t.Errorf("got %q, want %q", got, c.want)
			}
		})
	}
}

func TestRedactorQuotedForms(t *testing.T) {
	secret := `tok"en<with>odd\chars`
	var out bytes.Buffer
	r := &Redactor{}
	r.AddSecret(secret)
	w := r.Wrap(&out)
	fmt.Fprintf(w, "%q and %s and {\"k\":\"tok\\\"en\\u003cwith\\u003eodd\\\\chars\"}\n", secret, secret)
	r.Flush()
	if strings.Contains(out.String(), "odd") {
		t.Errorf("a quoted form of the secret got through: %s", out.String())
	}
}

func TestRedactorIgnoresShortValues(t *testing.T) {
	var out bytes.Buffer
	r := &Redactor{}
	r.AddSecret("x")
	r.AddSecret("   ")
	w := r.Wrap(&out)
	fmt.Fprint(w, "x marks the spot")
	r.Flush()
	if out.String() != "x marks the spot" {
		t.Errorf("a short value was redacted: %q", out.String())
	}
}

// The held-back tail of one stream is written before a prompt reads input.
func TestRedactorFlushesEveryStream(t *testing.T) {
	var a, b bytes.Buffer
	r := &Redactor{}
	r.AddSecret(testSecret)
	wa, wb := r.Wrap(&a), r.Wrap(&b)
	fmt.Fprint(wa, "A 0")
	fmt.Fprint(wb, "B 01")
	if a.String() != "A " || b.String() != "B " {
		t.Fatalf("before Flush: %q %q (a possible secret start must be held back)", a.String(), b.String())
	}
	r.Flush()
	if a.String() != "A 0" || b.String() != "B 01" {
		t.Errorf("after Flush: %q %q", a.String(), b.String())
	}
}
