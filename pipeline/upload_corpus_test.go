package pipeline

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/rcolpipe/rcolpipe/internal/testcorpus"
	"github.com/rcolpipe/rcolpipe/redcap"
	"github.com/rcolpipe/rcolpipe/redcap/api"
)

// rcolMocaForm is the form rtg_moca.json's rows are moved to. Both moca
// files name their form "moca" (not only five fields), so stacked as they
// are, they would make one form split in two with duplicated fields; the
// prefix stage can only tell them apart once the forms differ.
const rcolMocaForm = "rtg_moca"

// loadRcolCorpus stacks the rcol corpus as a project would hold it:
// study_participant_information.json first (its `subject` is the record ID,
// and it defines dob, sex and study_indication, which the rtg instruments
// use), then every other file in name order except bdi_ii.json (names
// REDCap would mangle) and _index.json (not a dictionary).
func loadRcolCorpus(t *testing.T) *redcap.Dictionary {
	t.Helper()
	dir := testcorpus.Dir(t, "rcol")
	first := filepath.Join(dir, "study_participant_information.json")
	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(files)
	paths := []string{first}
	for _, f := range files {
		switch filepath.Base(f) {
		case "study_participant_information.json", "bdi_ii.json", "_index.json":
			continue
		}
		paths = append(paths, f)
	}
	if len(paths) != 25 {
		t.Fatalf("found %d rcol files to stack, want 25 (the corpus has 26 dictionaries, less bdi_ii.json): %v", len(paths), paths)
	}
	d, diags, err := redcap.Load(paths...)
	if err != nil {
		t.Fatalf("load the rcol corpus: %v", err)
	}
	if diags.HasErrors() {
		t.Fatalf("load the rcol corpus: %v", diags)
	}
	moved := 0
	for i := range d.Fields {
		if filepath.Base(d.Fields[i].Origin.File) == "rtg_moca.json" {
			d.Fields[i].FormName = rcolMocaForm
			moved++
		}
	}
	if moved != 49 {
		t.Fatalf("%d rows from rtg_moca.json, want 49", moved)
	}
	return d
}

