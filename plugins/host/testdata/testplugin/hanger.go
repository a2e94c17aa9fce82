// hanger is a test plugin whose Transform never returns, and
// ignores its context, as a stuck plugin would.
package main

import (
	"context"
	"fmt"
	"os"

	"github.com/rcolpipe/rcolpipe/plugins/sdk"
)

type hanger struct{}

func (hanger) Info() sdk.Info { return sdk.Info{Name: "hanger", Version: "0.0.1"} }

func (hanger) Transform(ctx context.Context, req *sdk.Request) (*sdk.Response, error) {
	req.Log.Info("hanging", "pid", os.Getpid())
	fmt.Fprintf(os.Stderr, "hanger: hanging pid=%d\n", os.Getpid())
	select {}
}
