package output

import (
	"fmt"
	"io"
	"strings"

	"github.com/rcolpipe/rcolpipe/upload"
)

// WriteBackups writes the backup list as a table (text) or a JSON array.
func WriteBackups(w io.Writer, list []upload.BackupInfo, format string) error {
	if format == FormatJSON {
		if list == nil {
			list = []upload.BackupInfo{}
		}
		return writeJSON(w, list, true)
	}
	if len(list) == 0 {
		_, err := io.WriteString(w, "no backups\n")
		return err
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%-7s  %-20s  %6s  %s\n", "PROJECT", "TIME (UTC)", "FIELDS", "FILE")
	for _, bk := range list {
		fields := fmt.Sprint(bk.Fields)
		if bk.Error != "" {
			fields = "?"
		}
		fmt.Fprintf(&b, "%-7d  %-20s  %6s  %s\n", bk.ProjectID, bk.Time.UTC().Format("2006-01-02 15:04:05"), fields, bk.Path)
		if bk.Error != "" {
			fmt.Fprintf(&b, "         cannot be read: %s\n", bk.Error)
		}
	}
	fmt.Fprintf(&b, "%d backup(s); restore one with: rcolpipe upload --replace-all --allow-delete FILE\n", len(list))
	_, err := io.WriteString(w, b.String())
	return err
}
