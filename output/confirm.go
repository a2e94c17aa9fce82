package output

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/rcolpipe/rcolpipe/redcap"
)

// ErrInterrupted is the answer to Ctrl-C (SIGINT) at the prompt.
var ErrInterrupted = errors.New("upload cancelled at the prompt (interrupted): nothing was sent")

// AskImport shows the diff (its critical changes and summary last, next
// to the question) on out and asks whether to import it; only y or yes
// (any case) on in is a yes. flush runs before the answer is read, so
// that a writer holding back output (the redactor) shows the question.
// When ctx ends while waiting (Ctrl-C), the answer is ErrInterrupted.
func AskImport(ctx context.Context, in io.Reader, out io.Writer, flush func(), d redcap.Diff) (bool, error) {
	if err := d.WriteText(out); err != nil {
		return false, err
	}
	fmt.Fprint(out, "Import this into the REDCap project? [y/N] ")
	if flush != nil {
		flush()
	}
	type answer struct {
		line string
		err  error
	}
	// The read cannot be interrupted; it is left behind when ctx ends,
	// and the process exits soon after.
	answers := make(chan answer, 1)
	go func() {
		line, err := bufio.NewReader(in).ReadString('\n')
		answers <- answer{line, err}
	}()
	select {
	case <-ctx.Done():
		fmt.Fprintln(out)
		if flush != nil {
			flush()
		}
		return false, ErrInterrupted
	case a := <-answers:
		if a.err != nil && !errors.Is(a.err, io.EOF) {
			return false, fmt.Errorf("read the answer: %w", a.err)
		}
		answer := strings.ToLower(strings.TrimSpace(a.line))
		return answer == "y" || answer == "yes", nil
	}
}
