package progress

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"
)

var t0 = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

// TestShortRunPrintsNothing: a step on few fields, redrawn before After,
// writes nothing, and Stop writes nothing either.
func TestShortRunPrintsNothing(t *testing.T) {
	var buf bytes.Buffer
	l := newLine(&buf, t0)
	l.step, l.fields = "checking", 500
	l.tick(t0.Add(After - time.Millisecond))
	l.Stop()
	if buf.Len() != 0 {
		t.Errorf("a short run wrote %q", buf.String())
	}
}

// TestLongRunShowsOneUpdatingLine: after After the line shows the step,
// the fields and the seconds, each redraw returning to the start of the
// same line (no newline), and Stop clears it.
func TestLongRunShowsOneUpdatingLine(t *testing.T) {
	var buf bytes.Buffer
	l := newLine(&buf, t0)
	l.step, l.fields = "checking", 1500
	l.tick(t0.Add(After))
	l.tick(t0.Add(3 * After))
	want := clearLine + "rcolpipe: checking 1,500 fields (1s)" + clearLine + "rcolpipe: checking 1,500 fields (3s)"
	if buf.String() != want {
		t.Fatalf("got %q, want %q", buf.String(), want)
	}
	buf.Reset()
	l.Stop()
	if buf.String() != clearLine {
		t.Errorf("Stop wrote %q, want the line cleared", buf.String())
	}
	if strings.Contains(buf.String(), "\n") {
		t.Error("the progress line must not add lines")
	}
}

// TestManyFieldsShowAtOnce: a step on ManyFields fields shows on its first
// draw, before After.
func TestManyFieldsShowAtOnce(t *testing.T) {
	var buf bytes.Buffer
	l := newLine(&buf, t0)
	l.step, l.fields = "checking", 114000
	l.tick(t0)
	if want := clearLine + "rcolpipe: checking 114,000 fields (0s)"; buf.String() != want {
		t.Errorf("got %q, want %q", buf.String(), want)
	}
}

// TestOffIsNil: Start with on false (stderr not a terminal, machine
// format) gives a nil Line whose methods write nothing.
func TestOffIsNil(t *testing.T) {
	var buf bytes.Buffer
	l := Start(&buf, false)
	if l != nil {
		t.Fatal("Start(w, false) must return nil")
	}
	l.Step("checking", 1_000_000)
	fmt.Fprint(l.Writer(&buf), "log\n")
	l.Stop()
	if buf.String() != "log\n" {
		t.Errorf("with progress off got %q", buf.String())
	}
}

// TestWriterClearsTheLineFirst: a log line written while the progress line
// is shown starts on a clean line.
func TestWriterClearsTheLineFirst(t *testing.T) {
	var buf bytes.Buffer
	l := newLine(&buf, t0)
	l.step, l.fields = "stage prefix", 30000
	l.tick(t0)
	buf.Reset()
	fmt.Fprint(l.Writer(&buf), "a log line\n")
	if want := clearLine + "a log line\n"; buf.String() != want {
		t.Errorf("got %q, want %q", buf.String(), want)
	}
	buf.Reset()
	l.Stop()
	if buf.Len() != 0 {
		t.Errorf("Stop after the line was cleared wrote %q", buf.String())
	}
}

func TestThousands(t *testing.T) {
	for n, want := range map[int]string{0: "0", 999: "999", 1000: "1,000", 20000: "20,000", 1234567: "1,234,567"} {
		if got := thousands(n); got != want {
			t.Errorf("thousands(%d) = %q, want %q", n, got, want)
		}
	}
}
