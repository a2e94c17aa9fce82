package redcap

import "testing"

func TestInstrumentLabel(t *testing.T) {
	for in, want := range map[string]string{"sleep_diary": "Sleep Diary", "phq9": "Phq9", "a__b": "A  B", "": ""} {
		if got := InstrumentLabel(in); got != want {
			t.Errorf("InstrumentLabel(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestZIPMember(t *testing.T) {
	for _, tc := range []struct {
		file, archive, member string
		ok                    bool
	}{
		{"lib/tlfb.zip!instrument.csv", "lib/tlfb.zip", "instrument.csv", true},
		{"lib/TLFB.ZIP!sub/instrument.csv", "lib/TLFB.ZIP", "sub/instrument.csv", true},
		{"wow!great.csv", "wow!great.csv", "", false},
		{"plain.csv", "plain.csv", "", false},
		{"!x.csv", "!x.csv", "", false},
	} {
		a, m, ok := ZIPMember(tc.file)
		if a != tc.archive || m != tc.member || ok != tc.ok {
			t.Errorf("ZIPMember(%q) = %q, %q, %v; want %q, %q, %v", tc.file, a, m, ok, tc.archive, tc.member, tc.ok)
		}
	}
}
