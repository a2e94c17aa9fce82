package api

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
)

// Result is the outcome of one preflight check.
type Result string

// Preflight results.
const (
	ResultOK      Result = "ok"
	ResultFail    Result = "fail"
	ResultWarn    Result = "warn"
	ResultSkipped Result = "skipped"
)

// PreflightItem is one row of a preflight report.
type PreflightItem struct {
	Check  string `json:"check"`
	Result Result `json:"result"`
	Detail string `json:"detail"`
	Advice string `json:"advice,omitempty"`
	// Required items must be ok for an upload to work.
	Required bool `json:"required"`
}

// PreflightReport is what Preflight found, one item per check, in order.
type PreflightReport struct {
	URL   string          `json:"url"`
	Items []PreflightItem `json:"checks"`
	// Version and Project are filled in when those calls succeeded.
	Version string       `json:"redcap_version,omitempty"`
	Project *ProjectInfo `json:"project,omitempty"`
	// User is the user export row of PreflightOptions.Username, if read.
	User *User `json:"-"`
}

// OK reports whether every required check passed.
func (r *PreflightReport) OK() bool {
	for _, it := range r.Items {
		if it.Required && it.Result != ResultOK {
			return false
		}
	}
	return true
}

// Failures returns the items that failed.
func (r *PreflightReport) Failures() []PreflightItem {
	var out []PreflightItem
	for _, it := range r.Items {
		if it.Result == ResultFail {
			out = append(out, it)
		}
	}
	return out
}

// Err returns an error listing the failed checks, or nil when OK.
func (r *PreflightReport) Err() error {
	if r.OK() {
		return nil
	}
	var lines []string
	for _, it := range r.Items {
		if it.Required && it.Result != ResultOK {
			lines = append(lines, fmt.Sprintf("%s: %s", it.Check, it.Detail))
		}
	}
	return fmt.Errorf("preflight failed: %s", strings.Join(lines, "; "))
}

// PreflightOptions tunes Preflight.
type PreflightOptions struct {
	// Username, when set, is looked up in the user export to check its
	// API Import, Design and form rights. REDCap cannot tell a token's
	// owner, so the caller must name it.
	Username string
}

// Names of the preflight checks.
const (
	CheckToken     = "token and API Export"
	CheckStatus    = "project status"
	CheckProject   = "project type"
	CheckDesign    = "Project Design rights"
	CheckUser      = "user rights"
	CheckImport    = "API Import/Update"
	CheckUserDsgn  = "Project Design (user)"
	CheckFormRight = "form rights"
)

// Preflight checks, with read-only calls, whether the client's token can
// upload a data dictionary: version (token valid, API Export), project
// information (status Development), the repeating-forms export (Project
// Design rights) and, with a user name, the user export (API Import,
// Design, form rights). API Import itself cannot be probed without a side
// effect; the report says so. Later checks that depend on a failed one are
// reported as skipped. The requests are independent and sent at once.
func Preflight(ctx context.Context, c *Client, opts PreflightOptions) PreflightReport {
	r := preflight(ctx, c, opts)
	// The details quote what the server said (titles, user and form
	// names), decoded: redact them once more.
	for i := range r.Items {
		r.Items[i].Detail = c.token.Redact(r.Items[i].Detail)
		r.Items[i].Advice = c.token.Redact(r.Items[i].Advice)
	}
	return r
}

// preflightAnswers are the answers of the preflight's requests, which
// are independent of each other and so sent at once: the preflight costs
// one round trip, not four.
type preflightAnswers struct {
	version    string
	versionErr error
	project    *ProjectInfo
	projectErr error
	repeatErr  error
	users      []User
	usersErr   error
}

// fetchPreflight sends the preflight's requests concurrently and waits
// for all of them.
func fetchPreflight(ctx context.Context, c *Client, opts PreflightOptions) *preflightAnswers {
	var a preflightAnswers
	var wg sync.WaitGroup
	wg.Go(func() { a.version, a.versionErr = c.Version(ctx) })
	wg.Go(func() { a.project, a.projectErr = c.ProjectInfo(ctx) })
	wg.Go(func() { _, a.repeatErr = c.RepeatingFormsEvents(ctx) })
	if opts.Username != "" {
		wg.Go(func() { a.users, a.usersErr = c.Users(ctx) })
	}
	wg.Wait()
	return &a
}

