package redcap

import (
	"archive/zip"
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

const (
	downloadHeader = `Variable / Field Name,Form Name,Section Header,Field Type,Field Label,"Choices, Calculations, OR Slider Labels",Field Note,Text Validation Type OR Show Slider Number,Text Validation Min,Text Validation Max,Identifier?,Branching Logic (Show field only if...),Required Field?,Custom Alignment,Question Number (surveys only),Matrix Group Name,Matrix Ranking?,Field Annotation`
	apiHeader      = "field_name,form_name,section_header,field_type,field_label,select_choices_or_calculations,field_note,text_validation_type_or_show_slider_number,text_validation_min,text_validation_max,identifier,branching_logic,required_field,custom_alignment,question_number,matrix_group_name,matrix_ranking,field_annotation"
	// oldHeader is the 16-column layout without "Matrix Ranking?" and "Field Annotation".
	oldHeader = `Variable / Field Name,Form Name,Section Header,Field Type,Field Label,"Choices, Calculations, OR Slider Labels",Field Note,Text Validation Type OR Show Slider Number,Text Validation Min,Text Validation Max,Identifier?,Branching Logic (Show field only if...),Required Field?,Custom Alignment,Question Number (surveys only),Matrix Group Name`
)

// row is a short way to write the cells of a field: column key -> value.
type row map[string]string

// readCase is one reader test: input, the codes of the diagnostics
// expected (sorted), and the fields expected (only the named columns are
// compared; lines are Origin.Line).
type readCase struct {
	name   string
	in     string
	codes  []string
	fields []row
	lines  []int
	rows   []int // Origin.Row of each field, when not 1, 2, 3, ...
	// check runs extra assertions.
	check func(t *testing.T, d *Dictionary, diags Diagnostics)
}

func runReadCases(t *testing.T, cases []readCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d, diags := ReadBytes("in", []byte(tc.in))
			var codes []string
			for _, dg := range diags {
				codes = append(codes, dg.Code)
				if dg.File == "" {
					t.Errorf("diagnostic without file: %s", dg)
				}
				if dg.Stage != "load" {
					t.Errorf("diagnostic stage %q, want load: %s", dg.Stage, dg)
				}
			}
			slices.Sort(codes)
			want := slices.Clone(tc.codes)
			slices.Sort(want)
			if !slices.Equal(codes, want) {
				t.Errorf("codes %v, want %v; diagnostics:\n%s", codes, want, diagText(diags))
			}
			if d.Len() != len(tc.fields) {
				t.Fatalf("%d fields, want %d; diagnostics:\n%s", d.Len(), len(tc.fields), diagText(diags))
			}
			for i, w := range tc.fields {
				f := &d.Fields[i]
				for key, v := range w {
					c, ok := ColumnByKey(key)
					if !ok {
						t.Fatalf("test bug: key %q", key)
					}
					if got := f.Get(c); got != v {
						t.Errorf("field %d %s = %q, want %q", i+1, key, got, v)
					}
				}
				wantRow := i + 1
				if tc.rows != nil {
					wantRow = tc.rows[i]
				}
				if f.Origin.File != "in" || f.Origin.Row != wantRow {
					t.Errorf("field %d origin %+v", i+1, f.Origin)
				}
				if tc.lines != nil && f.Origin.Line != tc.lines[i] {
					t.Errorf("field %d line %d, want %d", i+1, f.Origin.Line, tc.lines[i])
				}
			}
			if tc.check != nil {
				tc.check(t, d, diags)
			}
		})
	}
}

func diagText(ds Diagnostics) string {
	var b strings.Builder
	for _, d := range ds {
		b.WriteString("  " + d.String() + "\n")
	}
	return b.String()
}

// diagWith returns the first diagnostic with the code.
func diagWith(t *testing.T, ds Diagnostics, code string) Diagnostic {
	t.Helper()
	for _, d := range ds {
		if d.Code == code {
			return d
		}
	}
	t.Fatalf("no %s in\n%s", code, diagText(ds))
	return Diagnostic{}
}

func wantMessage(t *testing.T, d Diagnostic, line int, parts ...string) {
	t.Helper()
	if d.Line != line {
		t.Errorf("%s: line %d, want %d", d, d.Line, line)
	}
	for _, p := range parts {
		if !strings.Contains(d.Message, p) {
			t.Errorf("%s: message lacks %q", d, p)
		}
	}
}

