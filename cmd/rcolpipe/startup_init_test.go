package main

import (
	"bufio"
	"bytes"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
)

// Package initialisation runs before main for every linked package, so
// whatever a package computes in its package-level vars (regexps,
// templates, tables) every command pays, `rcolpipe --version` included.
// Our packages keep that to static tables: bigger work is done on first
// use (internal/lazyre, sync.OnceValue).
const (
	maxInitAllocs = 256
	maxInitBytes  = 24 << 10
)

// TestPackageInitsAreCheap reruns this test binary (which links every
// package rcolpipe links) with GODEBUG=inittrace=1 and holds each of the
// module's packages to maxInitAllocs allocations and maxInitBytes bytes in
// its initialisation. It counts allocations, not time.
func TestPackageInitsAreCheap(t *testing.T) {
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "GODEBUG=inittrace=1")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("rerun the test binary: %v\n%s", err, stderr.String())
	}
	seen := 0
	sc := bufio.NewScanner(&stderr)
	for sc.Scan() {
		// init PKG @T ms, C ms clock, B bytes, A allocs
		f := strings.Fields(sc.Text())
		if len(f) != 11 || f[0] != "init" || !strings.HasPrefix(f[1], "github.com/rcolpipe/rcolpipe/") {
			continue
		}
		bytesAllocated, err1 := strconv.Atoi(f[7])
		allocs, err2 := strconv.Atoi(f[9])
		if err1 != nil || err2 != nil || f[8] != "bytes," {
			t.Fatalf("cannot read the inittrace line %q", sc.Text())
		}
		seen++
		if allocs > maxInitAllocs || bytesAllocated > maxInitBytes {
			t.Errorf("%s: its initialisation allocates %d bytes in %d allocations (at most %d bytes, %d allocations): compile regexps and parse templates on first use (internal/lazyre, sync.OnceValue)",
				f[1], bytesAllocated, allocs, maxInitBytes, maxInitAllocs)
		}
	}
	if seen == 0 {
		t.Fatalf("no inittrace line for a package of this module in:\n%s", stderr.String())
	}
}
