package api

import (
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/rcolpipe/rcolpipe/internal/lazyre"
)

// Advisor is implemented by the errors of this package: Advice tells the
// user what to do about the error, in a sentence or two.
type Advisor interface {
	error
	Advice() string
}

// Advice returns the advice of the first error in err's chain that has
// one, or "".
func Advice(err error) string {
	var a Advisor
	if errors.As(err, &a) {
		return a.Advice()
	}
	return ""
}

// ErrEmptyDictionary is returned, before anything is sent, by
// ImportMetadata for a dictionary without fields: REDCap would accept it
// and delete every field of the project.
var ErrEmptyDictionary = errors.New("refusing to import an empty data dictionary: REDCap would delete every field of the project")

// serverText formats the server's own message for an Error string.
func serverText(status int, msg string) string {
	if msg == "" {
		return fmt.Sprintf("HTTP %d", status)
	}
	return fmt.Sprintf("HTTP %d: %s", status, msg)
}

// ErrUnknownToken is REDCap's generic 403 "You do not have permissions to
// use the API": the token is unknown, revoked, malformed, or its user is
// suspended. REDCap does not say which.
type ErrUnknownToken struct {
	Status  int
	Message string
}

func (e *ErrUnknownToken) Error() string {
	return "REDCap does not accept the API token (" + serverText(e.Status, e.Message) + ")"
}

// Advice says how to get a working token.
func (e *ErrUnknownToken) Advice() string {
	return "The token is unknown to this REDCap server: it may be mistyped or truncated, regenerated or revoked, " +
		"belong to another project or server, or your account may be suspended. Copy it again from Applications > API " +
		"in the project, or request an API token from your REDCap administrator (the request needs their approval)."
}

// ErrNoExport is 403 "You do not have API Export privileges".
type ErrNoExport struct {
	Status  int
	Message string
}

func (e *ErrNoExport) Error() string {
	return "the token has no API Export right (" + serverText(e.Status, e.Message) + ")"
}

// Advice says which right to ask for.
func (e *ErrNoExport) Advice() string {
	return "Ask the project's user-rights manager (or your REDCap administrator) for the API Export right: rcolpipe exports " +
		"the current dictionary to back it up, merge into it and verify an upload."
}

// ErrNoImport is 403 "You do not have API Import/Update privileges".
type ErrNoImport struct {
	Status  int
	Message string
}

func (e *ErrNoImport) Error() string {
	return "the token has no API Import/Update right (" + serverText(e.Status, e.Message) + ")"
}

// Advice says which right to ask for.
func (e *ErrNoImport) Advice() string {
	return "Ask the project's user-rights manager (or your REDCap administrator) for the API Import/Update right; " +
		"uploading a data dictionary also needs the Project Design and Setup right."
}

// ErrNoDesign is REDCap's 400 "Insufficient user privileges: You must
// have ... 'Project Design and Setup' privileges" (metadata import) or
// "... 'Project Setup/Design' privileges" (repeating forms export).
type ErrNoDesign struct {
	Status  int
	Message string
}

func (e *ErrNoDesign) Error() string {
	return "the token's user has no Project Design and Setup right (" + serverText(e.Status, e.Message) + ")"
}

// Advice says which right to ask for.
func (e *ErrNoDesign) Advice() string {
	return "Ask the project's user-rights manager for the Project Design and Setup right (User Rights page of the project); " +
		"REDCap only lets users with it change the data dictionary."
}

// ErrNoUserRights is the 400 REDCap gives the user export when the
// token's user lacks the User Rights privilege.
type ErrNoUserRights struct {
	Status  int
	Message string
}

func (e *ErrNoUserRights) Error() string {
	return "the token's user may not read the project's user rights (" + serverText(e.Status, e.Message) + ")"
}

// Advice says what the missing right prevents.
func (e *ErrNoUserRights) Advice() string {
	return "Reading users needs the User Rights privilege (Full Access or Read Only). Without it rcolpipe cannot check " +
		"the API Import and form rights in advance; the upload itself still works if those rights are there."
}