func TestReadCSV(t *testing.T) {
	rec := "record_id,demo,,text,Record ID,,,,,,,,,,,,,\n"
	cases := []readCase{
		{name: "download headers with BOM", in: "\uFEFF" + downloadHeader + "\n" + rec + "age,demo,,text,Age,,,integer,0,120,,,y,,,,,@HIDDEN\n",
			fields: []row{{"field_name": "record_id", "form_name": "demo", "field_label": "Record ID"},
				{"field_name": "age", "text_validation_type_or_show_slider_number": "integer", "text_validation_max": "120", "required_field": "y", "field_annotation": "@HIDDEN"}},
			lines: []int{2, 3}},
		{name: "API keys", in: apiHeader + "\n" + rec, fields: []row{{"field_name": "record_id", "field_type": "text"}}},
		{name: "API keys in another order", in: "form_name,field_label,field_name,field_type\ndemo,Record ID,record_id,text\n",
			fields: []row{{"field_name": "record_id", "form_name": "demo", "field_type": "text", "field_label": "Record ID"}}},
		{name: "rcol choices alias", in: "field_name,form_name,field_type,field_label,choices\nsex,demo,radio,Sex,\"1, m | 2, f\"\n",
			fields: []row{{"field_name": "sex", "select_choices_or_calculations": "1, m | 2, f"}}},
		{name: "older 16-column layout", in: oldHeader + "\nrecord_id,demo,,text,Record ID,,,,,,,,,,,\n",
			codes: []string{CodeOldLayout}, fields: []row{{"field_name": "record_id", "field_annotation": "", "matrix_ranking": ""}}},
		{name: "semicolon", in: strings.ReplaceAll(apiHeader, ",", ";") + "\nsex;demo;;radio;Sex;\"1, m | 2, f\";;;;;;;;;;;;\n",
			fields: []row{{"field_name": "sex", "select_choices_or_calculations": "1, m | 2, f"}}},
		{name: "tab", in: "Variable / Field Name\tForm Name\tField Type\tField Label\nx\tf\ttext\tA, B; C\n",
			fields: []row{{"field_name": "x", "field_label": "A, B; C"}}},
		{name: "CRLF", in: apiHeader + "\r\n" + strings.TrimSuffix(rec, "\n") + "\r\nb,demo,,text,B,,,,,,,,,,,,,\r\n",
			fields: []row{{"field_name": "record_id"}, {"field_name": "b", "field_annotation": ""}}, lines: []int{2, 3}},
		{name: "CR only", in: apiHeader + "\r" + strings.TrimSuffix(rec, "\n") + "\rb,demo,,text,B,,,,,,,,,,,,,\r",
			fields: []row{{"field_name": "record_id"}, {"field_name": "b", "field_label": "B"}}, lines: []int{2, 3}},
		{name: "embedded newlines keep record lines", in: "field_name,form_name,field_type,field_label\n" +
			"a,f,descriptive,\"line 1\nline 2\r\nline 3\rline 4\"\nb,f,text,B\n",
			fields: []row{{"field_name": "a", "field_label": "line 1\nline 2\r\nline 3\rline 4"}, {"field_name": "b"}}, lines: []int{2, 6}},
		{name: "trailing empty columns and rows", in: "field_name,form_name,field_type,field_label,,\nx,f,text,X,,\n,,,,,\n\n  \n",
			fields: []row{{"field_name": "x", "field_label": "X"}}},
		{name: "blank rows in the middle are skipped", in: "field_name,form_name,field_type,field_label\n\nx,f,text,X\n,,,\ny,f,text,Y\n",
			fields: []row{{"field_name": "x"}, {"field_name": "y"}}, lines: []int{3, 5}},
		{name: "extra columns ignored with one warning", in: "field_name,notes,form_name,field_type,field_label,owner,\nx,n,f,text,X,me,z\n",
			codes: []string{CodeExtraColumns}, fields: []row{{"field_name": "x", "form_name": "f"}},
			check: func(t *testing.T, d *Dictionary, ds Diagnostics) {
				wantMessage(t, diagWith(t, ds, CodeExtraColumns), 1, `"notes" (column B)`, `"owner" (column F)`, "column G (no header)")
			}},
		{name: "leading space before @ stripped", in: "field_name,form_name,field_type,field_label,field_annotation\nx,f,text,X, @HIDDEN @READONLY\ny,f,text,Y, not a tag\n",
			fields: []row{{"field_annotation": "@HIDDEN @READONLY"}, {"field_annotation": " not a tag"}}},
		{name: "literal NA kept with a warning", in: "field_name,form_name,field_type,field_label,identifier,field_note\nx,f,text,X,NA,NA\ny,f,text,Y,,n/a\n",
			codes:  []string{CodeLiteralNA},
			fields: []row{{"identifier": "NA", "field_note": "NA"}, {"field_note": "n/a"}},
			check: func(t *testing.T, d *Dictionary, ds Diagnostics) {
				wantMessage(t, diagWith(t, ds, CodeLiteralNA), 2, "2 cell(s)", "E2, F2")
			}},
		{name: "Windows-1252", in: "field_name,form_name,field_type,field_label\ngroesse,f,text,Gr\xf6\xdfe in cm \x80\n",
			codes: []string{CodeWindows1252}, fields: []row{{"field_label": "Größe in cm €"}},
			check: func(t *testing.T, d *Dictionary, ds Diagnostics) {
				wantMessage(t, diagWith(t, ds, CodeWindows1252), 2, "0xF6", "Windows-1252")
			}},
		{name: "UTF-16LE with BOM", in: utf16le("field_name\tform_name\tfield_type\tfield_label\r\nx\tf\ttext\tÄrger\r\n"),
			codes: []string{CodeUTF16}, fields: []row{{"field_name": "x", "field_label": "Ärger"}}},
		{name: "stray quote warns", in: "field_name,form_name,field_type,field_label,field_note\nx,f,text,\"a \"b\" c\",note\n",
			codes: []string{CodeStrayQuote}, fields: []row{{"field_label": `a "b" c"`, "field_note": "note"}}},
		{name: "Excel sep= line", in: "sep=;\r\nfield_name;form_name;field_type;field_label\r\nx;f;text;A, B\r\n",
			fields: []row{{"field_name": "x", "field_label": "A, B"}}, lines: []int{3}},
		{name: "unmappable header", in: "1,Form Name,Field Type,Field Label\nx,f,text,X\n",
			codes: []string{CodeBadHeader},
			check: func(t *testing.T, d *Dictionary, ds Diagnostics) {
				wantMessage(t, diagWith(t, ds, CodeBadHeader), 1, `"Variable / Field Name" (field_name)`, `"1"`)
			}},
		{name: "no header at all", in: "record_id,demo,,text,Record ID\n",
			codes: []string{CodeBadHeader}},
		{name: "odd header with 18 columns read by position", in: "1" + strings.TrimPrefix(apiHeader, "field_name") + "\n" + rec,
			codes: []string{CodeHeaderByPosition}, fields: []row{{"field_name": "record_id", "form_name": "demo", "field_label": "Record ID"}},
			check: func(t *testing.T, d *Dictionary, ds Diagnostics) {
				wantMessage(t, diagWith(t, ds, CodeHeaderByPosition), 1, "read by position", `"1"`)
			}},
		{name: "blank header with 18 columns read by position", in: ",,,,,,,,,,,,,,,,,\n" + rec + "b,demo,,text,B,,,,,,,,,,,,,\n",
			codes: []string{CodeHeaderByPosition}, fields: []row{{"field_name": "record_id"}, {"field_name": "b", "field_label": "B"}}, lines: []int{2, 3},
			check: func(t *testing.T, d *Dictionary, ds Diagnostics) {
				wantMessage(t, diagWith(t, ds, CodeHeaderByPosition), 1, "blank")
			}},
		{name: "unknown header with 16 columns read by position", in: "a,b,c,d,e,f,g,h,i,j,k,l,m,n,o,p\nx,f,,text,X,,,,,,,,,,,\n",
			codes: []string{CodeHeaderByPosition, CodeOldLayout}, fields: []row{{"field_name": "x", "form_name": "f", "field_type": "text"}}},
		{name: "row with more cells than the header", in: "field_name,form_name,field_type,field_label\nx,f,text,X\ny,f,text,a,b\n",
			codes: []string{CodeTooManyCells},
			check: func(t *testing.T, d *Dictionary, ds Diagnostics) {
				wantMessage(t, diagWith(t, ds, CodeTooManyCells), 3, "5 cells", "header has 4")
			}},
		{name: "duplicate column", in: "field_name,form_name,field_type,field_label,choices,select_choices_or_calculations\nx,f,text,X,,\n",
			codes: []string{CodeDuplicateColumn}},
		{name: "unclosed quote", in: "field_name,form_name,field_type,field_label\nx,f,text,X\ny,f,text,\"open\nz,f,text,Z\n",
			codes: []string{CodeUnclosedQuote},
			check: func(t *testing.T, d *Dictionary, ds Diagnostics) {
				wantMessage(t, diagWith(t, ds, CodeUnclosedQuote), 3)
			}},
		{name: "empty", in: "", codes: []string{CodeEmptyInput}},
		{name: "only BOM and blank lines", in: "\uFEFF\n\r\n", codes: []string{CodeEmptyInput}},
		{name: "header only", in: apiHeader + "\n", codes: []string{CodeEmptyInput}},
		{name: "only delimiters", in: ",,,\n,,\n", codes: []string{CodeEmptyInput}},
	}
	runReadCases(t, cases)
}

