package redcap

import "testing"

func TestInstrumentLabel(t *testing.T) {
	for in, want := range map[string]string{"sleep_diary": "Sleep Diary", "phq9": "Phq9", "a__b": "A  B", "": ""} {
		if got := InstrumentLabel(in); got != want {
			t.Errorf("InstrumentLabel(%q) = %q, want %q", in, got, want)
		}
	}
}
