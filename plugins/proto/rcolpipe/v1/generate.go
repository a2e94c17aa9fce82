// Package rcolpipev1 is the generated Go code of protocol 1 between
// rcolpipe and its transform plugins (transformer.proto). Regenerate with
// `go generate ./plugins/proto/...` (see docs/plugins.md for the tools).
package rcolpipev1

//go:generate protoc --proto_path=. --go_out=. --go_opt=paths=source_relative --go-grpc_out=. --go-grpc_opt=paths=source_relative transformer.proto