// utf16le encodes s as UTF-16LE with a byte-order mark (ASCII and Latin-1 only).
func utf16le(s string) string {
	b := []byte{0xFF, 0xFE}
	for _, r := range s {
		b = append(b, byte(r), byte(r>>8))
	}
	return string(b)
}

func TestReadJSON(t *testing.T) {
	cases := []readCase{
		{name: "API keys", in: `[{"field_name":"record_id","form_name":"demo","section_header":"","field_type":"text","field_label":"ID"},
			{"field_name":"b","form_name":"demo","field_type":"text","field_label":"<b>B</b>"}]`,
			fields: []row{{"field_name": "record_id", "field_label": "ID"}, {"field_name": "b", "field_label": "<b>B</b>"}}, lines: []int{1, 2}},
		{name: "rcol choices and missing trailing keys", in: "\uFEFF[\n {\"field_name\": \"sex\", \"form_name\": \"f\", \"field_type\": \"radio\", \"field_label\": \"Sex\", \"choices\": \"1, m | 2, f\"}\n]\n",
			fields: []row{{"field_name": "sex", "select_choices_or_calculations": "1, m | 2, f", "field_annotation": ""}}},
		{name: "numbers are literal text, null is empty", in: `[{"field_name":"x","text_validation_min":0.50,"text_validation_max":1e3,"question_number":-2,"identifier":null}]`,
			fields: []row{{"text_validation_min": "0.50", "text_validation_max": "1e3", "question_number": "-2", "identifier": ""}}},
		{name: "annotation space and NA", in: `[{"field_name":"x","field_annotation":"  @HIDDEN","identifier":"NA"}]`,
			codes: []string{CodeLiteralNA}, fields: []row{{"field_annotation": "@HIDDEN", "identifier": "NA"}},
			check: func(t *testing.T, d *Dictionary, ds Diagnostics) {
				wantMessage(t, diagWith(t, ds, CodeLiteralNA), 1, "row 1 identifier")
			}},
		{name: "blank rows skipped", in: `[{"field_name":"x"},{"field_name":"","form_name":" "},{"field_name":"y"}]`,
			fields: []row{{"field_name": "x"}, {"field_name": "y"}}, lines: []int{1, 1}, rows: []int{1, 3}},
		{name: "lines are where the objects start", in: "[\n  {\n    \"field_name\": \"x\"\n  },\r\n  {\"field_name\": \"y\"}, {\"field_name\": \"z\"\n}\n]",
			fields: []row{{"field_name": "x"}, {"field_name": "y"}, {"field_name": "z"}}, lines: []int{2, 5, 5}},
		{name: "a finding about a row names the row's line and index", in: "[\n{\"field_name\":\"x\"},\n{\"field_name\":\"y\",\n\"Variable / Field Name\":\"z\"}]",
			codes: []string{CodeDuplicateColumn},
			check: func(t *testing.T, d *Dictionary, ds Diagnostics) {
				if dg := diagWith(t, ds, CodeDuplicateColumn); dg.Line != 3 || dg.Row != 2 {
					t.Errorf("%s: line %d row %d, want line 3 row 2", dg, dg.Line, dg.Row)
				}
			}},
		{name: "extra keys", in: `[{"field_name":"x","comment":"c","owner":"o"},{"field_name":"y","comment":"d"}]`,
			codes: []string{CodeExtraColumns}, fields: []row{{"field_name": "x"}, {"field_name": "y"}},
			check: func(t *testing.T, d *Dictionary, ds Diagnostics) {
				wantMessage(t, diagWith(t, ds, CodeExtraColumns), 1, `"comment", "owner"`)
			}},
		{name: "Windows-1252", in: "[{\"field_name\":\"x\",\"field_label\":\"Gr\xf6\xdfe\"}]", codes: []string{CodeWindows1252},
			fields: []row{{"field_label": "Größe"}}},
		{name: "object, not array", in: `{"field_name":"x"}`, codes: []string{CodeNotJSONArray},
			check: func(t *testing.T, d *Dictionary, ds Diagnostics) {
				wantMessage(t, diagWith(t, ds, CodeNotJSONArray), 1, "expected a JSON array of row objects, found an object")
			}},
		{name: "array of arrays", in: `[["x"]]`, codes: []string{CodeNotJSONArray}},
		{name: "array of strings", in: `["x"]`, codes: []string{CodeNotJSONArray}},
		{name: "syntax error names the line", in: "[\n{\"field_name\":\"x\"},\n{\"field_name\" \"y\"}\n]", codes: []string{CodeNotJSONArray},
			check: func(t *testing.T, d *Dictionary, ds Diagnostics) {
				wantMessage(t, diagWith(t, ds, CodeNotJSONArray), 3, "line 3, column 15")
			}},
		{name: "truncated", in: `[{"field_name":"x"}`, codes: []string{CodeNotJSONArray}},
		{name: "trailing data", in: `[{"field_name":"x"}] []`, codes: []string{CodeNotJSONArray}},
		{name: "boolean value", in: `[{"field_name":"x"},{"field_name":"y","identifier":true}]`, codes: []string{CodeBadJSONValue},
			check: func(t *testing.T, d *Dictionary, ds Diagnostics) {
				dg := diagWith(t, ds, CodeBadJSONValue)
				wantMessage(t, dg, 1, `key "identifier"`, "boolean true", "expected a string, number or null")
				if dg.Row != 2 {
					t.Errorf("row %d, want 2", dg.Row)
				}
				if dg.Column != "identifier" {
					t.Errorf("column %q", dg.Column)
				}
			}},
		{name: "nested values", in: `[{"field_name":"x","field_label":{"en":"X"},"field_note":["a"]}]`,
			codes: []string{CodeBadJSONValue, CodeBadJSONValue}},
		{name: "duplicate key through alias", in: `[{"field_name":"x","choices":"1, a","select_choices_or_calculations":"1, a"}]`,
			codes: []string{CodeDuplicateColumn}},
		{name: "no REDCap keys", in: `[{"file":"fal.json","rows":32}]`, codes: []string{CodeBadHeader}},
		{name: "empty array", in: "[]\n", codes: []string{CodeEmptyInput}},
		{name: "whitespace only", in: " \n\t", codes: []string{CodeEmptyInput}},
	}
	runReadCases(t, cases)
}

