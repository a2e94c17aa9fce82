package redcap

import (
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
