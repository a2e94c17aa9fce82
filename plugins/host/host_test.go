package host

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/rcolpipe/rcolpipe/redcap"
)

func startOne(t *testing.T, spec Spec, opts Options) (*Host, error) {
	t.Helper()
	if opts.Log.GetLevel() == zerolog.TraceLevel {
		opts.Log = zerolog.New(zerolog.NewTestWriter(t)).Level(zerolog.WarnLevel)
	}
	h, err := Start(context.Background(), []Spec{spec}, opts)
	if err == nil {
		t.Cleanup(h.Close)
	}
	return h, err
}

func wantError(t *testing.T, err error, kind Kind, parts ...string) {
	t.Helper()
	if err == nil {
		t.Fatalf("no error, want kind %d", kind)
	}
	var pe *Error
	if !errors.As(err, &pe) {
		t.Fatalf("error %q is %T, want *host.Error", err, err)
	}
	if pe.Kind != kind {
		t.Errorf("kind %d, want %d: %v", pe.Kind, kind, err)
	}
	for _, p := range parts {
		if !strings.Contains(err.Error(), p) {
			t.Errorf("error %q does not contain %q", err, p)
		}
	}
}

func TestEchoRoundTrip(t *testing.T) {
	h, err := startOne(t, Spec{Stage: "tag", Plugin: testPlugin("echo"), Config: []byte(`{"tag":"@HIDDEN","diag":true}`)}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	info, err := h.Info("tag")
	if err != nil {
		t.Fatal(err)
	}
	if info.Name != "echo" || info.ProtocolVersion != 1 || info.SDKVersion == "" {
		t.Errorf("info = %+v", info)
	}
	in := testDict()
	out, diags, err := h.Transform(context.Background(), "tag", in)
	if err != nil {
		t.Fatal(err)
	}
	if out.Len() != 3 || out.Fields[1].FieldAnnotation != "@HIDDEN" || out.Fields[2].Origin != in.Fields[2].Origin {
		t.Errorf("out = %+v", out.Fields)
	}
	if len(out.Files) != 1 || out.Files[0] != "demo.csv" {
		t.Errorf("files = %v", out.Files)
	}
	if len(diags) != 3 {
		t.Fatalf("diags = %v", diags)
	}
	d := diags[2]
	if d.Stage != "tag" || d.File != "demo.csv" || d.Line != 4 || d.Field != "weight" || d.Column != "field_annotation" || d.Severity != redcap.SeverityWarning {
		t.Errorf("diag = %+v", d)
	}
}

func TestPluginEnvironmentIsEmpty(t *testing.T) {
	t.Setenv("RC_API_KEY", "0123456789ABCDEF0123456789ABCDEF")
	t.Setenv("SOME_OTHER_SETTING", "x")
	h, err := startOne(t, Spec{Stage: "env", Plugin: testPlugin("echo"), Config: []byte(`{"env":true}`)}, Options{LogLevel: "warn"})
	if err != nil {
		t.Fatal(err)
	}
	_, diags, err := h.Transform(context.Background(), "env", testDict())
	if err != nil {
		t.Fatal(err)
	}
	allowed := map[string]bool{"RCOLPIPE_LOG_LEVEL": true, "PLUGIN_UNIX_SOCKET_DIR": true, "TMPDIR": true, "PATH": true, "HOME": true,
		"RCOLPIPE_PLUGIN_MAGIC_COOKIE": true, "PLUGIN_MIN_PORT": true, "PLUGIN_MAX_PORT": true, "PLUGIN_PROTOCOL_VERSIONS": true}
	seen := map[string]string{}
	for _, d := range diags {
		k, v, _ := strings.Cut(d.Message, "=")
		seen[k] = v
		if !allowed[k] {
			t.Errorf("plugin environment has %s", k)
		}
		if strings.Contains(v, "0123456789ABCDEF") {
			t.Errorf("the token leaked into %s", k)
		}
	}
	if seen["RCOLPIPE_LOG_LEVEL"] != "warn" {
		t.Errorf("RCOLPIPE_LOG_LEVEL = %q, want warn", seen["RCOLPIPE_LOG_LEVEL"])
	}
	if seen["PLUGIN_UNIX_SOCKET_DIR"] != h.SocketDir() || h.SocketDir() == "" {
		t.Errorf("socket dir %q, host's %q", seen["PLUGIN_UNIX_SOCKET_DIR"], h.SocketDir())
	}
}

func TestFailures(t *testing.T) {
	small := testDict()
	tests := []struct {
		name   string
		plugin string
		config string
		start  bool // the failure happens at Start
		kind   Kind
		parts  []string
	}{
		{"panic", "panicker", ``, false, KindPanic, []string{`stage "s"`, "panicker", "panicked: panic: boom", "panicker.go:", "report this to its author"}},
		{"crash in goroutine", "panicker", `{"goroutine":true}`, false, KindCrash, []string{"crashed during Transform: panic: boom in a goroutine", "panicker.go:"}},
		{"exit mid-call", "exiter", ``, false, KindCrash, []string{"exited during Transform (exit status 3)", "exiter: giving up"}},
		{"wrong protocol", "wrongversion", ``, true, KindProtocol, []string{"speaks plugin protocol 2, rcolpipe speaks 1", "wrongversion"}},
		{"stdout before handshake", "stdoutgarbage", ``, true, KindStdout, []string{`wrote "hello from main" to standard output`, "must not print to stdout"}},
		{"empty dictionary", "invaliddict", `{"mode":"empty"}`, false, KindInvalidResponse, []string{"returned an empty dictionary for 3 rows"}},
		{"row without name", "invaliddict", `{"mode":"noname"}`, false, KindInvalidResponse, []string{"row 3 (origin demo.csv:4) without a field_name"}},
		{"config against schema", "echo", `{"tag":7}`, true, KindConfig, []string{"config: at /tag: got number, want string", "plugins info"}},
		{"config unknown key", "echo", `{"tga":"x"}`, true, KindConfig, []string{"tga"}},
		{"missing binary", "no-such-plugin", ``, true, KindMissing, []string{"no plugin", "RCOLPIPE_PLUGIN_PATH"}},
		{"not executable", "main_test.go", ``, true, KindMissing, []string{"not executable"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := testPlugin(tt.plugin)
			if tt.plugin == "main_test.go" {
				p = "./main_test.go"
			}
			h, err := startOne(t, Spec{Stage: "s", Plugin: p, Config: []byte(tt.config)}, Options{})
			if tt.start {
				wantError(t, err, tt.kind, tt.parts...)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			_, _, err = h.Transform(context.Background(), "s", small)
			wantError(t, err, tt.kind, tt.parts...)
			// A broken plugin stays broken: no silent restart.
			_, _, err2 := h.Transform(context.Background(), "s", small)
			if err2 == nil || err2.Error() != err.Error() {
				t.Errorf("second call: %v", err2)
			}
		})
	}
}

// The stage timeout also bounds the plugin's start-up, so it is long enough
// for a handshake on a loaded machine (300ms was not: the test failed in
// the handshake instead of the call); the hanger never answers, so the call
// still ends only by the timeout.
func TestTimeout(t *testing.T) {
	h, err := startOne(t, Spec{Stage: "slow", Plugin: testPlugin("hanger"), Timeout: 3 * time.Second}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	_, _, err = h.Transform(context.Background(), "slow", testDict())
	wantError(t, err, KindTimeout, `stage "slow"`, "no answer to Transform within 3s; the plugin was stopped", "raise the stage's timeout")
}

func TestCanceled(t *testing.T) {
	h, err := startOne(t, Spec{Stage: "slow", Plugin: testPlugin("hanger")}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(200*time.Millisecond, cancel)
	_, _, err = h.Transform(ctx, "slow", testDict())
	wantError(t, err, KindCanceled, "interrupted")
}

func TestRequestTooLarge(t *testing.T) {
	h, err := startOne(t, Spec{Stage: "big", Plugin: testPlugin("echo")}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	d := testDict()
	d.Fields[1].FieldNote = strings.Repeat("x", 65<<20)
	_, _, err = h.Transform(context.Background(), "big", d)
	wantError(t, err, KindTooLarge, "not sent", "over the 64 MiB limit")
	// The plugin is still fine: the request was never sent.
	if _, _, err := h.Transform(context.Background(), "big", testDict()); err != nil {
		t.Errorf("after a refused request: %v", err)
	}
}

func TestLargeDictionaryOver4MiB(t *testing.T) {
	h, err := startOne(t, Spec{Stage: "big", Plugin: testPlugin("echo")}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	d := bigDict(20000) // about 9 MB of protobuf, over gRPC's 4 MiB default
	out, _, err := h.Transform(context.Background(), "big", d)
	if err != nil {
		t.Fatal(err)
	}
	if out.Len() != d.Len() || !out.Fields[19999].SameData(&d.Fields[19999]) {
		t.Errorf("rows changed")
	}
}

func TestStartFailsFirstAndCleansUp(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	_, err := Start(context.Background(), []Spec{
		{Stage: "a", Plugin: testPlugin("echo")},
		{Stage: "b", Plugin: testPlugin("wrongversion")},
		{Stage: "c", Plugin: testPlugin("echo")},
	}, Options{})
	wantError(t, err, KindProtocol, `stage "b"`)
	assertEmptyDir(t, tmp)
}

func TestResponseTooLarge(t *testing.T) {
	h, err := startOne(t, Spec{Stage: "pad", Plugin: testPlugin("echo"), Config: []byte(`{"pad":70000000}`)}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	_, _, err = h.Transform(context.Background(), "pad", testDict())
	wantError(t, err, KindTooLarge, `stage "pad"`, "the response is", "over the 64 MiB limit")
}

// TestPluginLogs checks that the plugin's log lines, and whatever it writes
// to stdout or stderr after the handshake, land in the host's log with the
// stage and plugin name, and never on the host's stdout.
func TestPluginLogs(t *testing.T) {
	var buf syncBuffer
	log := zerolog.New(&buf).Level(zerolog.DebugLevel)
	h, err := startOne(t, Spec{Stage: "talk", Plugin: testPlugin("echo"), Config: []byte(`{"log":"hello there"}`)}, Options{Log: log})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := h.Transform(context.Background(), "talk", testDict()); err != nil {
		t.Fatal(err)
	}
	h.Close() // flushes the stderr reader
	var sawLog, sawStdout, sawStderr bool
	for _, line := range strings.Split(buf.String(), "\n") {
		if line == "" {
			continue
		}
		var e map[string]any
		if err := json.Unmarshal([]byte(line), &e); err != nil {
			t.Fatalf("not JSON: %q", line)
		}
		msg, _ := e["message"].(string)
		hasNames := e["stage"] == "talk" && e["plugin"] == testPlugin("echo")
		switch {
		case msg == "hello there":
			sawLog = hasNames && e["level"] == "info" && e["detail"] == float64(42)
		case strings.Contains(msg, "stdout after handshake: hello there"):
			sawStdout = hasNames
		case strings.Contains(msg, "plain stderr: hello there"):
			sawStderr = hasNames
		}
	}
	if !sawLog || !sawStdout || !sawStderr {
		t.Errorf("log line %v, stdout line %v, stderr line %v in:\n%s", sawLog, sawStdout, sawStderr, buf.String())
	}
}

// syncBuffer is a bytes.Buffer safe for the log's concurrent writers.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestAutoMTLS(t *testing.T) {
	h, err := startOne(t, Spec{Stage: "tls", Plugin: testPlugin("echo"), Config: []byte(`{"env":true}`)}, Options{AutoMTLS: true})
	if err != nil {
		t.Fatal(err)
	}
	out, diags, err := h.Transform(context.Background(), "tls", testDict())
	if err != nil || out.Len() != 3 {
		t.Fatalf("over mTLS: %v", err)
	}
	// The host handed the plugin its certificate: the plugin answered over TLS.
	found := false
	for _, d := range diags {
		found = found || strings.HasPrefix(d.Message, "PLUGIN_CLIENT_CERT=-----BEGIN CERTIFICATE-----")
	}
	if !found {
		t.Error("no client certificate in the plugin's environment")
	}
}
