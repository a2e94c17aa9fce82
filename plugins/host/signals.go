package host

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

// WithSignals returns a context cancelled on SIGINT or SIGTERM, the one
// root context of a run: cancelling it stops the stage in progress, and the
// caller's deferred Host.Close then stops every plugin and removes the
// socket directory. Call stop when the run is over to restore the default
// signal handling.
func WithSignals(ctx context.Context) (_ context.Context, stop context.CancelFunc) {
	return signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
}
