package api

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// FormAccess is the data-entry access a user has to one form.
type FormAccess int

// Form access levels, the same in both of REDCap's encodings.
const (
	FormNoAccess FormAccess = iota
	FormReadOnly
	FormViewEdit
)

func (a FormAccess) String() string {
	switch a {
	case FormNoAccess:
		return "no access"
	case FormReadOnly:
		return "read only"
	case FormViewEdit:
		return "view & edit"
	}
	return "unknown"
}

// FormRight is a user's right on one form, normalised from REDCap's two
// encodings (docs/redcap.md#form-rights): before 15.6, 0 no access, 2 read
// only, 1 view & edit, 3 view & edit + edit survey responses; from 15.6,
// 128 no access, 129 read only, 130 view & edit, plus 8 for editing
// survey responses and 16 for deleting.
type FormRight struct {
	Access              FormAccess
	EditSurveyResponses bool
	Delete              bool
	// Raw is the value REDCap sent.
	Raw int
}

func (r FormRight) String() string {
	s := r.Access.String()
	if r.EditSurveyResponses {
		s += " + edit survey responses"
	}
	if r.Delete {
		s += " + delete"
	}
	return s
}

// ParseFormRight normalises one form-right value in either encoding.
func ParseFormRight(v int) (FormRight, error) {
	r := FormRight{Raw: v}
	switch {
	case v == 0:
		r.Access = FormNoAccess
	case v == 1:
		r.Access = FormViewEdit
	case v == 2:
		r.Access = FormReadOnly
	case v == 3:
		r.Access, r.EditSurveyResponses = FormViewEdit, true
	case v >= 128 && v < 256:
		bits := v - 128
		level := bits & 3
		if level == 3 || bits&^(3|8|16) != 0 {
			return r, fmt.Errorf("form right %d is not a REDCap form right", v)
		}
		r.Access = []FormAccess{FormNoAccess, FormReadOnly, FormViewEdit}[level]
		r.EditSurveyResponses = bits&8 != 0
		r.Delete = bits&16 != 0
	default:
		return r, fmt.Errorf("form right %d is not a REDCap form right", v)
	}
	return r, nil
}

// User is one row of content=user: who the user is and their rights. If
// the user is in a role, REDCap returns the role's rights.
type User struct {
	Username        string
	Email           string
	FirstName       string
	LastName        string
	Expiration      string // "" or YYYY-MM-DD
	DataAccessGroup string
	// Design, UserRights (0 none, 1 full, 2 read only), APIExport and
	// APIImport are the rights rcolpipe checks; Rights holds every integer
	// right by REDCap's key.
	Design     int
	UserRights int
	APIExport  int
	APIImport  int
	Rights     map[string]int
	// Forms are the data-entry rights per form; FormsExport the raw
	// data-export rights per form.
	Forms       map[string]FormRight
	FormsExport map[string]int
}

// Users exports the project's users and their rights (content=user). It
// needs API Export and the User Rights privilege (*ErrNoUserRights
// otherwise).
func (c *Client) Users(ctx context.Context) ([]User, error) {
	resp, err := c.call(ctx, "user", nil, true)
	if err != nil {
		return nil, err
	}
	users, err := decodeUsers(resp.body)
	if err != nil {
		return nil, c.badJSON("user", resp.body, err)
	}
	return users, nil
}

func decodeUsers(body []byte) ([]User, error) {
	var rows []map[string]json.RawMessage
	if err := json.Unmarshal(body, &rows); err != nil {
		return nil, err
	}
	users := make([]User, 0, len(rows))
	for i, row := range rows {
		u := User{Rights: map[string]int{}}
		for k, v := range row {
			var err error
			switch k {
			case "username":
				u.Username, err = rawString(v)
			case "email":
				u.Email, err = rawString(v)
			case "firstname":
				u.FirstName, err = rawString(v)
			case "lastname":
				u.LastName, err = rawString(v)
			case "expiration":
				u.Expiration, err = rawString(v)
			case "data_access_group":
				u.DataAccessGroup, err = rawString(v)
			case "forms":
				var raw map[string]int
				raw, err = decodeFormMap(v)
				if err == nil {
					u.Forms = make(map[string]FormRight, len(raw))
					for form, n := range raw {
						fr, ferr := ParseFormRight(n)
						if ferr != nil {
							err = fmt.Errorf("form %s: %w", form, ferr)
							break
						}
						u.Forms[form] = fr
					}
				}
			case "forms_export":
				u.FormsExport, err = decodeFormMap(v)
			default:
				// Every other key is an integer right; text keys of newer
				// servers (labels, IDs) are skipped.
				if n, ierr := rawInt(v); ierr == nil {
					u.Rights[k] = n
				}
			}
			if err != nil {
				return nil, fmt.Errorf("user row %d, %s: %w", i+1, k, err)
			}
		}
		u.Design = u.Rights["design"]
		u.UserRights = u.Rights["user_rights"]
		u.APIExport = u.Rights["api_export"]
		u.APIImport = u.Rights["api_import"]
		users = append(users, u)
	}
	return users, nil
}

// decodeFormMap reads REDCap's form-rights value: a JSON object
// {"form": 1} (json), or the string "form:1,form2:0" (csv, and some
// servers in json too). An empty array means no forms.
func decodeFormMap(m json.RawMessage) (map[string]int, error) {
	out := map[string]int{}
	s := strings.TrimSpace(string(m))
	switch {
	case s == "" || s == "null" || s == "[]" || s == `""`:
		return out, nil
	case strings.HasPrefix(s, "{"):
		var raw map[string]json.RawMessage
		if err := json.Unmarshal(m, &raw); err != nil {
			return nil, err
		}
		for k, v := range raw {
			n, err := rawInt(v)
			if err != nil {
				return nil, fmt.Errorf("form %s: %w", k, err)
			}
			out[k] = n
		}
		return out, nil
	case strings.HasPrefix(s, `"`):
		str, err := rawString(m)
		if err != nil {
			return nil, err
		}
		parts := strings.Split(str, ",")
		for i, part := range parts {
			part = strings.TrimSpace(part)
			if part == "" {
				continue
			}
			form, val, ok := strings.Cut(part, ":")
			n, err := strconv.Atoi(strings.TrimSpace(val))
			if !ok || err != nil {
				return nil, fmt.Errorf("form right %d of %d: want form:number", i+1, len(parts))
			}
			out[strings.TrimSpace(form)] = n
		}
		return out, nil
	}
	// The server's value is not quoted back: it could hold anything.
	return nil, fmt.Errorf("want an object of form rights, got a value of %d bytes", len(s))
}

// FindUser returns the user with the given name (REDCap lower-cases user
// names, so the match ignores case), or nil.
func FindUser(users []User, name string) *User {
	for i := range users {
		if strings.EqualFold(users[i].Username, strings.TrimSpace(name)) {
			return &users[i]
		}
	}
	return nil
}

// sortedForms returns the keys of m in order (for stable reports).
func sortedForms[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
