// Package safegit is how rcolpipe runs git on a checkout it did not make
// (the token's .env check, diff --base). git runs programs the
// repository's config names (core.fsmonitor runs for every command that
// reads the index, ls-files included), and it reads its environment, which
// may hold RC_API_KEY. So git gets none of our environment, no system or
// global config, no pager and no prompt, and its command line switches
// off the fsmonitor, hooks and the optional index write-back.
package safegit

import "os"

// Env is the whole environment git gets: PATH (git finds its helpers
// there), Windows' SYSTEMROOT, and switches that keep the system's and
// the user's config, the pager and prompts out. Nothing else of getenv's
// passes.
func Env(getenv func(string) string) []string {
	env := []string{
		"GIT_CONFIG_NOSYSTEM=1",
		"GIT_CONFIG_GLOBAL=" + os.DevNull,
		"GIT_TERMINAL_PROMPT=0",
		"GIT_PAGER=cat",
		"LC_ALL=C",
	}
	for _, k := range []string{"PATH", "SYSTEMROOT"} {
		if v := getenv(k); v != "" {
			env = append(env, k+"="+v)
		}
	}
	return env
}

// Args returns git's arguments: the switches that turn off the pager, the
// optional index write-back, the fsmonitor and hooks, then args.
func Args(args ...string) []string {
	return append([]string{"--no-pager", "--no-optional-locks",
		"-c", "core.fsmonitor=false", "-c", "core.hooksPath=" + os.DevNull}, args...)
}
