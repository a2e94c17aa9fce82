// Package schemas holds the embedded JSON Schemas (a dictionary row, the
// pipeline file), compiles them with santhosh-tekuri/jsonschema v6 together
// with the user's own schema files, and maps schema errors to diagnostics.
package schemas
