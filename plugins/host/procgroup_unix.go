//go:build unix

package host

import (
	"errors"
	"syscall"
	"time"
)

// endGroup ends whatever is left of a plugin's process group: the
// processes the plugin started. SIGTERM first, then SIGKILL to those still
// there after grace. The group's ID is the plugin's PID; the kernel does
// not hand that number to a new process while any member of the group is
// alive, so the signal cannot reach a stranger's group (short of the
// plugin's leftovers all ending and the PID being reused in between).
func endGroup(pgid int, grace time.Duration) {
	if pgid <= 1 {
		return
	}
	if err := syscall.Kill(-pgid, syscall.SIGTERM); errors.Is(err, syscall.ESRCH) {
		return // nothing left
	}
	deadline := time.Now().Add(grace)
	for time.Now().Before(deadline) {
		if !groupRunning(pgid) {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	_ = syscall.Kill(-pgid, syscall.SIGKILL)
}
