package api

import (
	"errors"
	"strings"
	"testing"
)

// Tests written to kill mutants of errors.go that scripts/mutation.sh found
// alive; each asserts what a user reads in an error or its advice.

func TestErrorTextsSayWhatIsKnown(t *testing.T) {
	for _, tc := range []struct {
		err       error
		has, lack string
	}{
		{&ErrExpired{Status: 403, Date: "2020-01-01", Message: "m"}, "expired on 2020-01-01 (HTTP 403: m)", ""},
		{&ErrExpired{Status: 403, Message: "m"}, "expired (HTTP 403: m)", " on "},
		{&ErrProduction{Status: 400}, "in Production status", "HTTP"},
		{&ErrProduction{ProjectStatus: 2, Status: 400, Message: "m"}, "in Analysis/Cleanup status; REDCap accepts a data dictionary through the API only in Development (HTTP 400: m)", ""},
		{&ErrProduction{ProjectStatus: 1}, "in Production status", ""},
		{&ErrWrongURL{Status: 200, URL: "https://x/api/", Title: "Log in"}, `(HTTP 200, title "Log in") instead of API data`, ""},
		{&ErrWrongURL{Status: 404, URL: "https://x/api/"}, "(HTTP 404) instead of API data", "title"},
		{&ErrUnknownToken{Status: 403}, "(HTTP 403)", ":"},
		{&DictionaryErrors{Status: 400, Problems: []DictionaryProblem{{Message: "A."}}}, "(1 problem):\n  A.", "problems"},
		{&DictionaryErrors{Status: 400, Problems: []DictionaryProblem{{Message: "A."}, {Message: "B", Item: "f (A2)"}}}, "(2 problems):\n  A.\n  B: f (A2)", ""},
		{&DictionaryErrors{Status: 400}, "(0 problems):", ""},
	} {
		got := tc.err.Error()
		if !strings.Contains(got, tc.has) || (tc.lack != "" && strings.Contains(got, tc.lack)) {
			t.Errorf("%T %+v: %q, want it to contain %q and not %q", tc.err, tc.err, got, tc.has, tc.lack)
		}
	}
}

func TestStatusName(t *testing.T) {
	for status, want := range map[int]string{0: "Development", 1: "Production", 2: "Analysis/Cleanup", 5: "status 5"} {
		if got := StatusName(status); got != want {
			t.Errorf("StatusName(%d) = %q, want %q", status, got, want)
		}
	}
}

// Advice for a plain API error depends on the status: a method problem,
// a wrong URL, a server problem (408 and every 5xx), or the message itself.
func TestAPIErrorAdvice(t *testing.T) {
	for status, want := range map[int]string{
		501: "only answers POST",
		404: "Check the URL",
		408: "server had a problem",
		500: "server had a problem",
		503: "server had a problem",
		499: "Read the server's message",
		400: "Read the server's message",
	} {
		if got := (&APIError{Status: status}).Advice(); !strings.Contains(got, want) {
			t.Errorf("status %d: advice %q, want %q", status, got, want)
		}
	}
}

// A 403 is an unknown token only with REDCap's generic message (or none);
// 401 always is; other statuses and messages are not classified.
func TestClassifyUnknownToken(t *testing.T) {
	for _, tc := range []struct {
		status int
		msg    string
		want   bool
	}{
		{403, "", true},
		{403, "You do not have permissions to use the API", true},
		{403, "Forbidden by the firewall", false},
		{401, "anything", true},
		{401, "", true},
		{400, "", false},
		{404, "You do not have permissions to use the API", false},
	} {
		var ut *ErrUnknownToken
		if got := errors.As(classify(tc.status, tc.msg), &ut); got != tc.want {
			t.Errorf("classify(%d, %q): unknown token %v, want %v", tc.status, tc.msg, got, tc.want)
		}
	}
}

// REDCap's csv error body is "ERROR: message", in any letter case; a body
// too short to hold the prefix is not one.
func TestParseErrorBodyCSV(t *testing.T) {
	for _, tc := range []struct {
		body, msg string
		ok        bool
	}{
		{"ERROR: no such field", "no such field", true},
		{"error:x", "x", true},
		{"ERROR:", "", true},
		{"ERROR", "ERROR", false},
		{"\ufeff  ERROR: bom", "bom", true},
	} {
		msg, ok := parseErrorBody([]byte(tc.body))
		if msg != tc.msg || ok != tc.ok {
			t.Errorf("parseErrorBody(%q) = %q, %v; want %q, %v", tc.body, msg, ok, tc.msg, tc.ok)
		}
	}
}

// shorten never cuts a character in two, and survives bytes that are not
// UTF-8 at all.
func TestShortenCutsOnRuneBoundaries(t *testing.T) {
	for _, tc := range []struct {
		s    string
		n    int
		want string
	}{
		{"abc", 3, "abc"},
		{"abcd", 3, "abc…"},
		{"ééé", 3, "é…"}, // é is 2 bytes: byte 3 is inside the second
		{"ééé", 4, "éé…"},
		{"\x80\x80\x80", 2, "…"},
	} {
		if got := shorten(tc.s, tc.n); got != tc.want {
			t.Errorf("shorten(%q, %d) = %q, want %q", tc.s, tc.n, got, tc.want)
		}
	}
}

// A known message prefix splits the text wherever it starts after the
// first byte, including right at the second.
func TestSplitAtPrefixesRightAfterTheFirstByte(t *testing.T) {
	got := splitAtPrefixes(".Form names must be lower case")
	if strings.Join(got, "|") != ".|Form names must be lower case" {
		t.Errorf("split = %q", got)
	}
}

// A message that follows the previous one's full stop after a space starts
// a problem of its own.
func TestSplitDictionaryErrorsAfterFullStopAndSpace(t *testing.T) {
	probs := splitDictionaryErrors("Each row MUST have a field type, but the following cells have a field type missing: D5. Form names must be lower case: Visit (B6)")
	if len(probs) != 2 || probs[0].Message != "Each row MUST have a field type, but the following cells have a field type missing: D5." ||
		probs[1].Item != "Visit (B6)" || probs[1].Column != "B" || probs[1].Row != 6 {
		t.Errorf("problems = %+v", probs)
	}
}

// Text after the last cell reference stays with the last entry.
func TestSplitItemsKeepsTrailingTextWithTheLastEntry(t *testing.T) {
	probs := splitItems("The following fields are duplicated: a (A2), b (A3) and more")
	if len(probs) != 2 || probs[0].Item != "a (A2)" || probs[1].Item != "b (A3) and more" || probs[1].Row != 3 {
		t.Errorf("problems = %+v", probs)
	}
}