// zipBytes builds a ZIP archive of name -> content.
func zipBytes(t *testing.T, files ...[2]string) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for _, f := range files {
		w, err := zw.Create(f[0])
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(f[1])); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestReadZIP(t *testing.T) {
	good := zipBytes(t,
		[2]string{"OriginID.txt", "1"}, [2]string{"AuthorID.txt", "2"}, [2]string{"InstrumentID.txt", "3"},
		[2]string{"instrument.csv", "\uFEFF" + downloadHeader + "\r\nx,tlfb,,text,X,,,,,,,,,,,,,@READONLY\r\n"})
	d, ds := ReadBytes("tlfb.zip", good)
	if len(ds) != 0 || d.Len() != 1 {
		t.Fatalf("got %d fields, diagnostics:\n%s", d.Len(), diagText(ds))
	}
	if o := d.Fields[0].Origin; o.File != "tlfb.zip!instrument.csv" || o.Line != 2 {
		t.Errorf("origin %+v", o)
	}
	if d.Fields[0].FieldAnnotation != "@READONLY" {
		t.Errorf("annotation %q", d.Fields[0].FieldAnnotation)
	}

	// An archive zipped with its folder holds folder/instrument.csv.
	d, ds = ReadBytes("nested.zip", zipBytes(t, [2]string{"tlfb/instrument.csv", "field_name,form_name,field_type,field_label\nx,f,text,X\n"}))
	if len(ds) != 0 || d.Len() != 1 || d.Fields[0].Origin.File != "nested.zip!tlfb/instrument.csv" {
		t.Errorf("nested: %d fields, %v", d.Len(), ds)
	}

	for _, tc := range []struct {
		name string
		data []byte
		want string
	}{
		{"no instrument.csv", zipBytes(t, [2]string{"readme.txt", "x"}), `ZIP has no instrument.csv (it holds "readme.txt")`},
		{"Excel workbook", zipBytes(t, [2]string{"[Content_Types].xml", "x"}, [2]string{"xl/workbook.xml", "x"}), "ZIP has no instrument.csv"},
		{"truncated archive", good[:40], "cannot"},
		{"many members", zipBytes(t, [2]string{"a", "x"}, [2]string{"b", "x"}, [2]string{"c", "x"}, [2]string{"d", "x"},
			[2]string{"e", "x"}, [2]string{"f", "x"}, [2]string{"g", "x"}), `(it holds "a", "b", "c", "d", "e" and 2 more)`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d, ds := ReadBytes("bad.zip", tc.data)
			dg := diagWith(t, ds, CodeBadZIP)
			if d.Len() != 0 || dg.Severity != SeverityError || !strings.Contains(dg.Message, tc.want) || dg.File != "bad.zip" {
				t.Errorf("got %d fields, %s", d.Len(), dg)
			}
		})
	}
	// A broken instrument.csv inside reports the member's name.
	_, ds = ReadBytes("x.zip", zipBytes(t, [2]string{"instrument.csv", "nope\n"}))
	if dg := diagWith(t, ds, CodeBadHeader); dg.File != "x.zip!instrument.csv" {
		t.Errorf("file %q", dg.File)
	}
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestLoadFolder(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "b_phq.csv"), "field_name,form_name,field_type,field_label\nrecord_id,phq,text,ID\nphq_1,phq,radio,Q1\n")
	writeFile(t, filepath.Join(dir, "a_demo.json"), `[{"field_name":"record_id","form_name":"demo","field_type":"text","field_label":"ID"},{"field_name":"age","form_name":"demo"}]`)
	writeFile(t, filepath.Join(dir, "_index.json"), `[{"file":"x"}]`)
	writeFile(t, filepath.Join(dir, ".hidden.csv"), "junk")
	writeFile(t, filepath.Join(dir, "notes.md"), "# not a dictionary")
	if err := os.Mkdir(filepath.Join(dir, "sub"), 0o755); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(dir, "sub", "c.csv"), "field_name,form_name,field_type,field_label\nsub_1,sub,text,S\n")
	if err := os.MkdirAll(filepath.Join(dir, ".git", "x"), 0o755); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(dir, ".git", "x", "junk.csv"), "junk") // hidden folder: not entered
	writeFile(t, filepath.Join(dir, "c_tlfb.zip"), string(zipBytes(t, [2]string{"instrument.csv", "field_name,form_name,field_type,field_label\ntlfb_1,tlfb,text,T\n"})))

	d, ds, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range d.Fields {
		names = append(names, f.FieldName)
	}
	if want := []string{"record_id", "age", "phq_1", "tlfb_1", "sub_1"}; !slices.Equal(names, want) {
		t.Errorf("fields %v, want %v", names, want)
	}
	wantFiles := []string{filepath.Join(dir, "a_demo.json"), filepath.Join(dir, "b_phq.csv"), filepath.Join(dir, "c_tlfb.zip") + "!instrument.csv", filepath.Join(dir, "sub", "c.csv")}
	if !slices.Equal(d.Files, wantFiles) {
		t.Errorf("files %v, want %v", d.Files, wantFiles)
	}
	// notes.md is listed once as skipped; the record-ID copy is dropped.
	if len(ds) != 2 || ds[0].Code != CodeNotDictionary || ds[0].File != filepath.Join(dir, "notes.md") ||
		ds[1].Code != CodeRecordIDDropped || ds[1].Line != 2 || ds[1].File != filepath.Join(dir, "b_phq.csv") {
		t.Errorf("diagnostics:\n%s", diagText(ds))
	}
	if o := d.Fields[3].Origin; o.File != filepath.Join(dir, "c_tlfb.zip")+"!instrument.csv" || o.Line != 2 {
		t.Errorf("zip origin %+v", o)
	}

	// A folder without dictionary files is an error diagnostic, a missing
	// path an I/O error.
	empty := t.TempDir()
	_, ds, err = Load(empty)
	if err != nil || diagWith(t, ds, CodeEmptyInput).Severity != SeverityError {
		t.Errorf("empty folder: err %v, diagnostics %v", err, ds)
	}
	if _, _, err := Load(filepath.Join(dir, "missing.csv")); err == nil || !strings.Contains(err.Error(), "missing.csv") {
		t.Errorf("missing file: err %v", err)
	}
}

