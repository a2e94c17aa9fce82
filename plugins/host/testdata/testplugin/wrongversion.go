// wrongversion is a test plugin that speaks protocol 2 only.
package main

import (
	"github.com/hashicorp/go-plugin"

	"github.com/rcolpipe/rcolpipe/plugins/internal/wire"
	"github.com/rcolpipe/rcolpipe/plugins/proto/rcolpipe/v1"
)

type v2server struct {
	rcolpipev1.UnimplementedTransformerServer
}

func wrongVersion() {
	hs := wire.Handshake
	hs.ProtocolVersion = 2
	plugin.Serve(&plugin.ServeConfig{
		HandshakeConfig:  hs,
		VersionedPlugins: map[int]plugin.PluginSet{2: {wire.PluginName: &wire.GRPCPlugin{Impl: v2server{}}}},
		GRPCServer:       plugin.DefaultGRPCServer,
	})
}
