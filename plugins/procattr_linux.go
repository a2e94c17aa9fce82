//go:build linux

package plugins

import "syscall"

// sysProcAttr asks the kernel to send the plugin SIGTERM when rcolpipe
// dies, even by SIGKILL, so no plugin outlives its host. SIGTERM rather
// than SIGKILL: the SDK then removes its socket before it exits.
func sysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGTERM}
}