func preflight(ctx context.Context, c *Client, opts PreflightOptions) PreflightReport {
	ans := fetchPreflight(ctx, c, opts)
	r := PreflightReport{URL: c.URL()}
	add := func(it PreflightItem) { r.Items = append(r.Items, it) }
	fail := func(check string, err error, required bool) {
		add(PreflightItem{Check: check, Result: ResultFail, Detail: err.Error(), Advice: Advice(err), Required: required})
	}
	skipRest := func(reason string, checks ...string) {
		for _, ch := range checks {
			add(PreflightItem{Check: ch, Result: ResultSkipped, Detail: reason, Required: ch != CheckProject && ch != CheckImport})
		}
	}

	// 1. version: the token is known and has API Export.
	v, err := ans.version, ans.versionErr
	if err != nil {
		fail(CheckToken, err, true)
		skipRest("not checked: "+shortReason(err), CheckStatus, CheckDesign)
		add(importItem(false))
		return r
	}
	r.Version = v
	add(PreflightItem{Check: CheckToken, Result: ResultOK, Required: true,
		Detail: fmt.Sprintf("REDCap %s accepts the token (from %s) and it may export", v, c.Token().Source())})

	// 2. project information: status must be Development.
	p, err := ans.project, ans.projectErr
	switch {
	case err != nil:
		fail(CheckStatus, err, true)
	case p.InProduction != 0:
		pe := &ErrProduction{ProjectStatus: p.InProduction}
		add(PreflightItem{Check: CheckStatus, Result: ResultFail, Required: true,
			Detail: fmt.Sprintf("project %d %q is in %s status; REDCap accepts a data dictionary through the API only in Development", p.ProjectID, p.Title, p.StatusName()),
			Advice: pe.Advice()})
	default:
		add(PreflightItem{Check: CheckStatus, Result: ResultOK, Required: true,
			Detail: fmt.Sprintf("project %d %q is in Development status", p.ProjectID, p.Title)})
	}
	if p != nil {
		r.Project = p
		if p.IsLongitudinal {
			add(PreflightItem{Check: CheckProject, Result: ResultWarn,
				Detail: "longitudinal: new instruments are designated to no event",
				Advice: "After the upload, designate new instruments to events (Project Setup > Designate Instruments for My Events)."})
		} else {
			add(PreflightItem{Check: CheckProject, Result: ResultOK, Detail: "classic (not longitudinal): new instruments are available at once"})
		}
	}

	// 3. repeating forms export: REDCap checks Design rights first.
	if err := ans.repeatErr; err != nil {
		var nd *ErrNoDesign
		if errors.As(err, &nd) {
			fail(CheckDesign, err, true)
		} else {
			add(PreflightItem{Check: CheckDesign, Result: ResultFail, Required: true,
				Detail: "could not probe Project Design rights: " + err.Error(), Advice: Advice(err)})
		}
	} else {
		add(PreflightItem{Check: CheckDesign, Result: ResultOK, Required: true,
			Detail: "the token's user may change the project's design (repeating instruments export allowed)"})
	}

	// 4. user rights, when the caller named the token's user.
	if opts.Username == "" {
		add(importItem(true))
		return r
	}
	users, err := ans.users, ans.usersErr
	if err != nil {
		var nur *ErrNoUserRights
		res := ResultFail
		if errors.As(err, &nur) {
			res = ResultWarn
		}
		add(PreflightItem{Check: CheckUser, Result: res, Detail: err.Error(), Advice: Advice(err)})
		add(importItem(false))
		return r
	}
	u := FindUser(users, opts.Username)
	if u == nil {
		add(PreflightItem{Check: CheckUser, Result: ResultFail, Required: true,
			Detail: fmt.Sprintf("user %q is not a user of this project (%d users)", opts.Username, len(users)),
			Advice: "Check --username (or RC_USERNAME): it is your REDCap login name, as on the project's User Rights page."})
		add(importItem(false))
		return r
	}
	r.User = u
	add(PreflightItem{Check: CheckUser, Result: ResultOK, Detail: fmt.Sprintf("read the rights of user %s", u.Username)})
	if u.APIImport == 1 {
		add(PreflightItem{Check: CheckImport, Result: ResultOK, Required: true,
			Detail: fmt.Sprintf("user %s has API Import/Update (from the user export)", u.Username)})
	} else {
		ni := &ErrNoImport{}
		add(PreflightItem{Check: CheckImport, Result: ResultFail, Required: true,
			Detail: fmt.Sprintf("user %s has no API Import/Update right", u.Username), Advice: ni.Advice()})
	}
	if u.Design == 1 {
		add(PreflightItem{Check: CheckUserDsgn, Result: ResultOK, Required: true,
			Detail: fmt.Sprintf("user %s has Project Design and Setup", u.Username)})
	} else {
		nd := &ErrNoDesign{}
		add(PreflightItem{Check: CheckUserDsgn, Result: ResultFail, Required: true,
			Detail: fmt.Sprintf("user %s has no Project Design and Setup right", u.Username), Advice: nd.Advice()})
	}
	add(formRightsItem(u))
	return r
}

// importItem is the API Import row when the right could not be read.
func importItem(suggestUsername bool) PreflightItem {
	detail := "not checked: REDCap has no read-only way to test API Import/Update; the import fails before changing anything if it is missing"
	if suggestUsername {
		detail += " (pass --username to read it from the user export)"
	}
	return PreflightItem{Check: CheckImport, Result: ResultSkipped, Detail: detail,
		Advice: "If the upload says the token has no API Import/Update right, ask the project's user-rights manager for it."}
}

// formRightsItem reports forms the user cannot edit. Form rights do not
// stop a dictionary upload, so this is at most a warning.
func formRightsItem(u *User) PreflightItem {
	var limited []string
	for _, form := range sortedForms(u.Forms) {
		if fr := u.Forms[form]; fr.Access != FormViewEdit {
			limited = append(limited, fmt.Sprintf("%s (%s)", form, fr.Access))
		}
	}
	if len(limited) == 0 {
		return PreflightItem{Check: CheckFormRight, Result: ResultOK,
			Detail: fmt.Sprintf("view & edit on every form (%d)", len(u.Forms))}
	}
	return PreflightItem{Check: CheckFormRight, Result: ResultWarn,
		Detail: "limited data-entry rights on " + strings.Join(limited, ", "),
		Advice: "This does not stop an upload; ask for View & Edit on these forms if you need to enter data in them."}
}

// shortReason is the first clause of an error, for skipped rows.
func shortReason(err error) string {
	var (
		ut *ErrUnknownToken
		ne *ErrNoExport
		ex *ErrExpired
	)
	switch {
	case errors.As(err, &ut):
		return "the token was refused"
	case errors.As(err, &ne):
		return "the token may not export, so nothing else can be read"
	case errors.As(err, &ex):
		return "the token's rights expired"
	}
	return "the server could not be queried"
}
