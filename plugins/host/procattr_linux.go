//go:build linux

package host

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"

	"golang.org/x/sys/unix"
)

// sysProcAttr starts the plugin in a process group of its own (see
// endGroup), and asks the kernel to send the plugin SIGTERM when rcolpipe
// dies, even by SIGKILL. SIGTERM rather than SIGKILL: the SDK then removes
// its socket before it exits.
func sysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGTERM}
}

// protectHost makes rcolpipe non-dumpable before any plugin starts. The
// kernel then refuses processes of the same user without CAP_SYS_PTRACE
// access to /proc/PID/environ, mem, maps, fd and friends, and ptrace
// attach, so a plugin cannot read the API token from rcolpipe's environment
// or memory. A plugin is not affected: execve makes it dumpable again. Root
// (CAP_SYS_PTRACE) can still read everything.
func protectHost() error {
	if err := unix.Prctl(unix.PR_SET_DUMPABLE, 0, 0, 0, 0); err != nil {
		return fmt.Errorf("make rcolpipe's memory unreadable to plugins (prctl PR_SET_DUMPABLE): %w", err)
	}
	return nil
}

// processEnded reports whether the process pid has exited (or been reaped),
// without reaping it: go-plugin owns the Wait.
func processEnded(pid int) bool {
	state, _, ok := procStat(strconv.Itoa(pid))
	return !ok || state == 'Z' || state == 'X'
}

// groupRunning reports whether a process of group pgid still runs. Exited
// members that nobody has reaped yet do not count: an init that reaps
// slowly (or never, in some containers) would otherwise hold up every
// Close for the whole grace period.
func groupRunning(pgid int) bool {
	if errors.Is(syscall.Kill(-pgid, 0), syscall.ESRCH) {
		return false
	}
	ents, err := os.ReadDir("/proc")
	if err != nil {
		return true
	}
	for _, ent := range ents {
		if ent.Name()[0] < '0' || ent.Name()[0] > '9' {
			continue
		}
		if state, group, ok := procStat(ent.Name()); ok && group == pgid && state != 'Z' && state != 'X' {
			return true
		}
	}
	return false
}

// procStat reads a process's state and process group from /proc/PID/stat;
// ok is false when the process is gone.
func procStat(pid string) (state byte, pgrp int, ok bool) {
	stat, err := os.ReadFile("/proc/" + pid + "/stat")
	if err != nil {
		return 0, 0, false
	}
	// The command name is in parentheses and may itself hold ") ", so the
	// fields start after the last ')': state, ppid, pgrp, ...
	i := bytes.LastIndexByte(stat, ')')
	if i < 0 {
		return 0, 0, false
	}
	fields := strings.Fields(string(stat[i+1:]))
	if len(fields) < 3 || len(fields[0]) != 1 {
		return 0, 0, false
	}
	pgrp, err = strconv.Atoi(fields[2])
	if err != nil {
		return 0, 0, false
	}
	return fields[0][0], pgrp, true
}
