package host

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/hashicorp/go-plugin"
	"github.com/rs/zerolog"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/rcolpipe/rcolpipe/plugins/internal/wire"
	"github.com/rcolpipe/rcolpipe/plugins/proto/rcolpipe/v1"
	"github.com/rcolpipe/rcolpipe/redcap"
)

// DefaultTimeout bounds one Transform call (and a plugin's start-up) when
// the stage sets none.
const DefaultTimeout = 60 * time.Second

// Spec is one plugin stage of a run.
type Spec struct {
	// Stage is the stage's name, unique in the run.
	Stage string
	// Plugin is a path (with a slash) or a name: bundled, or looked up on
	// the search path.
	Plugin string
	// Config is the stage's config as JSON. It is checked against the
	// plugin's config schema at Start; nil skips that check (for
	// `plugins info`, which runs no stage) and sends no config.
	Config []byte
	// Timeout bounds each call; 0 means DefaultTimeout.
	Timeout time.Duration
}

// Options configure a Host.
type Options struct {
	// SearchPath is where plugin names are looked up (see SearchPath).
	SearchPath []string
	// Bundled lists the plugin names the rcolpipe binary serves itself.
	Bundled []string
	// SelfExe is rcolpipe's executable, which serves bundled plugins.
	SelfExe string
	// BaseDir is where relative plugin paths start (the pipeline file's
	// folder); "" is the working directory.
	BaseDir string
	// Lock, when set, pins each plugin's SHA-256; a plugin whose binary
	// differs, or that the lock does not list, is refused. A pin is also
	// what lets a plugin found in the project folder run.
	Lock *Lock
	// AllowProjectLocal lets plugins found in the project folder
	// (LocalPluginDir) run unpinned. Only the user's command line sets it,
	// never the pipeline file: both come with the checkout.
	AllowProjectLocal bool
	// Log receives the plugins' logs, with stage and plugin name.
	Log zerolog.Logger
	// LogLevel is passed to plugins (RCOLPIPE_LOG_LEVEL) so they filter at
	// the source; "" takes Log's level.
	LogLevel string
	// Version is rcolpipe's version, sent with every request.
	Version string
	// Reattach lists plugins already running (started by hand under a
	// debugger, see EnvReattach) by name; the host attaches to them instead
	// of starting them, and does not check them against the lock.
	Reattach map[string]Reattach
	// AutoMTLS turns on go-plugin's mutual TLS on the plugin socket. Off by
	// default: the socket is in a private 0700 directory.
	AutoMTLS bool
}

// Info describes a started plugin.
type Info struct {
	Name            string
	Version         string
	Description     string
	ProtocolVersion int
	SDKVersion      string
	Capabilities    []string
	// ConfigSchema is the plugin's JSON Schema of its config, or nil.
	ConfigSchema json.RawMessage
	// Path is the executable that runs, Bundled whether it is rcolpipe.
	Path    string
	Bundled bool
}

// Host runs the plugins of one run.
type Host struct {
	opts   Options
	dir    string
	stages map[string]*instance
	order  []string
}

type instance struct {
	spec   Spec
	res    Resolved
	client *plugin.Client
	// cmd is the plugin's process (nil when attached); its PID is the ID
	// of the plugin's process group.
	cmd *exec.Cmd
	// endGroupOnce ends the process group once: a second signal later
	// could reach a new group that reuses the number.
	endGroupOnce sync.Once
	rpc          rcolpipev1.TransformerClient
	info         Info
	ring         *ring
	log          zerolog.Logger
	// reattach is set for a plugin started by hand.
	reattach *plugin.ReattachConfig

	mu      sync.Mutex
	exitMsg string // "exit status 3", from go-plugin's log
	broken  error  // set once the plugin failed; never restarted
}