// TestUploadRcolCorpus is the acceptance test: the rcol corpus,
// stacked, through the bundled prefix stage (its own process, served by
// this test binary as rcolpipe serves it), validated, uploaded into a
// fresh demo sandbox and exported again gives back the same fields in the
// same order with the same values.
func TestUploadRcolCorpus(t *testing.T) {
	in := loadRcolCorpus(t)
	ctx := context.Background()

	// Five names repeat between moca.json and rtg_moca.json: a prefix on
	// the rtg form makes every name unique and rewrites the references.
	host, stage := startBundledStage(t, "prefix-rtg-moca", "prefix", `{"prefix":"rtg_","forms":["`+rcolMocaForm+`"]}`)
	if info, err := host.Info(stage.Name()); err != nil || !info.Bundled {
		t.Fatalf("stage info %+v, %v: want the bundled plugin", info, err)
	}
	v, err := NewValidator(ValidateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	// The stack as loaded has exactly the five duplicated names as errors:
	// that is why the stage runs before validation here. (A Runner, like
	// the CLI, validates its input first and would stop on them unless the
	// pipeline file lowers RC113.)
	var dup []string
	for _, x := range v.Validate(in) {
		if x.Severity == redcap.SeverityError {
			dup = append(dup, x.Code+" "+x.Field)
		}
	}
	slices.Sort(dup)
	if want := []string{"RC113 moca_abstraction", "RC113 moca_digits", "RC113 moca_fluency", "RC113 moca_letter_a", "RC113 moca_repetition"}; !slices.Equal(dup, want) {
		t.Fatalf("errors on the stacked corpus: %v, want only the five duplicated moca names %v", dup, want)
	}

	out, stageDiags, err := stage.Run(ctx, in.Clone())
	if err != nil {
		t.Fatalf("prefix stage: %v", err)
	}
	if stageDiags.HasErrors() {
		t.Fatalf("prefix stage reported errors: %v", stageDiags)
	}
	diags := v.Validate(out)
	if diags.HasErrors() {
		t.Fatalf("the prefixed corpus has errors: %v", diags)
	}
	t.Logf("validation after the prefix stage: %d warnings, %d info; the stage: %d findings",
		diags.Count(redcap.SeverityWarning), diags.Count(redcap.SeverityInfo), len(stageDiags))

	// The stage did its job: no name repeats, the rtg form's names carry
	// the prefix, and moca.json's fields kept theirs.
	seen := map[string]bool{}
	for _, f := range out.Fields {
		if seen[f.FieldName] {
			t.Errorf("field name %q still repeats after the prefix stage", f.FieldName)
		}
		seen[f.FieldName] = true
		if f.FormName == rcolMocaForm && !strings.HasPrefix(f.FieldName, "rtg_") {
			t.Errorf("field %q of form %s has no prefix", f.FieldName, rcolMocaForm)
		}
	}
	for _, name := range []string{"moca_digits", "moca_letter_a", "moca_repetition", "moca_fluency", "moca_abstraction"} {
		if f := out.Field(name); f == nil || f.FormName != "moca" {
			t.Errorf("moca.json's %s: %+v, want it kept in form moca", name, f)
		}
		if f := out.Field("rtg_" + name); f == nil || f.FormName != rcolMocaForm {
			t.Errorf("rtg_%s: %+v, want it in form %s", name, f, rcolMocaForm)
		}
	}
	if out.Len() != in.Len() || out.Fields[0].FieldName != "subject" {
		t.Fatalf("prefix stage returned %d fields starting with %q, want %d starting with subject", out.Len(), out.Fields[0].FieldName, in.Len())
	}

	// Replace-all, not merge: the demo project's participant form (and its
	// record_id) is not part of the corpus, and the claim under test is that
	// exactly the corpus comes back, with subject as the record ID. A merge
	// would keep the project's record_id first and the participant form in
	// front, so the export would not be the corpus. Replacing drops the
	// participant form's fields, hence AllowDelete.
	c := demoClient(t)
	before, err := c.ExportMetadata(ctx)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := Upload(ctx, c, out, UploadOptions{BackupDir: t.TempDir(), ReplaceAll: true, AllowDelete: true})
	if err != nil {
		t.Fatalf("upload: %v", err)
	}
	if !rep.Verified {
		t.Error("upload reports the import as not verified")
	}
	// The demo's fields the corpus does not have are removed (fal.json has
	// a record_id of its own, so that one stays, in form fal).
	var gone, removed []string
	for _, f := range before.Fields {
		if out.Field(f.FieldName) == nil {
			gone = append(gone, f.FieldName)
		}
	}
	for _, f := range rep.Diff.FieldsRemoved {
		removed = append(removed, f.Field)
	}
	if len(gone) == 0 || !slices.Equal(removed, gone) {
		t.Errorf("diff removes %v, want the demo project's fields the corpus lacks %v", removed, gone)
	}

	exported, err := c.ExportMetadata(ctx)
	if err != nil {
		t.Fatalf("export after the upload: %v", err)
	}
	// Metadata exports leave out the <form>_complete fields, and the corpus
	// has none, so the names must match one for one.
	sent, got := fieldNameList(out), fieldNameList(exported)
	if !slices.Equal(sent, got) {
		i := 0
		for i < len(sent) && i < len(got) && sent[i] == got[i] {
			i++
		}
		t.Fatalf("exported %d fields, sent %d; first difference at position %d (sent %v, exported %v)",
			len(got), len(sent), i+1, nameAt(sent, i), nameAt(got, i))
	}
	if same, why := api.MatchesExport(out, exported); !same {
		t.Fatalf("the export differs from what was sent: %s", why)
	}
	if !slices.Equal(out.Forms(), exported.Forms()) {
		t.Errorf("forms: exported %v, sent %v", exported.Forms(), out.Forms())
	}
	if rep.Imported != out.Len() {
		t.Errorf("import reported %d fields, sent %d", rep.Imported, out.Len())
	}
	t.Logf("rcol corpus: %d fields in %d forms sent and exported back in the same order (%d forms added)",
		exported.Len(), len(exported.Forms()), len(rep.Added))
}

func fieldNameList(d *redcap.Dictionary) []string {
	out := make([]string, len(d.Fields))
	for i, f := range d.Fields {
		out[i] = f.FieldName
	}
	return out
}

func nameAt(s []string, i int) string {
	if i < len(s) {
		return s[i]
	}
	return "(none)"
}