func TestLoadKeepsGoodFilesAndReportsBadOnes(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.csv")
	bad := filepath.Join(dir, "bad.json")
	writeFile(t, good, "field_name,form_name,field_type,field_label\nrecord_id,f,text,ID\n")
	writeFile(t, bad, `{"not":"an array"}`)
	d, ds, err := Load(good, bad)
	if err != nil {
		t.Fatal(err)
	}
	if d.Len() != 1 || !ds.HasErrors() || diagWith(t, ds, CodeNotJSONArray).File != bad {
		t.Errorf("%d fields, diagnostics:\n%s", d.Len(), diagText(ds))
	}
}

func TestReaderChecksTable(t *testing.T) {
	seen := map[string]bool{}
	for _, c := range ReaderChecks {
		if !strings.HasPrefix(c.Code, "RD") || len(c.Code) != 5 {
			t.Errorf("code %q: want RDnnn", c.Code)
		}
		if seen[c.Code] {
			t.Errorf("code %s twice", c.Code)
		}
		seen[c.Code] = true
		if c.Title == "" || c.Doc == "" {
			t.Errorf("%s: empty title or doc", c.Code)
		}
		// Errors are RD0nn, warnings RD1nn, infos RD2nn.
		if want := map[byte]Severity{'0': SeverityError, '1': SeverityWarning, '2': SeverityInfo}[c.Code[2]]; c.Severity != want {
			t.Errorf("%s: severity %s, want %s", c.Code, c.Severity, want)
		}
	}
	// Every code the readers emit is in the table.
	for _, code := range []string{CodeEmptyInput, CodeBadHeader, CodeTooManyCells, CodeNotJSONArray, CodeBadJSONValue, CodeUnclosedQuote,
		CodeBadZIP, CodeDuplicateColumn, CodeWindows1252, CodeExtraColumns, CodeLiteralNA, CodeStrayQuote, CodeRecordIDDropped, CodeOldLayout, CodeUTF16, CodeNotDictionary} {
		if !seen[code] {
			t.Errorf("%s missing from ReaderChecks", code)
		}
	}
}

