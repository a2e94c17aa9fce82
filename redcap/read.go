package redcap

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
)

// stageLoad names the stage of every reader diagnostic.
const stageLoad = "load"

// maxZIPMember caps how much of instrument.csv is decompressed, so that a
// hostile archive cannot exhaust memory.
const maxZIPMember = 64 << 20

// Load reads files, folders (every dictionary file in them, in name order,
// not recursing) and instrument ZIPs, and stacks them in the order given.
// err is only for I/O trouble (a missing file, an unreadable folder);
// problems with the content are Diagnostics with SeverityError, and such a
// file contributes no fields.
//
// In a folder, the files ending in .csv, .tsv, .txt, .json or .zip are read;
// names starting with "." or "_" are skipped (hidden files, indexes such as
// rcol's _index.json).
func Load(paths ...string) (*Dictionary, Diagnostics, error) {
	var dicts []*Dictionary
	var diags Diagnostics
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			return nil, diags, fmt.Errorf("load %s: %w", p, err)
		}
		files := []string{p}
		if st.IsDir() {
			if files, err = dictionaryFiles(p); err != nil {
				return nil, diags, fmt.Errorf("load %s: %w", p, err)
			}
			if len(files) == 0 {
				diags = append(diags, Diagnostic{Severity: SeverityError, Code: CodeEmptyInput, File: p, Stage: stageLoad,
					Message: "folder has no dictionary files (.csv, .tsv, .txt, .json, .zip)",
					Hint:    "name the files to read, or put them in this folder"})
				continue
			}
		}
		for _, f := range files {
			data, err := os.ReadFile(f)
			if err != nil {
				return nil, diags, fmt.Errorf("load %s: %w", f, err)
			}
			d, ds := ReadBytes(f, data)
			dicts = append(dicts, d)
			diags = append(diags, ds...)
		}
	}
	d, ds := Stack(dicts...)
	return d, append(diags, ds...), nil
}

// dictionaryFiles lists the dictionary files of a folder in name order.
func dictionaryFiles(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") {
			continue
		}
		switch strings.ToLower(filepath.Ext(name)) {
		case ".csv", ".tsv", ".txt", ".json", ".zip":
			out = append(out, filepath.Join(dir, name))
		}
	}
	sort.Strings(out) // ReadDir sorts already; keep the order explicit.
	return out, nil
}

// ReadBytes reads one dictionary file whose format is sniffed from its
// content: a ZIP archive (instrument ZIP), a JSON array, or CSV with any of
// the delimiters , ; and tab. name is used in origins and diagnostics. The
// dictionary is never nil; when the diagnostics hold an error it is empty.
func ReadBytes(name string, data []byte) (*Dictionary, Diagnostics) {
	if bytes.HasPrefix(data, []byte("PK\x03\x04")) || bytes.HasPrefix(data, []byte("PK\x05\x06")) {
		return readZIP(name, data)
	}
	text, diags := decodeText(name, data)
	d, ds := readText(name, text)
	return d, append(diags, ds...)
}

// readText sniffs JSON or CSV in decoded text.
func readText(name, text string) (*Dictionary, Diagnostics) {
	trimmed := strings.TrimLeft(text, " \t\r\n")
	if trimmed == "" {
		return &Dictionary{Files: []string{name}}, Diagnostics{{Severity: SeverityError, Code: CodeEmptyInput, File: name, Stage: stageLoad,
			Message: "file is empty", Hint: "a dictionary needs a header row and at least one field"}}
	}
	if trimmed[0] == '[' || trimmed[0] == '{' {
		return readJSON(name, text)
	}
	return readCSV(name, text)
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
			return strings.TrimPrefix(string(out), "\uFEFF"), Diagnostics{{Severity: SeverityInfo, Code: CodeUTF16, File: name, Stage: stageLoad,
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
	return string(out), Diagnostics{{Severity: SeverityWarning, Code: CodeWindows1252, File: name, Line: line, Stage: stageLoad,
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
		return &Dictionary{Files: []string{name}}, Diagnostics{{Severity: SeverityError, Code: CodeBadZIP, File: name, Stage: stageLoad, Message: msg, Hint: hint}}
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return fail(fmt.Sprintf("cannot read the ZIP archive: %v", err), "an instrument ZIP is what REDCap's \"Download instrument ZIP\" gives")
	}
	// instrument.csv sits at the top level; an archive re-zipped with its
	// folder has it one level down, which is accepted when it is the only one.
	var member *zip.File
	var names, nested []string
	var nestedFile *zip.File
	for _, f := range zr.File {
		names = append(names, f.Name)
		switch {
		case strings.EqualFold(f.Name, "instrument.csv"):
			member = f
		case strings.EqualFold(path.Base(f.Name), "instrument.csv") && strings.Count(f.Name, "/") == 1:
			nested = append(nested, f.Name)
			nestedFile = f
		}
	}
	if member == nil && len(nested) == 1 {
		member = nestedFile
	}
	if member == nil {
		hint := "an instrument ZIP has instrument.csv at its top level"
		for _, n := range names {
			if strings.HasPrefix(n, "xl/") {
				hint = "this looks like an Excel workbook: save it as CSV"
				break
			}
		}
		quoted := make([]string, len(names))
		for i, n := range names {
			quoted[i] = fmt.Sprintf("%q", n)
		}
		return fail(fmt.Sprintf("ZIP has no instrument.csv (it holds %s)", capList(quoted, 5, ", ")), hint)
	}
	rc, err := member.Open()
	if err != nil {
		return fail(fmt.Sprintf("cannot open %s in the ZIP: %v", member.Name, err), "")
	}
	defer rc.Close()
	csvData, err := io.ReadAll(io.LimitReader(rc, maxZIPMember+1))
	if err != nil {
		return fail(fmt.Sprintf("cannot read %s in the ZIP: %v", member.Name, err), "")
	}
	if len(csvData) > maxZIPMember {
		return fail(fmt.Sprintf("%s in the ZIP is larger than %d MiB", member.Name, maxZIPMember>>20), "")
	}
	inner := name + "!" + member.Name // see ZIPMember
	text, diags := decodeText(inner, csvData)
	d, ds := readText(inner, text)
	return d, append(diags, ds...)
}
