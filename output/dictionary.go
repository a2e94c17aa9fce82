package output

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/rcolpipe/rcolpipe/dictfmt"
	"github.com/rcolpipe/rcolpipe/internal/outfile"
	"github.com/rcolpipe/rcolpipe/redcap"
)

// DictionaryWriter returns the writer of a dictionary format: json (API
// keys, columns A..R), csv (API keys as header) or redcap-csv (the Data
// Dictionary page's headers, with BOM).
func DictionaryWriter(format string) (func(io.Writer, *redcap.Dictionary) error, bool) {
	switch format {
	case "json":
		return redcap.WriteJSON, true
	case "csv":
		return func(w io.Writer, d *redcap.Dictionary) error { return redcap.WriteCSV(w, d, redcap.HeaderAPI) }, true
	case "redcap-csv":
		return func(w io.Writer, d *redcap.Dictionary) error { return redcap.WriteCSV(w, d, redcap.HeaderDownload) }, true
	}
	return nil, false
}

// DictionaryOutput is where and how a command writes a dictionary: its -o
// and --to (convert, transform, export).
type DictionaryOutput struct {
	// Path is the file, or "-" for stdout.
	Path   string
	Format string
	write  func(io.Writer, *redcap.Dictionary) error
	// fromExtension: no --to; the format follows -o's extension.
	fromExtension bool
}

// KeepsInputShape reports whether a CSV written here should take the shape
// of CSV inputs (delimiter, byte-order mark, header style, line ends): a
// CSV file named by -o without --to, i.e. the same kind of file as the
// inputs. --to chooses exactly the format it names; stdout is JSON.
func (o *DictionaryOutput) KeepsInputShape() bool {
	return o.fromExtension && o.Format == "csv" && o.Path != "-"
}

// NewDictionaryOutput checks -o and --to. Without --to the format follows
// the extension of -o: .json is json, .csv is csv; stdout and a name
// without extension get noExt, any other extension otherExt ("" there:
// --to is required). An -o that names a folder is refused before any
// work; everything else (a file, a link to one, a device such as
// /dev/null) is for outfile to handle when the result is ready.
func NewDictionaryOutput(path, to, noExt, otherExt string) (*DictionaryOutput, error) {
	if path == "" {
		return nil, errors.New("-o is empty; give a file or - for stdout")
	}
	fromExtension := to == ""
	if to == "" {
		switch ext := strings.ToLower(filepath.Ext(path)); {
		case ext == ".json":
			to = "json"
		case ext == ".csv":
			to = "csv"
		case ext == "" || path == "-":
			to = noExt
		default:
			to = otherExt
		}
		if to == "" {
			return nil, fmt.Errorf("--to is required (json, csv or redcap-csv) when -o is %q", path)
		}
	}
	write, ok := DictionaryWriter(to)
	if !ok {
		return nil, fmt.Errorf("--to %q: want json, csv or redcap-csv", to)
	}
	if path != "-" {
		if st, err := os.Stat(path); err == nil && st.IsDir() {
			return nil, fmt.Errorf("-o %s is a folder; give a file name", path)
		}
	}
	return &DictionaryOutput{Path: path, Format: to, write: write, fromExtension: fromExtension}, nil
}

// Overwrites returns an error when the output is one of inputs (the same
// file; a ZIP member counts as its archive), nil otherwise.
func (o *DictionaryOutput) Overwrites(inputs []string) error {
	if o.Path == "-" {
		return nil
	}
	ost, err := os.Stat(o.Path)
	if err != nil {
		return nil // not there yet
	}
	for _, in := range inputs {
		in, _, _ = redcap.ZIPMember(in)
		if ist, err := os.Stat(in); err == nil && os.SameFile(ost, ist) {
			return fmt.Errorf("refusing to overwrite %s, which is one of the inputs", in)
		}
	}
	return nil
}

// Write writes d to stdout (Path "-") or to the file, atomically: through
// a temporary file next to it, renamed when complete.
func (o *DictionaryOutput) Write(stdout io.Writer, d *redcap.Dictionary) error {
	if o.Path == "-" {
		return o.write(stdout, d)
	}
	var buf bytes.Buffer
	if err := o.write(&buf, d); err != nil {
		return err
	}
	return outfile.WriteBytes(o.Path, buf.Bytes(), 0o644)
}

// WriteLikeInputs writes d as Write does, except that a CSV written from
// CSV inputs of one shape keeps that shape (delimiter, byte-order mark,
// line ends, header style) when --to does not choose one
// (KeepsInputShape). inputs are the files read; stdinHead is the start of
// standard input, for an input read from it.
func (o *DictionaryOutput) WriteLikeInputs(stdout io.Writer, d *redcap.Dictionary, inputs []string, stdinHead []byte) error {
	if !o.KeepsInputShape() {
		return o.Write(stdout, d)
	}
	shape, ok := dictfmt.SharedCSVShape(inputs, stdinHead)
	if !ok {
		return o.Write(stdout, d)
	}
	var buf bytes.Buffer
	if err := dictfmt.WriteCSV(&buf, d, shape); err != nil {
		return err
	}
	return outfile.WriteBytes(o.Path, buf.Bytes(), 0o644)
}
