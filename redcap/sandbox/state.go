package sandbox

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/rcolpipe/rcolpipe/redcap"
)

// StateFile is the name of the state file inside a state folder.
const StateFile = "state.json"

// DefaultVersion is the REDCap version the sandbox reports.
const DefaultVersion = "15.7.6"

// Form-rights encodings of the user export (docs/redcap.md#form-rights).
const (
	// RightsLegacy exports form rights as 0 (no access), 2 (read only),
	// 1 (view & edit), 3 (edit survey responses).
	RightsLegacy = "legacy"
	// Rights156 exports them as REDCap 15.6+ does: 128, 129, 130, plus 8
	// for "edit survey responses".
	Rights156 = "15.6"
)

// State is everything the sandbox knows: projects, and the tokens of their
// users. It is what state.json holds (docs/sandbox.md).
type State struct {
	// Version is what content=version answers ("" means DefaultVersion).
	Version  string     `json:"redcap_version,omitempty"`
	Projects []*Project `json:"projects"`
	Users    []*User    `json:"users"`
	// ExtraValidationTypes are accepted besides the 39 defaults, as a site
	// adds rows to redcap_validation_types.
	ExtraValidationTypes []ValidationType `json:"extra_validation_types,omitempty"`
	// Faults are injected into the matching requests (see Fault).
	Faults []Fault `json:"faults,omitempty"`
}

// Project is one REDCap project.
type Project struct {
	ID    int    `json:"project_id"`
	Title string `json:"project_title"`
	// Status is 0 Development, 1 Production, 2 Analysis/Cleanup; metadata
	// import needs 0. Exported as in_production.
	Status         int    `json:"status"`
	IsLongitudinal bool   `json:"is_longitudinal"`
	CreationTime   string `json:"creation_time,omitempty"`
	ProductionTime string `json:"production_time,omitempty"`
	Language       string `json:"project_language,omitempty"`
	Purpose        int    `json:"purpose"`
	SurveysEnabled bool   `json:"surveys_enabled"`
	// FormRights is RightsLegacy ("" too) or Rights156: how the user export
	// encodes form rights.
	FormRights string `json:"form_rights_encoding,omitempty"`
	// Instruments are the forms' labels in project order.
	Instruments []Instrument `json:"instruments"`
	// Metadata is the dictionary as REDCap stores it, with the
	// <form>_complete fields, choices separated by `\n` (backslash, n) and
	// flags stored as "1" (see docs/sandbox.md).
	Metadata []redcap.Field `json:"metadata"`
	// Repeating lists repeating instruments/events; empty means none.
	Repeating []Repeating `json:"repeating_forms_events,omitempty"`
	// Arms, Events and FormEvents are a longitudinal project's structure
	// (structure.go).
	Arms       []ArmState       `json:"arms,omitempty"`
	Events     []EventState     `json:"events,omitempty"`
	FormEvents []FormEventState `json:"form_event_mapping,omitempty"`
	// Log is the project's log, oldest first (content=log).
	Log []LogEntry `json:"log,omitempty"`
	// Records are the project's data as flat rows: export field name
	// (checkboxes as field___code) to raw value, in import order.
	Records []Record `json:"records,omitempty"`
}

// Record is one flat record: export field name to raw value.
type Record map[string]string

// Instrument is a form name and its label.
type Instrument struct {
	Name  string `json:"instrument_name"`
	Label string `json:"instrument_label"`
}

// Repeating is one row of the repeatingFormsEvents export.
type Repeating struct {
	EventName       string `json:"event_name"`
	FormName        string `json:"form_name"`
	CustomFormLabel string `json:"custom_form_label"`
}

// User is the holder of one project token.
type User struct {
	// Token is the 32-character API token. It is a secret: the sandbox
	// never prints or logs it.
	Token     string `json:"token"`
	Username  string `json:"username"`
	Email     string `json:"email,omitempty"`
	FirstName string `json:"firstname,omitempty"`
	LastName  string `json:"lastname,omitempty"`
	ProjectID int    `json:"project_id"`
	// Expiration is "" or YYYY-MM-DD: on and after that day the rights
	// have expired.
	Expiration string `json:"expiration,omitempty"`
	Suspended  bool   `json:"suspended,omitempty"`
	Rights     Rights `json:"rights"`
}

// Rights are a user's privileges in the project.
type Rights struct {
	APIExport  int `json:"api_export"`
	APIImport  int `json:"api_import"`
	Design     int `json:"design"`
	UserRights int `json:"user_rights"` // 0 none, 1 full, 2 read only
	Logging    int `json:"logging"`
	// Forms holds the form rights in the legacy encoding (0 no access,
	// 1 view & edit, 2 read only, 3 edit survey responses); the user
	// export converts them for projects with Rights156.
	Forms map[string]int `json:"forms"`
	// FormsExport holds the data-export right of each form (0 no access,
	// 1 full, 2 de-identified, 3 remove identifiers).
	FormsExport map[string]int `json:"forms_export"`
}

