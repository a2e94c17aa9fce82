package sdk

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// DecodeConfig reads a stage's JSON config into v strictly: an unknown key
// is an error, so that a typo ("prefx") does not silently turn something
// off, and so is anything after the JSON value. Errors start with
// "config:". An empty config is left to the caller (v stays as it was).
func DecodeConfig(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("config: %w", err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return errors.New("config: extra data after the JSON object")
	}
	return nil
}
