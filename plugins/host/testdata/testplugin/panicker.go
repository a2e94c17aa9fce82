// panicker is a test plugin that panics in Transform, or (config
// {"goroutine":true}) in a goroutine, which kills the process.
package main

import (
	"context"
	"time"

	"github.com/rcolpipe/rcolpipe/plugins/sdk"
)

type panicker struct{}

func (panicker) Info() sdk.Info { return sdk.Info{Name: "panicker", Version: "0.0.1"} }

func (panicker) Transform(ctx context.Context, req *sdk.Request) (*sdk.Response, error) {
	var cfg struct {
		Goroutine bool `json:"goroutine"`
	}
	if err := req.DecodeConfig(&cfg); err != nil {
		return nil, err
	}
	if cfg.Goroutine {
		go func() { panic("boom in a goroutine") }()
		time.Sleep(10 * time.Second)
	}
	panic("boom")
}
