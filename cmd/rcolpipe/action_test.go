package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/urfave/cli/v2"
	"gopkg.in/yaml.v3"

	"github.com/rcolpipe/rcolpipe/output"
)

// pendingCommands are commands the action runs that another change of
// the same issue adds (issue 12: rcolpipe preview). While one is missing
// from the CLI its invocation is not checked; once it exists it is
// checked like every other.
var pendingCommands = map[string]bool{"preview": true}

// invocation is one `rcolpipe COMMAND ARGS...` in a script.
type invocation struct {
	where   string
	command string
	args    []string
}

var rcolpipeLine = regexp.MustCompile(`^\s*(?:if\s+!?\s*)?rcolpipe\s+(.+)$`)

// invocations finds the rcolpipe commands a shell script runs (lines that
// start with rcolpipe, or `if ! rcolpipe`), with their words up to a
// redirection or the end of the command.
func invocations(where, script string) []invocation {
	var out []invocation
	for _, line := range strings.Split(script, "\n") {
		m := rcolpipeLine.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		var words []string
		for _, w := range strings.Fields(m[1]) {
			if strings.HasPrefix(w, ">") || strings.HasPrefix(w, "2>") || slices.Contains([]string{"|", "||", "&&", ";", "then"}, w) {
				break
			}
			words = append(words, strings.Trim(w, `"'`))
		}
		if len(words) > 0 {
			out = append(out, invocation{where: where, command: words[0], args: words[1:]})
		}
	}
	return out
}

// reporter is what checkInvocation reports to: a *testing.T, or a
// recorder in the test of the checker.
type reporter interface {
	Helper()
	Errorf(format string, args ...any)
	Logf(format string, args ...any)
}

type recorder struct{ errs []string }

func (r *recorder) Helper() {}
func (r *recorder) Errorf(format string, args ...any) {
	r.errs = append(r.errs, fmt.Sprintf(format, args...))
}
func (r *recorder) Logf(string, ...any) {}

// checkInvocation fails when the command or one of its flags does not
// exist, or a literal --format value is not one the command takes.
func checkInvocation(t reporter, app *cli.App, inv invocation) {
	t.Helper()
	cmd := app.Command(inv.command)
	if cmd == nil {
		if pendingCommands[inv.command] {
			t.Logf("%s: rcolpipe %s is not in this build yet (pendingCommands); its flags are not checked", inv.where, inv.command)
			return
		}
		t.Errorf("%s: rcolpipe %s: no such command", inv.where, inv.command)
		return
	}
	known := map[string]bool{"help": true, "h": true}
	for _, fs := range [][]cli.Flag{cmd.Flags, app.Flags} {
		for _, f := range fs {
			for _, n := range f.Names() {
				known[n] = true
			}
		}
	}
	formats := map[string][]string{"validate": output.FindingFormats(), "diff": output.DiffFormats()}
	for i, a := range inv.args {
		if a == "--" {
			break
		}
		if !strings.HasPrefix(a, "-") {
			continue
		}
		name, value, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if !known[name] {
			t.Errorf("%s: rcolpipe %s has no flag %s", inv.where, inv.command, a)
		}
		if name == "format" && !hasValue && i+1 < len(inv.args) {
			value = inv.args[i+1]
		}
		if name == "format" && !strings.HasPrefix(value, "$") && !slices.Contains(formats[inv.command], value) {
			t.Errorf("%s: rcolpipe %s does not write --format %s", inv.where, inv.command, value)
		}
	}
}

func testApp() *cli.App {
	return newApp(&env{stdin: strings.NewReader(""), stdout: io.Discard, stderr: io.Discard, getenv: func(string) string { return "" }})
}

// TestActionYAML: action.yml is a composite action whose scripts run
// real rcolpipe commands with real flags, and whose inputs reach the
// scripts only through the environment (an ${{ }} expression pasted into
// a script would run a pull request's text as shell code).
func TestActionYAML(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "..", "action.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var action struct {
		Name   string
		Inputs map[string]struct {
			Description string
			Default     *string
		}
		Runs struct {
			Using string
			Steps []struct {
				Name  string
				Shell string
				Run   string
				Uses  string
				Env   map[string]string
				With  map[string]string
				If    string
			}
		}
	}
	if err := yaml.Unmarshal(data, &action); err != nil {
		t.Fatalf("action.yml: %v", err)
	}
	if action.Name == "" || action.Runs.Using != "composite" {
		t.Errorf("action.yml: name %q, runs.using %q; want a named composite action", action.Name, action.Runs.Using)
	}
	for name, in := range action.Inputs {
		if in.Description == "" || in.Default == nil {
			t.Errorf("action.yml: input %s needs a description and a default", name)
		}
	}
	inputRef := regexp.MustCompile(`inputs\.([A-Za-z0-9_-]+)`)
	app := testApp()
	seen := map[string]bool{}
	for _, st := range action.Runs.Steps {
		where := "action.yml step " + strings.TrimSpace(st.Name)
		if st.Run == "" && st.Uses == "" {
			t.Errorf("%s: neither run nor uses", where)
		}
		if st.Run != "" && st.Shell != "bash" {
			t.Errorf("%s: shell %q; a composite step's script needs shell: bash", where, st.Shell)
		}
		if strings.Contains(st.Run, "${{") {
			t.Errorf("%s: an ${{ }} expression inside the script; pass it through env", where)
		}
		var exprs []string
		exprs = append(exprs, st.If)
		for _, m := range []map[string]string{st.Env, st.With} {
			for _, v := range m {
				exprs = append(exprs, v)
			}
		}
		for _, e := range exprs {
			for _, m := range inputRef.FindAllStringSubmatch(e, -1) {
				if _, ok := action.Inputs[m[1]]; !ok {
					t.Errorf("%s: uses inputs.%s, which action.yml does not declare", where, m[1])
				}
			}
		}
		for _, inv := range invocations(where, st.Run) {
			seen[inv.command] = true
			checkInvocation(t, app, inv)
		}
	}
	for _, want := range []string{"validate", "diff", "preview"} {
		if !seen[want] {
			t.Errorf("action.yml runs no rcolpipe %s (or this test no longer finds it)", want)
		}
	}
}

