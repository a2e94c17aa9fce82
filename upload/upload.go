package upload

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/rs/zerolog"

	"github.com/rcolpipe/rcolpipe/internal/outfile"
	"github.com/rcolpipe/rcolpipe/pipeline/rules"
	"github.com/rcolpipe/rcolpipe/redcap"
	"github.com/rcolpipe/rcolpipe/redcap/api"
)

// Options configures Upload.
type Options struct {
	// BackupDir receives the project's dictionary before anything changes
	// (default ./rcolpipe-backups).
	BackupDir string
	// ReplaceAll sends exactly the input instead of merging it into the
	// project's dictionary.
	ReplaceAll bool
	// AllowDelete lets the upload remove fields the project has.
	AllowDelete bool
	// AllowCritical lets the upload make critical changes other than
	// deletions: renames, type and validation changes, removed or swapped
	// choice codes.
	AllowCritical bool
	// DryRun stops before the import and writes no backup: nothing changes.
	DryRun bool
	// Confirm asks the user to go on after the diff; nil means the caller
	// has answered already (--yes).
	Confirm func(ctx context.Context, d redcap.Diff) (bool, error)
	// DraftOnly stops before the import (with DryRun) and lets a project
	// in Production through the preflight: the caller writes the merged
	// dictionary for Draft Mode (WriteDraft).
	DraftOnly bool
	// Plan, when set, must match the project (Plan.Check) before anything
	// is sent; the caller passes its dictionary with ReplaceAll.
	Plan *Plan
	// Username is passed to the preflight's user-rights check.
	Username string
	// Now stamps the backup file (default time.Now).
	Now func() time.Time
	// Structure and Designate are the longitudinal structure to bring the
	// project to, and the designation policy for new forms (structure.go).
	Structure *redcap.Structure
	Designate *redcap.DesignationPolicy
	Log       zerolog.Logger
}

// StepTiming is how long one step of the upload took.
type StepTiming struct {
	Step string        `json:"step"`
	Took time.Duration `json:"took_ns"`
}

// Report is what Upload did.
type Report struct {
	Preflight api.PreflightReport `json:"preflight"`
	// BackupPath is the file holding the project's dictionary as it was.
	BackupPath string      `json:"backup"`
	Replaced   []string    `json:"forms_replaced"`
	Added      []string    `json:"forms_added"`
	Kept       []string    `json:"forms_kept"`
	Diff       redcap.Diff `json:"diff"`
	// Sent is the dictionary sent (or that would be sent, on a dry run).
	Sent     *redcap.Dictionary `json:"-"`
	Notes    redcap.Diagnostics `json:"notes"`
	Imported int                `json:"fields_imported"`
	Verified bool               `json:"verified"`
	// Outcome is what became of the import, once one was sent: applied,
	// not applied (REDCap refused it) or unknown (no answer, and the
	// project did not hold it when checked: it may still land).
	Outcome string `json:"import_outcome,omitempty"`
	// LogChecked is true when the project log was compared before and
	// after the import (false: no Logging right, see Warnings).
	LogChecked bool         `json:"log_checked"`
	DryRun     bool         `json:"dry_run"`
	Steps      []StepTiming `json:"steps"`
	// Warnings are things the user must know about REDCap's side effects.
	Warnings []string `json:"warnings"`
	// Structure is what changes in arms, events, designations and
	// repeating settings (nil: no structure given).
	Structure       *StructureChanges `json:"structure,omitempty"`
	StructureBackup string            `json:"structure_backup,omitempty"`

	// Baseline is the project's dictionary the diff was computed against.
	Baseline *redcap.Dictionary `json:"-"`
	// PlanFile and DraftFile are the files the caller wrote from the
	// report (diff --plan-out, --draft-file).
	PlanFile  string `json:"plan_file,omitempty"`
	DraftFile string `json:"draft_file,omitempty"`
}

// ErrDeclined is returned when the user answers no at the confirmation.
var ErrDeclined = errors.New("upload cancelled: nothing was changed")

// DeleteError refuses an upload that would remove fields.
type DeleteError struct {
	Fields []redcap.FieldRef
}

func (e *DeleteError) Error() string {
	names := make([]string, len(e.Fields))
	for i, f := range e.Fields {
		names[i] = f.Field + " (" + f.Form + ")"
	}
	return fmt.Sprintf("the upload would delete %d field(s) from the project: %s; nothing was changed. "+
		"Add the fields to the input, or pass --allow-delete if deleting them (and their data) is intended",
		len(e.Fields), strings.Join(names, ", "))
}

// CriticalError refuses an upload with critical changes that are not
// deletions, before anything is sent.
type CriticalError struct {
	Changes []redcap.CriticalChange
}

func (e *CriticalError) Error() string {
	lines := make([]string, len(e.Changes))
	for i, c := range e.Changes {
		lines[i] = "\n  - " + c.String()
	}
	return fmt.Sprintf("the upload makes %d critical change(s) that can lose data or change what stored values mean; nothing was sent:%s\n"+
		"Migrate the data first (or make sure the project has none), then pass --allow-critical", len(e.Changes), strings.Join(lines, ""))
}

