// Command jsonschemaonly does nothing but link
// github.com/santhosh-tekuri/jsonschema/v6, whose package initialisation
// compiles the JSON Schema meta-schemas of every draft (draft.go's init in
// every v6 release). BenchmarkStartup runs it as the floor that rcolpipe,
// which needs the library for its schemas, cannot go below.
package main

import _ "github.com/santhosh-tekuri/jsonschema/v6"

func main() {}
