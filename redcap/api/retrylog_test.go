package api

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"regexp"
	"testing"
	"time"

	"github.com/rs/zerolog"
)

// TestRetryLogSaysTheUnit: the retry log printed "wait=500", a number
// without a unit; it says "wait=500ms".
func TestRetryLogSaysTheUnit(t *testing.T) {
	s := newFake(t)
	s.fault = func(w http.ResponseWriter, r *http.Request, form url.Values) bool {
		errorBody(w, form, 503, "busy")
		return true
	}
	var buf bytes.Buffer
	log := zerolog.New(zerolog.ConsoleWriter{Out: &buf, NoColor: true, PartsExclude: []string{zerolog.TimestampFieldName}}).Level(zerolog.DebugLevel)
	c, err := New(s.start(), mustToken(t, tokFull), WithBackoff(time.Millisecond), WithLogger(log))
	if err != nil {
		t.Fatal(err)
	}
	_, _ = c.Version(context.Background())
	if !regexp.MustCompile(`wait=[0-9.]+(ns|µs|ms|s)\b`).Match(buf.Bytes()) {
		t.Errorf("retry log without a unit:\n%s", buf.String())
	}
}
