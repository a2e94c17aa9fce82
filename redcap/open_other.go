//go:build !unix

package redcap

import (
	"fmt"
	"os"
)

// openInput opens a file to read; follow=false refuses a symbolic link
// (checked before opening, as this system has no O_NOFOLLOW).
func openInput(name string, follow bool) (*os.File, error) {
	if !follow {
		st, err := os.Lstat(name)
		if err != nil {
			return nil, err
		}
		if st.Mode()&os.ModeSymlink != 0 {
			return nil, fmt.Errorf("%s is a symbolic link", name)
		}
	}
	return os.Open(name)
}
