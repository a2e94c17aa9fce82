package output

import (
	"strings"
	"testing"
)

// TestWriteLineDiff: changed lines are shown removed then added, equal
// lines not at all, line ends not shown; beyond maxLineDiffWork the whole
// file is shown replaced.
func TestWriteLineDiff(t *testing.T) {
	var b strings.Builder
	if err := WriteLineDiff(&b, "f.csv", "h\r\na \r\nb\r\nc\r\n", "h\r\na\r\nb\r\nc\r\nd\r\n"); err != nil {
		t.Fatal(err)
	}
	want := "--- f.csv\n+++ f.csv (fmt)\n-a \n+a\n+d\n"
	if b.String() != want {
		t.Errorf("got\n%q\nwant\n%q", b.String(), want)
	}

	big := strings.Repeat("x\n", 2001)
	b.Reset()
	if err := WriteLineDiff(&b, "g", big, big+"y\n"); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(b.String(), "\n-x"); n != 2001 {
		t.Errorf("large diff: %d lines removed, want the whole file (2001)", n)
	}
}
