package upload

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/rcolpipe/rcolpipe/internal/outfile"
	"github.com/rcolpipe/rcolpipe/redcap"
	"github.com/rcolpipe/rcolpipe/redcap/api"
)

// StructureChanges is what an upload changes in a longitudinal project's
// structure, in the order it is applied: arms, events (before the
// dictionary), designations, repeating settings (after it).
type StructureChanges struct {
	ArmsAdded           []redcap.Arm         `json:"arms_added,omitempty"`
	ArmsRenamed         []redcap.Arm         `json:"arms_renamed,omitempty"`
	ArmsRemoved         []redcap.Arm         `json:"arms_removed,omitempty"`
	EventsAdded         []redcap.Event       `json:"events_added,omitempty"`
	EventsChanged       []redcap.Event       `json:"events_changed,omitempty"`
	EventsRemoved       []redcap.Event       `json:"events_removed,omitempty"`
	DesignationsAdded   []redcap.Designation `json:"designations_added,omitempty"`
	DesignationsRemoved []redcap.Designation `json:"designations_removed,omitempty"`
	RepeatingChanged    bool                 `json:"repeating_changed,omitempty"`
	// RepeatingRemoved are the project's repeating settings the repeating
	// file leaves out (a header-only file: all of them).
	RepeatingRemoved []redcap.RepeatSetting `json:"repeating_removed,omitempty"`

	// current is the project's structure before; want the structure after.
	current, want *redcap.Structure
}

// Empty reports whether nothing changes.
func (c *StructureChanges) Empty() bool {
	return c == nil || len(c.ArmsAdded)+len(c.ArmsRenamed)+len(c.ArmsRemoved)+len(c.EventsAdded)+len(c.EventsChanged)+len(c.EventsRemoved)+
		len(c.DesignationsAdded)+len(c.DesignationsRemoved) == 0 && !c.RepeatingChanged
}

// Lines describes the changes, one per line, for the diff.
func (c *StructureChanges) Lines() []string {
	if c == nil {
		return nil
	}
	var out []string
	for _, a := range c.ArmsAdded {
		out = append(out, fmt.Sprintf("+ arm %d %q", a.Num, a.Name))
	}
	for _, a := range c.ArmsRenamed {
		out = append(out, fmt.Sprintf("~ arm %d renamed to %q", a.Num, a.Name))
	}
	for _, a := range c.ArmsRemoved {
		out = append(out, fmt.Sprintf("- arm %d %q (its events and their data are deleted)", a.Num, a.Name))
	}
	for _, e := range c.EventsAdded {
		out = append(out, fmt.Sprintf("+ event %s (%q, arm %d)", e.UniqueName, e.Name, e.ArmNum))
	}
	for _, e := range c.EventsChanged {
		out = append(out, fmt.Sprintf("~ event %s now %q, label %q", e.UniqueName, e.Name, e.CustomLabel))
	}
	for _, e := range c.EventsRemoved {
		out = append(out, fmt.Sprintf("- event %s (its data is deleted)", e.UniqueName))
	}
	for _, d := range c.DesignationsAdded {
		out = append(out, fmt.Sprintf("+ designation %s in %s", d.Form, d.Event))
	}
	for _, d := range c.DesignationsRemoved {
		out = append(out, fmt.Sprintf("- designation %s in %s (its data is deleted)", d.Form, d.Event))
	}
	for _, r := range c.RepeatingRemoved {
		switch {
		case r.Form == "":
			out = append(out, fmt.Sprintf("- repeating event %s (its instances after the first are no longer reachable)", r.Event))
		case r.Event == "":
			out = append(out, fmt.Sprintf("- repeating instrument %s (its instances after the first are no longer reachable)", r.Form))
		default:
			out = append(out, fmt.Sprintf("- repeating instrument %s in %s (its instances after the first are no longer reachable)", r.Form, r.Event))
		}
	}
	if c.RepeatingChanged {
		out = append(out, "~ repeating instruments and events")
	}
	return out
}

