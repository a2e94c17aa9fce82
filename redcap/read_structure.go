package redcap

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// Codes of the structure readers (the RC9xx group of the rules: project
// structure). pipeline/rules lists them with the other RC9xx rules.
const (
	// CodeUnknownFile: a file is neither a dictionary nor a structure file.
	CodeUnknownFile = "RC901"
	// CodeStructureValue: a structure file's row cannot be read.
	CodeStructureValue = "RC902"
)

// LoadWithStructure is Load that also reads REDCap's structure files (arms,
// events, instrument designations, repeating instruments and events, as
// CSV downloads or API JSON), recognised by their header wherever a
// dictionary may stand, a folder's files included. The structure is never
// nil; IsEmpty reports that no structure file was read.
func LoadWithStructure(paths ...string) (*Dictionary, *Structure, Diagnostics, error) {
	st := &Structure{}
	d, diags, err := load(paths, st, LoadOptions{})
	return d, st, diags, err
}

// readInput reads one input file: a structure file goes into st (and
// contributes no fields), anything else is read as a dictionary. A text
// file whose header names neither REDCap's dictionary columns nor a
// structure file's is reported once as such.
func (st *Structure) readInput(name string, data []byte) (*Dictionary, Diagnostics) {
	if bytes.HasPrefix(data, []byte("PK")) {
		return ReadBytes(name, data)
	}
	if d, ds, ok := refuseBinary(name, data); ok {
		return d, ds
	}
	text, diags := decodeText(name, data)
	if isJSONName(name) && !looksLikeJSON(text) {
		d, ds := readDictionaryText(name, text)
		return d, append(diags, ds...)
	}
	columns, isJSON := firstColumns(text)
	if kind, ok := StructureKindOf(columns); ok {
		s, ds := readStructureText(name, text, kind, isJSON)
		st.Merge(s)
		return &Dictionary{Files: []string{name}}, append(diags, ds...)
	}
	d, ds := readText(name, text)
	if len(columns) > 0 && ds.HasCode(CodeBadHeader) && mappedColumns(columns) == 0 {
		// Not a broken dictionary: some other file.
		return &Dictionary{Files: []string{name}}, append(diags, Diagnostic{Severity: SeverityError, Code: CodeUnknownFile, File: name, Line: 1, Stage: StageLoad,
			Message: fmt.Sprintf("file is neither a data dictionary nor one of REDCap's structure files (its columns: %s)", capList(quoteAll(columns), 5, ", ")),
			Hint:    "a dictionary has field_name, form_name, ...; arms.csv arm_num,name; events.csv event_name,arm_num,...; instrument_designations.csv arm_num,unique_event_name,form; repeating.csv event_name,form_name,custom_form_label. Move other files out of the input folder"})
	}
	return d, append(diags, ds...)
}

func quoteAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = excerpt(s)
	}
	return out
}

// mappedColumns counts the header cells that name a dictionary column.
func mappedColumns(columns []string) int {
	n := 0
	for _, c := range columns {
		if _, ok := columnForHeader(c); ok {
			n++
		}
	}
	return n
}

// firstColumns returns the header of a CSV text (split on its likeliest
// delimiter) or the keys of a JSON array's first object.
func firstColumns(text string) (columns []string, isJSON bool) {
	t := strings.TrimLeft(text, " \t\r\n")
	if t == "" {
		return nil, false
	}
	if t[0] == '[' {
		dec := json.NewDecoder(strings.NewReader(t))
		var rows []map[string]json.RawMessage
		if err := dec.Decode(&rows); err != nil || len(rows) == 0 {
			return nil, true
		}
		for k := range rows[0] {
			columns = append(columns, k)
		}
		return columns, true
	}
	if t[0] == '{' {
		return nil, true
	}
	line, _, _ := strings.Cut(t, "\n")
	line = strings.TrimRight(line, "\r")
	best := []string{line}
	for _, d := range []string{",", ";", "\t"} {
		cells := strings.Split(line, d)
		if len(cells) > len(best) {
			best = cells
		}
	}
	for i, c := range best {
		best[i] = strings.Trim(strings.TrimSpace(c), `"`)
	}
	return best, false
}

