package redcap

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
)

// CheckInputsExist returns an error for an INPUT that does not exist, or
// for standard input ("-") named more than once: what every command
// refuses as a wrong command line before it reads anything.
func CheckInputsExist(paths []string) error {
	stdin := 0
	for _, p := range paths {
		if p == "-" {
			if stdin++; stdin > 1 {
				return errors.New("standard input (-) can be named once")
			}
			continue
		}
		if _, err := os.Stat(p); errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("%s: no such file or folder", p)
		}
	}
	return nil
}