// ErrNoLogging is the 403 REDCap gives the log export when the token's
// user lacks the Logging privilege.
type ErrNoLogging struct {
	Status  int
	Message string
}

func (e *ErrNoLogging) Error() string {
	return "the token's user may not read the project's log (" + serverText(e.Status, e.Message) + ")"
}

// Advice says what the missing right prevents.
func (e *ErrNoLogging) Advice() string {
	return "Reading the project log needs the Logging privilege (User Rights page of the project); " +
		"without it changes made by others cannot be seen in the log."
}

// ErrNoDataExport is the 403 REDCap gives the log export (and other
// data methods) when the token's user has "No Access" data export rights.
type ErrNoDataExport struct {
	Status  int
	Message string
}

func (e *ErrNoDataExport) Error() string {
	return "the token's user has no data export rights (" + serverText(e.Status, e.Message) + ")"
}

// Advice says which right is missing.
func (e *ErrNoDataExport) Advice() string {
	return "Ask the project's user-rights manager for data export rights (at least de-identified) on the User Rights page."
}

// ErrExpired is 403 "You do not have API rights because your privileges
// have expired for this project as of DATE".
type ErrExpired struct {
	Status  int
	Date    string // YYYY-MM-DD, "" when the message had none
	Message string
}

func (e *ErrExpired) Error() string {
	when := ""
	if e.Date != "" {
		when = " on " + e.Date
	}
	return "the token's rights in this project expired" + when + " (" + serverText(e.Status, e.Message) + ")"
}

// Advice says who can extend the rights.
func (e *ErrExpired) Advice() string {
	return "Ask the project's user-rights manager to extend or remove your expiration date on the User Rights page."
}

// ErrProduction means the project is not in Development status, so
// REDCap refuses a metadata import ("This method cannot be used while the
// project is in Production status."; Analysis/Cleanup gives the same).
type ErrProduction struct {
	// ProjectStatus is REDCap's status: 1 Production, 2 Analysis/Cleanup;
	// 0 when only the server's message is known.
	ProjectStatus int
	Status        int
	Message       string
}

// StatusName names a REDCap project status.
func StatusName(status int) string {
	switch status {
	case 0:
		return "Development"
	case 1:
		return "Production"
	case 2:
		return "Analysis/Cleanup"
	}
	return "status " + strconv.Itoa(status)
}

func (e *ErrProduction) Error() string {
	name := "Production"
	if e.ProjectStatus != 0 {
		name = StatusName(e.ProjectStatus)
	}
	s := "the project is in " + name + " status; REDCap accepts a data dictionary through the API only in Development"
	if e.Message != "" {
		s += " (" + serverText(e.Status, e.Message) + ")"
	}
	return s
}

// Advice says how to change the dictionary of a project in production.
func (e *ErrProduction) Advice() string {
	return "Make the change in Draft Mode: write the whole merged dictionary with rcolpipe upload --draft-file FILE.csv " +
		"(same inputs and flags), enter Draft Mode, upload FILE.csv on the project's Data Dictionary page, review the changes " +
		"and submit them. Do not upload a file holding only your instruments there: it replaces the whole dictionary. " +
		"Or ask a REDCap administrator to move the project back to Development."
}

// ErrWrongURL means the server answered with an HTML page where the API
// answers with data: the URL is not REDCap's API endpoint, or a login
// (single sign-on) page or proxy is in the way.
type ErrWrongURL struct {
	Status int
	URL    string
	Title  string // the page's <title>, if any
}

func (e *ErrWrongURL) Error() string {
	s := fmt.Sprintf("%s answered with an HTML page (HTTP %d", e.URL, e.Status)
	if e.Title != "" {
		s += fmt.Sprintf(", title %q", e.Title)
	}
	return s + ") instead of API data: wrong URL or a login page"
}

// Advice says what to check.
func (e *ErrWrongURL) Advice() string {
	return "Check that the URL ends in /api/: it is your REDCap address followed by /api/, e.g. https://redcap.example.org/redcap/api/ " +
		"(shown on the project's API page). If that is right, a login (single sign-on) page or proxy sits in front of " +
		"the API: ask your REDCap administrator which URL scripts should use."
}

