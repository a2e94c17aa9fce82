package upload

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strconv"
	"strings"

	"github.com/rcolpipe/rcolpipe/internal/outfile"
	"github.com/rcolpipe/rcolpipe/pipeline/rules"
	"github.com/rcolpipe/rcolpipe/redcap"
)

// PlanVersion is the version of the plan file format this rcolpipe writes
// and reads.
const PlanVersion = 1

// planMaxBytes bounds a plan file read: a plan holds one dictionary, and
// dictionary files are limited to 64 MiB (redcap.Load).
const planMaxBytes = 64 << 20

// Plan is what `rcolpipe diff --plan-out` computed: the dictionary an
// upload would send, and a fingerprint of the project state it was
// computed against. `rcolpipe upload --plan` sends exactly that dictionary,
// and only while the project still matches the fingerprint, so what was
// reviewed (on a pull request, say) is what is applied. A plan holds no
// token: only the server, the project ID, the fingerprint, the diff (for
// reading; it is computed again when the plan is applied) and the
// dictionary.
type Plan struct {
	Version int `json:"version"`
	// Server is the API URL's host and path ("redcap.example.org/api/").
	Server    string `json:"server"`
	ProjectID int    `json:"project_id"`
	// Fingerprint is the SHA-256 of the server, the project ID and the
	// project's dictionary as exported (Fingerprint).
	Fingerprint    string      `json:"fingerprint"`
	BaselineFields int         `json:"baseline_fields"`
	Diff           redcap.Diff `json:"diff"`
	// Dictionary is what the upload sends, as REDCap's API JSON.
	Dictionary json.RawMessage `json:"dictionary"`
	// Structure, when the plan was made with structure files (or a
	// designation policy), is the longitudinal structure the upload brings
	// the project to; the fingerprint then covers the project's structure
	// too. nil: the plan changes no structure.
	Structure *PlanStructure `json:"structure,omitempty"`

	dict *redcap.Dictionary
}

// PlanError refuses a plan that does not fit the project: another server
// or project, or a project whose dictionary changed since the plan was
// made. Nothing is sent.
type PlanError struct {
	Reason string
}

func (e *PlanError) Error() string {
	return "the plan does not fit the project: " + e.Reason + "; nothing was sent. " +
		"Make a new plan against the project as it is now (rcolpipe diff --url URL --plan-out plan.json INPUT...), review it, and apply that one"
}

// planServer is the part of an API URL a plan is tied to: the host
// (lower case) and the path.
func planServer(apiURL string) (string, error) {
	u, err := url.Parse(apiURL)
	if err != nil || u.Host == "" {
		return "", fmt.Errorf("the API URL has no host")
	}
	return strings.ToLower(u.Host) + u.Path, nil
}

