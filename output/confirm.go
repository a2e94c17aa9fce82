package output

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/rcolpipe/rcolpipe/redcap"
)

// AskImport shows the diff on out and asks whether to import it; only y or
// yes (any case) on in is a yes. flush runs before the answer is read, so
// that a writer holding back output (the redactor) shows the question.
func AskImport(in io.Reader, out io.Writer, flush func(), d redcap.Diff) (bool, error) {
	if err := d.WriteText(out); err != nil {
		return false, err
	}
	fmt.Fprint(out, "Import this into the REDCap project? [y/N] ")
	flush()
	line, err := bufio.NewReader(in).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return false, fmt.Errorf("read the answer: %w", err)
	}
	answer := strings.ToLower(strings.TrimSpace(line))
	return answer == "y" || answer == "yes", nil
}
