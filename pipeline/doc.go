// Package pipeline runs a dictionary through its stages: validate, the
// transform plugin stages, validate again; it reads the pipeline file and
// holds the validation rules and the reports.
package pipeline
