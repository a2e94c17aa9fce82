// Command conventions is the bundled `conventions` transform plugin as its
// own executable. rcolpipe serves the same transformer from inside its own
// binary (`rcolpipe __plugin conventions`).
package main

import (
	"github.com/rcolpipe/rcolpipe/plugins/conventions"
	"github.com/rcolpipe/rcolpipe/plugins/sdk"
)

func main() { sdk.Serve(conventions.New()) }
