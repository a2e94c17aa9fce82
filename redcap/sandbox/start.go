package sandbox

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"
)

// APIURL returns the API URL of a listener's address.
func APIURL(addr net.Addr) string {
	return fmt.Sprintf("http://%s/api/", addr.String())
}

// Serve serves h on ln until ctx is done, then shuts down gracefully
// (requests in flight get five seconds to finish).
func Serve(ctx context.Context, h http.Handler, ln net.Listener) error {
	hs := &http.Server{Handler: h, ReadHeaderTimeout: 30 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("sandbox server: %w", err)
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil {
		_ = hs.Close()
		return fmt.Errorf("sandbox server shutdown: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("sandbox server: %w", err)
	}
	return nil
}

// Start runs h on a free loopback port and returns the API URL (ending in
// /api/) and a stop function that shuts the server down and waits for it.
// Cancelling ctx stops it too.
func Start(ctx context.Context, h http.Handler) (url string, stop func(), err error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, fmt.Errorf("sandbox: listen on loopback: %w", err)
	}
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = Serve(ctx, h, ln)
	}()
	stop = func() {
		cancel()
		<-done
	}
	return APIURL(ln.Addr()), stop, nil
}