// Start resolves every plugin, checks them against the lock, then starts
// them all at once and asks each for its Info, so a missing, changed or
// incompatible plugin fails the run before any work. On error nothing is
// left running.
func Start(ctx context.Context, specs []Spec, opts Options) (*Host, error) {
	h := &Host{opts: opts, stages: map[string]*instance{}}
	r := &Resolver{SearchPath: opts.SearchPath, Bundled: opts.Bundled, SelfExe: opts.SelfExe, BaseDir: opts.BaseDir,
		AllowProjectLocal: opts.AllowProjectLocal, Lock: opts.Lock}
	for _, s := range specs {
		if s.Stage == "" {
			return nil, fmt.Errorf("plugin %s: the stage has no name", s.Plugin)
		}
		if _, dup := h.stages[s.Stage]; dup {
			return nil, fmt.Errorf("two stages are named %q; stage names must be unique", s.Stage)
		}
		if s.Timeout <= 0 {
			s.Timeout = DefaultTimeout
		}
		in := &instance{spec: s, ring: newRing(),
			log: opts.Log.With().Str("stage", s.Stage).Str("plugin", s.Plugin).Logger()}
		if ra, ok := reattachFor(opts.Reattach, s.Plugin); ok {
			rc, err := reattachConfig(ra)
			if err != nil {
				return nil, &Error{Kind: KindStart, Stage: s.Stage, Plugin: s.Plugin, What: err.Error(), Hint: "fix or unset $" + EnvReattach, Err: err}
			}
			in.reattach = rc
			in.res = Resolved{Ref: s.Plugin, Path: fmt.Sprintf("(attached: pid %d)", ra.Pid)}
			in.log.Warn().Int("pid", ra.Pid).Msg("attaching to a plugin started by hand; it is not checked against the lock")
			h.stages[s.Stage] = in
			h.order = append(h.order, s.Stage)
			continue
		}
		res, err := r.Resolve(s.Plugin)
		var ple *ProjectLocalError
		if errors.As(err, &ple) {
			return nil, &Error{Kind: KindProjectLocal, Stage: s.Stage, Plugin: s.Plugin, What: "not run: " + err.Error(),
				Hint: "if you trust it, pass " + AllowProjectFlag + " or pin it with `rcolpipe plugins lock " + AllowProjectFlag + "`; or install your own " + s.Plugin + " in your plugin folder", Err: err}
		}
		if err != nil {
			return nil, missingError(s.Stage, s.Plugin, err)
		}
		if res.Warning != "" {
			in.log.Warn().Msg(res.Warning)
		}
		if opts.Lock != nil {
			if err := opts.Lock.verify(res, s.Stage); err != nil {
				return nil, err
			}
		}
		in.res = res
		h.stages[s.Stage] = in
		h.order = append(h.order, s.Stage)
	}
	if len(specs) == 0 {
		return h, nil
	}
	if err := protectHost(); err != nil {
		return nil, err
	}
	dir, err := makeSocketDir()
	if err != nil {
		return nil, err
	}
	h.dir = dir

	errs := make([]error, len(h.order))
	var wg sync.WaitGroup
	for i, name := range h.order {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = h.launch(ctx, h.stages[name])
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			h.Close()
			return nil, err
		}
	}
	return h, nil
}

// makeSocketDir creates the run's private socket directory. Unix socket
// paths are limited to about 104 bytes, so a long TMPDIR falls back to /tmp.
func makeSocketDir() (string, error) {
	base := os.TempDir()
	if len(base) > 60 {
		if st, err := os.Stat("/tmp"); err == nil && st.IsDir() {
			base = "/tmp"
		}
	}
	dir, err := os.MkdirTemp(base, wire.SocketDirPrefix)
	if err != nil {
		return "", fmt.Errorf("plugin socket directory: %w", err)
	}
	if err := os.Chmod(dir, 0o700); err != nil {
		_ = os.RemoveAll(dir)
		return "", fmt.Errorf("plugin socket directory: %w", err)
	}
	return dir, nil
}

// SocketDir returns the run's private socket directory ("" before start).
func (h *Host) SocketDir() string { return h.dir }

// pluginEnv is everything a plugin's environment holds, besides what
// go-plugin adds (the cookie and protocol versions): never the host's
// environment, so never the API token.
func (h *Host) pluginEnv() []string {
	level := h.opts.LogLevel
	if level == "" {
		level = h.opts.Log.GetLevel().String()
	}
	env := []string{
		wire.EnvLogLevel + "=" + level,
		plugin.EnvUnixSocketDir + "=" + h.dir,
		"TMPDIR=" + os.TempDir(),
	}
	for _, k := range []string{"PATH", "HOME", "SystemRoot"} {
		if v, ok := os.LookupEnv(k); ok {
			env = append(env, k+"="+v)
		}
	}
	return env
}

