package output

import (
	"runtime/debug"
	"testing"
)

func TestVersion(t *testing.T) {
	bi := &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Path: "github.com/rcolpipe/rcolpipe", Version: "(devel)"},
		Settings: []debug.BuildSetting{
			{Key: "vcs.revision", Value: "0123abcd"}, {Key: "vcs.time", Value: "2026-11-28T10:15:00Z"}, {Key: "vcs.modified", Value: "true"},
		}}
	for _, tc := range []struct {
		name, ldflags string
		bi            *debug.BuildInfo
		want          string
	}{
		{"checkout", "0.1.0-dev", bi, "rcolpipe version 0.1.0-dev\ncommit: 0123abcd+modified (2026-11-28T10:15:00Z)\ngo: go1.26.8\n"},
		{"ldflags", "1.2.3", bi, "rcolpipe version 1.2.3\ncommit: 0123abcd+modified (2026-11-28T10:15:00Z)\ngo: go1.26.8\n"},
		{"go install", "0.1.0-dev", &debug.BuildInfo{GoVersion: "go1.27", Main: debug.Module{Version: "v0.2.0"}},
			"rcolpipe version v0.2.0\ncommit: unknown\ngo: go1.27\n"},
		{"no build info", "0.1.0-dev", nil, "rcolpipe version 0.1.0-dev\ncommit: unknown\ngo: unknown\n"},
	} {
		if got := Version(tc.ldflags, "0.1.0-dev", tc.bi); got != tc.want {
			t.Errorf("%s:\n got %q\nwant %q", tc.name, got, tc.want)
		}
	}
}
