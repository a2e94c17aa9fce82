// Command rcolpipe loads REDCap data dictionaries, validates them, runs them
// through transform plugins and uploads them to a REDCap project without
// losing what was there.
package main

import (
	"os"
)

func main() {
	os.Exit(run(os.Args, newEnv()))
}
