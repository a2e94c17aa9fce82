package host

import (
	"fmt"
	"strings"
)

// Kind says how a plugin stage failed.
type Kind int

// The ways a plugin stage fails. Each has its own advice.
const (
	KindFailed          Kind = iota // the plugin returned an error
	KindMissing                     // no such plugin binary
	KindNotLocked                   // a lock file is in use but the plugin is not in it
	KindChecksum                    // the binary's SHA-256 differs from the lock file
	KindStart                       // the binary could not be started or exited before the handshake
	KindStdout                      // the plugin wrote to stdout before the handshake
	KindProtocol                    // the plugin speaks another protocol version
	KindConfig                      // the stage config does not match the plugin's schema
	KindCrash                       // the process died (crash, exit) during a call
	KindPanic                       // the plugin panicked and the SDK recovered
	KindTimeout                     // no answer within the stage's timeout
	KindTooLarge                    // a message over the protocol's size limit
	KindInvalidResponse             // the plugin's answer is unusable
	KindCanceled                    // the run was interrupted
	KindProjectLocal                // found only in the project folder, neither pinned nor allowed
)

// Error is a failed plugin stage: one message naming the stage, the plugin,
// what happened and what to do.
type Error struct {
	Kind   Kind
	Stage  string
	Plugin string
	// What happened, e.g. "panicked: panic: boom [at main.go:12 (main.t.Transform)]".
	What string
	// Hint says what to do.
	Hint string
	// Err is the underlying error, if any.
	Err error
}

func (e *Error) Error() string {
	var b strings.Builder
	if e.Stage == "" {
		fmt.Fprintf(&b, "plugin %s: %s", e.Plugin, e.What)
	} else {
		fmt.Fprintf(&b, "stage %q (plugin %s): %s", e.Stage, e.Plugin, e.What)
	}
	if e.Hint != "" {
		b.WriteString("; ")
		b.WriteString(e.Hint)
	}
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// missingError is a plugin that cannot be resolved (stage "" when none is
// running yet, as for a lock): the same error whether a run or a lock
// finds it.
func missingError(stage, plugin string, err error) *Error {
	return &Error{Kind: KindMissing, Stage: stage, Plugin: plugin, What: err.Error(),
		Hint: "check the name or path, or put the plugin on $" + EnvPluginPath, Err: err}
}

const (
	hintReport  = "fix the plugin or report this to its author"
	hintRelock  = "if you trust the plugin as it is now, run `rcolpipe plugins lock` again"
	hintTimeout = "raise the stage's timeout in the pipeline file if the plugin needs more time, or fix the plugin"
)
