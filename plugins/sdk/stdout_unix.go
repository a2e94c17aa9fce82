//go:build !windows

package sdk

import (
	"fmt"
	"os"

	"golang.org/x/sys/unix"
)

// protectStdout points file descriptor 1 at standard error, so nothing a
// plugin (or a library, or a child process) writes to standard output can
// reach the host's handshake reader, and returns the only way left to the
// real standard output: a pipe for go-plugin's handshake line.
func protectStdout(socket func(string)) (handshake *os.File, restore func(), err error) {
	realFD, err := unix.Dup(1)
	if err != nil {
		return nil, nil, fmt.Errorf("dup stdout: %w", err)
	}
	real := os.NewFile(uintptr(realFD), "handshake")
	if err := unix.Dup2(2, 1); err != nil {
		_ = real.Close()
		return nil, nil, fmt.Errorf("redirect stdout to stderr: %w", err)
	}
	r, w, err := os.Pipe()
	if err != nil {
		_ = real.Close()
		return nil, nil, fmt.Errorf("handshake pipe: %w", err)
	}
	go relayHandshake(r, real, socket)
	return w, func() { _ = w.Close() }, nil
}
