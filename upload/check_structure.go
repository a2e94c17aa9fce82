package upload

import (
	"context"
	"fmt"
	"strings"

	"github.com/rcolpipe/rcolpipe/redcap"
	"github.com/rcolpipe/rcolpipe/redcap/api"
)

// CheckFiles are the structure files a check is asked about (and the
// forms of the dictionary beside them, for the designation policy).
type CheckFiles struct {
	Structure *redcap.Structure
	Designate *redcap.DesignationPolicy
	Forms     []string
}

func (f CheckFiles) empty() bool { return f.Structure.IsEmpty() && f.Designate == nil }

// StructureCheck is what check found of the project's structure, and what
// the files would change in it.
type StructureCheck struct {
	Longitudinal bool              `json:"longitudinal"`
	Arms         int               `json:"arms"`
	Events       int               `json:"events"`
	Designations int               `json:"designations"`
	Repeating    int               `json:"repeating"`
	Changes      *StructureChanges `json:"changes,omitempty"`
}

// Names of the structure rows of a check.
const (
	CheckRowStructure = "project structure"
	CheckRowStructRts = "structure changes"
)

// checkStructure adds the structure rows: the project's arms and events
// counts, and, for files, whether the token may make the changes they ask
// for (Project Design; arm and event deletes only in Development).
func checkStructure(ctx context.Context, c *api.Client, r *CheckResult, files CheckFiles) {
	st, err := c.ExportStructure(ctx)
	if err != nil {
		r.Checks = append(r.Checks, api.PreflightItem{Check: CheckRowStructure, Result: api.ResultWarn, Detail: "could not read the project's structure: " + err.Error(), Advice: api.Advice(err)})
		return
	}
	sc := &StructureCheck{Longitudinal: r.Project.IsLongitudinal, Arms: len(st.Arms), Events: len(st.Events), Designations: len(st.Designations), Repeating: len(st.Repeating)}
	r.Structure = sc
	repeating := "no repeating instruments or events"
	if sc.Repeating > 0 {
		repeating = fmt.Sprintf("%d repeating instrument(s) or event(s)", sc.Repeating)
	}
	detail := fmt.Sprintf("classic (no arms or events), %s", repeating)
	if sc.Longitudinal {
		detail = fmt.Sprintf("longitudinal: %d arm(s), %d event(s), %d designation(s), %s", sc.Arms, sc.Events, sc.Designations, repeating)
	}
	r.Checks = append(r.Checks, api.PreflightItem{Check: CheckRowStructure, Result: api.ResultOK, Detail: detail})
	if files.empty() {
		return
	}
	fail := func(detail, advice string) {
		r.Checks = append(r.Checks, api.PreflightItem{Check: CheckRowStructRts, Result: api.ResultFail, Required: true, Detail: detail, Advice: advice})
	}
	in := files.Structure
	if in == nil {
		in = &redcap.Structure{}
	}
	if !sc.Longitudinal && (len(in.Arms)+len(in.Events)+len(in.Designations) > 0 || files.Designate != nil) {
		fail("the files give arms, events or designations, but the project is classic: REDCap refuses them",
			"Enable \"Use longitudinal data collection\" in Project Setup, or leave the structure files out.")
		return
	}
	designated := map[string]bool{}
	for _, d := range st.Designations {
		designated[d.Form] = true
	}
	var formsAdded []string
	for _, f := range files.Forms {
		if !designated[f] {
			formsAdded = append(formsAdded, f)
		}
	}
	ch, err := planStructure(ctx, c, in, files.Designate, formsAdded, false)
	if err != nil {
		fail(err.Error(), "Correct the files (or the pipeline file's structure section).")
		return
	}
	sc.Changes = ch
	if ch.Empty() {
		r.Checks = append(r.Checks, api.PreflightItem{Check: CheckRowStructRts, Result: api.ResultOK, Required: true, Detail: "the project already has the structure the files give"})
		return
	}
	for _, it := range r.Checks {
		if (it.Check == api.CheckDesign || it.Check == api.CheckUserDsgn) && it.Result == api.ResultFail {
			fail(fmt.Sprintf("the files change the structure (%s), which needs Project Design and Setup", strings.Join(ch.Lines(), "; ")),
				"Ask the project's user-rights manager for Project Design and Setup.")
			return
		}
	}
	if ch.Deletes() && r.Project.InProduction != 0 {
		fail(fmt.Sprintf("the files delete arms or events (%s); REDCap allows that only in Development and the project is in %s", strings.Join(ch.removedLines(true), "; "), r.Project.StatusName()),
			"Keep them in the files, or remove them in the web interface.")
		return
	}
	detail = fmt.Sprintf("%d change(s): %s; the token's user may change the design", len(ch.Lines()), strings.Join(ch.Lines(), "; "))
	if ch.Removals() {
		detail += "; the removals need --allow-delete"
	}
	r.Checks = append(r.Checks, api.PreflightItem{Check: CheckRowStructRts, Result: api.ResultOK, Required: true, Detail: detail})
}

// ReadCheckFiles reads the dictionary and structure files among inputs for
// Target.CheckWith (no inputs: nothing to read); designate is the pipeline
// file's designation policy. Inputs with read errors fail with the list of
// the errors.
func ReadCheckFiles(inputs []string, designate *redcap.DesignationPolicy, opts redcap.LoadOptions) (CheckFiles, error) {
	files := CheckFiles{Designate: designate}
	if len(inputs) == 0 {
		return files, nil
	}
	d, st, ds, err := opts.LoadWithStructure(inputs...)
	if err != nil {
		return files, err
	}
	if ds.HasErrors() {
		var lines []string
		for _, dg := range ds {
			if dg.Severity == redcap.SeverityError {
				lines = append(lines, dg.String())
			}
		}
		return files, fmt.Errorf("the inputs have errors (rcolpipe validate shows them all):\n%s", strings.Join(lines, "\n"))
	}
	files.Structure = st
	if d != nil {
		files.Forms = d.Forms()
	}
	return files, nil
}
