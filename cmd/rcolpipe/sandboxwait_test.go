package main

import (
	"time"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/rcolpipe/rcolpipe/redcap/sandbox"
)

// cmdSandboxWaitFaults waits until the sandbox serving DIR has used up
// every fault with a count (it saves the state when it uses one), e.g.
// until a slowed import has reached the server and is being delayed.
// It waits on an event, not for a time; 60 s is only a guard.
//
//	sandbox-wait-faults sb
func cmdSandboxWaitFaults(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: sandbox-wait-faults DIR")
	}
	deadline := time.Now().Add(60 * time.Second)
	for {
		st, err := sandbox.LoadState(ts.MkAbs(args[0]))
		ts.Check(err)
		if len(st.Faults) == 0 {
			return
		}
		if time.Now().After(deadline) {
			ts.Fatalf("sandbox-wait-faults: %d fault(s) still unused after 60 s", len(st.Faults))
		}
		time.Sleep(20 * time.Millisecond)
	}
}
