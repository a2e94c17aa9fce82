package redcap

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
)

// StageLoad names the stage of every reader diagnostic.
const StageLoad = "load"

// Load reads files, folders (every dictionary file in them and in the
// folders below, in name order) and instrument ZIPs, and stacks them in the
// order given. err is for I/O trouble (a missing file, an unreadable folder)
// and for a path named here that is neither a regular file nor a folder (a
// named pipe, a device); problems with the content are Diagnostics with
// SeverityError, and such a file contributes no fields.
//
// In a folder, the files ending in .csv, .tsv, .txt, .json or .zip are read
// (LoadOptions.dictionaryFiles says what is passed over and what is listed
// as skipped). Symbolic links and anything that is not a regular file in a
// folder are skipped with a warning (CodeSkippedEntry), so that a folder
// from an untrusted checkout cannot make rcolpipe read (and quote) a file
// elsewhere, or block on a named pipe. A path named here may be a link to
// a regular file. Every file is read up to MaxFileBytes. Load reads no
// standard input: LoadOptions.Load does.
func Load(paths ...string) (*Dictionary, Diagnostics, error) {
	return load(paths, &Structure{}, LoadOptions{})
}

// load is Load, putting the structure files it meets into st
// (LoadWithStructure).
func load(paths []string, st *Structure, opts LoadOptions) (*Dictionary, Diagnostics, error) {
	var dicts []*Dictionary
	var diags Diagnostics
	add := func(f string, data []byte, tooLarge bool, what string) {
		if tooLarge {
			dicts = append(dicts, &Dictionary{Files: []string{f}})
			diags = append(diags, tooLargeFile(f, what))
			return
		}
		d, ds := st.readInput(f, data)
		dicts = append(dicts, d)
		diags = append(diags, ds...)
	}
	read := func(f string, follow bool) error {
		data, tooLarge, err := readInputFile(f, follow)
		if err != nil {
			return fmt.Errorf("load %s: %w", f, err)
		}
		add(f, data, tooLarge, "")
		return nil
	}
	stdinRead := false
	for _, p := range paths {
		if p == "-" {
			if stdinRead {
				return nil, diags, errors.New("standard input (-) is named more than once")
			}
			stdinRead = true
			data, tooLarge, err := opts.readStdin()
			if err != nil {
				return nil, diags, err
			}
			add(StdinName, data, tooLarge, "standard input")
			continue
		}
		st, err := os.Stat(p)
		if err != nil {
			return nil, diags, fmt.Errorf("load %s: %w", p, err)
		}
		if !st.IsDir() {
			if err := read(p, true); err != nil {
				return nil, diags, err
			}
			continue
		}
		files, skipped, err := opts.dictionaryFiles(p)
		diags = append(diags, skipped...)
		if err != nil {
			return nil, diags, fmt.Errorf("load %s: %w", p, err)
		}
		if skipped.HasCode(CodeTooLarge) {
			dicts = append(dicts, &Dictionary{Files: []string{p}})
			continue
		}
		if len(files) == 0 {
			diags = append(diags, emptyFolder(p))
			continue
		}
		for _, f := range files {
			if err := read(f, false); err != nil {
				return nil, diags, err
			}
		}
	}
	d, ds := Stack(dicts...)
	return d, append(diags, ds...), nil
}

// emptyFolder is the finding for a folder input without dictionary files.
func emptyFolder(name string) Diagnostic {
	return Diagnostic{Severity: SeverityError, Code: CodeEmptyInput, File: name, Stage: StageLoad,
		Message: "folder has no dictionary files (.csv, .tsv, .txt, .json, .zip)",
		Hint:    "name the files to read, or put them in this folder"}
}

// readInputFile reads a regular file, at most MaxFileBytes of it; tooLarge
// reports a longer one (its data is then nil). Anything else (a named pipe,
// a device, a socket) is an error. follow=false refuses a symbolic link.
func readInputFile(name string, follow bool) (data []byte, tooLarge bool, err error) {
	data, tooLarge, err = readRegular(name, follow, MaxFileBytes)
	var nr notRegularError
	if errors.As(err, &nr) {
		return nil, false, fmt.Errorf("%v; an input is a dictionary file or a folder", nr)
	}
	return data, tooLarge, err
}

// notRegularError is a file that is not a regular file (named by its kind).
type notRegularError struct{ mode fs.FileMode }

func (e notRegularError) Error() string { return fileKind(e.mode) + ", not a regular file" }

