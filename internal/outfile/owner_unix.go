//go:build unix

package outfile

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"syscall"
)

// keepOwner gives the new file the owner and group of the file it
// replaces, so that root rewriting a user's output does not leave a file
// the user no longer owns. Only root may give a file away; for anyone else
// a refused change (EPERM) is expected and the file stays theirs, as with
// any editor that saves by renaming.
func keepOwner(f *os.File, old fs.FileInfo) error {
	st, ok := old.Sys().(*syscall.Stat_t)
	if !ok {
		return nil
	}
	if int(st.Uid) == os.Geteuid() && int(st.Gid) == os.Getegid() {
		return nil
	}
	if err := f.Chown(int(st.Uid), int(st.Gid)); err != nil && !errors.Is(err, fs.ErrPermission) {
		return fmt.Errorf("keep the owner: %w", err)
	}
	return nil
}
