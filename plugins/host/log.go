package host

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"strings"
	"sync"

	"github.com/hashicorp/go-hclog"
	"github.com/rs/zerolog"
)

// hclogAdapter sends go-plugin's log (and through it the plugin's stderr,
// which go-plugin parses) to zerolog. Lines from the plugin keep their
// level; go-plugin's own chatter is debug.
type hclogAdapter struct {
	zl         zerolog.Logger
	name       string
	args       []any
	fromPlugin bool
	// pluginName is the name go-plugin gives the plugin's stderr logger
	// (the base name of its executable).
	pluginName string
	// onExit receives the "plugin process exited" error text.
	onExit func(string)
}

var _ hclog.Logger = (*hclogAdapter)(nil)

func (a *hclogAdapter) Log(level hclog.Level, msg string, args ...any) {
	if !a.fromPlugin {
		if msg == "plugin process exited" && a.onExit != nil {
			a.onExit(kvString(args, "error"))
		}
		level = hclog.Debug
	}
	ev := a.zl.WithLevel(zerologLevel(level))
	if ev == nil {
		return
	}
	if !a.fromPlugin {
		ev = ev.Str("component", "go-plugin")
	}
	all := append(append([]any(nil), a.args...), args...)
	for i := 0; i+1 < len(all); i += 2 {
		k := fmt.Sprint(all[i])
		if k == "timestamp" || k == "@module" || k == "@caller" {
			continue
		}
		ev = ev.Interface(k, all[i+1])
	}
	ev.Msg(msg)
}

func kvString(args []any, key string) string {
	for i := 0; i+1 < len(args); i += 2 {
		if fmt.Sprint(args[i]) == key {
			return fmt.Sprint(args[i+1])
		}
	}
	return ""
}

func zerologLevel(l hclog.Level) zerolog.Level {
	switch l {
	case hclog.Trace:
		return zerolog.TraceLevel
	case hclog.Debug:
		return zerolog.DebugLevel
	case hclog.Warn:
		return zerolog.WarnLevel
	case hclog.Error:
		return zerolog.ErrorLevel
	case hclog.Off:
		return zerolog.Disabled
	}
	return zerolog.InfoLevel
}

func hclogLevel(l zerolog.Level) hclog.Level {
	switch l {
	case zerolog.TraceLevel:
		return hclog.Trace
	case zerolog.DebugLevel:
		return hclog.Debug
	case zerolog.InfoLevel:
		return hclog.Info
	case zerolog.WarnLevel:
		return hclog.Warn
	case zerolog.ErrorLevel, zerolog.FatalLevel, zerolog.PanicLevel:
		return hclog.Error
	case zerolog.Disabled:
		return hclog.Off
	}
	return hclog.Info
}

func (a *hclogAdapter) Trace(msg string, args ...any) { a.Log(hclog.Trace, msg, args...) }
func (a *hclogAdapter) Debug(msg string, args ...any) { a.Log(hclog.Debug, msg, args...) }
func (a *hclogAdapter) Info(msg string, args ...any)  { a.Log(hclog.Info, msg, args...) }
func (a *hclogAdapter) Warn(msg string, args ...any)  { a.Log(hclog.Warn, msg, args...) }
func (a *hclogAdapter) Error(msg string, args ...any) { a.Log(hclog.Error, msg, args...) }

func (a *hclogAdapter) IsTrace() bool { return a.GetLevel() <= hclog.Trace }
func (a *hclogAdapter) IsDebug() bool { return a.GetLevel() <= hclog.Debug }
func (a *hclogAdapter) IsInfo() bool  { return a.GetLevel() <= hclog.Info }
func (a *hclogAdapter) IsWarn() bool  { return a.GetLevel() <= hclog.Warn }
func (a *hclogAdapter) IsError() bool { return a.GetLevel() <= hclog.Error }

func (a *hclogAdapter) ImpliedArgs() []any { return a.args }