// readRegular reads at most limit bytes of the regular file name; tooLarge
// reports a longer one (its data is then nil). What is not a regular file
// is a notRegularError, found from the opened file's mode before any read,
// so that neither the open nor a read blocks (a named pipe) or fills memory
// (/dev/zero). Inputs and side files (ReadSmallFile) both read this way.
func readRegular(name string, follow bool, limit int64) (data []byte, tooLarge bool, err error) {
	f, err := openInput(name, follow)
	if err != nil {
		return nil, false, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, false, err
	}
	if !st.Mode().IsRegular() {
		return nil, false, notRegularError{st.Mode()}
	}
	if st.Size() > limit {
		return nil, true, nil
	}
	// The size from Stat is only a hint (files in /proc claim 0, a file may
	// grow while read): the limit is enforced on what is read.
	var buf bytes.Buffer
	buf.Grow(int(st.Size()) + bytes.MinRead)
	if _, err := buf.ReadFrom(io.LimitReader(f, limit+1)); err != nil {
		return nil, false, err
	}
	if int64(buf.Len()) > limit {
		return nil, true, nil
	}
	return buf.Bytes(), false, nil
}

// fileKind names what a file that is not regular is, for messages.
func fileKind(m fs.FileMode) string {
	switch {
	case m&fs.ModeSymlink != 0:
		return "a symbolic link"
	case m.IsDir():
		return "a folder"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeDevice != 0:
		return "a device"
	}
	return "a special file"
}

// tooLargeFile reports a file (what "", or a ZIP member) over MaxFileBytes.
func tooLargeFile(name, what string) Diagnostic {
	if what == "" {
		what = "file"
	}
	return Diagnostic{Severity: SeverityError, Code: CodeTooLarge, File: name, Stage: StageLoad,
		Message: fmt.Sprintf("%s is larger than %s, the limit for one input; REDCap dictionaries are far smaller", what, sizeText(MaxFileBytes)),
		Hint:    "check that this is a REDCap data dictionary"}
}

// printableName reports whether a file name is UTF-8 without control or
// other unprintable characters.
func printableName(name string) bool {
	if !utf8.ValidString(name) {
		return false
	}
	for _, r := range name {
		if !strconv.IsPrint(r) {
			return false
		}
	}
	return true
}

// ReadBytes reads one dictionary file whose format is sniffed from its
// content: a ZIP archive (instrument ZIP), a JSON array, or CSV with any of
// the delimiters , ; and tab. name is used in origins and diagnostics. The
// dictionary is never nil; when the diagnostics hold an error it is empty.
func ReadBytes(name string, data []byte) (*Dictionary, Diagnostics) {
	if bytes.HasPrefix(data, []byte("PK\x03\x04")) || bytes.HasPrefix(data, []byte("PK\x05\x06")) {
		return readZIP(name, data)
	}
	if d, ds, ok := refuseBinary(name, data); ok {
		return d, ds
	}
	text, diags := decodeText(name, data)
	d, ds := readDictionaryText(name, text)
	return d, append(diags, ds...)
}

// refuseBinary returns the finding for a file that is not text at all.
func refuseBinary(name string, data []byte) (*Dictionary, Diagnostics, bool) {
	what, ok := binaryKind(data)
	if !ok {
		return nil, nil, false
	}
	return &Dictionary{Files: []string{name}}, Diagnostics{{Severity: SeverityError, Code: CodeBinary, File: name, Stage: StageLoad,
		Message: "file is " + what + ", not a CSV or JSON dictionary",
		Hint:    "name a dictionary file (CSV or JSON, or REDCap's instrument ZIP); an Excel workbook must be saved as CSV first"}}, true
}

// readDictionaryText is readText, except that a .json file that does not
// start like JSON and is no CSV dictionary either is read as the broken
// JSON file it is: its syntax error (line, column) is reported, not a CSV
// header error.
func readDictionaryText(name, text string) (*Dictionary, Diagnostics) {
	d, ds := readText(name, text)
	if ds.HasErrors() && d.Len() == 0 && isJSONName(name) && !looksLikeJSON(text) && strings.TrimSpace(text) != "" {
		return readJSON(name, text)
	}
	return d, ds
}

// isJSONName reports whether a file (or ZIP member) name ends in .json.
func isJSONName(name string) bool {
	return strings.EqualFold(path.Ext(name), ".json")
}

