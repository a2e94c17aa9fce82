package redcap

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// IsDictionaryFileName reports whether Load reads a folder entry of this
// name: a .csv, .tsv, .txt, .json or .zip file whose name does not start
// with "." or "_" and is printable. Readers of folders that are not on
// disk (a git revision) use it to read the same files.
func IsDictionaryFileName(name string) bool {
	if strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") || !printableName(name) {
		return false
	}
	switch strings.ToLower(filepath.Ext(name)) {
	case ".csv", ".tsv", ".txt", ".json", ".zip":
		return true
	}
	return false
}

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