func (h *Host) launch(ctx context.Context, in *instance) error {
	cmd := exec.Command(in.res.Path, in.res.Args...)
	cmd.Env = h.pluginEnv()
	cmd.SysProcAttr = sysProcAttr()
	in.cmd = cmd
	pluginLog := &hclogAdapter{
		zl:         in.log,
		pluginName: filepath.Base(in.res.Path),
		onExit: func(msg string) {
			in.mu.Lock()
			in.exitMsg = msg
			in.mu.Unlock()
		},
	}
	set := plugin.PluginSet{wire.PluginName: &wire.GRPCPlugin{}}
	cfg := &plugin.ClientConfig{
		HandshakeConfig:  wire.Handshake,
		VersionedPlugins: map[int]plugin.PluginSet{wire.ProtocolVersion: set},
		Cmd:              cmd,
		SkipHostEnv:      true,
		AllowedProtocols: []plugin.Protocol{plugin.ProtocolGRPC},
		GRPCDialOptions:  wire.DialOptions(),
		AutoMTLS:         h.opts.AutoMTLS,
		StartTimeout:     in.spec.Timeout,
		Logger:           pluginLog,
		Stderr:           &lineWriter{line: in.ring.add},
		SyncStdout: &lineWriter{line: func(s string) {
			in.ring.add(s)
			in.log.Warn().Str("stream", "stdout").Msg(s)
		}},
		SyncStderr: &lineWriter{line: func(s string) {
			in.ring.add(s)
			in.log.Info().Str("stream", "stderr").Msg(s)
		}},
	}
	if in.reattach != nil {
		// go-plugin picks the plugin set from the handshake, which a
		// reattach skips.
		cfg.Cmd, cfg.Reattach, cfg.Plugins = nil, in.reattach, set
		in.cmd = nil
	}
	in.client = plugin.NewClient(cfg)
	proto, err := in.client.Client()
	if err != nil {
		return in.startError(err)
	}
	raw, err := proto.Dispense(wire.PluginName)
	if err != nil {
		return in.startError(err)
	}
	in.rpc = raw.(rcolpipev1.TransformerClient)

	ictx, cancel := context.WithTimeout(ctx, in.spec.Timeout)
	defer cancel()
	resp, err := in.rpc.Info(ictx, &rcolpipev1.InfoRequest{RcolpipeVersion: h.opts.Version})
	if err != nil {
		return in.callError(ctx, ictx, err, "Info")
	}
	in.info = Info{
		Name:            resp.GetName(),
		Version:         resp.GetVersion(),
		Description:     resp.GetDescription(),
		ProtocolVersion: int(resp.GetProtocolVersion()),
		SDKVersion:      resp.GetSdkVersion(),
		Capabilities:    resp.GetCapabilities(),
		Path:            in.res.Path,
		Bundled:         in.res.Bundled,
	}
	if len(resp.GetConfigSchema()) > 0 {
		in.info.ConfigSchema = json.RawMessage(resp.GetConfigSchema())
	}
	if in.info.ProtocolVersion != wire.ProtocolVersion {
		in.kill()
		return in.fail(KindProtocol, fmt.Sprintf("its Info says protocol %d, rcolpipe speaks %d", in.info.ProtocolVersion, wire.ProtocolVersion),
			"use a plugin built for protocol 1", nil)
	}
	if in.spec.Config == nil {
		// `plugins info`: no stage runs, so there is no config to check.
	} else if err := checkConfig(in.info.ConfigSchema, in.spec.Config); err != nil {
		in.kill()
		return in.fail(KindConfig, "config: "+err.Error(), "fix the stage's config in the pipeline file (see `rcolpipe plugins info "+in.spec.Plugin+"`)", err)
	}
	in.log.Debug().Str("version", in.info.Version).Str("path", in.res.Path).Msg("plugin started")
	return nil
}

// startError explains why a plugin did not get through the handshake.
func (in *instance) startError(err error) error {
	// Kill waits for go-plugin's stderr reader, so the ring is complete.
	in.kill()
	msg := err.Error()
	lower := strings.ToLower(msg)
	switch {
	case strings.Contains(lower, "incompatible api version"):
		v := between(msg, "Plugin version: ", ",")
		return in.fail(KindProtocol, fmt.Sprintf("speaks plugin protocol %s, rcolpipe speaks %d", v, wire.ProtocolVersion),
			"use a version of the plugin built for protocol 1 (rebuild it with this rcolpipe's SDK)", err)
	case strings.Contains(lower, "incompatible core api version"):
		return in.fail(KindProtocol, "uses an incompatible go-plugin core protocol", "rebuild the plugin with a current SDK", err)
	case strings.Contains(msg, "unsupported plugin protocol"):
		return in.fail(KindProtocol, "serves net/rpc, not gRPC", "the plugin must serve gRPC (go-plugin's GRPCServer; the SDK does this)", err)
	case strings.Contains(msg, "Unrecognized remote plugin message"):
		line := strings.TrimSpace(between(msg, "Unrecognized remote plugin message: ", "\n"))
		if line == "" || strings.Contains(msg, "Failed to read any lines") {
			return in.fail(KindStart, "exited before the handshake"+in.quote(),
				"run it by hand to see why, or check that it is an rcolpipe plugin", err)
		}
		return in.fail(KindStdout, fmt.Sprintf("wrote %q to standard output before the handshake", line),
			"a plugin must not print to stdout; log to stderr (the SDK's Serve must be the first thing main does)", err)
	case strings.Contains(msg, "plugin exited before we could connect"):
		return in.fail(KindStart, "exited before the handshake"+in.quote(), hintReport, err)
	case strings.Contains(msg, "timeout while waiting for plugin to start"):
		return in.fail(KindTimeout, fmt.Sprintf("did not finish its handshake within %s", in.spec.Timeout), hintTimeout, err)
	}
	return in.fail(KindStart, "cannot start: "+firstLine(msg), "check that the file is an rcolpipe plugin built for this system", err)
}

