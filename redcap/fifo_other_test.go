//go:build !unix

package redcap

// makeFIFO: no named pipes here.
func makeFIFO(string) {}
