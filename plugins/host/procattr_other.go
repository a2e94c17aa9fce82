//go:build !unix

package host

import "syscall"

// sysProcAttr has no process group or parent-death signal here; the SDK's
// watchdog notices the lost parent instead.
func sysProcAttr() *syscall.SysProcAttr { return nil }

// protectHost does nothing here: there is no PR_SET_DUMPABLE.
func protectHost() error { return nil }

// processEnded is never asked here (no process group to end).
func processEnded(pid int) bool { return true }
