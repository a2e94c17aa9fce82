package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/rcolpipe/rcolpipe/redcap"
)

// The longitudinal structure methods (docs/redcap.md#longitudinal-structure):
// content=arm, event, formEventMapping and repeatingFormsEvents. Exports are
// retried like every export; imports and deletes never are.

// IsClassicError reports whether err is REDCap's answer to a structure
// export in a classic (not longitudinal) project.
func IsClassicError(err error) bool {
	var ae *APIError
	return errors.As(err, &ae) && ae.Status == 400 && strings.Contains(ae.Message, "classic projects")
}

type armRow struct {
	Num  string `json:"arm_num"`
	Name string `json:"name"`
}

type eventRow struct {
	Name        string `json:"event_name"`
	ArmNum      string `json:"arm_num"`
	UniqueName  string `json:"unique_event_name"`
	CustomLabel string `json:"custom_event_label"`
	DayOffset   string `json:"day_offset"`
	OffsetMin   string `json:"offset_min"`
	OffsetMax   string `json:"offset_max"`
}

type mappingRow struct {
	ArmNum string `json:"arm_num"`
	Event  string `json:"unique_event_name"`
	Form   string `json:"form"`
}

func atoiField(what, s string) (int, error) {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil {
		return 0, fmt.Errorf("%s %q is not a number", what, s)
	}
	return n, nil
}

// ExportStructure exports the project's arms, events, designations and
// repeating instruments and events. A classic project gives an empty
// structure (no arms, no events) without an error.
func (c *Client) ExportStructure(ctx context.Context) (*redcap.Structure, error) {
	s := &redcap.Structure{HasArms: true, HasEvents: true, HasDesignations: true, HasRepeating: true}
	resp, err := c.call(ctx, "arm", []param{{"action", "export"}}, true)
	switch {
	case IsClassicError(err):
		rep, err := c.RepeatingFormsEvents(ctx)
		if err != nil {
			return nil, fmt.Errorf("export the repeating instruments: %w", err)
		}
		s.Repeating = repeatingFrom(c, rep)
		return s, nil
	case err != nil:
		return nil, fmt.Errorf("export the arms: %w", err)
	}
	var arms []armRow
	if err := decodeRows(resp.body, &arms); err != nil {
		return nil, c.badJSON("arm", resp.body, err)
	}
	for _, a := range arms {
		n, err := atoiField("arm_num", a.Num)
		if err != nil {
			return nil, c.badJSON("arm", resp.body, err)
		}
		s.Arms = append(s.Arms, redcap.Arm{Num: n, Name: c.token.Redact(a.Name)})
	}
	resp, err = c.call(ctx, "event", []param{{"action", "export"}}, true)
	if err != nil {
		return nil, fmt.Errorf("export the events: %w", err)
	}
	var events []eventRow
	if err := decodeRows(resp.body, &events); err != nil {
		return nil, c.badJSON("event", resp.body, err)
	}
	for _, e := range events {
		n, err := atoiField("arm_num", e.ArmNum)
		if err != nil {
			return nil, c.badJSON("event", resp.body, err)
		}
		s.Events = append(s.Events, redcap.Event{Name: c.token.Redact(e.Name), ArmNum: n, UniqueName: e.UniqueName,
			CustomLabel: c.token.Redact(e.CustomLabel), DayOffset: e.DayOffset, OffsetMin: e.OffsetMin, OffsetMax: e.OffsetMax})
	}
	resp, err = c.call(ctx, "formEventMapping", nil, true)
	if err != nil {
		return nil, fmt.Errorf("export the instrument designations: %w", err)
	}
	var maps []mappingRow
	if err := decodeRows(resp.body, &maps); err != nil {
		return nil, c.badJSON("formEventMapping", resp.body, err)
	}
	for _, m := range maps {
		n, err := atoiField("arm_num", m.ArmNum)
		if err != nil {
			return nil, c.badJSON("formEventMapping", resp.body, err)
		}
		s.Designations = append(s.Designations, redcap.Designation{ArmNum: n, Event: m.Event, Form: m.Form})
	}
	rep, err := c.RepeatingFormsEvents(ctx)
	if err != nil {
		return nil, fmt.Errorf("export the repeating instruments and events: %w", err)
	}
	s.Repeating = repeatingFrom(c, rep)
	return s, nil
}

func repeatingFrom(c *Client, rows []RepeatingFormEvent) []redcap.RepeatSetting {
	out := make([]redcap.RepeatSetting, 0, len(rows))
	for _, r := range rows {
		out = append(out, redcap.RepeatSetting{Event: r.EventName, Form: r.FormName, CustomLabel: c.token.Redact(r.CustomFormLabel)})
	}
	return out
}

