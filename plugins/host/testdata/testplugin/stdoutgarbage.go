// stdoutgarbage is a test plugin that prints to stdout before it
// serves, which breaks go-plugin's handshake.
package main

import (
	"context"
	"fmt"

	"github.com/rcolpipe/rcolpipe/plugins/sdk"
)

type garbage struct{}

func (garbage) Info() sdk.Info { return sdk.Info{Name: "stdoutgarbage"} }
func (garbage) Transform(ctx context.Context, req *sdk.Request) (*sdk.Response, error) {
	return &sdk.Response{Dictionary: req.Dictionary}, nil
}

func stdoutGarbage() {
	fmt.Println("hello from main")
	sdk.Serve(garbage{})
}
