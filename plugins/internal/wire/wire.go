// Package wire holds what the host and the SDK must agree on: the go-plugin
// handshake, the gRPC plugin glue, message limits and the conversions
// between redcap types and protocol messages.
package wire

import (
	"context"
	"fmt"

	"github.com/hashicorp/go-plugin"
	"google.golang.org/grpc"
	"google.golang.org/protobuf/proto"

	"github.com/rcolpipe/rcolpipe/plugins/proto/rcolpipe/v1"
)

// ProtocolVersion is the major version of the plugin protocol
// (plugins/proto/rcolpipe/v1). It is independent of rcolpipe's version, the
// SDK's version and each plugin's own version.
const ProtocolVersion = 1

// PluginName is the key of the transformer in go-plugin's plugin set.
const PluginName = "transformer"

// MaxMessageSize bounds every gRPC message in both directions. gRPC's
// default of 4 MiB is too small for large dictionaries (10,000 rows are
// about 4.5 MB) and go-plugin raises only the host's receive limit.
const MaxMessageSize = 64 << 20

// Handshake is the go-plugin handshake. The cookie is not a secret: it
// only stops a plugin binary from starting when someone runs it by hand.
var Handshake = plugin.HandshakeConfig{
	ProtocolVersion:  ProtocolVersion,
	MagicCookieKey:   "RCOLPIPE_PLUGIN_MAGIC_COOKIE",
	MagicCookieValue: "7d1c5a0e-rcolpipe-transformer",
}

// EnvLogLevel passes the host's log level down so plugins filter at the source.
const EnvLogLevel = "RCOLPIPE_LOG_LEVEL"

// EnvDebug=1 makes an SDK plugin run on its own for a debugger and print
// the EnvReattach line the host needs to use it.
const EnvDebug = "RCOLPIPE_PLUGIN_DEBUG"

// EnvReattach holds, as JSON, the running plugins the host attaches to
// instead of starting them: {"NAME": Reattach, ...}.
const EnvReattach = "RCOLPIPE_PLUGIN_REATTACH"

// Reattach says where a plugin started by hand listens.
type Reattach struct {
	Protocol        string `json:"protocol"`
	ProtocolVersion int    `json:"protocol_version"`
	Network         string `json:"network"`
	Addr            string `json:"addr"`
	Pid             int    `json:"pid"`
}

// SocketDirPrefix starts the name of the host's per-run socket directory.
// The SDK removes such a directory (when empty) after its parent died.
const SocketDirPrefix = "rcolpipe-"

// GRPCPlugin adapts the Transformer service to go-plugin. The host leaves
// Impl nil; a plugin sets it.
type GRPCPlugin struct {
	plugin.NetRPCUnsupportedPlugin
	Impl rcolpipev1.TransformerServer
}

// GRPCServer registers the transformer service on the plugin's server.
func (p *GRPCPlugin) GRPCServer(_ *plugin.GRPCBroker, s *grpc.Server) error {
	if p.Impl == nil {
		return fmt.Errorf("rcolpipe plugin: no transformer to serve")
	}
	rcolpipev1.RegisterTransformerServer(s, p.Impl)
	return nil
}

// GRPCClient returns the host's client of the transformer service.
func (p *GRPCPlugin) GRPCClient(_ context.Context, _ *plugin.GRPCBroker, c *grpc.ClientConn) (any, error) {
	return rcolpipev1.NewTransformerClient(c), nil
}

// windowSize is the HTTP/2 flow-control window. A whole dictionary is one
// message of several MB on a local socket: a window that holds it saves
// the round trips of gRPC's window growth.
const windowSize = 16 << 20

// ServerOptions sets the message limits on a plugin's gRPC server.
func ServerOptions() []grpc.ServerOption {
	return []grpc.ServerOption{grpc.MaxRecvMsgSize(MaxMessageSize), grpc.MaxSendMsgSize(MaxMessageSize),
		grpc.InitialWindowSize(windowSize), grpc.InitialConnWindowSize(windowSize)}
}

// DialOptions sets the message limits on the host's connection.
func DialOptions() []grpc.DialOption {
	return []grpc.DialOption{grpc.WithInitialWindowSize(windowSize), grpc.WithInitialConnWindowSize(windowSize), grpc.WithDefaultCallOptions(
		grpc.MaxCallRecvMsgSize(MaxMessageSize),
		grpc.MaxCallSendMsgSize(MaxMessageSize),
	)}
}

// CheckSize refuses a message over MaxMessageSize before it is sent, so the
// sender gets a clear error instead of gRPC's ResourceExhausted.
func CheckSize(m proto.Message, what string) error {
	if n := proto.Size(m); n > MaxMessageSize {
		return fmt.Errorf("%s is %.1f MiB of protobuf, over the %d MiB limit of the plugin protocol; split the dictionary into smaller runs",
			what, float64(n)/(1<<20), MaxMessageSize>>20)
	}
	return nil
}
