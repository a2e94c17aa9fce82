package redcap

import (
	"fmt"
	"sort"
	"strings"
)

// csvRecord is one record of a CSV file and the line it starts on.
type csvRecord struct {
	// cells is nil for a blank record (every cell empty or white space),
	// which keeps only its number of cells: a file of a million empty Excel
	// rows does not hold a million cell slices.
	cells      []string
	blankCells int
	line       int
}

// width returns the number of cells of the record.
func (r csvRecord) width() int {
	if r.cells == nil {
		return r.blankCells
	}
	return len(r.cells)
}

// csvScan is the result of splitting CSV text into records.
type csvScan struct {
	recs []csvRecord
	// strays are the lines of records with a quote inside a quoted cell that
	// is neither doubled nor followed by a delimiter or line end.
	strays []int
	// unclosed is the line where a quoted cell starts that never closes (0: none).
	unclosed int
	// overLine and over tell where and how the text exceeds a limit
	// (MaxCellBytes, MaxRows, MaxCells); the scan stops there.
	overLine int
	over     string
}

// scanCSV splits text into records. It is RFC 4180 with what real files
// need: LF, CRLF and lone CR line breaks; line breaks inside quoted cells
// kept as they are; quotes inside unquoted cells kept as characters; a stray
// quote inside a quoted cell kept as a character (the cell goes on
// unquoted), as spreadsheet programs do. max > 0 stops after that many
// records that are not blank lines. A cell over MaxCellBytes, more than
// MaxRows records that are not blank or more than MaxCells cells kept stop
// the scan (over says why) before the cell or record is copied.
func scanCSV(text string, delim byte, max int) csvScan {
	var s csvScan
	n := len(text)
	line := 1
	i := 0
	nonBlank := 0
	rows, kept := 0, 0
	var buf []byte
	var spare []string // the cells of the last blank record, for reuse
	width := 0         // cells of the previous record, to size the next one
	tooLong := func(at, col int) csvScan {
		s.overLine = at
		s.over = fmt.Sprintf("cell %s is longer than %s, the limit for one cell; REDCap stores at most %d bytes in a cell",
			sheetColumn(col)+fmt.Sprint(at), sizeText(MaxCellBytes), redcapCellBytes)
		return s
	}
	for i < n {
		rec := csvRecord{line: line, cells: spare[:0]}
		if rec.cells == nil {
			rec.cells = make([]string, 0, width)
		}
		spare = nil
		stray := false
		for {
			// One cell.
			var cell string
			if text[i] == '"' {
				cellLine := line
				i++
				buf = buf[:0]
				closed := false
				for i < n {
					c := text[i]
					if c == '"' {
						if i+1 < n && text[i+1] == '"' {
							buf = append(buf, '"')
							i += 2
							continue
						}
						i++
						closed = true
						break
					}
					switch c {
					case '\n':
						line++
					case '\r':
						if i+1 >= n || text[i+1] != '\n' {
							line++
						}
					}
					buf = append(buf, c)
					i++
					if len(buf) > MaxCellBytes {
						return tooLong(cellLine, len(rec.cells))
					}
				}
				if !closed {
					s.unclosed = cellLine
					rec.cells = append(rec.cells, string(buf))
					s.recs = append(s.recs, rec)
					return s
				}
				if i < n && text[i] != delim && text[i] != '\n' && text[i] != '\r' {
					// A stray quote: keep it and read on up to the next
					// delimiter or line end.
					stray = true
					buf = append(buf, '"')
					j := i
					for j < n && text[j] != delim && text[j] != '\n' && text[j] != '\r' {
						j++
					}
					if len(buf)+j-i > MaxCellBytes {
						return tooLong(cellLine, len(rec.cells))
					}
					buf = append(buf, text[i:j]...)
					i = j
				}
				cell = string(buf)
			} else {
				j := i
				for j < n && text[j] != delim && text[j] != '\n' && text[j] != '\r' {
					j++
				}
				if j-i > MaxCellBytes {
					return tooLong(line, len(rec.cells))
				}
				cell = text[i:j]
				i = j
			}
			rec.cells = append(rec.cells, cell)
			if kept+len(rec.cells) > MaxCells {
				s.overLine = rec.line
				s.over = fmt.Sprintf("file has more than %d cells, the limit for one file (blank rows do not count)", MaxCells)
				return s
			}
			if i >= n {
				break
			}
			if text[i] == delim {
				i++
				if i >= n {
					rec.cells = append(rec.cells, "")
					break
				}
				continue
			}
			// A line break ends the record.
			if text[i] == '\r' && i+1 < n && text[i+1] == '\n' {
				i++
			}
			i++
			line++
			break
		}
		if stray {
			s.strays = append(s.strays, rec.line)
		}
		width = len(rec.cells)
		lineBreakOnly := len(rec.cells) == 1 && rec.cells[0] == ""
		if blankRecord(rec.cells) {
			spare = rec.cells
			rec.blankCells, rec.cells = len(rec.cells), nil
		} else {
			kept += len(rec.cells)
			if rows++; rows > MaxRows {
				s.overLine = rec.line
				s.over = fmt.Sprintf("file has more than %d rows, the limit for one file", MaxRows)
				return s
			}
		}
		s.recs = append(s.recs, rec)
		if !lineBreakOnly {
			nonBlank++
			if max > 0 && nonBlank >= max {
				break
			}
		}
	}
	return s
}

