package sdk

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"strings"
	"sync"

	"github.com/hashicorp/go-hclog"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/rcolpipe/rcolpipe/plugins/internal/wire"
	"github.com/rcolpipe/rcolpipe/plugins/proto/rcolpipe/v1"
)

// server adapts a Transformer to the gRPC service.
type server struct {
	rcolpipev1.UnimplementedTransformerServer
	t   Transformer
	log hclog.Logger
	// stdio, when set, becomes os.Stdout and os.Stderr at the first call.
	// go-plugin points them at pipes streamed to the host, which lose the
	// last lines when the process dies; the real stderr loses nothing and
	// the host keeps its last lines to quote.
	stdio     *os.File
	stdioOnce sync.Once
}

// NewServer returns the gRPC service for t. Serve uses it; sdktest and
// custom hosts may too. log may be nil.
func NewServer(t Transformer, log hclog.Logger) rcolpipev1.TransformerServer {
	if log == nil {
		log = hclog.NewNullLogger()
	}
	return &server{t: t, log: log}
}

// takeStdio points os.Stdout and os.Stderr at the real stderr. It runs at
// the first call, after go-plugin has swapped them.
func (s *server) takeStdio() {
	s.stdioOnce.Do(func() {
		if s.stdio != nil {
			os.Stdout, os.Stderr = s.stdio, s.stdio
		}
	})
}

func (s *server) Info(ctx context.Context, _ *rcolpipev1.InfoRequest) (resp *rcolpipev1.InfoResponse, err error) {
	s.takeStdio()
	defer recoverInto(&err, s.log, "Info")
	info := s.t.Info()
	return &rcolpipev1.InfoResponse{
		Name:            info.Name,
		Version:         info.Version,
		Description:     info.Description,
		ProtocolVersion: ProtocolVersion,
		Capabilities:    info.Capabilities,
		ConfigSchema:    info.ConfigSchema,
		SdkVersion:      Version,
	}, nil
}

func (s *server) Transform(ctx context.Context, in *rcolpipev1.TransformRequest) (resp *rcolpipev1.TransformResponse, err error) {
	s.takeStdio()
	defer recoverInto(&err, s.log, "Transform")
	req := &Request{
		Dictionary:      wire.DictionaryFromProto(in.GetFields(), in.GetFiles()),
		Config:          in.GetConfig(),
		Stage:           in.GetStage(),
		RcolpipeVersion: in.GetRcolpipeVersion(),
		Log:             s.log.With("stage", in.GetStage()),
	}
	out, err := s.t.Transform(ctx, req)
	if err != nil {
		if _, ok := status.FromError(err); ok && status.Code(err) != codes.Unknown {
			return nil, err
		}
		return nil, status.Error(codes.Unknown, err.Error())
	}
	if out == nil || out.Dictionary == nil {
		return nil, status.Error(codes.Internal, "the transformer returned no dictionary")
	}
	resp = wire.ResponseFromResult(out.Dictionary, out.Diagnostics)
	if err := wire.CheckSize(resp, "the response"); err != nil {
		return nil, status.Error(codes.ResourceExhausted, err.Error())
	}
	return resp, nil
}

// PanicPrefix starts the message of the error a recovered panic becomes.
const PanicPrefix = "panic: "

// recoverInto turns a panic into an Internal error whose message is the
// panic line: the value and the place it was raised. The full stack goes to
// the log.
func recoverInto(err *error, log hclog.Logger, call string) {
	r := recover()
	if r == nil {
		return
	}
	where := panicSite()
	msg := fmt.Sprintf("%s%v", PanicPrefix, r)
	if where != "" {
		msg += " [at " + where + "]"
	}
	log.Error("plugin panicked in "+call, "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
	*err = status.Error(codes.Internal, msg)
}

// panicSite returns "file.go:line (function)" of the frame that panicked:
// the first frame after the runtime's panic machinery.
func panicSite() string {
	pcs := make([]uintptr, 32)
	n := runtime.Callers(3, pcs)
	frames := runtime.CallersFrames(pcs[:n])
	afterPanic := false
	for {
		f, more := frames.Next()
		if strings.HasPrefix(f.Function, "runtime.") {
			if f.Function == "runtime.gopanic" || strings.HasPrefix(f.Function, "runtime.panic") {
				afterPanic = true
			}
		} else if afterPanic {
			return fmt.Sprintf("%s:%d (%s)", trimPath(f.File), f.Line, f.Function)
		}
		if !more {
			return ""
		}
	}
}

func trimPath(p string) string {
	parts := strings.Split(p, "/")
	if len(parts) > 2 {
		parts = parts[len(parts)-2:]
	}
	return strings.Join(parts, "/")
}
