// Package progress shows what a long run is doing on one updating line of
// a terminal: "rcolpipe: checking 114,000 fields (3s)". The line appears
// only once the run is long (a step with at least ManyFields fields, or
// After since the start) and is cleared when the run ends, so short runs
// print nothing. Callers turn it on only when stderr is a terminal and the
// report is not in a machine format.
package progress

import (
	"fmt"
	"io"
	"strconv"
	"sync"
	"time"
)

const (
	// ManyFields makes a step with this many fields show at once.
	ManyFields = 20000
	// After makes any step show once the run has taken this long.
	After = time.Second
	// redraw is how often the running clock on the line is updated.
	redraw = 200 * time.Millisecond
	// clearLine returns to the start of the line and erases it (ANSI; also
	// understood by the Windows 10+ console).
	clearLine = "\r\x1b[K"
)

// Line is the progress line of one run. A nil *Line does nothing, so
// callers need not check whether progress is on.
type Line struct {
	mu     sync.Mutex
	w      io.Writer
	start  time.Time
	step   string
	fields int
	shown  bool // a line is on the screen
	stop   chan struct{}
	done   chan struct{}
}

// Start returns the progress line of a run starting now, written to w and
// redrawn every 200 ms until Stop; with on false it returns nil.
func Start(w io.Writer, on bool) *Line {
	if !on {
		return nil
	}
	l := newLine(w, time.Now())
	l.stop, l.done = make(chan struct{}), make(chan struct{})
	go func() {
		defer close(l.done)
		t := time.NewTicker(redraw)
		defer t.Stop()
		for {
			select {
			case <-l.stop:
				return
			case now := <-t.C:
				l.tick(now)
			}
		}
	}()
	return l
}

// newLine is a Line without its redraw goroutine: tests drive it with tick.
func newLine(w io.Writer, start time.Time) *Line {
	return &Line{w: w, start: start}
}

// Step says what the run does now ("checking", "reading the inputs", a
// stage's name) and on how many fields (0 when not known yet). It has the
// signature of pipeline.Spec.Progress.
func (l *Line) Step(step string, fields int) {
	if l == nil {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.step, l.fields = step, fields
	l.drawLocked(time.Now())
}

// tick redraws the line (the clock moves on).
func (l *Line) tick(now time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.drawLocked(now)
}

// drawLocked draws the line if the run is long enough to show it.
func (l *Line) drawLocked(now time.Time) {
	elapsed := now.Sub(l.start)
	if l.step == "" || (l.fields < ManyFields && elapsed < After) {
		return
	}
	text := "rcolpipe: " + l.step
	if l.fields > 0 {
		text += " " + thousands(l.fields) + " fields"
	}
	text += fmt.Sprintf(" (%ds)", int(elapsed/time.Second))
	if _, err := io.WriteString(l.w, clearLine+text); err == nil {
		l.shown = true
	}
}

// Stop ends the redrawing and clears the line, if one was shown, so that
// what is written next starts on a clean line.
func (l *Line) Stop() {
	if l == nil {
		return
	}
	if l.stop != nil {
		close(l.stop)
		<-l.done
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.shown {
		_, _ = io.WriteString(l.w, clearLine) // a progress line is a courtesy: nothing to report if it fails
		l.shown = false
	}
}

// Writer returns a writer to w (the terminal the line is on) that clears
// the line before each write, so that a log line written during the run
// starts on a clean line; the next redraw puts the progress line back.
// On a nil Line it returns w.
func (l *Line) Writer(w io.Writer) io.Writer {
	if l == nil {
		return w
	}
	return clearingWriter{l: l, w: w}
}

type clearingWriter struct {
	l *Line
	w io.Writer
}

func (c clearingWriter) Write(p []byte) (int, error) {
	c.l.mu.Lock()
	defer c.l.mu.Unlock()
	if c.l.shown {
		if _, err := io.WriteString(c.w, clearLine); err != nil {
			return 0, fmt.Errorf("clear the progress line: %w", err)
		}
		c.l.shown = false
	}
	return c.w.Write(p)
}

// thousands writes n with comma separators: 114,000.
func thousands(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