// ErrRedirect means the server redirected the request. rcolpipe does not
// follow redirects: a redirected POST becomes a GET, which REDCap refuses
// (501), and the token would be sent to another address.
type ErrRedirect struct {
	Status   int
	URL      string
	Location string // resolved against URL
}

func (e *ErrRedirect) Error() string {
	if e.Location == "" {
		return fmt.Sprintf("%s redirects (HTTP %d) without saying where", e.URL, e.Status)
	}
	if !e.usable() {
		return fmt.Sprintf("%s redirects (HTTP %d) to %s, which is not an API URL", e.URL, e.Status, e.Location)
	}
	return fmt.Sprintf("%s redirects (HTTP %d) to %s: use that URL instead", e.URL, e.Status, e.Location)
}

// usable reports whether Location passes CheckURL, so that it can be
// suggested as --url.
func (e *ErrRedirect) usable() bool {
	_, err := CheckURL(e.Location)
	return err == nil
}

// Advice says what to do.
func (e *ErrRedirect) Advice() string {
	switch {
	case e.Location == "":
		return "Check the URL; it must be the API endpoint itself, ending in /api/."
	case !e.usable():
		// Typically a login (single sign-on) page, with a query.
		return "The API answers with a redirect to a page that is not an API endpoint, often a login (single sign-on) page " +
			"in front of REDCap: ask your REDCap administrator which URL scripts should use."
	}
	return "Use --url " + e.Location + " (or set it in the pipeline file); rcolpipe does not follow redirects " +
		"because a redirected POST loses its body and would send the token elsewhere."
}

// NetworkError is a failure to reach the server or read its answer:
// DNS, refused or dropped connections, TLS, or a timeout.
type NetworkError struct {
	Op      string // the API content, e.g. "metadata"
	URL     string
	Timeout bool
	msg     string // the cause, with the token redacted
	Err     error
}

func (e *NetworkError) Error() string {
	what := "network error"
	if e.Timeout {
		what = "timed out"
	}
	return fmt.Sprintf("REDCap %s request to %s: %s: %s", e.Op, e.URL, what, e.msg)
}

func (e *NetworkError) Unwrap() error { return e.Err }

// Advice says what to check.
func (e *NetworkError) Advice() string {
	if e.Timeout {
		return "The server did not answer in time: try again later, or raise --timeout for large dictionaries."
	}
	return "Check the URL and your network connection (VPN, proxy, firewall); the server may also be down."
}

// APIError is any other error REDCap (or something in front of it)
// returned.
type APIError struct {
	Status  int
	Message string
}

func (e *APIError) Error() string {
	return "REDCap API error (" + serverText(e.Status, e.Message) + ")"
}

// Advice gives general advice for the status.
func (e *APIError) Advice() string {
	switch {
	case e.Status == 501:
		return "REDCap only answers POST requests: something turned the request into another method (often an http to https redirect). Check the URL."
	case e.Status == 404:
		return "Check the URL: it is your REDCap address followed by /api/."
	case e.Status == 408 || e.Status >= 500:
		return "The server had a problem; try again later. If it persists, contact your REDCap administrator."
	}
	return "Read the server's message above; if it is unclear, ask your REDCap administrator."
}

// DictionaryProblem is one problem REDCap found in an uploaded dictionary.
type DictionaryProblem struct {
	// Message is REDCap's description of the kind of problem.
	Message string
	// Item is the offending entry as REDCap lists it, e.g.
	// "demographics (A3)"; "" when the message stands alone.
	Item string
	// Column is the spreadsheet letter and Row the spreadsheet row (the
	// first field is row 2) of Item's cell reference; "" and 0 when none.
	Column string
	Row    int
}

// String renders the problem on one line.
func (p DictionaryProblem) String() string {
	if p.Item == "" {
		return p.Message
	}
	if p.Message == "" {
		return p.Item
	}
	return strings.TrimRight(p.Message, ".: ") + ": " + p.Item
}