// readStructureText reads one structure file of a known kind.
func readStructureText(name, text string, kind StructureKind, isJSON bool) (*Structure, Diagnostics) {
	var rows []map[string]string
	var lines []int
	var diags Diagnostics
	fail := func(line int, msg, hint string) {
		diags = append(diags, Diagnostic{Severity: SeverityError, Code: CodeStructureValue, File: name, Line: line, Stage: StageLoad, Message: msg, Hint: hint})
	}
	// tooLarge refuses the whole file, as the dictionary readers do: a file
	// over a limit of limits.go is not one of REDCap's downloads.
	tooLarge := func(line int, msg string) (*Structure, Diagnostics) {
		return &Structure{}, append(diags, Diagnostic{Severity: SeverityError, Code: CodeTooLarge, File: name, Line: line, Stage: StageLoad,
			Message: msg, Hint: "check that this is one of REDCap's structure downloads; a cell or row this large is not one"})
	}
	cellTooLarge := func(line int) (*Structure, Diagnostics) {
		return tooLarge(line, fmt.Sprintf("a cell is larger than %s, the limit for one cell (REDCap stores at most %d bytes)", sizeText(MaxCellBytes), redcapCellBytes))
	}
	rowsTooMany := fmt.Sprintf("file has more than %d rows, the limit for one file", MaxRows)
	if isJSON {
		var raw []map[string]any
		if err := json.Unmarshal([]byte(text), &raw); err != nil {
			fail(0, fmt.Sprintf("%s file is not a JSON array of objects: %v", kind, err), "write what REDCap's API exports: [{...}, ...]")
			return &Structure{}, diags
		}
		if len(raw) > MaxRows {
			return tooLarge(MaxRows+1, rowsTooMany)
		}
		for i, r := range raw {
			row := map[string]string{}
			for k, v := range r {
				if s, ok := v.(string); len(k) > MaxCellBytes || ok && len(s) > MaxCellBytes {
					return cellTooLarge(i + 1)
				}
				switch t := v.(type) {
				case string:
					row[k] = t
				case float64:
					row[k] = strconv.FormatFloat(t, 'f', -1, 64)
				case nil:
					row[k] = ""
				default:
					fail(i+1, fmt.Sprintf("value of %s is not a string or number", excerpt(k)), "")
				}
			}
			rows = append(rows, row)
			lines = append(lines, i+1)
		}
	} else {
		r := csv.NewReader(strings.NewReader(text))
		r.Comma = sniffStructureDelimiter(text)
		r.FieldsPerRecord = -1
		var header []string
		for {
			rec, err := r.Read()
			if err == io.EOF {
				break
			}
			if err != nil {
				fail(0, fmt.Sprintf("cannot read the %s file as CSV: %v", kind, err), "check the quoting")
				return &Structure{}, diags
			}
			line, _ := r.FieldPos(0)
			if blankRecord(rec) {
				continue
			}
			if header == nil {
				header = rec
				for i := range header {
					header[i] = strings.ToLower(strings.TrimSpace(header[i]))
				}
				continue
			}
			for _, c := range rec {
				if len(c) > MaxCellBytes {
					return cellTooLarge(line)
				}
			}
			if len(rows) == MaxRows {
				return tooLarge(line, rowsTooMany)
			}
			if len(rec) > len(header) {
				fail(line, fmt.Sprintf("row has %d cells but the header has %d", len(rec), len(header)), "quote cells that hold the delimiter")
				continue
			}
			row := map[string]string{}
			for i, c := range rec {
				row[header[i]] = c
			}
			rows = append(rows, row)
			lines = append(lines, line)
		}
	}
	s := &Structure{Files: []string{name}}
	armNum := func(row map[string]string, line int) (int, bool) {
		v := strings.TrimSpace(row["arm_num"])
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			fail(line, fmt.Sprintf("arm_num %s is not a positive whole number", excerpt(v)), "arms are numbered 1, 2, ...")
			return 0, false
		}
		return n, true
	}
	for i, row := range rows {
		if blankRow(row, structureHeaders[kind].columns) {
			continue // nothing in REDCap's columns, like a blank CSV row
		}
		o := Origin{File: name, Line: lines[i], Row: i + 1}
		switch kind {
		case KindArms:
			s.HasArms = true
			if n, ok := armNum(row, o.Line); ok {
				s.Arms = append(s.Arms, Arm{Num: n, Name: row["name"], Origin: o})
			}
		case KindEvents:
			s.HasEvents = true
			n, ok := armNum(row, o.Line)
			if !ok {
				continue
			}
			if strings.TrimSpace(row["event_name"]) == "" {
				fail(o.Line, "event has no event_name", "every event needs a name")
				continue
			}
			s.Events = append(s.Events, Event{Name: row["event_name"], ArmNum: n, UniqueName: strings.TrimSpace(row["unique_event_name"]),
				CustomLabel: row["custom_event_label"], DayOffset: row["day_offset"], OffsetMin: row["offset_min"], OffsetMax: row["offset_max"], Origin: o})
		case KindDesignations:
			s.HasDesignations = true
			n, ok := armNum(row, o.Line)
			if !ok {
				continue
			}
			s.Designations = append(s.Designations, Designation{ArmNum: n, Event: strings.TrimSpace(row["unique_event_name"]), Form: strings.TrimSpace(row["form"]), Origin: o})
		case KindRepeating:
			s.HasRepeating = true
			s.Repeating = append(s.Repeating, RepeatSetting{Event: strings.TrimSpace(row["event_name"]), Form: strings.TrimSpace(row["form_name"]), CustomLabel: row["custom_form_label"], Origin: o})
		}
	}
	if len(rows) == 0 {
		// A header alone says "this part is empty".
		switch kind {
		case KindArms:
			s.HasArms = true
		case KindEvents:
			s.HasEvents = true
		case KindDesignations:
			s.HasDesignations = true
		case KindRepeating:
			s.HasRepeating = true
		}
	}
	return s, diags
}

// blankRow reports whether a row's value in each of the columns is empty
// or blank.
func blankRow(row map[string]string, columns []string) bool {
	for _, c := range columns {
		if strings.TrimSpace(row[c]) != "" {
			return false
		}
	}
	return true
}

// sniffStructureDelimiter picks the delimiter that splits the header into
// the most cells.
func sniffStructureDelimiter(text string) rune {
	line, _, _ := strings.Cut(text, "\n")
	best, n := ',', strings.Count(line, ",")
	for _, d := range []rune{';', '\t'} {
		if c := strings.Count(line, string(d)); c > n {
			best, n = d, c
		}
	}
	return best
}

// HasCode reports whether a diagnostic has the code.
func (ds Diagnostics) HasCode(code string) bool {
	for _, d := range ds {
		if d.Code == code {
			return true
		}
	}
	return false
}