// Info returns the Info of the plugin of a stage.
func (h *Host) Info(stage string) (Info, error) {
	in, ok := h.stages[stage]
	if !ok {
		return Info{}, fmt.Errorf("no plugin stage %q", stage)
	}
	return in.info, nil
}

// Stages returns the stage names in order.
func (h *Host) Stages() []string { return append([]string(nil), h.order...) }

// Transform runs one stage on d. The returned diagnostics carry the stage
// name and the file and line of the row they are about. A plugin that
// breaks (crash, panic, timeout, bad answer) is stopped and returns an
// *Error; it is never restarted.
func (h *Host) Transform(ctx context.Context, stage string, d *redcap.Dictionary) (*redcap.Dictionary, redcap.Diagnostics, error) {
	in, ok := h.stages[stage]
	if !ok {
		return nil, nil, fmt.Errorf("no plugin stage %q", stage)
	}
	in.mu.Lock()
	broken := in.broken
	in.mu.Unlock()
	if broken != nil {
		return nil, nil, broken
	}
	req := wire.RequestFromDictionary(d, in.spec.Config, stage, h.opts.Version)
	if err := wire.CheckSize(req, fmt.Sprintf("the dictionary (%d rows)", d.Len())); err != nil {
		return nil, nil, &Error{Kind: KindTooLarge, Stage: stage, Plugin: in.spec.Plugin, What: "not sent: " + err.Error(), Err: err}
	}
	cctx, cancel := context.WithTimeout(ctx, in.spec.Timeout)
	defer cancel()
	start := time.Now()
	resp, err := in.rpc.Transform(cctx, req)
	if err != nil {
		return nil, nil, in.callError(ctx, cctx, err, "Transform")
	}
	out, diags, err := wire.ReadResponse(resp, d, stage)
	if err != nil {
		return nil, nil, in.fail(KindInvalidResponse, err.Error(), hintReport, err)
	}
	in.log.Debug().Int("rows_in", d.Len()).Int("rows_out", out.Len()).Int("diagnostics", len(diags)).
		Str("took", time.Since(start).Round(time.Microsecond).String()).Msg("stage done")
	return out, diags, nil
}

// callError explains a failed call and stops the plugin.
func (in *instance) callError(parent, cctx context.Context, err error, call string) error {
	st, _ := status.FromError(err)
	switch {
	case parent.Err() != nil:
		in.kill()
		return in.fail(KindCanceled, "interrupted during "+call, "", parent.Err())
	case cctx.Err() == context.DeadlineExceeded || st.Code() == codes.DeadlineExceeded:
		in.kill()
		return in.fail(KindTimeout, fmt.Sprintf("no answer to %s within %s; the plugin was stopped", call, in.spec.Timeout), hintTimeout, err)
	case st.Code() == codes.Internal && strings.HasPrefix(st.Message(), "panic: "):
		in.kill()
		return in.fail(KindPanic, "panicked: "+st.Message(), hintReport, err)
	case st.Code() == codes.ResourceExhausted:
		in.kill()
		return in.fail(KindTooLarge, "message over the size limit: "+st.Message(), "split the dictionary into smaller runs", err)
	case st.Code() == codes.Unavailable || st.Code() == codes.Canceled || in.waitExited(2*time.Second):
		in.kill()
		return in.fail(KindCrash, in.deathReport(call), hintReport, err)
	}
	in.kill()
	return in.fail(KindFailed, call+" failed: "+st.Message(), hintReport, err)
}

