package prefix

import (
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/rcolpipe/rcolpipe/internal/testcorpus"
	"github.com/rcolpipe/rcolpipe/pipeline"
	"github.com/rcolpipe/rcolpipe/redcap"
	"github.com/rcolpipe/rcolpipe/redcap/logic"
)

// loadRcol stacks the rcol corpus as a project would hold it:
// study_participant_information first (its `subject` is the record ID and
// it defines dob, sex, study_indication that the rtg instruments use), then
// every other file in name order except bdi_ii.json (its names are not
// valid REDCap names). rtg_moca.json's form is renamed rtg_moca so that it
// no longer collides with moca.json's form.
func loadRcol(t *testing.T) *redcap.Dictionary {
	t.Helper()
	dir := testcorpus.Dir(t, "rcol")
	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(files)
	first := filepath.Join(dir, "study_participant_information.json")
	var dicts []*redcap.Dictionary
	load := func(path string) *redcap.Dictionary {
		d, diags, err := redcap.Load(path)
		if err != nil {
			t.Fatalf("load %s: %v", path, err)
		}
		if diags.HasErrors() {
			t.Fatalf("load %s: %v", path, diags)
		}
		return d
	}
	dicts = append(dicts, load(first))
	for _, f := range files {
		base := filepath.Base(f)
		if f == first || base == "bdi_ii.json" || strings.HasPrefix(base, "_") {
			continue
		}
		d := load(f)
		if base == "rtg_moca.json" {
			for i := range d.Fields {
				d.Fields[i].FormName = "rtg_moca"
			}
		}
		dicts = append(dicts, d)
	}
	d, diags := redcap.Stack(dicts...)
	if diags.HasErrors() {
		t.Logf("stacking reports (expected: the duplicated moca names): %v", diags)
	}
	return d
}

// unresolved lists the references of the logic cells (branching logic,
// calc equations) and of the piping in text cells that name no field of d.
// Piping refs count only when they were resolvable before (want), because
// free text may hold bracketed words that are not references.
func unresolved(t *testing.T, d *redcap.Dictionary) (logicRefs, textRefs map[string]bool) {
	names := map[string]bool{}
	for _, f := range d.Fields {
		names[f.FieldName] = true
	}
	for _, form := range d.Forms() {
		names[form+"_complete"] = true
	}
	logicRefs, textRefs = map[string]bool{}, map[string]bool{}
	for i := range d.Fields {
		f := &d.Fields[i]
		srcs := []string{f.BranchingLogic}
		if f.FieldType == "calc" {
			srcs = append(srcs, f.Choices)
		}
		for _, src := range srcs {
			if strings.TrimSpace(src) == "" {
				continue
			}
			refs, err := logic.Refs(src)
			if err != nil {
				t.Errorf("%s: logic does not parse: %v", f.FieldName, err)
				continue
			}
			for _, r := range refs {
				if !names[r.Field] {
					logicRefs[f.FieldName+"→"+r.Field] = true
				}
			}
		}
		for _, c := range []redcap.Column{redcap.ColSectionHeader, redcap.ColFieldLabel, redcap.ColFieldNote, redcap.ColFieldAnnotation} {
			for _, r := range logic.RefsInText(f.Get(c)) {
				if !names[r.Field] {
					textRefs[r.Field] = true
				}
			}
		}
	}
	return logicRefs, textRefs
}

// TestCorpusPrefix is the acceptance test: prefix over the rcol corpus
// leaves every reference resolvable and changes nothing but the renamed
// names and the references to them.
func TestCorpusPrefix(t *testing.T) {
	in := loadRcol(t)
	if in.RecordID() != "subject" {
		t.Fatalf("record ID %q, want subject", in.RecordID())
	}
	out, diags := Run(in, Config{Prefix: "rtg_", Forms: []string{"rtg_moca"}})
	if diags.HasErrors() {
		t.Fatalf("prefix refused: %v", diags)
	}
	if out.Len() != in.Len() {
		t.Fatalf("%d rows, want %d", out.Len(), in.Len())
	}

	// No duplicated names are left (moca.json and rtg_moca.json shared 5).
	seen := map[string]bool{}
	for _, f := range out.Fields {
		if seen[f.FieldName] {
			t.Errorf("duplicated field name %q after prefix", f.FieldName)
		}
		seen[f.FieldName] = true
	}

	// Every reference resolves.
	inLogic, inText := unresolved(t, in)
	if len(inLogic) > 0 {
		t.Errorf("the input already has unresolved logic references: %v", inLogic)
	}
	outLogic, outText := unresolved(t, out)
	if len(outLogic) > 0 {
		t.Errorf("unresolved logic references after prefix: %v", outLogic)
	}
	for name := range outText {
		if !inText[name] {
			t.Errorf("piping reference [%s] resolved before prefix and does not after", name)
		}
	}

	// Nothing else changed: undo the renames as text in every cell of the
	// output and compare with the input, column by column.
	renamed := map[string]bool{}
	changedRefs := 0
	for i := range in.Fields {
		a, b := &in.Fields[i], &out.Fields[i]
		if a.FormName == "rtg_moca" {
			if b.FieldName != "rtg_"+a.FieldName {
				t.Errorf("row %d: %q became %q, want rtg_%s", i, a.FieldName, b.FieldName, a.FieldName)
			}
			renamed[a.FieldName] = true
		} else if a.FieldName != b.FieldName {
			t.Errorf("row %d of form %s renamed: %q → %q", i, a.FormName, a.FieldName, b.FieldName)
		}
	}
	undo := regexp.MustCompile(`([\[:])rtg_([a-z0-9_]+)`)
	for i := range in.Fields {
		a, b := in.Fields[i].Values(), out.Fields[i].Values()
		for c := 1; c < redcap.NumColumns; c++ {
			if a[c] == b[c] {
				continue
			}
			back := undo.ReplaceAllStringFunc(b[c], func(m string) string {
				sub := undo.FindStringSubmatch(m)
				if renamed[sub[2]] {
					return sub[1] + sub[2]
				}
				return m
			})
			if back != a[c] {
				t.Errorf("row %d (%s) column %s changed beyond renamed references:\n in: %q\nout: %q", i, a[0], redcap.Column(c).Key(), a[c], b[c])
				continue
			}
			if in.Fields[i].FormName != "rtg_moca" {
				t.Errorf("row %d (%s, form %s) references a field of rtg_moca: %q", i, a[0], in.Fields[i].FormName, b[c])
			}
			changedRefs++
		}
	}
	if len(renamed) == 0 || changedRefs == 0 {
		t.Errorf("renamed %d fields and %d cells of references; the test proves nothing", len(renamed), changedRefs)
	}
	t.Logf("%d rows; renamed %d fields of rtg_moca; rewrote %d cells with references", out.Len(), len(renamed), changedRefs)

	// The validator finds no reference to an unknown field in the output
	// that it did not find in the input.
	v, err := pipeline.NewValidator(pipeline.ValidateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	before := map[string]bool{}
	for _, d := range v.Validate(in) {
		before[d.Code+" "+d.Message] = true
	}
	for _, d := range v.Validate(out) {
		if d.Severity == redcap.SeverityError && !before[d.Code+" "+d.Message] {
			t.Errorf("new validation error after prefix: %s", d)
		}
	}
}