// TestPreCommitHooks: .pre-commit-hooks.yaml is a list of hooks whose
// entries are real rcolpipe commands, built by pre-commit with Go.
func TestPreCommitHooks(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "..", ".pre-commit-hooks.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var hooks []struct {
		ID, Name, Entry, Language, Files string
	}
	if err := yaml.Unmarshal(data, &hooks); err != nil {
		t.Fatalf(".pre-commit-hooks.yaml: %v", err)
	}
	if len(hooks) == 0 {
		t.Fatal(".pre-commit-hooks.yaml: no hooks")
	}
	app := testApp()
	ids := map[string]bool{}
	for _, h := range hooks {
		where := ".pre-commit-hooks.yaml hook " + h.ID
		if h.ID == "" || h.Name == "" || ids[h.ID] {
			t.Errorf("%s: needs a unique id and a name", where)
		}
		ids[h.ID] = true
		if h.Language != "golang" {
			t.Errorf("%s: language %q, want golang (pre-commit builds rcolpipe from this repository)", where, h.Language)
		}
		if h.Files != "" {
			if _, err := regexp.Compile(h.Files); err != nil {
				t.Errorf("%s: files: %v", where, err)
			}
		}
		invs := invocations(where, h.Entry)
		if len(invs) != 1 {
			t.Errorf("%s: entry %q is not one rcolpipe command", where, h.Entry)
			continue
		}
		checkInvocation(t, app, invs[0])
	}
	for _, id := range []string{"rcolpipe-validate", "rcolpipe-fmt"} {
		if !ids[id] {
			t.Errorf(".pre-commit-hooks.yaml has no %s hook", id)
		}
	}
}

// The checker itself finds what is wrong.
func TestCheckInvocationFindsMistakes(t *testing.T) {
	app := testApp()
	for _, script := range []string{
		"rcolpipe valdate x",
		"rcolpipe validate --no-such-flag x",
		"if ! rcolpipe diff --format yaml --base HEAD x > out.md; then",
		"rcolpipe diff --form=markdown x",
	} {
		var r recorder
		checkInvocation(&r, app, invocations("script", script)[0])
		if len(r.errs) == 0 {
			t.Errorf("%q: no error found", script)
		}
	}
	var r recorder
	checkInvocation(&r, app, invocations("script", `rcolpipe validate --format github --strict -- "${paths[@]}"`)[0])
	if len(r.errs) != 0 {
		t.Errorf("a correct invocation: %v", r.errs)
	}
}

// TestExampleWorkflow: the example workflows under examples/ci are YAML
// and give the action only inputs it declares.
func TestExampleWorkflow(t *testing.T) {
	var action struct {
		Inputs map[string]any
	}
	data, err := os.ReadFile(filepath.Join("..", "..", "action.yml"))
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(data, &action); err != nil {
		t.Fatal(err)
	}
	files, err := filepath.Glob(filepath.Join("..", "..", "examples", "ci", "*.yml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no example workflow under examples/ci: %v", err)
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var wf struct {
			Jobs map[string]struct {
				Steps []struct {
					Uses string
					With map[string]string
				}
			}
		}
		if err := yaml.Unmarshal(data, &wf); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		uses := 0
		for _, job := range wf.Jobs {
			for _, st := range job.Steps {
				if !strings.HasPrefix(st.Uses, "rcolpipe/rcolpipe@") {
					continue
				}
				uses++
				for k := range st.With {
					if _, ok := action.Inputs[k]; !ok {
						t.Errorf("%s: with: %s is not an input of action.yml", f, k)
					}
				}
			}
		}
		if uses == 0 {
			t.Errorf("%s does not use the rcolpipe action", f)
		}
	}
}
