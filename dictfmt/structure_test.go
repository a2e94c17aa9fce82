package dictfmt

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/rcolpipe/rcolpipe/redcap"
)

// recorder is a Reporter that keeps what Run tells it.
type recorder struct {
	notFormatted []error
	readErrors   redcap.Diagnostics
	changed      []string
}

func (r *recorder) ReadErrors(ds redcap.Diagnostics) { r.readErrors = append(r.readErrors, ds...) }
func (r *recorder) NotFormatted(err error)           { r.notFormatted = append(r.notFormatted, err) }
func (r *recorder) Changed(name string, _, _ []byte) error {
	r.changed = append(r.changed, name)
	return nil
}
func (r *recorder) Wrote(string)                {}
func (r *recorder) Canonical(data []byte) error { return nil }

// TestRunLeavesStructureFilesAlone: a longitudinal project's folder holds
// arms.csv and events.csv beside its dictionary. fmt --check on the folder
// formats the dictionary and leaves the structure files alone; it used to
// report each of them as "not formatted: it has read errors" and fail.
func TestRunLeavesStructureFilesAlone(t *testing.T) {
	dir := t.TempDir()
	for name, text := range map[string]string{
		"dictionary.csv": "field_name,form_name,section_header,field_type,field_label,select_choices_or_calculations,field_note,text_validation_type_or_show_slider_number,text_validation_min,text_validation_max,identifier,branching_logic,required_field,custom_alignment,question_number,matrix_group_name,matrix_ranking,field_annotation\nrecord_id,visit,,text,Record ID,,,,,,,,,,,,,\n",
		"arms.csv":       "arm_num,name\n1,Drug A\n",
		"events.csv":     "event_name,arm_num,unique_event_name,custom_event_label\nBaseline,1,baseline_arm_1,\n",
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var r recorder
	res, err := Run(Request{Paths: []string{dir}, Check: true}, &r)
	if err != nil {
		t.Fatal(err)
	}
	if res.Failed != 0 || len(r.notFormatted) != 0 || r.readErrors.HasErrors() {
		t.Errorf("structure files reported: failed %d, %v, %v", res.Failed, r.notFormatted, r.readErrors)
	}
	if res.Changed != 0 || len(r.changed) != 0 {
		t.Errorf("a canonical dictionary and structure files: changed %v", r.changed)
	}
}