// DictionaryErrors is REDCap's 400 answer to a metadata import whose
// dictionary has errors, split into one problem per entry. REDCap joins
// its messages with newlines after stripping the HTML, so list entries run
// together ("…only appear once.demographics (A3)demographics (A4)").
type DictionaryErrors struct {
	Status   int
	Problems []DictionaryProblem
}

func (e *DictionaryErrors) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "REDCap rejected the data dictionary (%d problem", len(e.Problems))
	if len(e.Problems) != 1 {
		b.WriteString("s")
	}
	b.WriteString("):")
	for _, p := range e.Problems {
		b.WriteString("\n  ")
		b.WriteString(p.String())
	}
	return b.String()
}

// Lines returns one line per problem.
func (e *DictionaryErrors) Lines() []string {
	out := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		out[i] = p.String()
	}
	return out
}

// Advice says what to do.
func (e *DictionaryErrors) Advice() string {
	return "Nothing was changed. Fix the listed rows (row 2 is the first field) and run rcolpipe validate, which reports these problems before upload."
}

// ImportOutcome says whether a failed import changed the project.
type ImportOutcome int

// The outcomes of a failed import, learnt by exporting again.
const (
	ImportUnknown    ImportOutcome = iota // not proven either way
	ImportNotApplied                      // the project did not change
	ImportApplied                         // the project holds what was sent
)

// ImportError is a metadata import that failed in a way that leaves open
// whether REDCap applied it (a timeout, a dropped connection, a 5xx). The
// client exported the dictionary again to find out; Outcome says what it
// learnt.
type ImportError struct {
	Outcome ImportOutcome
	// Err is the import's own failure.
	Err error
	// VerifyErr is the failure of the export that was to check the
	// outcome (Outcome is ImportUnknown).
	VerifyErr error
	// Detail describes what the check found (e.g. the first difference).
	Detail string
}

func (e *ImportError) Error() string {
	switch e.Outcome {
	case ImportApplied:
		return fmt.Sprintf("the import applied despite the error: the project's dictionary, exported again, is what was sent (import error: %v)", e.Err)
	case ImportNotApplied:
		s := fmt.Sprintf("the import did not apply; nothing changed (import error: %v)", e.Err)
		if e.Detail != "" {
			s += "; " + e.Detail
		}
		return s
	}
	if e.VerifyErr != nil {
		return fmt.Sprintf("the import failed and it is not known whether it applied: exporting the dictionary to check failed (%v) (import error: %v)", e.VerifyErr, e.Err)
	}
	return fmt.Sprintf("the import failed and it is not known whether it applied: %s (import error: %v)", e.Detail, e.Err)
}

func (e *ImportError) Unwrap() error { return e.Err }

// Advice says what to do next.
func (e *ImportError) Advice() string {
	switch e.Outcome {
	case ImportApplied:
		return "Nothing to redo: the dictionary is in the project (see it with rcolpipe export)."
	case ImportNotApplied:
		return "Upload again when the server is reachable; raise --timeout for a large dictionary."
	}
	return "REDCap may still apply the import. Wait a few minutes, then run rcolpipe export (or look for \"Upload data dictionary (API)\" on the project's Logging page) " +
		"to see whether the project holds the new dictionary. Do not upload again before you know: an import that lands late replaces whatever the project holds then " +
		"(the next upload's log check reports it if it lands during that upload)."
}