// Clone returns a deep copy of the state.
func (s *State) Clone() *State {
	data, err := json.Marshal(s)
	if err != nil {
		panic(fmt.Sprintf("sandbox: marshal state: %v", err)) // plain data cannot fail
	}
	var c State
	if err := json.Unmarshal(data, &c); err != nil {
		panic(fmt.Sprintf("sandbox: unmarshal state: %v", err))
	}
	return &c
}

// Project returns the project with the given id, or nil.
func (s *State) Project(id int) *Project {
	for _, p := range s.Projects {
		if p.ID == id {
			return p
		}
	}
	return nil
}

// Check reports inconsistencies that would make the server misbehave:
// duplicate tokens or project ids, users of unknown projects.
func (s *State) Check() error {
	ids := map[int]bool{}
	for _, p := range s.Projects {
		if ids[p.ID] {
			return fmt.Errorf("project_id %d appears twice", p.ID)
		}
		ids[p.ID] = true
		if p.Status < 0 || p.Status > 2 {
			return fmt.Errorf("project %d: status %d (want 0, 1 or 2)", p.ID, p.Status)
		}
		if p.FormRights != "" && p.FormRights != RightsLegacy && p.FormRights != Rights156 {
			return fmt.Errorf("project %d: form_rights_encoding %q (want %q or %q)", p.ID, p.FormRights, RightsLegacy, Rights156)
		}
	}
	tokens := map[string]bool{}
	for i, u := range s.Users {
		key := strings.ToUpper(u.Token)
		if u.Token == "" {
			return fmt.Errorf("user %d (%s) has no token", i+1, u.Username)
		}
		if tokens[key] {
			return fmt.Errorf("user %d (%s): token is used twice", i+1, u.Username)
		}
		tokens[key] = true
		if !ids[u.ProjectID] {
			return fmt.Errorf("user %d (%s): no project %d", i+1, u.Username, u.ProjectID)
		}
	}
	for i, f := range s.Faults {
		if err := f.check(); err != nil {
			return fmt.Errorf("fault %d: %w", i+1, err)
		}
	}
	return nil
}

// LoadState reads dir/state.json.
func LoadState(dir string) (*State, error) {
	path := filepath.Join(dir, StateFile)
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read sandbox state: %w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var s State
	if err := dec.Decode(&s); err != nil {
		return nil, fmt.Errorf("read sandbox state %s: %w", path, err)
	}
	if err := s.Check(); err != nil {
		return nil, fmt.Errorf("sandbox state %s: %w", path, err)
	}
	return &s, nil
}

// SaveState writes dir/state.json atomically: a temporary file in the same
// folder, synced, then renamed over the old one, so a crash never leaves a
// half-written state.
func SaveState(dir string, s *State) error {
	data, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return fmt.Errorf("encode sandbox state: %w", err)
	}
	data = append(data, '\n')
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("create state folder: %w", err)
	}
	tmp, err := os.CreateTemp(dir, tempPattern)
	if err != nil {
		return fmt.Errorf("write sandbox state: %w", err)
	}
	// The file holds tokens: readable by its owner only.
	err = errors.Join(tmp.Chmod(0o600), write(tmp, data), tmp.Sync(), tmp.Close())
	if err == nil {
		err = os.Rename(tmp.Name(), filepath.Join(dir, StateFile))
	}
	if err != nil {
		_ = os.Remove(tmp.Name())
		return fmt.Errorf("write sandbox state in %s: %w", dir, err)
	}
	return nil
}

// tempPattern names SaveState's temporary files (os.CreateTemp pattern).
const tempPattern = ".state-*.json"

// RemoveStaleTemps deletes the temporary state files in dir that a process
// killed while saving left behind: they hold tokens. Only regular files
// named like SaveState's temporary files go; symbolic links and anything
// else are left alone. Run it only while no server uses dir.
func RemoveStaleTemps(dir string) error {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil // no folder, no leftovers; LoadState says what is missing
	}
	if err != nil {
		return fmt.Errorf("clean sandbox state folder: %w", err)
	}
	var errs []error
	for _, e := range entries {
		if ok, _ := filepath.Match(tempPattern, e.Name()); !ok || !e.Type().IsRegular() {
			continue
		}
		if err := os.Remove(filepath.Join(dir, e.Name())); err != nil && !errors.Is(err, os.ErrNotExist) {
			errs = append(errs, err)
		}
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("remove leftover temporary state files: %w", err)
	}
	return nil
}

func write(f *os.File, data []byte) error {
	_, err := f.Write(data)
	return err
}
