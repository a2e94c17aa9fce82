package main

import (
	"io"
	"slices"
	"testing"

	"github.com/rcolpipe/rcolpipe/internal/cliargs"
)

// TestNormalizeArgs runs cliargs.Normalize on the real app, so that a
// command's flag definitions are what decides.
func TestNormalizeArgs(t *testing.T) {
	app := newApp(&env{stdout: io.Discard, stderr: io.Discard})
	for _, tc := range []struct {
		in, want []string
	}{
		{[]string{"validate", "x.json", "--strict"}, []string{"validate", "--strict", "x.json"}},
		// A flag's value is not an input, given apart or with =.
		{[]string{"validate", "x.json", "--rule", "RC1=off", "y.json", "-f", "json"}, []string{"validate", "--rule", "RC1=off", "-f", "json", "x.json", "y.json"}},
		{[]string{"validate", "x.json", "--rule=RC1=off"}, []string{"validate", "--rule=RC1=off", "x.json"}},
		// Global flags move before the command; a value that looks like a flag stays with it.
		{[]string{"validate", "--log-level", "debug", "x.json"}, []string{"--log-level", "debug", "validate", "x.json"}},
		{[]string{"transform", "x.json", "--stage", "-odd", "-o", "-"}, []string{"transform", "--stage", "-odd", "-o", "-", "x.json"}},
		// -- keeps what follows as inputs, and is kept before them.
		{[]string{"validate", "--", "-x.json", "--strict"}, []string{"validate", "--", "-x.json", "--strict"}},
		{[]string{"validate", "a.json", "--", "-x.json"}, []string{"validate", "--", "a.json", "-x.json"}},
		// "-" is standard input, an input.
		{[]string{"validate", "-", "--strict"}, []string{"validate", "--strict", "-"}},
		// Subcommands: the flags of the leaf.
		{[]string{"plugins", "lock", "--allow-project-plugins", "-c", "p.yaml"}, []string{"plugins", "lock", "--allow-project-plugins", "-c", "p.yaml"}},
		{[]string{"plugins", "info", "prefix", "--log-level", "warn"}, []string{"--log-level", "warn", "plugins", "info", "prefix"}},
		// Unknown flags stay where urfave/cli reports them.
		{[]string{"validate", "x.json", "--bogus"}, []string{"validate", "--bogus", "x.json"}},
		{[]string{"--bogus", "validate"}, []string{"--bogus", "validate"}},
		{[]string{"help", "validate"}, []string{"help", "validate"}},
	} {
		got, err := cliargs.Normalize(app, append([]string{"rcolpipe"}, tc.in...))
		if err != nil {
			t.Errorf("%q: %v", tc.in, err)
			continue
		}
		if want := append([]string{"rcolpipe"}, tc.want...); !slices.Equal(got, want) {
			t.Errorf("%q:\n got %q\nwant %q", tc.in, got, want)
		}
	}
}
