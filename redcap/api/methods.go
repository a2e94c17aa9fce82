package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/rcolpipe/rcolpipe/internal/lazyre"
	"github.com/rcolpipe/rcolpipe/redcap"
)

// Version returns the REDCap version (content=version), e.g. "15.7.6".
// It needs API Export, so it is the first probe of a token.
func (c *Client) Version(ctx context.Context) (string, error) {
	resp, err := c.call(ctx, "version", nil, true)
	if err != nil {
		return "", err
	}
	v := strings.TrimSpace(string(resp.body))
	if !versionRe.MatchString(v) {
		return "", &APIError{Status: 200, Message: "unexpected answer to the version request: " + strconv.Quote(c.token.redactShort(v, 80))}
	}
	return v, nil
}

var versionRe = lazyre.New(`^\d+(\.\d+)*$`)

// ProjectInfo is what content=project says about the project (the keys
// rcolpipe uses).
type ProjectInfo struct {
	ProjectID      int    `json:"project_id"`
	Title          string `json:"project_title"`
	CreationTime   string `json:"creation_time"`
	ProductionTime string `json:"production_time"`
	// InProduction is REDCap's project status: 0 Development,
	// 1 Production, 2 Analysis/Cleanup.
	InProduction                    int    `json:"in_production"`
	Language                        string `json:"project_language"`
	Purpose                         int    `json:"purpose"`
	IsLongitudinal                  bool   `json:"is_longitudinal"`
	HasRepeatingInstrumentsOrEvents bool   `json:"has_repeating_instruments_or_events"`
	SurveysEnabled                  bool   `json:"surveys_enabled"`
	RecordAutonumberingEnabled      bool   `json:"record_autonumbering_enabled"`
	MissingDataCodes                string `json:"missing_data_codes"`
}

// StatusName names the project's status.
func (p *ProjectInfo) StatusName() string { return StatusName(p.InProduction) }