// binaryKind recognises files that are not text: the formats people drop
// next to dictionaries by their first bytes, anything else by a NUL byte in
// its first 8 KiB (UTF-16 text, which has NULs, starts with a byte-order
// mark and is decoded instead).
func binaryKind(data []byte) (string, bool) {
	for _, m := range []struct{ magic, what string }{
		{"\x89PNG\r\n\x1a\n", "a PNG image"},
		{"\xff\xd8\xff", "a JPEG image"},
		{"GIF87a", "a GIF image"},
		{"GIF89a", "a GIF image"},
		{"%PDF-", "a PDF document"},
		{"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Excel workbook (.xls) or another OLE document"},
		{"\x1f\x8b", "gzip-compressed"},
		{"BZh", "bzip2-compressed"},
		{"\xfd7zXZ\x00", "xz-compressed"},
		{"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"},
		{"\x7fELF", "a program (ELF)"},
		{"MZ", "a Windows program"},
	} {
		if bytes.HasPrefix(data, []byte(m.magic)) {
			if m.magic == "BZh" || m.magic == "MZ" {
				// Short ASCII prefixes: only binary when NULs follow.
				if bytes.IndexByte(data[:min(len(data), 8192)], 0) < 0 {
					continue
				}
			}
			return m.what, true
		}
	}
	if bytes.HasPrefix(data, []byte{0xFF, 0xFE}) || bytes.HasPrefix(data, []byte{0xFE, 0xFF}) {
		return "", false
	}
	if bytes.IndexByte(data[:min(len(data), 8192)], 0) >= 0 {
		return "a binary file (it holds NUL bytes)", true
	}
	return "", false
}

// readText sniffs JSON or CSV in decoded text.
func readText(name, text string) (*Dictionary, Diagnostics) {
	trimmed := strings.TrimLeft(text, " \t\r\n")
	if trimmed == "" {
		return &Dictionary{Files: []string{name}}, Diagnostics{{Severity: SeverityError, Code: CodeEmptyInput, File: name, Stage: StageLoad,
			Message: "file is empty", Hint: "a dictionary needs a header row and at least one field"}}
	}
	if looksLikeJSON(text) {
		return readJSON(name, text)
	}
	return readCSV(name, text)
}

// looksLikeJSON reports whether text starts (after white space) with [ or {.
func looksLikeJSON(text string) bool {
	trimmed := strings.TrimLeft(text, " \t\r\n")
	return trimmed != "" && (trimmed[0] == '[' || trimmed[0] == '{')
}

// decodeText turns the bytes into UTF-8 text without a byte-order mark:
// UTF-8 as is, UTF-16 by its BOM, anything else that is not valid UTF-8 as
// Windows-1252 (what Excel on Windows writes), with a warning.
func decodeText(name string, data []byte) (string, Diagnostics) {
	switch {
	case bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}):
		data = data[3:]
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}), bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		dec := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewDecoder()
		out, err := dec.Bytes(data)
		if err == nil && utf8.Valid(out) {
			return strings.TrimPrefix(string(out), "\uFEFF"), Diagnostics{{Severity: SeverityInfo, Code: CodeUTF16, File: name, Stage: StageLoad,
				Message: "file is UTF-16; decoded to UTF-8"}}
		}
	}
	if utf8.Valid(data) {
		return string(data), nil
	}
	line, bad := firstInvalidUTF8(data)
	out, err := charmap.Windows1252.NewDecoder().Bytes(data)
	if err != nil {
		// Windows-1252 maps every byte, so this does not happen; keep the
		// text readable anyway.
		return strings.ToValidUTF8(string(data), "\uFFFD"), nil
	}
	return string(out), Diagnostics{{Severity: SeverityWarning, Code: CodeWindows1252, File: name, Line: line, Stage: StageLoad,
		Message: fmt.Sprintf("file is not valid UTF-8 (first bad byte 0x%02X on line %d); read as Windows-1252", bad, line),
		Hint:    "check non-ASCII characters such as umlauts, and save the file as UTF-8 (CSV UTF-8 in Excel)"}}
}

// firstInvalidUTF8 returns the line and value of the first byte that is not
// valid UTF-8.
func firstInvalidUTF8(data []byte) (int, byte) {
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && size <= 1 {
			return lineAt(string(data), i), data[i]
		}
		i += size
	}
	return 0, 0
}

// lineAt returns the 1-based line of byte offset off, counting LF, CRLF and
// a lone CR as one line break each.
func lineAt(text string, off int) int {
	if off > len(text) {
		off = len(text)
	}
	line := 1
	for i := 0; i < off; i++ {
		switch text[i] {
		case '\n':
			line++
		case '\r':
			if i+1 < len(text) && text[i+1] == '\n' {
				continue // counted at the '\n'
			}
			line++
		}
	}
	return line
}