// StructureDeleteError refuses removals of arms, events, designations or
// repeating settings without --allow-delete, and removals of arms or events
// (REDCap's delete action) outside Development status.
type StructureDeleteError struct {
	Lines []string
	// Status names the project's status when it is not Development.
	Status string
}

func (e *StructureDeleteError) Error() string {
	if e.Status != "" {
		return fmt.Sprintf("the upload would delete %d arm(s) or event(s): %s; REDCap deletes arms and events only in Development status and the project is in %s; nothing was changed. "+
			"Remove them in the web interface (Project Setup > Define My Events, in draft mode if your administrator allows it), or keep them in the structure files", len(e.Lines), strings.Join(e.Lines, "; "), e.Status)
	}
	return fmt.Sprintf("the upload would remove %d part(s) of the project's structure, which deletes their data in REDCap: %s; nothing was changed. "+
		"Add them to the structure files, or pass --allow-delete if that is intended", len(e.Lines), strings.Join(e.Lines, "; "))
}

// planStructure exports the project's structure and works out the changes
// the input's structure (with the designation policy for the forms the
// upload adds) asks for. Parts the input does not give stay as they are;
// events and designations are merged (new ones added, existing ones
// relabelled), and an events or designations file replaces the project's
// list only with ReplaceAll. For a designations file, each event it names
// gets exactly the forms the file gives it.
func planStructure(ctx context.Context, c *api.Client, in *redcap.Structure, policy *redcap.DesignationPolicy, formsAdded []string, replaceAll bool) (*StructureChanges, error) {
	if in.IsEmpty() && policy == nil {
		return nil, nil
	}
	current, err := c.ExportStructure(ctx)
	if err != nil {
		return nil, fmt.Errorf("export the project's structure before the upload: %w", err)
	}
	return structureChanges(current, in, policy, formsAdded, replaceAll)
}

