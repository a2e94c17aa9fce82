package api

import (
	"context"
	"encoding/json"
	"fmt"
)

// ExportRecords exports the project's records (content=record, type flat,
// raw values): one map per record from export field name (checkboxes as
// field___code, "0" or "1") to value. fields limits the columns (field
// names, not export names); REDCap adds the record ID field. It needs API
// Export; the user's data export rights decide which columns come.
func (c *Client) ExportRecords(ctx context.Context, fields []string) ([]map[string]string, error) {
	ps := append([]param{{"type", "flat"}, {"rawOrLabel", "raw"}}, arrayParams("fields", fields)...)
	resp, err := c.call(ctx, "record", ps, true)
	if err != nil {
		return nil, err
	}
	var rows []map[string]json.RawMessage
	if err := json.Unmarshal(resp.body, &rows); err != nil {
		return nil, c.badJSON("record", resp.body, err)
	}
	out := make([]map[string]string, len(rows))
	for i, r := range rows {
		out[i] = make(map[string]string, len(r))
		for k, v := range r {
			s, err := rawString(v)
			if err != nil {
				return nil, c.badJSON("record", resp.body, fmt.Errorf("record %d, %s: %w", i+1, k, err))
			}
			// Values may be shown to the user (counts of affected data);
			// like other texts from the server they could echo a token.
			out[i][k] = c.token.Redact(s)
		}
	}
	return out, nil
}
