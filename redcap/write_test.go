package redcap

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

func TestWriteJSON(t *testing.T) {
	d := &Dictionary{Fields: []Field{{
		FieldName: "sex", FormName: "demo", FieldType: "radio", FieldLabel: "<b>Sex</b> & gender",
		Choices: "1, f | 2, m", ValidationMin: "0", FieldAnnotation: "@DEFAULT='1'",
	}}}
	var b bytes.Buffer
	if err := WriteJSON(&b, d); err != nil {
		t.Fatal(err)
	}
	want := `[
  {
    "field_name": "sex",
    "form_name": "demo",
    "section_header": "",
    "field_type": "radio",
    "field_label": "<b>Sex</b> & gender",
    "select_choices_or_calculations": "1, f | 2, m",
    "field_note": "",
    "text_validation_type_or_show_slider_number": "",
    "text_validation_min": "0",
    "text_validation_max": "",
    "identifier": "",
    "branching_logic": "",
    "required_field": "",
    "custom_alignment": "",
    "question_number": "",
    "matrix_group_name": "",
    "matrix_ranking": "",
    "field_annotation": "@DEFAULT='1'"
  }
]
`
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}

	b.Reset()
	if err := WriteJSON(&b, &Dictionary{}); err != nil {
		t.Fatal(err)
	}
	if b.String() != "[]\n" {
		t.Errorf("empty dictionary: %q", b.String())
	}
}

func TestWriteCSV(t *testing.T) {
	d := &Dictionary{Fields: []Field{
		{FieldName: "record_id", FormName: "demo", FieldType: "text", FieldLabel: "ID"},
		{FieldName: "note", FormName: "demo", FieldType: "descriptive", FieldLabel: "Two\nlines, \"quoted\"", FieldAnnotation: " padded"},
	}}
	for _, tc := range []struct {
		style  HeaderStyle
		prefix string
	}{
		{HeaderAPI, "field_name,form_name,section_header,field_type,field_label,select_choices_or_calculations,field_note,text_validation_type_or_show_slider_number,text_validation_min,text_validation_max,identifier,branching_logic,required_field,custom_alignment,question_number,matrix_group_name,matrix_ranking,field_annotation\n"},
		{HeaderDownload, "\uFEFFVariable / Field Name,Form Name,Section Header,Field Type,Field Label,\"Choices, Calculations, OR Slider Labels\",Field Note,Text Validation Type OR Show Slider Number,Text Validation Min,Text Validation Max,Identifier?,Branching Logic (Show field only if...),Required Field?,Custom Alignment,Question Number (surveys only),Matrix Group Name,Matrix Ranking?,Field Annotation\n"},
	} {
		var b bytes.Buffer
		if err := WriteCSV(&b, d, tc.style); err != nil {
			t.Fatal(err)
		}
		rows := "record_id,demo,,text,ID,,,,,,,,,,,,,\n" +
			"note,demo,,descriptive,\"Two\nlines, \"\"quoted\"\"\",,,,,,,,,,,,,\" padded\"\n"
		if b.String() != tc.prefix+rows {
			t.Errorf("style %d: got\n%q\nwant\n%q", tc.style, b.String(), tc.prefix+rows)
		}
		back := mustRead(t, "back.csv", b.Bytes())
		assertSameFields(t, "CSV", d, back)
		if back.Fields[1].Origin.Line != 3 {
			t.Errorf("line of the second row: %d", back.Fields[1].Origin.Line)
		}
	}
}

func TestWriteFailsWithTheWriter(t *testing.T) {
	d := benchDictionary(100)
	if err := WriteJSON(failWriter{}, d); err == nil || !strings.Contains(err.Error(), "write JSON") {
		t.Errorf("WriteJSON: %v", err)
	}
	if err := WriteCSV(failWriter{}, d, HeaderAPI); err == nil || !strings.Contains(err.Error(), "write CSV") {
		t.Errorf("WriteCSV: %v", err)
	}
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errFull }

var errFull = &Error{Diagnostic: Diagnostic{Message: "disk full"}}

// referenceJSON is what encoding/json writes with the options WriteJSON
// promises: no HTML escaping, two-space indent, trailing newline.
func referenceJSON(t testing.TB, d *Dictionary) []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	fields := d.Fields
	if fields == nil {
		fields = []Field{}
	}
	if err := enc.Encode(fields); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestWriteJSONMatchesEncodingJSON(t *testing.T) {
	var tricky []string
	for c := 0; c < 0x80; c++ {
		tricky = append(tricky, string(rune(c)))
	}
	tricky = append(tricky, "\u2028", "\u2029", "\xff", "a\xe2\x80", "ä€😀", "<a href=\"x\">&amp;</a>", "\\\"", "")
	d := &Dictionary{}
	for i, s := range tricky {
		f := Field{FieldName: fmt.Sprintf("f%d", i), FieldLabel: s, FieldAnnotation: "x" + s + "y"}
		d.Fields = append(d.Fields, f)
	}
	for _, dd := range []*Dictionary{d, benchDictionary(200), {}} {
		var b bytes.Buffer
		if err := WriteJSON(&b, dd); err != nil {
			t.Fatal(err)
		}
		if want := referenceJSON(t, dd); !bytes.Equal(b.Bytes(), want) {
			t.Errorf("WriteJSON differs from encoding/json:\n got %q\nwant %q", b.String(), want)
		}
	}
}
