// Package host is the go-plugin host for transform stages: the protocol,
// launching, the handshake, timeouts and plugin logs. It knows nothing of
// validation or upload.
package host
