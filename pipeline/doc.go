// Package pipeline turns input files into a checked, transformed
// dictionary. Run is its one entry: read the inputs (and the assumed
// fields), validate them, start the plugins of the stages, run each stage
// and validate after it, and return the dictionaries, the findings (with
// severities, stage names, in order), the rules and the timings; its
// errors say whether the command line, the input or the findings failed.
//
// Around Run: the pipeline file (config.go is the model, config_read.go
// reads YAML into it, config_errors.go words its problems), NewSpec (a run
// from the file and the command line), the Validator (REDCap's rules from
// pipeline/rules plus JSON Schemas), the Runner (the stage loop), the
// plugin stages and the lock, and Inspect (what a dictionary holds).
// Writing results is package output's job; uploading is package upload's.
package pipeline