// isREDCapWidth reports whether a header of n cells has the column count of
// a REDCap dictionary: 18 columns, or 16 in the older layout.
func isREDCapWidth(n int) bool { return n == NumColumns || n == oldLayoutColumns }

// oldLayoutColumns is the column count of REDCap's older layout (A..P).
const oldLayoutColumns = 16

// blankRecord reports whether every cell is empty or white space.
func blankRecord(cells []string) bool {
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// sniffDelimiter picks the delimiter whose split of the first non-blank
// record maps the most REDCap headers; ties go to the one with more cells,
// then to ',' before ';' before tab.
func sniffDelimiter(text string) byte {
	best, bestMapped, bestCells := byte(','), -1, -1
	for _, d := range []byte{',', ';', '\t'} {
		s := scanCSV(text, d, 1)
		var cells []string
		for _, r := range s.recs {
			// A line of only delimiters is blank whichever delimiter is tried.
			if strings.Trim(strings.Join(r.cells, ""), " \t\r\n,;") != "" {
				cells = r.cells
				break
			}
		}
		mapped := 0
		for _, c := range cells {
			if _, ok := columnForHeader(c); ok {
				mapped++
			}
		}
		if mapped > bestMapped || (mapped == bestMapped && len(cells) > bestCells) {
			best, bestMapped, bestCells = d, mapped, len(cells)
		}
	}
	return best
}

// sheetColumn returns the spreadsheet name of the 0-based column i: A..Z, AA...
func sheetColumn(i int) string {
	s := ""
	for i++; i > 0; i = (i - 1) / 26 {
		s = string(rune('A'+(i-1)%26)) + s
	}
	return s
}

// delimName names a delimiter for messages.
func delimName(d byte) string {
	if d == '\t' {
		return "tab"
	}
	return fmt.Sprintf("%q", string(d))
}

// readCSV reads a CSV dictionary from decoded text.
func readCSV(name, text string) (*Dictionary, Diagnostics) {
	d := &Dictionary{Files: []string{name}}
	var diags Diagnostics
	errAt := func(code string, line int, msg, hint string) {
		diags = append(diags, Diagnostic{Severity: SeverityError, Code: code, File: name, Line: line, Stage: StageLoad, Message: msg, Hint: hint})
	}
	var delim byte
	if sep, ok := excelSepLine(text); ok {
		// Excel's "sep=;" first line names the delimiter. Blank the line
		// but keep its line break, so that line numbers stay true.
		delim = sep
		text = text[len("sep=")+1:]
	} else {
		delim = sniffDelimiter(text)
	}
	s := scanCSV(text, delim, 0)
	if len(s.strays) > 0 {
		lines := make([]string, len(s.strays))
		for k, l := range s.strays {
			lines[k] = fmt.Sprint(l)
		}
		diags = append(diags, Diagnostic{Severity: SeverityWarning, Code: CodeStrayQuote, File: name, Line: s.strays[0], Stage: StageLoad,
			Message: fmt.Sprintf("quote inside a quoted cell that is not doubled, on the row(s) starting at line %s; kept as a character", capList(lines, 10, ", ")),
			Hint:    "inside a quoted cell write a quote as \"\"; check that the row's cells are in the right columns"})
	}
	if s.over != "" {
		errAt(CodeTooLarge, s.overLine, s.over, "check that this is a REDCap data dictionary; a cell or row this large is not one")
		return d, diags
	}
	if s.unclosed > 0 {
		errAt(CodeUnclosedQuote, s.unclosed, "quoted cell starting on this line is never closed; expected a closing \" before the end of the file",
			"close the quote, or double the quotes inside the cell (\"\")")
		return d, diags
	}

	// The header is the first record that is not blank.
	h := -1
	for k, r := range s.recs {
		if !blankRecord(r.cells) {
			h = k
			break
		}
	}
	if h < 0 {
		errAt(CodeEmptyInput, 0, "file has no header and no rows", "a dictionary needs a header row and at least one field")
		return d, diags
	}
	// REDCap skips row 1 whatever it holds and reads the rows by position,
	// so a blank first row with REDCap's column count is the header.
	if h > 0 && isREDCapWidth(s.recs[0].width()) {
		h = 0
	}
	header := s.recs[h]
	width := header.width()
	if header.cells == nil {
		header.cells = make([]string, width)
	}
	pos := [NumColumns]int{} // pos[c] = cell index + 1 of column c (0: absent)
	var extras, unknown []string
	var dupes []string
	for k, cell := range header.cells {
		c, ok := columnForHeader(cell)
		if !ok {
			if strings.TrimSpace(cell) != "" {
				extras = append(extras, fmt.Sprintf("%s (column %s)", excerpt(cell), sheetColumn(k)))
				unknown = append(unknown, excerpt(cell))
			}
			continue
		}
		if pos[c] != 0 {
			dupes = append(dupes, fmt.Sprintf("%s (column %s) and %s (column %s) are both %s",
				excerpt(header.cells[pos[c]-1]), sheetColumn(pos[c]-1), excerpt(cell), sheetColumn(k), c.Key()))
			continue
		}
		pos[c] = k + 1
	}
	var missing []string
	for _, c := range requiredHeaderColumns() {
		if pos[c] == 0 {
			missing = append(missing, fmt.Sprintf("%q (%s)", Columns[c].Header, c.Key()))
		}
	}
	headerOK := true
	byPosition := false
	if len(missing) > 0 && len(dupes) == 0 && isREDCapWidth(width) {
		byPosition = true
		// REDCap reads by position: so does rcolpipe, with a warning.
		msg := fmt.Sprintf("header row does not name REDCap's columns (expected %s) but has REDCap's %d columns; read by position, as REDCap does", capList(missing, 5, ", "), width)
		if len(unknown) > 0 {
			msg += "; unknown header(s) " + capList(unknown, 5, ", ")
		}
		if blankRecord(header.cells) {
			msg = fmt.Sprintf("header row is blank but has REDCap's %d columns; read by position, as REDCap does", width)
		}
		diags = append(diags, Diagnostic{Severity: SeverityWarning, Code: CodeHeaderByPosition, File: name, Line: header.line, Stage: StageLoad,
			Message: msg,
			Hint:    "write REDCap's headers (\"Variable / Field Name\", \"Form Name\", ...) or the API keys in the first row"})
		missing, extras, unknown = nil, nil, nil
		for c := Column(0); c < NumColumns && int(c) < width; c++ {
			pos[c] = int(c) + 1
		}
	}
	if len(missing) > 0 {
		headerOK = false
		msg := fmt.Sprintf("header row does not name REDCap's columns: expected %s", strings.Join(missing, ", "))
		if len(unknown) > 0 {
			msg += "; found unknown header(s) " + capList(unknown, 5, ", ")
		}
		msg += fmt.Sprintf(" (delimiter %s)", delimName(delim))
		errAt(CodeBadHeader, header.line, msg,
			"the first row must hold REDCap's Data Dictionary headers (\"Variable / Field Name\", \"Form Name\", ...) or API keys (field_name, form_name, ...)")
	}
	if len(dupes) > 0 {
		headerOK = false
		diags = append(diags, Diagnostic{Severity: SeverityError, Code: CodeDuplicateColumn, File: name, Line: header.line, Stage: StageLoad,
			Message: "header names a column twice: " + capList(dupes, 5, "; "),
			Hint:    "keep one of the two columns"})
	}

	rc := rowChecker{name: name, order: fileOrder(pos)}
	if headerOK {
		d.Fields = make([]Field, 0, len(s.recs)-h-1)
	}
	tooMany := 0
	firstData := 0
	unnamedData := map[int]bool{}
	for k := h + 1; k < len(s.recs); k++ {
		r := s.recs[k]
		if r.width() > width {
			tooMany++
			if tooMany <= 10 {
				errAt(CodeTooManyCells, r.line, fmt.Sprintf("row has %d cells but the header has %d; expected at most %d cells separated by %s",
					r.width(), width, width, delimName(delim)),
					"a cell probably holds an unquoted delimiter or a broken quote; quote the cell (\"...\") and double quotes inside it")
			}
			continue
		}
		if !headerOK || tooMany > 0 {
			continue
		}
		if blankRecord(r.cells) {
			continue
		}
		for idx, cell := range r.cells {
			if !byPosition && strings.TrimSpace(header.cells[idx]) == "" && cell != "" {
				unnamedData[idx] = true
			}
		}
		var f Field
		for c := Column(0); c < NumColumns; c++ {
			if p := pos[c]; p != 0 && p <= len(r.cells) {
				f.Set(c, r.cells[p-1])
			}
		}
		line := r.line
		if !rc.finish(&f, func(c Column) string { return sheetColumn(pos[c]-1) + fmt.Sprint(line) }) {
			continue
		}
		if firstData == 0 {
			firstData = r.line
		}
		f.Origin = Origin{File: name, Line: r.line, Row: len(d.Fields) + 1}
		d.Fields = append(d.Fields, f)
	}
	if tooMany > 10 {
		errAt(CodeTooManyCells, 0, fmt.Sprintf("%d more rows have more cells than the header", tooMany-10), "")
	}
	if !headerOK || tooMany > 0 {
		d.Fields = nil
		return d, diags
	}
	if len(d.Fields) == 0 {
		errAt(CodeEmptyInput, header.line, "file has a header but no rows", "a dictionary needs at least one field")
		return d, diags
	}
	if len(unnamedData) > 0 {
		for idx := 0; idx < width; idx++ {
			if unnamedData[idx] {
				extras = append(extras, fmt.Sprintf("column %s (no header)", sheetColumn(idx)))
			}
		}
	}
	if len(extras) > 0 {
		diags = append(diags, Diagnostic{Severity: SeverityWarning, Code: CodeExtraColumns, File: name, Line: header.line, Stage: StageLoad,
			Message: "columns that are not REDCap's were ignored: " + capList(extras, 10, ", "),
			Hint:    "remove them before uploading with another tool: REDCap maps columns by position"})
	}
	if isOldLayout(pos) {
		diags = append(diags, Diagnostic{Severity: SeverityInfo, Code: CodeOldLayout, File: name, Line: header.line, Stage: StageLoad,
			Message: "header has no \"Matrix Ranking?\" and no \"Field Annotation\" column (older 16-column layout); both read as empty"})
	}
	diags = append(diags, rc.diagnostics(firstData)...)
	return d, diags
}

// isOldLayout reports whether the header is REDCap's older 16-column layout:
// columns A..P named, no "Matrix Ranking?" and no "Field Annotation".
func isOldLayout(pos [NumColumns]int) bool {
	for c := ColFieldName; c <= ColMatrixGroupName; c++ {
		if pos[c] == 0 {
			return false
		}
	}
	return pos[ColMatrixRanking] == 0 && pos[ColFieldAnnotation] == 0
}

// fileOrder returns the columns present in the header, in file order, so
// that cell lists in messages read left to right.
func fileOrder(pos [NumColumns]int) []Column {
	var cols []Column
	for c := Column(0); c < NumColumns; c++ {
		if pos[c] != 0 {
			cols = append(cols, c)
		}
	}
	sort.Slice(cols, func(i, j int) bool { return pos[cols[i]] < pos[cols[j]] })
	return cols
}

// excelSepLine recognises Excel's delimiter hint, a first line "sep=X".
func excelSepLine(text string) (byte, bool) {
	if len(text) < 5 || !strings.EqualFold(text[:4], "sep=") {
		return 0, false
	}
	d := text[4]
	if d != ',' && d != ';' && d != '\t' && d != '|' {
		return 0, false
	}
	if len(text) > 5 && text[5] != '\n' && text[5] != '\r' {
		return 0, false
	}
	return d, true
}

// capList joins up to n items and says how many more there are, so that a
// damaged header with thousands of cells gives a readable message.
func capList(items []string, n int, sep string) string {
	if len(items) <= n {
		return strings.Join(items, sep)
	}
	return fmt.Sprintf("%s and %d more", strings.Join(items[:n], sep), len(items)-n)
}
