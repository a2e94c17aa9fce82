package redcap

import (
	"fmt"
	"strconv"
	"unicode/utf8"

	"github.com/rcolpipe/rcolpipe/internal/lazyre"
)

// Limits on what the readers accept. Each is far above anything REDCap
// imports (it stores a cell in a MySQL TEXT column of at most 65,535 bytes,
// and a project with a few thousand fields is large), and low enough that a
// hostile or mistaken input (a 1 GB line, a ZIP bomb, a link to /dev/zero)
// is refused quickly instead of exhausting memory. README.md ("Read,
// convert, inspect") documents them.
const (
	// MaxFileBytes caps one input file, and the decompressed instrument.csv
	// of an instrument ZIP. It is enforced while reading, not from the size
	// the file system or the ZIP header claims.
	MaxFileBytes = 64 << 20
	// MaxCellBytes caps one cell (a CSV cell, a JSON value or key).
	MaxCellBytes = 1 << 20
	// MaxRows caps the rows of one file (CSV records that are not blank,
	// JSON row objects).
	MaxRows = 100_000
	// MaxCells caps the cells kept from one CSV file (blank rows are not
	// kept), so that a file of short rows of many empty cells cannot hold
	// tens of millions of strings.
	MaxCells = 2_000_000
	// MaxZIPMembers caps the entries of an instrument ZIP (REDCap's have
	// four). Only instrument.csv is decompressed, so MaxFileBytes is also the
	// total decompressed.
	MaxZIPMembers = 1000
)

// redcapCellBytes is what REDCap stores in one cell, for messages.
const redcapCellBytes = 65535

// tokenShaped matches what looks like a REDCap API token (32 hex characters).
var tokenShaped = lazyre.New(`[0-9A-Fa-f]{32,}`)

// excerptBytes caps what a message quotes of a file's content.
const excerptBytes = 40

// excerpt quotes at most excerptBytes of s, escaped like strconv.Quote, so
// that a message about a file that is not a dictionary (a .env, a binary)
// neither repeats it nor sends control characters (terminal escapes) to the
// terminal. A cut never ends inside a word: a secret that does not fit is
// left out whole rather than shown as a prefix, which no redactor of the
// full secret would recognise. A cut excerpt is followed by "... (N bytes)".
//
// A run of 32 or more hex characters, the shape of a REDCap token, is never
// quoted: a file holding only a token would otherwise fit whole.
func excerpt(s string) string {
	size := len(s)
	s = tokenShaped.ReplaceAllString(s, "[token-shaped text left out]")
	if len(s) <= excerptBytes {
		return strconv.Quote(s)
	}
	end := excerptBytes
	for end > 0 && !utf8.RuneStart(s[end]) {
		end--
	}
	if wordByte(s[end]) {
		for end > 0 && wordByte(s[end-1]) {
			end--
		}
	}
	return fmt.Sprintf("%s... (%d bytes)", strconv.Quote(s[:end]), size)
}

// wordByte reports whether b can be part of a token-like word (letters,
// digits, base64 and URL-safe punctuation, any non-ASCII byte).
func wordByte(b byte) bool {
	switch {
	case b >= 'a' && b <= 'z', b >= 'A' && b <= 'Z', b >= '0' && b <= '9', b >= 0x80:
		return true
	}
	switch b {
	case '_', '-', '+', '/':
		return true
	}
	return false
}

// sizeText renders a byte limit for messages ("64 MiB", "1 MiB").
func sizeText(n int) string {
	if n >= 1<<20 && n%(1<<20) == 0 {
		return fmt.Sprintf("%d MiB", n>>20)
	}
	return fmt.Sprintf("%d bytes", n)
}