// classify maps a REDCap error message to a typed error, or nil when the
// message is not one this package knows. Matching uses stable substrings
// of the 15.7.6 English messages (docs/redcap.md#order-of-checks, #error-messages).
func classify(status int, msg string) error {
	switch {
	case strings.Contains(msg, "privileges have expired"):
		return &ErrExpired{Status: status, Date: dateRe.FindString(msg), Message: msg}
	case strings.Contains(msg, "You do not have API Export privileges"):
		return &ErrNoExport{Status: status, Message: msg}
	case strings.Contains(msg, "You do not have API Import/Update privileges"):
		return &ErrNoImport{Status: status, Message: msg}
	case strings.Contains(msg, `"Logging" privileges`):
		return &ErrNoLogging{Status: status, Message: msg}
	case strings.Contains(msg, `"No Access" data export rights`):
		return &ErrNoDataExport{Status: status, Message: msg}
	case strings.Contains(msg, "Insufficient user privileges") && strings.Contains(msg, "User Rights"):
		return &ErrNoUserRights{Status: status, Message: msg}
	case strings.Contains(msg, "Insufficient user privileges") && strings.Contains(msg, "Design"):
		return &ErrNoDesign{Status: status, Message: msg}
	case strings.Contains(msg, "cannot be used while the project is in Production"):
		return &ErrProduction{Status: status, Message: msg}
	case status == 403 && (msg == "" || strings.HasPrefix(msg, "You do not have permissions to use the API")):
		return &ErrUnknownToken{Status: status, Message: msg}
	case status == 401:
		// REDCap 15.7.6 never sends 401, but its help page lists it for a
		// missing or wrong token (and rcol's documentation quotes one).
		return &ErrUnknownToken{Status: status, Message: msg}
	}
	return nil
}

var dateRe = lazyre.New(`\d{4}-\d{2}-\d{2}`)

// parseErrorBody extracts the message of a REDCap error body in any of
// its three formats: {"error":"…"}, "ERROR: …" (csv) or
// <hash><error>…</error></hash> (xml). Anything else is returned trimmed
// (and shortened), with ok false.
func parseErrorBody(body []byte) (msg string, ok bool) {
	s := strings.TrimSpace(strings.TrimPrefix(string(body), "\ufeff"))
	switch {
	case strings.HasPrefix(s, "{"):
		var v struct {
			Error *string `json:"error"`
		}
		if json.Unmarshal([]byte(s), &v) == nil && v.Error != nil {
			return strings.TrimSpace(*v.Error), true
		}
	case len(s) >= 6 && strings.EqualFold(s[:6], "ERROR:"):
		return strings.TrimSpace(s[6:]), true
	case strings.HasPrefix(s, "<"):
		if m := xmlErrorRe.FindStringSubmatch(s); m != nil {
			return strings.TrimSpace(html.UnescapeString(m[1])), true
		}
	}
	return shorten(s, 500), false
}

var xmlErrorRe = lazyre.New(`(?s)<error>(.*?)</error>`)

// shorten cuts s to at most n bytes on a rune boundary.
func shorten(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

// isHTML reports whether body is an HTML page rather than API data.
func isHTML(body []byte, contentType string) bool {
	s := strings.ToLower(strings.TrimSpace(strings.TrimPrefix(string(firstBytes(body, 512)), "\ufeff")))
	if strings.HasPrefix(s, "<!doctype html") || strings.HasPrefix(s, "<html") {
		return true
	}
	if strings.HasPrefix(strings.ToLower(contentType), "text/html") {
		return strings.Contains(s, "<html") || strings.Contains(s, "<body") || strings.Contains(s, "<head")
	}
	return false
}

func firstBytes(b []byte, n int) []byte {
	if len(b) > n {
		return b[:n]
	}
	return b
}

var titleRe = lazyre.New(`(?is)<title[^>]*>(.*?)</title>`)

// htmlTitle returns the page's title, decoded, passed through redact, and
// cut short.
func htmlTitle(body []byte, redact func(string) string) string {
	m := titleRe.FindSubmatch(firstBytes(body, 16<<10))
	if m == nil {
		return ""
	}
	return shorten(redact(strings.Join(strings.Fields(html.UnescapeString(string(m[1]))), " ")), 120)
}

// dictionaryMessagePrefixes start REDCap's data-dictionary error messages
// (15.7.6 English, docs/redcap.md#error-messages); a run-together error body is
// split before each of them.
var dictionaryMessagePrefixes = []string{
	"Each row MUST have",
	"Variables/field names",
	"This is an illegal variable name",
	"The following variable/field names were duplicated",
	"Form names",
	"The only valid field types",
	"For security purposes, 'sql'",
	"Each multiple choice field",
	"Multiple choice fields",
	"Each 'calc' field",
	"There is a syntactical error",
	"There are variables used in",
	"There are custom functions used",
	"There are syntax errors",
	"Only 'text' field types may have validation",
	"The only valid validation types",
	"A field validation type is required",
	"Format for the minimum validation value",
	"Format for the maximum validation value",
	"Invalid date format",
	"Invalid datetime format",
	"The custom min/max value of a slider",
	"Validation type not permitted",
	"Matrix group names",
	"Fields that are part of a matrix group",
	"The cells listed below appear to be in a matrix group",
	"If ranking is used for a matrix",
	"The first field must be",
	"Changing record ID field",
	"The following fields cannot be deleted",
	"The only valid value",
	"Choices should not contain",
}

// cellItemRe ends one listed entry: a cell reference in parentheses,
// optionally followed by REDCap's suggested replacement.
var cellItemRe = lazyre.New(`\(([A-R])([0-9]+)\)( - Suggestion: replace with "[^"]*")?`)

// splitDictionaryErrors turns REDCap's run-together error text into one
// problem per entry.
func splitDictionaryErrors(text string) []DictionaryProblem {
	var problems []DictionaryProblem
	for _, line := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n") {
		for _, msg := range splitAtPrefixes(strings.TrimSpace(line)) {
			if msg = strings.TrimSpace(msg); msg != "" {
				problems = append(problems, splitItems(msg)...)
			}
		}
	}
	return problems
}