// structureChanges is planStructure's work on the exported structure.
func structureChanges(current, in *redcap.Structure, policy *redcap.DesignationPolicy, formsAdded []string, replaceAll bool) (*StructureChanges, error) {
	ch := &StructureChanges{current: current}
	want := current.Clone()
	removedArm := map[int]bool{}
	if in.HasArms {
		inArms := map[int]bool{}
		for _, a := range in.Arms {
			inArms[a.Num] = true
		}
		if replaceAll {
			// An arm the file leaves out goes, and with it its events,
			// their designations and repeating settings (REDCap's arm
			// delete does the same).
			for _, a := range current.Arms {
				if !inArms[a.Num] {
					removedArm[a.Num] = true
					ch.ArmsRemoved = append(ch.ArmsRemoved, a)
				}
			}
			want.Arms = slices.DeleteFunc(want.Arms, func(a redcap.Arm) bool { return removedArm[a.Num] })
			gone := map[string]bool{}
			for _, e := range want.Events {
				if removedArm[e.ArmNum] {
					gone[e.UniqueName] = true
				}
			}
			want.Events = slices.DeleteFunc(want.Events, func(e redcap.Event) bool { return removedArm[e.ArmNum] })
			want.Designations = slices.DeleteFunc(want.Designations, func(d redcap.Designation) bool { return removedArm[d.ArmNum] })
			want.Repeating = slices.DeleteFunc(want.Repeating, func(r redcap.RepeatSetting) bool { return gone[r.Event] })
		}
		for _, a := range in.Arms {
			i := slices.IndexFunc(want.Arms, func(x redcap.Arm) bool { return x.Num == a.Num })
			switch {
			case i < 0:
				want.Arms = append(want.Arms, redcap.Arm{Num: a.Num, Name: a.Name})
				ch.ArmsAdded = append(ch.ArmsAdded, a)
			case want.Arms[i].Name != a.Name:
				want.Arms[i].Name = a.Name
				ch.ArmsRenamed = append(ch.ArmsRenamed, a)
			}
		}
	}
	if in.HasEvents {
		taken := map[string]bool{}
		for _, e := range want.Events {
			taken[e.UniqueName] = true
		}
		inNames := map[string]bool{}
		for _, e := range in.Events {
			u := e.UniqueName
			if u == "" {
				u = redcap.UniqueEventName(e.Name, e.ArmNum, taken)
			}
			inNames[u] = true
			i := slices.IndexFunc(want.Events, func(x redcap.Event) bool { return x.UniqueName == u })
			e.UniqueName = u
			e.Origin = redcap.Origin{}
			switch {
			case i < 0:
				taken[u] = true
				want.Events = append(want.Events, e)
				ch.EventsAdded = append(ch.EventsAdded, e)
			case want.Events[i].Name != e.Name || want.Events[i].CustomLabel != e.CustomLabel:
				want.Events[i].Name, want.Events[i].CustomLabel = e.Name, e.CustomLabel
				ch.EventsChanged = append(ch.EventsChanged, e)
			}
		}
		if replaceAll {
			for _, e := range current.Events {
				if !inNames[e.UniqueName] && !removedArm[e.ArmNum] {
					ch.EventsRemoved = append(ch.EventsRemoved, e)
				}
			}
			want.Events = slices.DeleteFunc(want.Events, func(e redcap.Event) bool { return !inNames[e.UniqueName] })
		}
	}
	if probs := policy.UnknownEvents(want.Events, "the project's events"); len(probs) > 0 {
		// Checked before anything is sent: REDCap would refuse the mapping
		// only after the dictionary import.
		errs := make([]error, len(probs))
		for i, p := range probs {
			errs[i] = p
		}
		return nil, fmt.Errorf("the designation policy names events the project does not have; nothing was changed:\n%w", errors.Join(errs...))
	}
	designations := slices.Clone(in.Designations)
	if policy != nil {
		designations = append(designations, policy.For(formsAdded, &redcap.Structure{Events: want.Events, Designations: designations})...)
	}
	if in.HasDesignations || len(designations) > 0 {
		have := map[string]bool{}
		for _, d := range want.Designations {
			have[d.Key()] = true
		}
		named := map[string]bool{} // events the designations file speaks for
		inKeys := map[string]bool{}
		for _, d := range designations {
			d.Origin = redcap.Origin{}
			inKeys[d.Key()] = true
			if in.HasDesignations {
				named[d.Event] = true
			}
			if !have[d.Key()] {
				have[d.Key()] = true
				want.Designations = append(want.Designations, d)
				ch.DesignationsAdded = append(ch.DesignationsAdded, d)
			}
		}
		drop := func(d redcap.Designation) bool {
			return (named[d.Event] || replaceAll && in.HasDesignations) && !inKeys[d.Key()]
		}
		for _, d := range current.Designations {
			if drop(d) && !removedArm[d.ArmNum] {
				ch.DesignationsRemoved = append(ch.DesignationsRemoved, d)
			}
		}
		want.Designations = slices.DeleteFunc(want.Designations, drop)
	}
	if in.HasRepeating {
		rep := slices.Clone(in.Repeating)
		for i := range rep {
			rep[i].Origin = redcap.Origin{}
		}
		if !sameRepeating(want.Repeating, rep) {
			keep := map[string]bool{}
			for _, r := range rep {
				keep[r.Key()] = true
			}
			for _, r := range want.Repeating {
				if !keep[r.Key()] {
					ch.RepeatingRemoved = append(ch.RepeatingRemoved, r)
				}
			}
			want.Repeating = rep
			ch.RepeatingChanged = true
		}
	}
	ch.want = want
	return ch, nil
}

func sameRepeating(a, b []redcap.RepeatSetting) bool {
	key := func(rs []redcap.RepeatSetting) []string {
		out := make([]string, len(rs))
		for i, r := range rs {
			out[i] = r.Key() + "=" + r.CustomLabel
		}
		slices.Sort(out)
		return out
	}
	return slices.Equal(key(a), key(b))
}