// waitExited waits up to d for the plugin process to end.
func (in *instance) waitExited(d time.Duration) bool {
	deadline := time.Now().Add(d)
	for {
		if in.client.Exited() {
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// deathReport says how the process ended, quoting its panic line or last
// output.
func (in *instance) deathReport(call string) string {
	in.waitExited(2 * time.Second)
	in.kill() // waits for the stderr reader
	in.mu.Lock()
	exit := in.exitMsg
	in.mu.Unlock()
	if p := in.ring.panicLine(); p != "" {
		return "crashed during " + call + ": " + p
	}
	what := "exited during " + call
	if exit != "" {
		what += " (" + exit + ")"
	} else if !in.client.Exited() {
		what = "dropped the connection during " + call
	}
	return what + in.quote()
}

// quote returns the plugin's last output lines, for a message.
func (in *instance) quote() string {
	lines := in.ring.last()
	if len(lines) == 0 {
		return ""
	}
	if len(lines) > 5 {
		lines = lines[len(lines)-5:]
	}
	return "; its last output: " + strings.Join(lines, " | ")
}

func (in *instance) fail(kind Kind, what, hint string, err error) error {
	e := &Error{Kind: kind, Stage: in.spec.Stage, Plugin: in.spec.Plugin, What: what, Hint: hint, Err: err}
	in.mu.Lock()
	if in.broken == nil {
		in.broken = e
	}
	in.mu.Unlock()
	return e
}

// killGrace is how long a plugin's leftover processes get between SIGTERM
// and SIGKILL, and how long kill waits beyond go-plugin's own two seconds
// for the plugin itself to exit.
const killGrace = 2 * time.Second

// kill stops the plugin, then whatever it started (its process group).
// go-plugin's Kill asks the plugin to shut down, kills it after two
// seconds, and then waits until the plugin's output pipes close, which a
// child still holding them would delay forever. So the group is ended as
// soon as the plugin itself has exited, while Kill is still waiting.
func (in *instance) kill() {
	if in.client == nil {
		return
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		in.client.Kill()
	}()
	pid := 0
	if in.cmd != nil && in.cmd.Process != nil {
		pid = in.cmd.Process.Pid
	}
	if pid > 0 {
		deadline := time.Now().Add(killGrace + 2*time.Second)
		for !isClosed(done) && !processEnded(pid) && time.Now().Before(deadline) {
			time.Sleep(10 * time.Millisecond)
		}
		in.endGroupOnce.Do(func() { endGroup(pid, killGrace) })
	}
	<-done
}

func isClosed(ch <-chan struct{}) bool {
	select {
	case <-ch:
		return true
	default:
		return false
	}
}

// Close stops every plugin and removes the socket directory. It is safe to
// call more than once.
func (h *Host) Close() {
	var wg sync.WaitGroup
	for _, in := range h.stages {
		if in.client == nil {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			in.kill()
		}()
	}
	wg.Wait()
	if h.dir != "" {
		_ = os.RemoveAll(h.dir)
	}
}

// checkConfig validates a stage's config against the plugin's schema.
func checkConfig(schema json.RawMessage, config []byte) error {
	if len(schema) == 0 {
		return nil
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(schema))
	if err != nil {
		return fmt.Errorf("the plugin's config schema is not JSON: %w", err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("plugin-config.json", doc); err != nil {
		return fmt.Errorf("the plugin's config schema: %w", err)
	}
	sch, err := c.Compile("plugin-config.json")
	if err != nil {
		return fmt.Errorf("the plugin's config schema does not compile: %w", err)
	}
	raw := bytes.TrimSpace(config)
	if len(raw) == 0 {
		raw = []byte("{}")
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		return fmt.Errorf("not JSON: %w", err)
	}
	err = sch.Validate(inst)
	var ve *jsonschema.ValidationError
	if errors.As(err, &ve) {
		return errors.New(strings.Join(leafErrors(ve), "; "))
	}
	return err
}

// printer renders schema errors in English.
var printer = message.NewPrinter(language.English)

// leafErrors flattens a validation error tree to its leaves, each as
// "at /path: message".
func leafErrors(ve *jsonschema.ValidationError) []string {
	if len(ve.Causes) == 0 {
		loc := "/" + strings.Join(ve.InstanceLocation, "/")
		return []string{"at " + loc + ": " + ve.ErrorKind.LocalizedString(printer)}
	}
	var out []string
	for _, c := range ve.Causes {
		out = append(out, leafErrors(c)...)
	}
	return out
}

func between(s, start, end string) string {
	i := strings.Index(s, start)
	if i < 0 {
		return ""
	}
	s = s[i+len(start):]
	if j := strings.Index(s, end); j >= 0 {
		return s[:j]
	}
	return s
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}