// importCount sends an import and reads REDCap's answer, the number of rows
// it imported.
func (c *Client) importCount(ctx context.Context, content string, ps []param) (int, error) {
	resp, err := c.call(ctx, content, ps, false)
	if err != nil {
		return 0, err
	}
	body := strings.TrimSpace(string(resp.body))
	n, perr := strconv.Atoi(body)
	if perr != nil {
		return 0, &APIError{Status: 200, Message: fmt.Sprintf("unexpected answer to the %s import: %s", content, strconv.Quote(c.token.redactShort(body, 120)))}
	}
	return n, nil
}

func jsonData(v any) (string, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return "", fmt.Errorf("encode import data: %w", err)
	}
	return string(b), nil
}

func override(on bool) string {
	if on {
		return "1"
	}
	return "0"
}

// ImportArms adds or renames arms (content=arm, action=import). override
// deletes every arm first (Development only).
func (c *Client) ImportArms(ctx context.Context, arms []redcap.Arm, overrideAll bool) (int, error) {
	rows := make([]armRow, len(arms))
	for i, a := range arms {
		rows[i] = armRow{Num: strconv.Itoa(a.Num), Name: a.Name}
	}
	data, err := jsonData(rows)
	if err != nil {
		return 0, err
	}
	return c.importCount(ctx, "arm", []param{{"action", "import"}, {"override", override(overrideAll)}, {"data", data}})
}

// ImportEvents adds events or renames those named by unique_event_name
// (content=event, action=import). override deletes every event first
// (Development only).
func (c *Client) ImportEvents(ctx context.Context, events []redcap.Event, overrideAll bool) (int, error) {
	type importRow struct {
		Name        string `json:"event_name"`
		ArmNum      string `json:"arm_num"`
		UniqueName  string `json:"unique_event_name,omitempty"`
		CustomLabel string `json:"custom_event_label"`
		DayOffset   string `json:"day_offset,omitempty"`
		OffsetMin   string `json:"offset_min,omitempty"`
		OffsetMax   string `json:"offset_max,omitempty"`
	}
	rows := make([]importRow, len(events))
	for i, e := range events {
		rows[i] = importRow{Name: e.Name, ArmNum: strconv.Itoa(e.ArmNum), UniqueName: e.UniqueName, CustomLabel: e.CustomLabel,
			DayOffset: e.DayOffset, OffsetMin: e.OffsetMin, OffsetMax: e.OffsetMax}
	}
	data, err := jsonData(rows)
	if err != nil {
		return 0, err
	}
	return c.importCount(ctx, "event", []param{{"action", "import"}, {"override", override(overrideAll)}, {"data", data}})
}

// DeleteArms deletes arms with their events and data (Development only).
func (c *Client) DeleteArms(ctx context.Context, nums []int) (int, error) {
	vals := make([]string, len(nums))
	for i, n := range nums {
		vals[i] = strconv.Itoa(n)
	}
	return c.importCount(ctx, "arm", append([]param{{"action", "delete"}}, arrayParams("arms", vals)...))
}

// DeleteEvents deletes events with their data (Development only).
func (c *Client) DeleteEvents(ctx context.Context, uniqueNames []string) (int, error) {
	return c.importCount(ctx, "event", append([]param{{"action", "delete"}}, arrayParams("events", uniqueNames)...))
}

// ImportDesignations replaces the designations of every arm the rows name
// (content=formEventMapping).
func (c *Client) ImportDesignations(ctx context.Context, ds []redcap.Designation) (int, error) {
	rows := make([]mappingRow, len(ds))
	for i, d := range ds {
		rows[i] = mappingRow{ArmNum: strconv.Itoa(d.ArmNum), Event: d.Event, Form: d.Form}
	}
	data, err := jsonData(rows)
	if err != nil {
		return 0, err
	}
	return c.importCount(ctx, "formEventMapping", []param{{"data", data}})
}

// ImportRepeating replaces the repeating instruments and events
// (content=repeatingFormsEvents).
func (c *Client) ImportRepeating(ctx context.Context, rs []redcap.RepeatSetting) (int, error) {
	rows := make([]RepeatingFormEvent, len(rs))
	for i, r := range rs {
		rows[i] = RepeatingFormEvent{EventName: r.Event, FormName: r.Form, CustomFormLabel: r.CustomLabel}
	}
	data, err := jsonData(rows)
	if err != nil {
		return 0, err
	}
	return c.importCount(ctx, "repeatingFormsEvents", []param{{"data", data}})
}