// splitAtPrefixes splits s before every known message prefix that does not
// start s and follows something other than a letter (so that a prefix's
// words inside a sentence are left alone).
func splitAtPrefixes(s string) []string {
	var cuts []int
	for _, p := range dictionaryMessagePrefixes {
		for from := 1; from < len(s); {
			i := strings.Index(s[from:], p)
			if i < 0 {
				break
			}
			at := from + i
			if boundaryBefore(s, at) {
				cuts = append(cuts, at)
			}
			from = at + len(p)
		}
	}
	if len(cuts) == 0 {
		return []string{s}
	}
	slices.Sort(cuts)
	var out []string
	prev := 0
	for _, c := range cuts {
		if c > prev {
			out = append(out, s[prev:c])
			prev = c
		}
	}
	return append(out, s[prev:])
}

// boundaryBefore reports whether a message may start at s[at]: the byte
// before it ends a sentence or an entry, not a word.
func boundaryBefore(s string, at int) bool {
	prev := s[at-1]
	switch {
	case prev == ' ':
		// "… (A4). The only valid …" keeps a space; "the following Form names" does not end a sentence.
		t := strings.TrimRight(s[:at], " ")
		return t != "" && strings.ContainsRune(".):\"'", rune(t[len(t)-1]))
	case prev >= 'a' && prev <= 'z', prev >= 'A' && prev <= 'Z':
		return false
	}
	return true
}

// splitItems splits one message into its header and the entries listed
// after it, each ending in a cell reference like "(A3)".
func splitItems(msg string) []DictionaryProblem {
	locs := cellItemRe.FindAllStringSubmatchIndex(msg, -1)
	if len(locs) == 0 {
		return []DictionaryProblem{{Message: msg}}
	}
	headerEnd := headerEnd(msg, locs[0][0])
	header := strings.TrimSpace(msg[:headerEnd])
	var out []DictionaryProblem
	start := headerEnd
	for i, loc := range locs {
		end := loc[1]
		if i == len(locs)-1 {
			end = len(msg) // trailing text belongs to the last entry
		}
		item := strings.Trim(msg[start:end], " ,;")
		row, _ := strconv.Atoi(msg[loc[4]:loc[5]])
		out = append(out, DictionaryProblem{Message: header, Item: item, Column: msg[loc[2]:loc[3]], Row: row})
		start = end
	}
	return out
}

// headerEnd finds where the message text stops and the first entry
// starts: after the last '.' or ':' (outside double quotes) before the
// first cell reference at firstRef.
func headerEnd(msg string, firstRef int) int {
	end := 0
	inQuote := false
	for i := 0; i < firstRef; i++ {
		switch msg[i] {
		case '"':
			inQuote = !inQuote
		case '.', ':':
			if !inQuote {
				end = i + 1
			}
		}
	}
	return end
}
