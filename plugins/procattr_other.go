//go:build !linux

package plugins

import "syscall"

// sysProcAttr has no parent-death signal outside Linux; the SDK's
// watchdog notices the lost parent instead.
func sysProcAttr() *syscall.SysProcAttr { return nil }
