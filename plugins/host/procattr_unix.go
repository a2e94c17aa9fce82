//go:build unix && !linux

package host

import (
	"errors"
	"syscall"
)

// sysProcAttr starts the plugin in a process group of its own (see
// endGroup). There is no parent-death signal outside Linux; the SDK's
// watchdog notices the lost parent instead.
func sysProcAttr() *syscall.SysProcAttr { return &syscall.SysProcAttr{Setpgid: true} }

// protectHost does nothing outside Linux: other systems have no
// PR_SET_DUMPABLE (macOS keeps other processes out of rcolpipe's memory
// without it, and has no /proc).
func protectHost() error { return nil }

// processEnded reports whether the process pid is gone. Without /proc an
// exited but unreaped process still counts as running, so the caller's
// bounded wait decides.
func processEnded(pid int) bool {
	return errors.Is(syscall.Kill(pid, 0), syscall.ESRCH)
}

// groupRunning reports whether any process of group pgid is left; without
// /proc, exited but unreaped ones count too.
func groupRunning(pgid int) bool {
	return !errors.Is(syscall.Kill(-pgid, 0), syscall.ESRCH)
}