// Upload puts d into the project behind c without losing what was there:
// read the baseline (preflight, dictionary, project log, all at once),
// merge, diff, refuse deletions and critical changes unless allowed,
// confirm, export again to see that nobody changed the project meanwhile,
// back up, import, then verify with an export and the project log. The
// report is returned with the error too, so that a caller can show how far
// it got (the diff of a refused upload, the backup of a failed import).
// docs/concurrency.md says what this guarantees when several people
// change one project.
func Upload(ctx context.Context, c *api.Client, d *redcap.Dictionary, opts Options) (*Report, error) {
	if d == nil || d.Len() == 0 {
		return nil, errors.New("the dictionary to upload is empty: REDCap would delete every field of the project; nothing was sent")
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.BackupDir == "" {
		opts.BackupDir = "rcolpipe-backups"
	}
	rep := &Report{DryRun: opts.DryRun}
	step := func(name string, start time.Time) {
		rep.Steps = append(rep.Steps, StepTiming{Step: name, Took: time.Since(start)})
	}

	// 1. The baseline: preflight, dictionary export and log read in one
	// round trip.
	start := time.Now()
	base := readBaseline(ctx, c, opts)
	rep.Preflight = base.preflight
	step("preflight+export", start)
	if err := preflightErr(rep.Preflight, opts.DraftOnly); err != nil {
		return rep, err
	}
	current, err := base.dictionary(opts.BackupDir)
	if err != nil {
		return rep, err
	}
	if base.log.err != nil {
		rep.Warnings = append(rep.Warnings, unavailable(base.log.err))
	}
	rep.Baseline = current
	var planBase *redcap.Structure // the project's structure, for a plan that changes it
	if opts.Plan.HasStructure() {
		if planBase, err = c.ExportStructure(ctx); err != nil {
			return rep, fmt.Errorf("export the project's structure to check the plan: %w; nothing was sent", err)
		}
	}
	if err := opts.Plan.Check(c.URL(), reportProjectID(rep), current, planBase); err != nil {
		return rep, err
	}

	// 2. Merge and diff; refuse what needs a flag.
	send := d.Clone()
	if !opts.ReplaceAll {
		m := redcap.Merge(current, d)
		send = m.Dictionary
		rep.Replaced, rep.Kept, rep.Notes = m.Replaced, m.Kept, m.Notes
	}
	if p := rep.Preflight.Project; p != nil {
		// RC130 needs the project's missing-data codes, known only now.
		rep.Notes = append(rep.Notes, rules.CheckMissingDataCodes(d, p.MissingDataCodes)...)
	}
	rep.Sent = send
	rep.Diff = redcap.Compare(current, send)
	countAffected(ctx, c, current, &rep.Diff)
	rep.Added = rep.Diff.FormsAdded
	rep.Warnings = append(rep.Warnings, sideEffects(rep, rep.Preflight.Project)...)

	if err := clashes(send, d, rep.Kept); err != nil {
		return rep, err
	}
	if len(rep.Diff.FieldsRemoved) > 0 && !opts.AllowDelete {
		return rep, &DeleteError{Fields: rep.Diff.FieldsRemoved}
	}
	if crit := rep.Diff.NeedsAllowCritical(); len(crit) > 0 && !opts.AllowCritical {
		return rep, &CriticalError{Changes: crit}
	}
	if planBase != nil {
		// The plan's structure, from the structure it was made against.
		rep.Structure, err = structureChanges(planBase, opts.Plan.Structure.structure(), nil, nil, true)
	} else {
		rep.Structure, err = planStructure(ctx, c, opts.Structure, opts.Designate, rep.Diff.FormsAdded, opts.ReplaceAll)
	}
	if err != nil {
		return rep, err
	}
	if err := rep.Structure.refuse(opts.AllowDelete, rep.Preflight.Project); err != nil {
		return rep, err
	}
	if opts.DryRun {
		return rep, nil
	}
	if rep.Diff.Empty() && rep.Structure.Empty() {
		opts.Log.Info().Msg("the project already holds this dictionary; nothing to import")
		rep.Verified = true
		return rep, nil
	}

	// 3. Confirm.
	if opts.Confirm != nil {
		ok, err := opts.Confirm(ctx, rep.Diff)
		if err != nil {
			return rep, err
		}
		if !ok {
			return rep, ErrDeclined
		}
	}

	// 4. Right before the import: has the project changed since the
	// export that was diffed (while the user read the diff, or by another
	// run)? Then stop; nothing was sent.
	start = time.Now()
	if err := recheck(ctx, c, current); err != nil {
		return rep, err
	}
	step("recheck", start)

	// 5. The backup, written only now that an import is about to be sent.
	start = time.Now()
	pid := 0
	if rep.Preflight.Project != nil {
		pid = rep.Preflight.Project.ProjectID
	}
	rep.BackupPath, err = WriteBackup(opts.BackupDir, pid, current, opts.Now())
	if err != nil {
		// Without the backup the upload could not be undone: stop here.
		return rep, fmt.Errorf("back up the project's dictionary: %w; nothing was sent. "+
			"Make %s a folder you can write to, or choose another with --backup-dir (or target.backup_dir in the pipeline file)",
			err, opts.BackupDir)
	}
	if rep.StructureBackup, err = rep.Structure.backup(rep.BackupPath); err != nil {
		return rep, fmt.Errorf("%w; nothing was sent", err)
	}
	step("backup", start)
	opts.Log.Info().Str("backup", rep.BackupPath).Int("fields", current.Len()).Msg("saved the project's dictionary")

	// 6. Import: arms and events first, the dictionary, then designations
	// and repeating settings (structure.go).
	if err := rep.Structure.applyBefore(ctx, c); err != nil {
		return rep, fmt.Errorf("%w (backups in %s and %s)", err, rep.BackupPath, rep.StructureBackup)
	}
	if rep.Diff.Empty() { // only the structure changes
		if err := rep.Structure.applyAfter(ctx, c); err != nil {
			return rep, fmt.Errorf("%w (backup in %s)", err, rep.StructureBackup)
		}
		rep.Verified = true
		return rep, nil
	}
	start = time.Now()
	rep.Imported, err = sendImport(ctx, c, send, current, rep, opts)
	step("import", start)
	if err != nil {
		return rep, err
	}
	rep.Outcome = OutcomeApplied

	// 7. Verify: export and log read in one round trip.
	start = time.Now()
	err = verify(ctx, c, send, base.log, rep, opts)
	step("verify", start)
	if err != nil {
		return rep, err
	}
	if err := rep.Structure.applyAfter(ctx, c); err != nil {
		return rep, fmt.Errorf("%w (backups in %s and %s)", err, rep.BackupPath, rep.StructureBackup)
	}
	return rep, nil
}

// clashes refuses a merge in which a field of the input has the name of a
// field that stays in one of the project's kept forms: REDCap would refuse
// the whole import, so say which before anything is sent. Repeats within
// the input are validation's to report.
func clashes(send, input *redcap.Dictionary, kept []string) error {
	isKept := map[string]bool{}
	for _, f := range kept {
		isKept[f] = true
	}
	keptForm := map[string]string{}
	for _, f := range send.Fields {
		if isKept[f.FormName] {
			keptForm[f.FieldName] = f.FormName
		}
	}
	var msgs []string
	seen := map[string]bool{}
	for _, f := range input.Fields {
		if form, ok := keptForm[f.FieldName]; ok && !isKept[f.FormName] && !seen[f.FieldName] && f.FieldName != send.RecordID() {
			seen[f.FieldName] = true
			msgs = append(msgs, fmt.Sprintf("%s (form %s of the input, and form %s that stays in the project)", f.FieldName, f.FormName, form))
		}
	}
	if len(msgs) == 0 {
		return nil
	}
	return fmt.Errorf("after the merge, %d field name(s) would be used twice, which REDCap refuses: %s; nothing was changed. "+
		"Rename the input's fields (e.g. --stage 'prefix:{\"prefix\":\"xx_\",\"forms\":[\"FORM\"]}'), or upload the other form too",
		len(msgs), strings.Join(msgs, "; "))
}

// sideEffects lists what REDCap does on its own when forms are added.
func sideEffects(rep *Report, p *api.ProjectInfo) []string {
	if len(rep.Diff.FormsAdded) == 0 {
		return nil
	}
	var labels []string
	for _, f := range rep.Diff.FormsAdded {
		labels = append(labels, fmt.Sprintf("%s → %q", f, redcap.InstrumentLabel(f)))
	}
	w := []string{"REDCap names new instruments itself: " + strings.Join(labels, ", ") + "; rename them in the Online Designer if needed"}
	if p != nil && p.IsLongitudinal {
		w = append(w, "this project is longitudinal: the new forms are in no event yet; designate them to events (Project Setup → Designate Instruments) or import a form-event mapping")
	}
	return w
}

// WriteBackup saves a project's dictionary as JSON in dir, named by the
// project and the time, and never overwrites a file. Restoring is an upload
// of this file with --replace-all.
func WriteBackup(dir string, projectID int, d *redcap.Dictionary, now time.Time) (string, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", fmt.Errorf("create backup folder %s: %w", dir, err)
	}
	base := fmt.Sprintf("project-%d-%s", projectID, now.UTC().Format("20060102T150405Z"))
	for i := 0; ; i++ {
		name := base + ".json"
		if i > 0 {
			name = fmt.Sprintf("%s-%d.json", base, i)
		}
		path := filepath.Join(dir, name)
		// outfile.CreateNew: the backup appears complete or not at all (a
		// failed or killed run leaves no half backup to restore from).
		err := outfile.CreateNew(path, 0o600, func(w io.Writer) error { return redcap.WriteJSON(w, d) })
		if errors.Is(err, os.ErrExist) {
			continue
		}
		if err != nil {
			return "", fmt.Errorf("back up the project's dictionary: %w", err)
		}
		return path, nil
	}
}
