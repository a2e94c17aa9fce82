// exiter is a test plugin that exits in the middle of Transform.
package main

import (
	"context"
	"fmt"
	"os"

	"github.com/rcolpipe/rcolpipe/plugins/sdk"
)

type exiter struct{}

func (exiter) Info() sdk.Info { return sdk.Info{Name: "exiter", Version: "0.0.1"} }

func (exiter) Transform(ctx context.Context, req *sdk.Request) (*sdk.Response, error) {
	fmt.Fprintln(os.Stderr, "exiter: giving up")
	os.Exit(3)
	return nil, nil
}