func TestColumnForHeader(t *testing.T) {
	for i, c := range Columns {
		for _, h := range []string{c.Key, c.Header, strings.ToUpper(c.Header), " " + c.Key + " "} {
			got, ok := columnForHeader(h)
			if !ok || got != Column(i) {
				t.Errorf("%q -> %v %v, want %d", h, got, ok, i)
			}
		}
	}
	for h, want := range map[string]Column{"choices": ColChoices, "Variable...Field.Name": ColFieldName, "Identifier": ColIdentifier, "Matrix Ranking": ColMatrixRanking} {
		if got, ok := columnForHeader(h); !ok || got != want {
			t.Errorf("%q -> %v %v, want %v", h, got, ok, want)
		}
	}
	for _, h := range []string{"", "1", "notes", "field", "field_names", "Form"} {
		if c, ok := columnForHeader(h); ok {
			t.Errorf("%q mapped to %v", h, c)
		}
	}
}

// TestReadCSVCappedLists pins how long lists in messages are cut.
func TestReadCSVCappedLists(t *testing.T) {
	_, ds := ReadBytes("h.csv", []byte("a,b,c,d,e,f,g\n1,2,3,4,5,6,7\n"))
	if dg := diagWith(t, ds, CodeBadHeader); !strings.Contains(dg.Message, `found unknown header(s) "a", "b", "c", "d", "e" and 2 more (delimiter ",")`) {
		t.Errorf("bad header message: %s", dg.Message)
	}
	var b strings.Builder
	b.WriteString("field_name,form_name,field_type,field_label\n")
	for i := 0; i < 12; i++ {
		b.WriteString("f" + string(rune('a'+i)) + ",f,text,\"a\"b\"\n")
	}
	_, ds = ReadBytes("q.csv", []byte(b.String()))
	if dg := diagWith(t, ds, CodeStrayQuote); !strings.Contains(dg.Message, "starting at line 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 and 2 more; kept") {
		t.Errorf("stray quote message: %s", dg.Message)
	}
}
