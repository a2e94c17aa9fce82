package upload

import (
	"errors"
	"strings"
	"testing"

	"github.com/rcolpipe/rcolpipe/redcap"
	"github.com/rcolpipe/rcolpipe/redcap/api"
)

// Arm and event deletes are REDCap's delete action, allowed only in
// Development: refused outside it even with --allow-delete; other removals
// need --allow-delete only.
func TestStructureRefuseDeletes(t *testing.T) {
	dev, prod := &api.ProjectInfo{InProduction: 0}, &api.ProjectInfo{InProduction: 1}
	arm := &StructureChanges{ArmsRemoved: []redcap.Arm{{Num: 2, Name: "Placebo"}}}
	rep := &StructureChanges{RepeatingRemoved: []redcap.RepeatSetting{{Event: "week_4_arm_1", Form: "ae"}}, RepeatingChanged: true}
	for _, tc := range []struct {
		name        string
		ch          *StructureChanges
		allowDelete bool
		project     *api.ProjectInfo
		want        string // "" = allowed
	}{
		{"arm, development, allowed", arm, true, dev, ""},
		{"arm, development, not allowed", arm, false, dev, `would remove 1 part(s) of the project's structure, which deletes their data in REDCap: arm 2 "Placebo"`},
		{"arm, production, allowed", arm, true, prod, "only in Development status and the project is in Production"},
		{"arm, production, not allowed", arm, false, prod, "only in Development status"},
		{"repeating, production, allowed", rep, true, prod, ""},
		{"repeating, development, not allowed", rep, false, dev, "repeating instrument ae in week_4_arm_1"},
		{"nothing", &StructureChanges{}, false, prod, ""},
		{"nil", nil, false, prod, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.ch.refuse(tc.allowDelete, tc.project)
			if tc.want == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			var de *StructureDeleteError
			if !errors.As(err, &de) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want an error with %q", err, tc.want)
			}
		})
	}
}
