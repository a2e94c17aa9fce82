//go:build !unix

package host

import "time"

// endGroup does nothing here: plugins get no process group of their own.
func endGroup(pgid int, grace time.Duration) {}
