// Command testplugin is every test plugin of package host in one
// binary (one link instead of eight): it behaves as the plugin its file
// name says, e.g. a copy named "hanger" hangs.
package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/rcolpipe/rcolpipe/plugins/sdk"
)

func main() {
	name := strings.TrimSuffix(filepath.Base(os.Args[0]), ".exe")
	switch name {
	case "echo":
		sdk.Serve(echo{})
	case "panicker":
		sdk.Serve(panicker{})
	case "exiter":
		sdk.Serve(exiter{})
	case "hanger":
		sdk.Serve(hanger{})
	case "invaliddict":
		sdk.Serve(invalid{})
	case "stdoutgarbage":
		stdoutGarbage()
	case "wrongversion":
		wrongVersion()
	case "hosthelper":
		os.Exit(hostHelper())
	case "spawner":
		sdk.Serve(spawner{})
	case "sleeper":
		sleep()
	case "peeker":
		sdk.Serve(peeker{})
	case "peekhost":
		os.Exit(peekHost())
	default:
		fmt.Fprintf(os.Stderr, "testplugin: unknown name %q\n", name)
		os.Exit(2)
	}
}
