package main

import (
	"context"
	"errors"
	"io"
	"os"

	"github.com/rcolpipe/rcolpipe/output"
	"github.com/rcolpipe/rcolpipe/redcap"
)

// openControllingTerminal opens /dev/tty, the terminal of the process,
// for the prompt: stdout may be a file (> log.txt) and stderr a log.
func openControllingTerminal() (io.WriteCloser, error) {
	return os.OpenFile("/dev/tty", os.O_WRONLY, 0)
}

// confirmer asks on the terminal: the question goes to /dev/tty, else to
// stderr, never to stdout (which may be redirected to a file, hiding the
// question); the answer is read from stdin. Without a terminal on stdin
// it refuses, because nobody would see the diff. Ctrl-C at the prompt
// ends ctx (host.WithSignals) and cancels the upload.
func confirmer(e *env) func(context.Context, redcap.Diff) (bool, error) {
	return func(ctx context.Context, d redcap.Diff) (bool, error) {
		if !e.stdinIsTerminal {
			return false, errors.New("no terminal to confirm the upload on: read the diff (on stdout), then run again with --yes (or --dry-run to only look)")
		}
		out := e.stderr
		if e.openTTY != nil {
			if tty, err := e.openTTY(); err == nil {
				defer tty.Close()
				out = tty
				if e.secrets != nil {
					out = e.secrets.Wrap(tty)
				}
			}
		}
		return output.AskImport(ctx, e.stdin, out, e.flush, d)
	}
}