// Fingerprint identifies a project state: the SHA-256 of the server (host
// and path of the API URL), the project ID, the project's dictionary in
// the canonical JSON rcolpipe writes (redcap.WriteJSON) and, when st is not
// nil, the project's structure (arms, events, designations, repeating
// settings as exported).
func Fingerprint(server string, projectID int, current *redcap.Dictionary, st *redcap.Structure) (string, error) {
	h := sha256.New()
	fmt.Fprintf(h, "rcolpipe plan %d\nserver %s\nproject %d\n", PlanVersion, server, projectID)
	if err := redcap.WriteJSON(h, current); err != nil {
		return "", err
	}
	if st != nil {
		if err := writeStructureFingerprint(h, st); err != nil {
			return "", err
		}
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// NewPlan makes the plan of a dry-run upload report against the project
// behind apiURL.
func NewPlan(apiURL string, rep *Report) (*Plan, error) {
	if rep == nil || rep.Baseline == nil || rep.Sent == nil {
		return nil, errors.New("no plan: the upload stopped before the diff")
	}
	server, err := planServer(apiURL)
	if err != nil {
		return nil, err
	}
	pid := reportProjectID(rep)
	var current *redcap.Structure
	var structure *PlanStructure
	if rep.Structure != nil {
		current = rep.Structure.current
		structure = newPlanStructure(rep.Structure.want, rep.Structure.Lines())
	}
	fp, err := Fingerprint(server, pid, rep.Baseline, current)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	if err := redcap.WriteJSON(&b, rep.Sent); err != nil {
		return nil, err
	}
	return &Plan{Version: PlanVersion, Server: server, ProjectID: pid, Fingerprint: fp,
		BaselineFields: rep.Baseline.Len(), Diff: rep.Diff, Dictionary: b.Bytes(), Structure: structure, dict: rep.Sent}, nil
}

func reportProjectID(rep *Report) int {
	if rep.Preflight.Project != nil {
		return rep.Preflight.Project.ProjectID
	}
	return 0
}

// WritePlan writes p to path (internal/outfile: complete or not at all).
func WritePlan(path string, p *Plan) error {
	if err := outfile.WriteJSON(path, p, 0o644); err != nil {
		return fmt.Errorf("write the plan: %w", err)
	}
	return nil
}

// ReadPlan reads a plan file. The file is untrusted input: its size is
// limited, its JSON must have exactly the plan's keys and nothing after
// it, its version must be one this rcolpipe reads, and its dictionary is
// read like any input file.
func ReadPlan(path string) (*Plan, error) {
	data, err := redcap.ReadSmallFile(path, planMaxBytes)
	if err != nil {
		return nil, fmt.Errorf("read the plan: %w", err)
	}
	bad := func(format string, args ...any) error {
		return fmt.Errorf("plan %s: %s; make the plan again with rcolpipe diff --plan-out", path, fmt.Sprintf(format, args...))
	}
	var p Plan
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&p); err != nil {
		return nil, bad("not a plan file (%v)", err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, bad("more data after the plan")
	}
	switch {
	case p.Version != PlanVersion:
		return nil, bad("version %d; this rcolpipe reads version %d", p.Version, PlanVersion)
	case len(p.Fingerprint) != sha256.Size*2 || strings.Trim(p.Fingerprint, "0123456789abcdef") != "":
		return nil, bad("the fingerprint is not a SHA-256 in hex")
	case p.Server == "" || p.ProjectID <= 0:
		return nil, bad("no server or project ID")
	case p.Server != redcap.Printable(p.Server):
		// planServer writes a host and a path; the server is shown when the
		// plan does not fit, so it must not move a terminal's cursor.
		return nil, bad("the server holds control characters")
	case len(p.Dictionary) == 0:
		return nil, bad("no dictionary")
	}
	if p.Structure != nil {
		if err := p.Structure.check(); err != nil {
			return nil, bad("%v", err)
		}
	}
	d, diags := redcap.ReadBytes(path+" (dictionary)", p.Dictionary)
	for _, dg := range diags {
		if dg.Severity == redcap.SeverityError {
			return nil, bad("its dictionary cannot be read: %s", dg.Printable().String())
		}
	}
	if d == nil || d.Len() == 0 {
		return nil, bad("its dictionary is empty")
	}
	// The plan is sent as it is, without the pipeline's validation: a plan
	// edited after diff --plan-out must still pass the rules REDCap would
	// refuse it by (the forms join a project, so no record-ID rules).
	for _, dg := range rules.Check(d, rules.Config{JoinsProject: true}) {
		if dg.Severity == redcap.SeverityError {
			return nil, bad("its dictionary has errors (%s); nothing was sent", dg.Printable().String())
		}
	}
	p.dict = d
	return &p, nil
}

// Dict is the dictionary the plan sends.
func (p *Plan) Dict() *redcap.Dictionary { return p.dict }

// HasStructure reports whether the plan brings a structure (then Check
// needs the project's structure).
func (p *Plan) HasStructure() bool { return p != nil && p.Structure != nil }

// Check refuses the plan unless it was made against this server and
// project and the project's dictionary (current) and, for a plan with a
// structure, its structure (st) are still what they were. A nil plan
// checks nothing.
func (p *Plan) Check(apiURL string, projectID int, current *redcap.Dictionary, st *redcap.Structure) error {
	if p == nil {
		return nil
	}
	server, err := planServer(apiURL)
	if err != nil {
		return err
	}
	if server != p.Server {
		return &PlanError{Reason: fmt.Sprintf("it was made for %s, not %s", redcap.Printable(p.Server), redcap.Printable(server))}
	}
	if projectID != p.ProjectID {
		return &PlanError{Reason: "it was made for project " + strconv.Itoa(p.ProjectID) + ", and the token belongs to project " + strconv.Itoa(projectID)}
	}
	if p.HasStructure() && st == nil {
		return errors.New("the plan changes the project's structure, and the structure was not exported to check it")
	}
	if !p.HasStructure() {
		st = nil
	}
	fp, err := Fingerprint(server, projectID, current, st)
	if err != nil {
		return err
	}
	if fp == p.Fingerprint {
		return nil
	}
	what := "dictionary"
	if p.HasStructure() {
		what = "dictionary or structure (arms, events, designations, repeating settings)"
	}
	return &PlanError{Reason: fmt.Sprintf("the project's %s changed since the plan was made (%d fields then, %d now)", what, p.BaselineFields, current.Len())}
}

// WriteFiles writes, after a successful dry run against the project at
// url, the plan to planPath and the draft dictionary to draftPath ("" for
// neither), and notes them in rep.
func (rep *Report) WriteFiles(url, planPath, draftPath string) error {
	if planPath != "" {
		p, err := NewPlan(url, rep)
		if err != nil {
			return err
		}
		if err := WritePlan(planPath, p); err != nil {
			return err
		}
		rep.PlanFile = planPath
	}
	if draftPath != "" {
		if err := WriteDraft(draftPath, rep.Sent); err != nil {
			return err
		}
		rep.DraftFile = draftPath
	}
	return nil
}