// ProjectInfo exports the project's information (content=project).
func (c *Client) ProjectInfo(ctx context.Context) (*ProjectInfo, error) {
	resp, err := c.call(ctx, "project", nil, true)
	if err != nil {
		return nil, err
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(resp.body, &raw); err != nil {
		return nil, c.badJSON("project", resp.body, err)
	}
	if _, ok := raw["in_production"]; !ok {
		return nil, &APIError{Status: 200, Message: "the project information has no in_production"}
	}
	var p ProjectInfo
	var errs []error
	rawStr := func(k string) string { s, err := rawString(raw[k]); errs = append(errs, keyErr(k, err)); return s }
	num := func(k string) int { n, err := rawInt(raw[k]); errs = append(errs, keyErr(k, err)); return n }
	// The texts are shown to the user (check, upload); decoded, they could
	// spell out an echoed token.
	str := func(k string) string { return c.token.Redact(rawStr(k)) }
	p.ProjectID = num("project_id")
	p.Title = str("project_title")
	p.CreationTime = str("creation_time")
	p.ProductionTime = str("production_time")
	p.InProduction = num("in_production")
	p.Language = str("project_language")
	p.Purpose = num("purpose")
	p.IsLongitudinal = num("is_longitudinal") != 0
	p.HasRepeatingInstrumentsOrEvents = num("has_repeating_instruments_or_events") != 0
	p.SurveysEnabled = num("surveys_enabled") != 0
	p.RecordAutonumberingEnabled = num("record_autonumbering_enabled") != 0
	p.MissingDataCodes = str("missing_data_codes")
	if err := errors.Join(errs...); err != nil {
		// The messages quote the server's values, which may echo the token.
		return nil, errors.New(c.token.Redact("REDCap project information: " + err.Error()))
	}
	if p.ProjectID > 0 {
		c.setProjectID(p.ProjectID)
	}
	return &p, nil
}

func keyErr(k string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("%s: %w", k, err)
}

// rawString reads a JSON string, number, boolean or null as a string.
func rawString(m json.RawMessage) (string, error) {
	m = bytes.TrimSpace(m)
	if len(m) == 0 || string(m) == "null" {
		return "", nil
	}
	switch m[0] {
	case '"':
		var s string
		err := json.Unmarshal(m, &s)
		return s, err
	case 't':
		return "1", nil
	case 'f':
		return "0", nil
	case '{':
		// The server's values are never quoted back: they could hold the token.
		return "", fmt.Errorf("want a string, got a JSON object of %d bytes", len(m))
	case '[':
		return "", fmt.Errorf("want a string, got a JSON array of %d bytes", len(m))
	}
	var n json.Number
	if err := json.Unmarshal(m, &n); err != nil {
		return "", err
	}
	return n.String(), nil
}

// rawInt reads a JSON number, numeric string, boolean or null ("" and
// null are 0) as an int.
func rawInt(m json.RawMessage) (int, error) {
	s, err := rawString(m)
	if err != nil || strings.TrimSpace(s) == "" {
		return 0, err
	}
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil {
		return 0, fmt.Errorf("want an integer, got a text of %d characters that is not one", utf8.RuneCountInString(s))
	}
	return n, nil
}

// badJSON reports an export that did not decode. The decoder's message
// may quote a value of the body, so it is redacted like the body.
func (c *Client) badJSON(content string, body []byte, err error) error {
	return &APIError{Status: 200, Message: fmt.Sprintf("the %s export is not the JSON expected (%s): %q", content, c.token.Redact(err.Error()), c.token.redactShort(string(body), 120))}
}

// ExportMetadata exports the project's data dictionary (content=metadata),
// all of it or only the given forms (sent as forms[0], forms[1], …).
// REDCap leaves out the <form>_complete fields. Each field's Origin names
// the project ("REDCap project <id>" once ProjectInfo was called, else the
// URL) with Line = row + 1, REDCap's spreadsheet row. An export of the
// whole dictionary without a field is an *ImpossibleExportError.
func (c *Client) ExportMetadata(ctx context.Context, forms ...string) (*redcap.Dictionary, error) {
	resp, err := c.call(ctx, "metadata", arrayParams("forms", forms), true)
	if err != nil {
		return nil, err
	}
	d, err := c.decodeDictionary(resp.body)
	if err != nil {
		return nil, err
	}
	if len(forms) == 0 {
		if err := checkPlausible(d.Len()); err != nil {
			return nil, err
		}
	}
	return d, nil
}

func (c *Client) decodeDictionary(body []byte) (*redcap.Dictionary, error) {
	origin := c.origin()
	fields, ok := decodeFieldsFast(body)
	if !ok {
		fields, ok = decodeFieldsTyped(body)
	}
	if !ok {
		var err error
		if fields, err = decodeFieldsGeneric(body); err != nil {
			return nil, c.badJSON("metadata", body, err)
		}
	}
	for i := range fields {
		fields[i].Origin = redcap.Origin{File: origin, Row: i + 1, Line: i + 2}
	}
	return &redcap.Dictionary{Fields: fields, Files: []string{origin}}, nil
}

// decodeFieldsTyped decodes straight into the struct with encoding/json
// when every value is a string, for what decodeFieldsFast gives up on
// (case-insensitive keys, invalid UTF-8, surrogate escapes). It fails on
// anything else (numbers, nulls, a row without field_name).
func decodeFieldsTyped(body []byte) ([]redcap.Field, bool) {
	var fields []redcap.Field
	if json.Unmarshal(body, &fields) != nil || fields == nil || !allNamed(fields) {
		return nil, false
	}
	return fields, true
}

// decodeFieldsGeneric reads rows whose values may be strings, numbers,
// booleans or null, ignoring keys that are not columns, and says which
// row lacks field_name.
func decodeFieldsGeneric(body []byte) ([]redcap.Field, error) {
	var rows []map[string]json.RawMessage
	if err := json.Unmarshal(body, &rows); err != nil {
		return nil, err
	}
	fields := make([]redcap.Field, 0, len(rows))
	for i, row := range rows {
		var f redcap.Field
		if _, ok := row["field_name"]; !ok {
			return nil, fmt.Errorf("row %d has no field_name", i+1)
		}
		for k, v := range row {
			col, ok := redcap.ColumnByKey(k)
			if !ok {
				continue // keys of newer servers are not columns
			}
			s, err := rawString(v)
			if err != nil {
				return nil, fmt.Errorf("row %d, %s: %w", i+1, k, err)
			}
			f.Set(col, s)
		}
		fields = append(fields, f)
	}
	return fields, nil
}

// allNamed reports whether every field has a name; a row without one
// takes the generic path, which says which row lacks field_name.
func allNamed(fields []redcap.Field) bool {
	for i := range fields {
		if fields[i].FieldName == "" {
			return false
		}
	}
	return true
}

// MarshalDictionary renders d as REDCap's metadata JSON: an array of
// objects with the 18 keys in column order, every value a string.
func MarshalDictionary(d *redcap.Dictionary) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	fields := d.Fields
	if fields == nil {
		fields = []redcap.Field{}
	}
	if err := enc.Encode(fields); err != nil {
		return nil, fmt.Errorf("encode data dictionary: %w", err)
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}

// ImportMetadata replaces the project's data dictionary with d
// (content=metadata with data) and returns the number of fields REDCap
// says it imported. It refuses an empty dictionary without sending it.
//
// An import is never retried. When it fails in a way that leaves open
// whether it applied (timeout, dropped connection, 408/5xx, an unexpected
// answer), the dictionary is exported again and compared with d; the
// *ImportError says which. REDCap's refusals (rights, status, dictionary
// errors) come before it changes anything and are returned as they are.
func (c *Client) ImportMetadata(ctx context.Context, d *redcap.Dictionary) (int, error) {
	return c.ImportMetadataFrom(ctx, d, nil)
}

// ImportMetadataFrom is ImportMetadata for a caller that exported the
// project's dictionary beforehand (before). With it, a failed import whose
// outcome is checked can also tell "nothing changed" (the project still
// holds before) from a project that now holds neither.
func (c *Client) ImportMetadataFrom(ctx context.Context, d, before *redcap.Dictionary) (int, error) {
	if d == nil || len(d.Fields) == 0 {
		return 0, ErrEmptyDictionary
	}
	data, err := MarshalDictionary(d)
	if err != nil {
		return 0, err
	}
	resp, err := c.call(ctx, "metadata", []param{{"data", string(data)}}, false)
	if err == nil {
		body := strings.TrimSpace(string(resp.body))
		n, perr := strconv.Atoi(body)
		if perr == nil {
			return n, nil
		}
		err = &APIError{Status: 200, Message: "unexpected answer to the import: " + strconv.Quote(c.token.redactShort(body, 120))}
	} else if refusal := importRefusal(err); refusal != nil {
		return 0, refusal
	}
	return 0, c.verifyImport(ctx, d, before, err)
}

// importRefusal returns the error to report when err is a refusal REDCap
// makes before it changes anything (docs/redcap.md#metadata-import-replaces-the-whole-dictionary: rights,
// status and validation come before the save), or nil when the outcome
// is open.
func importRefusal(err error) error {
	if has[*ErrUnknownToken](err) || has[*ErrNoImport](err) || has[*ErrNoDesign](err) || has[*ErrProduction](err) ||
		has[*ErrExpired](err) || has[*ErrRedirect](err) || has[*ErrWrongURL](err) || has[*ErrNoExport](err) {
		return err
	}
	var ae *APIError
	if !errors.As(err, &ae) || ae.Status == 408 || ae.Status >= 500 || ae.Status == 200 {
		return nil
	}
	if ae.Status == 400 {
		switch {
		case strings.Contains(ae.Message, "An error occurred during the upload"):
			return nil // the save itself failed: it may have half happened
		case strings.Contains(ae.Message, "not formatted correctly"),
			strings.Contains(ae.Message, "The value of the parameter"),
			strings.Contains(ae.Message, "no longer"),
			strings.Contains(ae.Message, "OFFLINE"),
			strings.Contains(ae.Message, "API is not enabled"):
			return err
		}
		if probs := splitDictionaryErrors(ae.Message); len(probs) > 0 {
			return &DictionaryErrors{Status: ae.Status, Problems: probs}
		}
	}
	return err // other 4xx: refused before the method ran
}

// has reports whether err's chain holds an error of type E.
func has[E error](err error) bool {
	_, ok := errors.AsType[E](err)
	return ok
}

// verifyImport exports the dictionary after a failed import to learn
// whether it applied. After a timeout, a dropped connection or a gateway
// error (502, 504) the server may still be saving, so it checks up to
// c.tries times, spaced by a quarter of the timeout (at least the backoff).
func (c *Client) verifyImport(ctx context.Context, sent, before *redcap.Dictionary, importErr error) error {
	checks, spacing := 1, time.Duration(0)
	cancelled := errors.Is(ctx.Err(), context.Canceled)
	if mayStillRun(importErr) && !cancelled {
		checks, spacing = c.tries, max(c.backoff, c.timeout/4)
	}
	// The check runs even if ctx was cancelled or timed out (that may be
	// why the import failed); it gets its own bounded time.
	vctx, cancel := context.WithTimeout(context.WithoutCancel(ctx),
		time.Duration(checks)*(spacing+time.Duration(c.tries)*c.timeout+c.backoff*4))
	defer cancel()
	c.log.Warn().Msgf("the import failed (%v); exporting the dictionary to learn whether it applied", importErr)
	var (
		verifyErr error
		diff      string
		start     = time.Now()
	)
	for i := 0; i < checks; i++ {
		if i > 0 {
			t := time.NewTimer(spacing)
			select {
			case <-vctx.Done():
				t.Stop()
				i = checks
				continue
			case <-t.C:
			}
		}
		got, err := c.ExportMetadata(vctx)
		if err != nil {
			verifyErr = err
			continue
		}
		verifyErr = nil
		var same bool
		// diff quotes exported values, decoded: redact them.
		same, diff = MatchesExport(sent, got)
		diff = c.token.Redact(diff)
		if same {
			return &ImportError{Outcome: ImportApplied, Err: importErr}
		}
		if before != nil {
			if unchanged, _ := MatchesExport(before, got); !unchanged {
				diff = "the project's dictionary is now neither what was sent nor what was there before: " + diff
				verifyErr = errors.New(diff)
				continue
			}
		}
	}
	if verifyErr != nil {
		return &ImportError{Outcome: ImportUnknown, Err: importErr, VerifyErr: verifyErr}
	}
	when := ""
	if checks > 1 {
		when = fmt.Sprintf(" (checked %d times over %s)", checks, time.Since(start).Round(time.Millisecond))
	}
	if mayStillRun(importErr) {
		// The request may still be queued or running on the server (a
		// slow server, a proxy that gave up, a dropped connection): that
		// it had not applied when checked proves nothing. Only an answer
		// from REDCap itself says an import did not apply.
		return &ImportError{Outcome: ImportUnknown, Err: importErr,
			Detail: "it had not applied when checked" + when + ", but REDCap may still be saving it and may apply it later"}
	}
	if before != nil {
		return &ImportError{Outcome: ImportNotApplied, Err: importErr, Detail: "the project still holds the dictionary it had before" + when}
	}
	return &ImportError{Outcome: ImportNotApplied, Err: importErr, Detail: "the project's dictionary differs from what was sent" + when + ": " + diff}
}

// mayStillRun reports whether the server may still be working on a
// request that failed with err: the client gave up or the connection (or
// a gateway in front of REDCap) failed before the answer.
func mayStillRun(err error) bool {
	var ne *NetworkError
	if errors.As(err, &ne) {
		return true
	}
	var ae *APIError
	return errors.As(err, &ae) && (ae.Status == 408 || ae.Status == 502 || ae.Status == 504)
}

// Instrument is one row of content=instrument.
type Instrument struct {
	Name  string `json:"instrument_name"`
	Label string `json:"instrument_label"`
}

// Instruments exports the project's instruments in project order.
func (c *Client) Instruments(ctx context.Context) ([]Instrument, error) {
	resp, err := c.call(ctx, "instrument", nil, true)
	if err != nil {
		return nil, err
	}
	var out []Instrument
	if err := decodeRows(resp.body, &out); err != nil {
		return nil, c.badJSON("instrument", resp.body, err)
	}
	return out, nil
}

// RepeatingFormEvent is one row of content=repeatingFormsEvents.
type RepeatingFormEvent struct {
	EventName       string `json:"event_name"`
	FormName        string `json:"form_name"`
	CustomFormLabel string `json:"custom_form_label"`
}

// RepeatingFormsEvents exports the repeating instruments and events. REDCap
// checks Project Design rights first (*ErrNoDesign), which makes this the
// read-only probe of those rights. A project without repeating
// instruments gives an empty list.
func (c *Client) RepeatingFormsEvents(ctx context.Context) ([]RepeatingFormEvent, error) {
	resp, err := c.call(ctx, "repeatingFormsEvents", nil, true)
	if err != nil {
		var ae *APIError
		if errors.As(err, &ae) && ae.Status == 400 && strings.Contains(ae.Message, "does not contain any repeating") {
			return []RepeatingFormEvent{}, nil
		}
		return nil, err
	}
	out := []RepeatingFormEvent{}
	if err := decodeRows(resp.body, &out); err != nil {
		return nil, c.badJSON("repeatingFormsEvents", resp.body, err)
	}
	return out, nil
}

// ValidationType is one row of content=fieldValidation: a validation type
// the server accepts and its (JavaScript) regular expression.
type ValidationType struct {
	Name  string `json:"validation_type"`
	Regex string `json:"regex"`
}

// FieldValidation exports the server's validation types
// (content=fieldValidation, undocumented; REDCap 15.7.6 has it). Servers
// without it answer with an *APIError (400, parameter "content" not valid).
func (c *Client) FieldValidation(ctx context.Context) ([]ValidationType, error) {
	resp, err := c.call(ctx, "fieldValidation", nil, true)
	if err != nil {
		return nil, err
	}
	var out []ValidationType
	if err := decodeRows(resp.body, &out); err != nil {
		return nil, c.badJSON("fieldValidation", resp.body, err)
	}
	return out, nil
}

// decodeRows decodes a JSON array of objects whose values may be strings
// or numbers into dst (a pointer to a slice of structs with string
// fields).
func decodeRows(body []byte, dst any) error {
	var rows []map[string]json.RawMessage
	if err := json.Unmarshal(body, &rows); err != nil {
		return err
	}
	// Normalise every value to a string, then decode into the structs.
	norm := make([]map[string]string, len(rows))
	for i, r := range rows {
		norm[i] = make(map[string]string, len(r))
		for k, v := range r {
			s, err := rawString(v)
			if err != nil {
				return fmt.Errorf("row %d, %s: %w", i+1, k, err)
			}
			norm[i][k] = s
		}
	}
	b, err := json.Marshal(norm)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, dst)
}
