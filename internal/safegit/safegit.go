// Package safegit is how rcolpipe runs git on a checkout it did not make
// (the token's .env check, diff --base). git runs programs the
// repository's config names (core.fsmonitor runs for every command that
// reads the index, ls-files included), and it reads its environment, which
// may hold RC_API_KEY. So git gets none of our environment, no system or
// global config, no pager and no prompt, and its command line switches
// off the fsmonitor, hooks and the optional index write-back. It fetches
// nothing either: in a partial clone, reading an object the clone lacks
// would fetch it from the promisor remote, running the transport's
// program (remote.*.uploadpack, core.sshCommand, a credential helper).
package safegit

import "os"

// Env is the whole environment git gets: PATH (git finds its helpers
// there), Windows' SYSTEMROOT, and switches that keep the system's and
// the user's config, the pager and prompts out. Nothing else of getenv's
// passes. GIT_ALLOW_PROTOCOL empty allows no transport at all, over any
// protocol.*.allow of the repository's config, so a partial clone's lazy
// fetch fails instead of running a program (GIT_NO_LAZY_FETCH says the
// same to git 2.45 and later, which then does not try).
func Env(getenv func(string) string) []string {
	env := []string{
		"GIT_CONFIG_NOSYSTEM=1",
		"GIT_CONFIG_GLOBAL=" + os.DevNull,
		"GIT_TERMINAL_PROMPT=0",
		"GIT_PAGER=cat",
		"LC_ALL=C",
		"GIT_ALLOW_PROTOCOL=",
		"GIT_NO_LAZY_FETCH=1",
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