// Removals reports whether the changes remove anything (which deletes
// data in REDCap, or makes it unreachable).
func (c *StructureChanges) Removals() bool {
	return c != nil && len(c.ArmsRemoved)+len(c.EventsRemoved)+len(c.DesignationsRemoved)+len(c.RepeatingRemoved) > 0
}

// Deletes reports whether the changes use REDCap's arm or event delete,
// which REDCap allows only in Development status.
func (c *StructureChanges) Deletes() bool {
	return c != nil && len(c.ArmsRemoved)+len(c.EventsRemoved) > 0
}

// removedLines are the "- " lines of the changes, without the sign; with
// deletesOnly, those of arms and events.
func (c *StructureChanges) removedLines(deletesOnly bool) []string {
	var lines []string
	for _, l := range c.Lines() {
		if strings.HasPrefix(l, "- ") && (!deletesOnly || strings.HasPrefix(l, "- arm ") || strings.HasPrefix(l, "- event ")) {
			lines = append(lines, strings.TrimPrefix(l, "- "))
		}
	}
	return lines
}

// refuse returns the error for removals without allowDelete, and for arm
// or event deletes in a project (p, may be nil) not in Development.
func (c *StructureChanges) refuse(allowDelete bool, p *api.ProjectInfo) error {
	if c.Deletes() && p != nil && p.InProduction != 0 {
		return &StructureDeleteError{Lines: c.removedLines(true), Status: p.StatusName()}
	}
	if !c.Removals() || allowDelete {
		return nil
	}
	return &StructureDeleteError{Lines: c.removedLines(false)}
}

// backup writes the project's structure next to the dictionary's backup.
func (c *StructureChanges) backup(dictBackup string) (string, error) {
	if c == nil || c.Empty() {
		return "", nil
	}
	path := strings.TrimSuffix(dictBackup, ".json") + "-structure.json"
	err := outfile.CreateNew(path, 0o600, func(w io.Writer) error {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(map[string]any{"arms": c.current.Arms, "events": c.current.Events,
			"instrument_designations": c.current.Designations, "repeating": c.current.Repeating})
	})
	if err != nil {
		return "", fmt.Errorf("back up the project's structure: %w", err)
	}
	return path, nil
}

// applyBefore imports arms and events (the dictionary import comes next).
func (c *StructureChanges) applyBefore(ctx context.Context, cl *api.Client) error {
	if c == nil {
		return nil
	}
	if arms := append(slices.Clone(c.ArmsAdded), c.ArmsRenamed...); len(arms) > 0 {
		if _, err := cl.ImportArms(ctx, arms, false); err != nil {
			return fmt.Errorf("import the arms: %w", err)
		}
	}
	if len(c.ArmsRemoved) > 0 {
		nums := make([]int, len(c.ArmsRemoved))
		for i, a := range c.ArmsRemoved {
			nums[i] = a.Num
		}
		if _, err := cl.DeleteArms(ctx, nums); err != nil {
			return fmt.Errorf("delete the arms: %w", err)
		}
	}
	var events []redcap.Event
	for _, e := range c.EventsAdded {
		e.UniqueName = "" // REDCap names new events itself
		events = append(events, e)
	}
	events = append(events, c.EventsChanged...)
	if len(events) > 0 {
		if _, err := cl.ImportEvents(ctx, events, false); err != nil {
			return fmt.Errorf("import the events: %w", err)
		}
	}
	if len(c.EventsRemoved) > 0 {
		names := make([]string, len(c.EventsRemoved))
		for i, e := range c.EventsRemoved {
			names[i] = e.UniqueName
		}
		if _, err := cl.DeleteEvents(ctx, names); err != nil {
			return fmt.Errorf("delete the events: %w", err)
		}
	}
	return nil
}

