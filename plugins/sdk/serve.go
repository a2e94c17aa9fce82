package sdk

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/go-plugin"
	"google.golang.org/grpc"

	"github.com/rcolpipe/rcolpipe/plugins/internal/wire"
)

// Serve runs t as a plugin until the host closes it, then exits the
// process. Call it first thing in main: anything written to standard output
// before Serve breaks the handshake (after it, standard output is sent to
// the host's log, never to the handshake channel).
func Serve(t Transformer) {
	os.Exit(serve(t))
}

func serve(t Transformer) int {
	if os.Getenv(wire.EnvDebug) == "1" {
		return serveDebug(t)
	}
	if os.Getenv(wire.Handshake.MagicCookieKey) != wire.Handshake.MagicCookieValue {
		fmt.Fprintf(os.Stderr, "This program is an rcolpipe plugin: it runs as a stage of a pipeline, e.g.\n"+
			"  rcolpipe transform --stage 'PATH-TO-THIS-PROGRAM:{}' dictionary.csv\n")
		return 1
	}
	// Logs go to the real standard error as hclog JSON lines, which the
	// host parses into its own log; go-plugin later swaps os.Stderr for a
	// pipe, so keep the file we have now.
	stderr := os.Stderr
	log := hclog.New(&hclog.LoggerOptions{
		Level:      levelFromEnv(os.Getenv(wire.EnvLogLevel)),
		Output:     stderr,
		JSONFormat: true,
	})
	cleanup := &socketCleanup{dir: os.Getenv(plugin.EnvUnixSocketDir)}
	handshake, restore, err := protectStdout(cleanup.setSocket)
	if err != nil {
		log.Error("cannot protect standard output", "error", err)
		return 1
	}
	os.Stdout = handshake
	defer restore()

	go watchParent(cleanup, log)

	plugin.Serve(&plugin.ServeConfig{
		HandshakeConfig: wire.Handshake,
		VersionedPlugins: map[int]plugin.PluginSet{
			wire.ProtocolVersion: {wire.PluginName: &wire.GRPCPlugin{Impl: &server{t: t, log: log, stdio: stderr}}},
		},
		GRPCServer: func(opts []grpc.ServerOption) *grpc.Server {
			return grpc.NewServer(append(opts, wire.ServerOptions()...)...)
		},
		Logger: log.Named("go-plugin"),
	})
	cleanup.run()
	return 0
}

// levelFromEnv maps zerolog's level names (the host's) to hclog's.
func levelFromEnv(s string) hclog.Level {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "trace":
		return hclog.Trace
	case "debug":
		return hclog.Debug
	case "", "info":
		return hclog.Info
	case "warn", "warning":
		return hclog.Warn
	case "error", "fatal", "panic":
		return hclog.Error
	case "disabled", "off":
		return hclog.Off
	}
	return hclog.Info
}

// socketCleanup removes the plugin's socket, and the host's per-run socket
// directory once it is empty, when the plugin exits on its own because the
// host is gone (the host cannot do it then).
type socketCleanup struct {
	dir    string
	mu     sync.Mutex
	socket string
	done   bool
}

func (c *socketCleanup) setSocket(path string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.socket = path
}

func (c *socketCleanup) run() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.done {
		return
	}
	c.done = true
	if c.socket != "" {
		_ = os.Remove(c.socket)
	}
	// Only a directory the host made for this run, and only when empty:
	// the last plugin to leave removes it.
	if c.dir != "" && strings.HasPrefix(filepath.Base(c.dir), wire.SocketDirPrefix) {
		_ = os.Remove(c.dir)
	}
}

// watchParent exits the plugin when the host is gone: on SIGTERM (what the
// host's Pdeathsig sends on Linux when it dies), on SIGPIPE (a log line
// written to the dead host's pipe), or when the parent process changes (the
// plugin was re-parented; other systems). SIGPIPE is caught here because
// Go's default for a broken stdout or stderr is to die at once, before the
// socket is removed: a killed rcolpipe then left the plugin's socket and
// folder in TMPDIR, now and then (TestSignalsLeaveNothing/killed).
// The cleanup runs before the log line, which may itself hit the broken pipe.
func watchParent(c *socketCleanup, log hclog.Logger) {
	parent := os.Getppid()
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGTERM, syscall.SIGPIPE)
	tick := time.NewTicker(250 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case sig := <-sigs:
			c.run()
			log.Debug("host gone; exiting", "signal", sig.String())
			os.Exit(1)
		case <-tick.C:
			if os.Getppid() != parent {
				c.run()
				log.Debug("host process is gone; exiting")
				os.Exit(1)
			}
		}
	}
}

// relayHandshake copies the first line (go-plugin's handshake) from r to
// out, reports the socket address it names, closes out, and sends anything
// after it to stderr.
func relayHandshake(r io.Reader, out io.WriteCloser, socket func(string)) {
	br := bufio.NewReader(r)
	line, err := br.ReadString('\n')
	if line != "" {
		parts := strings.Split(strings.TrimSpace(line), "|")
		if len(parts) >= 4 && parts[2] == "unix" {
			socket(parts[3])
		}
		_, _ = io.WriteString(out, line)
	}
	_ = out.Close()
	if err == nil {
		_, _ = io.Copy(os.Stderr, br)
	}
}
