// spawner is a test plugin that starts a child process (this binary as
// "sleeper") in Transform and reports the child's PID as a diagnostic
// "child=PID". Config {"inherit":true} gives the child the plugin's stderr,
// so the child holds the plugin's output pipe open.
package main

import (
	"context"
	"os"
	"os/exec"
	"strconv"
	"time"

	"github.com/rcolpipe/rcolpipe/plugins/sdk"
	"github.com/rcolpipe/rcolpipe/redcap"
)

type spawner struct{}

func (spawner) Info() sdk.Info { return sdk.Info{Name: "spawner", Version: "0.0.1"} }

func (spawner) Transform(ctx context.Context, req *sdk.Request) (*sdk.Response, error) {
	var cfg struct {
		Inherit bool `json:"inherit"`
	}
	if err := req.DecodeConfig(&cfg); err != nil {
		return nil, err
	}
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	child := exec.Command(self)
	child.Args[0] = "sleeper"
	if cfg.Inherit {
		child.Stderr = os.Stderr
	}
	if err := child.Start(); err != nil {
		return nil, err
	}
	// Not waited for: the child is meant to outlive this call.
	diag := redcap.Diagnostic{Severity: redcap.SeverityInfo, Code: "CHILD", Message: "child=" + strconv.Itoa(child.Process.Pid)}
	return &sdk.Response{Dictionary: req.Dictionary, Diagnostics: redcap.Diagnostics{diag}}, nil
}

// sleep is the child: it does nothing for two minutes (longer than any
// test waits), as `sleep 120` would.
func sleep() { time.Sleep(2 * time.Minute) }