// readZIP reads a REDCap instrument ZIP: instrument.csv at the top level
// (OriginID.txt, AuthorID.txt and InstrumentID.txt may sit next to it and
// carry nothing for the dictionary).
func readZIP(name string, data []byte) (*Dictionary, Diagnostics) {
	fail := func(msg, hint string) (*Dictionary, Diagnostics) {
		return &Dictionary{Files: []string{name}}, Diagnostics{{Severity: SeverityError, Code: CodeBadZIP, File: name, Stage: StageLoad, Message: msg, Hint: hint}}
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return fail(fmt.Sprintf("cannot read the ZIP archive: %v", err), "an instrument ZIP is what REDCap's \"Download instrument ZIP\" gives")
	}
	if len(zr.File) > MaxZIPMembers {
		return &Dictionary{Files: []string{name}}, Diagnostics{{Severity: SeverityError, Code: CodeTooLarge, File: name, Stage: StageLoad,
			Message: fmt.Sprintf("ZIP has %d entries, more than the limit of %d; an instrument ZIP has a handful", len(zr.File), MaxZIPMembers),
			Hint:    "an instrument ZIP is what REDCap's \"Download instrument ZIP\" gives"}}
	}
	// instrument.csv sits at the top level; an archive re-zipped with its
	// folder has it one level down, which is accepted when it is the only one
	// (and its folder's name is printable: it becomes part of the origin).
	var member *zip.File
	var names []string
	var nested []*zip.File
	for _, f := range zr.File {
		names = append(names, f.Name)
		switch {
		case strings.EqualFold(f.Name, "instrument.csv"):
			member = f
		case strings.EqualFold(path.Base(f.Name), "instrument.csv") && strings.Count(f.Name, "/") == 1 && printableName(f.Name):
			nested = append(nested, f)
		}
	}
	if member == nil && len(nested) == 1 {
		member = nested[0]
	}
	if member == nil {
		hint := "an instrument ZIP has instrument.csv at its top level"
		for _, n := range names {
			if strings.HasPrefix(n, "xl/") {
				hint = "this looks like an Excel workbook: save it as CSV"
				break
			}
		}
		const shown = 5
		quoted := make([]string, 0, shown)
		for _, n := range names[:min(len(names), shown)] {
			quoted = append(quoted, excerpt(n))
		}
		list := strings.Join(quoted, ", ")
		if len(names) > shown {
			list += fmt.Sprintf(" and %d more", len(names)-shown)
		}
		return fail(fmt.Sprintf("ZIP has no instrument.csv (it holds %s)", list), hint)
	}
	inner := name + "!" + member.Name // see ZIPMember
	if member.UncompressedSize64 > MaxFileBytes {
		return &Dictionary{Files: []string{inner}}, Diagnostics{tooLargeFile(inner, "instrument.csv unpacked")}
	}
	rc, err := member.Open()
	if err != nil {
		return fail(fmt.Sprintf("cannot open %s in the ZIP: %v", excerpt(member.Name), err), "")
	}
	defer rc.Close()
	// The size in the ZIP's header is only a claim: the limit is enforced on
	// what is decompressed.
	csvData, err := io.ReadAll(io.LimitReader(rc, MaxFileBytes+1))
	if err != nil {
		return fail(fmt.Sprintf("cannot read %s in the ZIP: %v", excerpt(member.Name), err), "")
	}
	if len(csvData) > MaxFileBytes {
		return &Dictionary{Files: []string{inner}}, Diagnostics{tooLargeFile(inner, "instrument.csv unpacked")}
	}
	text, diags := decodeText(inner, csvData)
	d, ds := readText(inner, text)
	return d, append(diags, ds...)
}

// ReadSmallFile reads a side file that is not a dictionary (a pipeline
// file, a schema, a list of validation types): like an input, it must be a
// regular file (a named pipe would block the open or the read, /dev/zero
// would fill memory), and at most limit bytes are read. A link is followed:
// the user named the path.
func ReadSmallFile(name string, limit int64) ([]byte, error) {
	data, tooLarge, err := readRegular(name, true, limit)
	switch {
	case err != nil:
		var nr notRegularError
		if errors.As(err, &nr) {
			return nil, &os.PathError{Op: "read", Path: name, Err: nr}
		}
		return nil, err
	case tooLarge:
		return nil, &os.PathError{Op: "read", Path: name, Err: fmt.Errorf("larger than %d bytes", limit)}
	}
	return data, nil
}