func (a *hclogAdapter) With(args ...any) hclog.Logger {
	c := *a
	c.args = append(append([]any(nil), a.args...), args...)
	return &c
}

func (a *hclogAdapter) Name() string { return a.name }

func (a *hclogAdapter) Named(name string) hclog.Logger {
	c := *a
	if c.name != "" {
		c.name += "." + name
	} else {
		c.name = name
	}
	// go-plugin names the logger of the plugin's stderr after the binary.
	c.fromPlugin = a.fromPlugin || name == a.pluginName
	return &c
}

func (a *hclogAdapter) ResetNamed(name string) hclog.Logger {
	c := *a
	c.name = name
	c.fromPlugin = name == a.pluginName
	return &c
}

// SetLevel is ignored: the level is the host's zerolog level.
func (a *hclogAdapter) SetLevel(hclog.Level) {}

func (a *hclogAdapter) GetLevel() hclog.Level {
	return hclogLevel(a.zl.GetLevel())
}

func (a *hclogAdapter) StandardLogger(opts *hclog.StandardLoggerOptions) *log.Logger {
	return log.New(a.StandardWriter(opts), "", 0)
}

func (a *hclogAdapter) StandardWriter(*hclog.StandardLoggerOptions) io.Writer {
	return &lineWriter{line: func(s string) { a.Info(s) }}
}

// lineWriter calls line for every complete line written to it.
type lineWriter struct {
	mu   sync.Mutex
	buf  []byte
	line func(string)
}

func (w *lineWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf = append(w.buf, p...)
	for {
		i := bytes.IndexByte(w.buf, '\n')
		if i < 0 {
			break
		}
		w.line(string(bytes.TrimRight(w.buf[:i], "\r")))
		w.buf = w.buf[i+1:]
	}
	// A runaway line without a newline is cut rather than kept growing.
	if len(w.buf) > 64<<10 {
		w.line(string(w.buf))
		w.buf = w.buf[:0]
	}
	return len(p), nil
}

// ring keeps the last lines a plugin wrote to stderr (or stdout), to quote
// when it dies.
type ring struct {
	mu    sync.Mutex
	lines []string
	next  int
	full  bool
}

const ringSize = 20

func newRing() *ring { return &ring{lines: make([]string, ringSize)} }

func (r *ring) add(line string) {
	if strings.TrimSpace(line) == "" {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.lines[r.next] = readable(line)
	r.next = (r.next + 1) % len(r.lines)
	if r.next == 0 {
		r.full = true
	}
}

// last returns the kept lines, oldest first.
func (r *ring) last() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	if !r.full {
		return append([]string(nil), r.lines[:r.next]...)
	}
	return append(append([]string(nil), r.lines[r.next:]...), r.lines[:r.next]...)
}

// panicLine returns the first line of a Go panic or fatal error among the
// kept lines, plus the first line naming a source file after it.
func (r *ring) panicLine() string {
	lines := r.last()
	for i, l := range lines {
		if strings.HasPrefix(l, "panic: ") || strings.HasPrefix(l, "fatal error: ") {
			msg := strings.TrimSuffix(l, " [recovered]")
			for _, m := range lines[i+1:] {
				m = strings.TrimSpace(m)
				if strings.Contains(m, ".go:") && !strings.Contains(m, "/runtime/") {
					if j := strings.Index(m, " +0x"); j > 0 {
						m = m[:j]
					}
					return msg + " [at " + m + "]"
				}
			}
			return msg
		}
	}
	return ""
}

// readable turns an hclog JSON line into "level: message"; other lines
// stay as they are.
func readable(line string) string {
	if !strings.HasPrefix(line, "{") {
		return line
	}
	var e struct {
		Level   string `json:"@level"`
		Message string `json:"@message"`
	}
	if json.Unmarshal([]byte(line), &e) != nil || e.Message == "" {
		return line
	}
	return e.Level + ": " + e.Message
}
