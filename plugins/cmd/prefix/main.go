// Command prefix is the bundled `prefix` transform plugin as its own
// executable. rcolpipe serves the same transformer from inside its own
// binary (`rcolpipe __plugin prefix`), so building this is only needed to
// run it outside rcolpipe.
package main

import (
	"github.com/rcolpipe/rcolpipe/plugins/prefix"
	"github.com/rcolpipe/rcolpipe/plugins/sdk"
)

func main() { sdk.Serve(prefix.New()) }
