package host

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"

	"github.com/rcolpipe/rcolpipe/redcap"
)

// testPlugins are the names testdata/testplugin answers to; each is a
// hard link to the one binary.
var testPlugins = []string{"echo", "panicker", "exiter", "hanger", "wrongversion", "stdoutgarbage", "invaliddict", "hosthelper", "spawner", "peeker", "peekhost"}

// pluginDir holds the built test plugins; set once by TestMain.
var pluginDir string

func TestMain(m *testing.M) {
	os.Exit(runTests(m))
}

// rcolpipeBuildErr is set when the rcolpipe binary (for the CLI signal
// test) did not build; only that test fails then.
var rcolpipeBuildErr error

func runTests(m *testing.M) int {
	dir, err := os.MkdirTemp("", "rcolpipe-plugins-test")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(dir)
	// Both builds at once: linking is most of the time. -s -w: no DWARF, a
	// faster link; panic lines keep file:line.
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		out, err := exec.Command("go", "build", "-ldflags=-s -w", "-o", filepath.Join(dir, "rcolpipe"), "../../cmd/rcolpipe").CombinedOutput()
		if err != nil {
			rcolpipeBuildErr = fmt.Errorf("build rcolpipe: %v\n%s", err, out)
		}
	}()
	out, err := exec.Command("go", "build", "-ldflags=-s -w", "-o", dir+string(filepath.Separator), "./testdata/testplugin", "./testdata/empty").CombinedOutput()
	wg.Wait()
	if err != nil {
		fmt.Fprintf(os.Stderr, "build test plugins: %v\n%s", err, out)
		return 1
	}
	for _, name := range testPlugins {
		if err := os.Link(filepath.Join(dir, "testplugin"), filepath.Join(dir, name)); err != nil {
			fmt.Fprintf(os.Stderr, "link test plugin: %v\n", err)
			return 1
		}
	}
	pluginDir = dir
	return m.Run()
}

func testPlugin(name string) string { return filepath.Join(pluginDir, name) }

// testDict is a small dictionary with origins.
func testDict() *redcap.Dictionary {
	d := &redcap.Dictionary{Files: []string{"demo.csv"}}
	for i, name := range []string{"record_id", "age", "weight"} {
		d.Fields = append(d.Fields, redcap.Field{
			FieldName: name, FormName: "demo", FieldType: "text", FieldLabel: "Label " + name,
			Origin: redcap.Origin{File: "demo.csv", Line: i + 2, Row: i + 1},
		})
	}
	return d
}

// bigDict has n rows.
func bigDict(n int) *redcap.Dictionary {
	d := &redcap.Dictionary{Files: []string{"big.csv"}}
	for i := 0; i < n; i++ {
		d.Fields = append(d.Fields, redcap.Field{
			FieldName: fmt.Sprintf("field_%05d", i), FormName: fmt.Sprintf("form_%02d", i/500),
			FieldType: "radio", FieldLabel: "How often did you feel this way during the last two weeks?",
			Choices:   "0, Not at all | 1, Several days | 2, More than half the days | 3, Nearly every day",
			FieldNote: "Choose one", RequiredField: "y", CustomAlignment: "RH",
			BranchingLogic:  fmt.Sprintf("[field_%05d] = '1'", max(i-1, 0)),
			FieldAnnotation: "@DEFAULT='0'",
			Origin:          redcap.Origin{File: "big.csv", Line: i + 2, Row: i + 1},
		})
	}
	return d
}

// assertEmptyDir fails when dir holds anything (a socket, a socket dir).
func assertEmptyDir(t *testing.T, dir string) {
	t.Helper()
	var left []string
	_ = filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if p != dir {
			left = append(left, p)
		}
		return nil
	})
	if len(left) > 0 {
		t.Errorf("left behind in %s: %v", dir, left)
	}
}
