//go:build unix

package redcap

import (
	"os"
	"syscall"
)

// openInput opens a file to read. O_NONBLOCK keeps the open of a named pipe
// from waiting for a writer (the caller then refuses it by its mode);
// follow=false adds O_NOFOLLOW, so that an entry of a folder that became a
// symbolic link after the folder was listed is not followed either.
func openInput(name string, follow bool) (*os.File, error) {
	flags := os.O_RDONLY | syscall.O_NONBLOCK
	if !follow {
		flags |= syscall.O_NOFOLLOW
	}
	return os.OpenFile(name, flags, 0)
}