// applyAfter imports designations and repeating settings, then exports the
// structure again and verifies it.
func (c *StructureChanges) applyAfter(ctx context.Context, cl *api.Client) error {
	if c == nil || c.Empty() {
		return nil
	}
	if len(c.DesignationsAdded)+len(c.DesignationsRemoved) > 0 {
		// The import replaces the designations of the arms it names: send
		// every designation of those arms.
		arms := map[int]bool{}
		for _, d := range append(slices.Clone(c.DesignationsAdded), c.DesignationsRemoved...) {
			arms[d.ArmNum] = true
		}
		var send []redcap.Designation
		for _, d := range c.want.Designations {
			if arms[d.ArmNum] {
				send = append(send, d)
			}
		}
		if _, err := cl.ImportDesignations(ctx, send); err != nil {
			return fmt.Errorf("import the instrument designations: %w", err)
		}
	}
	if c.RepeatingChanged {
		// An empty list clears the settings (a header-only repeating file).
		if _, err := cl.ImportRepeating(ctx, c.want.Repeating); err != nil {
			return fmt.Errorf("import the repeating instruments and events: %w", err)
		}
	}
	after, err := cl.ExportStructure(ctx)
	if err != nil {
		return fmt.Errorf("export the structure after the import to verify it: %w", err)
	}
	if why := structureMismatch(c.want, after); why != "" {
		return fmt.Errorf("the project's structure after the import differs from what was sent: %s", why)
	}
	return nil
}

// structureMismatch compares the structure wanted with the one exported
// (unique names of new events are REDCap's; designations by key).
func structureMismatch(want, got *redcap.Structure) string {
	if len(want.Arms) != len(got.Arms) {
		return fmt.Sprintf("%d arms, want %d", len(got.Arms), len(want.Arms))
	}
	if len(want.Events) != len(got.Events) {
		return fmt.Sprintf("%d events, want %d", len(got.Events), len(want.Events))
	}
	gotD := map[string]bool{}
	for _, d := range got.Designations {
		gotD[d.Key()] = true
	}
	for _, d := range want.Designations {
		if !gotD[d.Key()] {
			return "designation " + d.Key() + " is missing"
		}
	}
	if len(want.Designations) != len(got.Designations) {
		return fmt.Sprintf("%d designations, want %d", len(got.Designations), len(want.Designations))
	}
	if !sameRepeating(want.Repeating, got.Repeating) {
		return "the repeating instruments and events differ"
	}
	return ""
}

// ExportAll writes the project's dictionary and structure into dir in
// REDCap's download formats: dictionary.csv, arms.csv, events.csv,
// instrument_designations.csv (longitudinal projects) and repeating.csv
// (when the project has repeating instruments or events). It returns the
// files written.
func ExportAll(ctx context.Context, c *api.Client, dir string) ([]string, error) {
	d, err := c.ExportMetadata(ctx)
	if err != nil {
		return nil, fmt.Errorf("export the dictionary: %w", err)
	}
	st, err := c.ExportStructure(ctx)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("create %s: %w", dir, err)
	}
	var written []string
	write := func(name string, fn func(io.Writer) error) error {
		p := filepath.Join(dir, name)
		if err := outfile.Write(p, 0o644, fn); err != nil {
			return fmt.Errorf("write %s: %w", p, err)
		}
		written = append(written, p)
		return nil
	}
	if err := write("dictionary.csv", func(w io.Writer) error { return redcap.WriteCSV(w, d, redcap.HeaderDownload) }); err != nil {
		return written, err
	}
	kinds := []redcap.StructureKind{}
	if len(st.Arms)+len(st.Events) > 0 {
		kinds = append(kinds, redcap.KindArms, redcap.KindEvents, redcap.KindDesignations)
	}
	if len(st.Repeating) > 0 {
		kinds = append(kinds, redcap.KindRepeating)
	}
	for _, k := range kinds {
		if err := write(redcap.StructureFileName(k), func(w io.Writer) error { return redcap.WriteStructureCSV(w, k, st) }); err != nil {
			return written, err
		}
	}
	return written, nil
}
