// Package output writes every result rcolpipe prints, for people and for
// machines: the findings of a validation (text, json, sarif, github,
// junit; findings_*.go, one file per format) and the results of check,
// upload and diff, run, inspect, rules and plugins (one file per result
// kind, each with text and json). Commands choose a writer by their
// --format value; no command formats a result itself.
package output
