package host

import (
	"encoding/json"
	"fmt"
	"net"
	"path/filepath"

	"github.com/hashicorp/go-plugin"

	"github.com/rcolpipe/rcolpipe/plugins/internal/wire"
)

// EnvReattach names the environment variable with the plugins to attach to
// instead of starting them (debugging: start the plugin by hand with
// RCOLPIPE_PLUGIN_DEBUG=1, e.g. under dlv, and copy the line it prints).
const EnvReattach = wire.EnvReattach

// Reattach says where a plugin started by hand listens.
type Reattach = wire.Reattach

// ParseReattach reads the value of RCOLPIPE_PLUGIN_REATTACH: a JSON object
// from plugin name to Reattach. "" is no plugin.
func ParseReattach(s string) (map[string]Reattach, error) {
	if s == "" {
		return nil, nil
	}
	var m map[string]Reattach
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		return nil, fmt.Errorf("%s: %w", EnvReattach, err)
	}
	for name, r := range m {
		if r.Protocol != string(plugin.ProtocolGRPC) || r.Addr == "" || r.Pid <= 0 {
			return nil, fmt.Errorf("%s: plugin %s: want protocol grpc, an addr and a pid", EnvReattach, name)
		}
	}
	return m, nil
}

// reattachFor finds the reattach entry of a plugin reference: by the
// reference itself or by its base name.
func reattachFor(m map[string]Reattach, ref string) (Reattach, bool) {
	if r, ok := m[ref]; ok {
		return r, true
	}
	r, ok := m[filepath.Base(ref)]
	return r, ok
}

// reattachConfig turns an entry into go-plugin's reattach config. Test
// mode: the host never kills a plugin it did not start.
func reattachConfig(r Reattach) (*plugin.ReattachConfig, error) {
	var addr net.Addr
	var err error
	switch r.Network {
	case "unix":
		addr, err = net.ResolveUnixAddr("unix", r.Addr)
	case "tcp":
		addr, err = net.ResolveTCPAddr("tcp", r.Addr)
	default:
		err = fmt.Errorf("unknown network %q", r.Network)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", EnvReattach, err)
	}
	return &plugin.ReattachConfig{
		Protocol:        plugin.ProtocolGRPC,
		ProtocolVersion: r.ProtocolVersion,
		Addr:            addr,
		Pid:             r.Pid,
		Test:            true,
	}, nil
}
