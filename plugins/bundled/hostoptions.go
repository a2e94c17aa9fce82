package bundled

import (
	"fmt"
	"os"

	"github.com/rs/zerolog"

	"github.com/rcolpipe/rcolpipe/plugins/host"
)

// EnvPluginMTLS=1 turns on go-plugin's AutoMTLS for the plugin sockets
// (off by default: each run's sockets are in a private 0700 folder, and
// mTLS costs about 40 ms per plugin start).
const EnvPluginMTLS = "RCOLPIPE_PLUGIN_MTLS"

// HostOptions is how every command that runs plugins configures the host:
// the search path from the environment, the bundled registry served by
// this executable, rcolpipe's log and version; allowProject is
// --allow-project-plugins (a flag only: the pipeline file comes with the
// same checkout as the plugins, so it cannot vouch for them). The
// pipeline sets the base folder and the lock.
func HostOptions(getenv func(string) string, log zerolog.Logger, version string, allowProject bool) (host.Options, error) {
	self, err := os.Executable()
	if err != nil {
		return host.Options{}, fmt.Errorf("find rcolpipe's own executable (for bundled plugins): %w", err)
	}
	reattach, err := host.ParseReattach(getenv(host.EnvReattach))
	if err != nil {
		return host.Options{}, err
	}
	return host.Options{
		Reattach:          reattach,
		SearchPath:        host.SearchPath(getenv),
		Bundled:           Names(),
		SelfExe:           self,
		Log:               log,
		AllowProjectLocal: allowProject,
		LogLevel:          log.GetLevel().String(),
		Version:           version,
		AutoMTLS:          getenv(EnvPluginMTLS) == "1",
	}, nil
}
