package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/rcolpipe/rcolpipe/internal/testcorpus"
	"github.com/rcolpipe/rcolpipe/plugins/sdk"
	"github.com/rcolpipe/rcolpipe/redcap"
	"github.com/rcolpipe/rcolpipe/redcap/sandbox"
)

func TestMain(m *testing.M) {
	// Started by rcolpipe as a plugin (see cmdTestPlugin): the host sets
	// the handshake cookie and passes no arguments (a bundled plugin gets
	// "__plugin NAME").
	if os.Getenv("RCOLPIPE_PLUGIN_MAGIC_COOKIE") != "" && len(os.Args) == 1 {
		sdk.Serve(envDump{})
		return
	}
	testscript.Main(m, map[string]func(){
		"rcolpipe": func() { os.Exit(run(os.Args, newEnv())) },
	})
}

// TestScripts runs the CLI sessions under testdata/script. $CORPUS points at
// ../shared/corpus when it exists (scripts that need it skip otherwise; in
// CI a missing corpus fails the test), $EXAMPLES at the repository's
// examples folder.
func TestScripts(t *testing.T) {
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	corpus, haveCorpus := testcorpus.Optional(t)
	testscript.Run(t, testscript.Params{
		Dir: "testdata/script",
		Setup: func(ts *testscript.Env) error {
			ts.Setenv("EXAMPLES", filepath.Join(root, "examples"))
			ts.Setenv("REPO", root)
			// Scripts that build a test plugin need the go command's caches.
			for k, v := range goEnv() {
				ts.Setenv(k, v)
			}
			if haveCorpus {
				ts.Setenv("CORPUS", corpus)
			}
			return nil
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"crlf":                cmdCRLF,
			"exitcode":            cmdExitCode,
			"expandenv":           cmdExpandEnv,
			"sandbox-start":       cmdSandboxStart,
			"sandbox-tokens":      cmdSandboxTokens,
			"sandbox-wait-faults": cmdSandboxWaitFaults,
			"test-plugin":         cmdTestPlugin,
			"serve-start":         cmdServeStart,
			"serve-stop":          cmdServeStop,
			"metadata-import":     cmdMetadataImport,
		},
		Condition: func(cond string) (bool, error) {
			if cond == "corpus" {
				return haveCorpus, nil
			}
			return false, nil
		},
	})
}

// cmdExitCode runs a command and checks its exit status, which plain
// `exec`/`! exec` cannot tell apart (1 from 2):
//
//	exitcode 2 rcolpipe validate --bogus
func cmdExitCode(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: exitcode CODE COMMAND [ARGS...]")
	}
	want, err := strconv.Atoi(args[0])
	if err != nil {
		ts.Fatalf("exitcode: %v", err)
	}
	got := 0
	if err := ts.Exec(args[1], args[2:]...); err != nil {
		var ee *exec.ExitError
		if !errors.As(err, &ee) {
			ts.Fatalf("exitcode: %v", err)
		}
		got = ee.ExitCode()
	}
	if got != want {
		ts.Fatalf("exit status %d, want %d", got, want)
	}
}

// cmdCRLF writes SRC to DST with CRLF line ends, and with -bom a UTF-8
// byte-order mark first: files as Excel on Windows writes them, which a
// txtar archive cannot hold reliably.
//
//	crlf -bom in.csv excel.csv
func cmdCRLF(ts *testscript.TestScript, neg bool, args []string) {
	bom := len(args) > 0 && args[0] == "-bom"
	if bom {
		args = args[1:]
	}
	if neg || len(args) != 2 {
		ts.Fatalf("usage: crlf [-bom] SRC DST")
	}
	out := strings.ReplaceAll(ts.ReadFile(args[0]), "\n", "\r\n")
	if bom {
		out = "\uFEFF" + out
	}
	ts.Check(os.WriteFile(ts.MkAbs(args[1]), []byte(out), 0o644))
}

// sandboxStops holds the stop function of each script's running sandbox.
var sandboxStops sync.Map // *testscript.TestScript -> func()

// cmdSandboxStart serves the sandbox state in DIR (written by `rcolpipe
// sandbox init`, with faults added by `rcolpipe sandbox fault`) on a free
// loopback port inside the test process, and sets $URL to its API URL.
// Starting again restarts it with the state on disk; it stops when the
// script ends.
//
//	sandbox-start sb
func cmdSandboxStart(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: sandbox-start DIR")
	}
	if stop, ok := sandboxStops.LoadAndDelete(ts); ok {
		stop.(func())()
	}
	srv, err := sandbox.Open(ts.MkAbs(args[0]))
	ts.Check(err)
	url, stop, err := sandbox.Start(context.Background(), srv)
	ts.Check(err)
	sandboxStops.Store(ts, stop)
	ts.Defer(func() {
		if stop, ok := sandboxStops.LoadAndDelete(ts); ok {
			stop.(func())()
		}
	})
	ts.Setenv("URL", url)
}

// cmdSandboxTokens reads the "NAME TOKEN" lines `rcolpipe sandbox init`
// printed (saved to FILE) and writes each token to NAME.token (mode 0600)
// and to $TOKEN_NAME (upper case, '-' as '_'), so scripts can grep for it.
//
//	sandbox-tokens tokens.txt
func cmdSandboxTokens(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: sandbox-tokens FILE")
	}
	sc := bufio.NewScanner(strings.NewReader(ts.ReadFile(args[0])))
	n := 0
	for sc.Scan() {
		name, tok, ok := strings.Cut(strings.TrimSpace(sc.Text()), " ")
		if !ok {
			continue
		}
		ts.Check(os.WriteFile(ts.MkAbs(name+".token"), []byte(tok+"\n"), 0o600))
		ts.Setenv("TOKEN_"+strings.ToUpper(strings.ReplaceAll(name, "-", "_")), tok)
		n++
	}
	if n == 0 {
		ts.Fatalf("sandbox-tokens: no NAME TOKEN lines in %s", args[0])
	}
}

// cmdTestPlugin makes FILE (and its folder) a plugin: a link to this test
// binary, which then serves envDump.
//
//	test-plugin .rcolpipe/plugins/mine
func cmdTestPlugin(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: test-plugin FILE")
	}
	self, err := os.Executable()
	ts.Check(err)
	dest := ts.MkAbs(args[0])
	ts.Check(os.MkdirAll(filepath.Dir(dest), 0o755))
	ts.Check(os.Symlink(self, dest))
}

// envDump is the plugin cmdTestPlugin installs: it returns the dictionary
// as it is, with the diagnostics "ran PATH" (the file rcolpipe started) and
// "env NAME=VALUE" for each variable of its environment.
type envDump struct{}

func (envDump) Info() sdk.Info { return sdk.Info{Name: "envdump", Version: "0.0.1"} }

func (envDump) Transform(ctx context.Context, req *sdk.Request) (*sdk.Response, error) {
	diags := redcap.Diagnostics{{Severity: redcap.SeverityInfo, Code: "RAN", Message: "ran " + os.Args[0]}}
	for _, kv := range os.Environ() {
		diags = append(diags, redcap.Diagnostic{Severity: redcap.SeverityInfo, Code: "ENV", Message: "env " + kv})
	}
	return &sdk.Response{Dictionary: req.Dictionary, Diagnostics: diags}, nil
}

// cmdExpandEnv writes SRC to DST (mode 0600: it may hold a token) with
// $NAME and ${NAME} replaced by the script's variables, so that scripts
// write files holding a URL or token without a shell. A variable that is
// not set fails the command rather than vanishing.
//
//	expandenv env.tmpl proj/.env
func cmdExpandEnv(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: expandenv SRC DST")
	}
	var unset []string
	out := os.Expand(ts.ReadFile(args[0]), func(name string) string {
		v := ts.Getenv(name)
		if v == "" {
			unset = append(unset, name)
		}
		return v
	})
	if len(unset) > 0 {
		ts.Fatalf("expandenv %s: not set: %s", args[0], strings.Join(unset, ", "))
	}
	ts.Check(os.WriteFile(ts.MkAbs(args[1]), []byte(out), 0o600))
}

// servedProcesses holds the `rcolpipe sandbox serve` process a script
// started with serve-start.
var servedProcesses sync.Map // *testscript.TestScript -> *servedProcess

type servedProcess struct {
	cmd    *exec.Cmd
	stderr bytes.Buffer  // read only after the process has ended
	rest   bytes.Buffer  // stdout after the URL line, likewise
	copied chan struct{} // closed when stdout has been read to its end
}

// serveHangGuard bounds the waits of serve-start and serve-stop; they end
// as soon as the server answers, and the guard only keeps a broken build
// from hanging the run.
const serveHangGuard = time.Minute

// cmdServeStart runs the real `rcolpipe sandbox serve --state DIR --addr
// 127.0.0.1:0` as a process, waits for the URL it prints and sets $URL;
// serve-stop ends it. Unlike sandbox-start it goes through the CLI: flags,
// logging, signal handling.
//
//	serve-start sb
func cmdServeStart(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: serve-start DIR")
	}
	if _, ok := servedProcesses.Load(ts); ok {
		ts.Fatalf("serve-start: a server runs already; serve-stop it first")
	}
	exe, err := exec.LookPath("rcolpipe")
	ts.Check(err)
	sp := &servedProcess{copied: make(chan struct{})}
	sp.cmd = exec.Command(exe, "sandbox", "serve", "--state", ts.MkAbs(args[0]), "--addr", "127.0.0.1:0")
	sp.cmd.Dir = ts.MkAbs(".")
	for _, k := range []string{"PATH", "HOME", "TMPDIR"} {
		sp.cmd.Env = append(sp.cmd.Env, k+"="+ts.Getenv(k))
	}
	sp.cmd.Stderr = &sp.stderr
	stdout, err := sp.cmd.StdoutPipe()
	ts.Check(err)
	ts.Check(sp.cmd.Start())
	servedProcesses.Store(ts, sp)
	ts.Defer(func() {
		if sp, ok := servedProcesses.LoadAndDelete(ts); ok {
			p := sp.(*servedProcess)
			_ = p.cmd.Process.Kill()
			<-p.copied
			_ = p.cmd.Wait()
		}
	})
	urlc := make(chan string, 1)
	go func() {
		defer close(sp.copied)
		br := bufio.NewReader(stdout)
		line, _ := br.ReadString('\n')
		urlc <- strings.TrimSpace(line)
		_, _ = io.Copy(&sp.rest, br)
	}()
	select {
	case url := <-urlc:
		if url == "" {
			ts.Fatalf("serve-start: the server printed no URL")
		}
		ts.Setenv("URL", url)
	case <-time.After(serveHangGuard):
		ts.Fatalf("serve-start: no URL from the server within %s", serveHangGuard)
	}
}

// cmdServeStop sends SIGINT to the server of serve-start and waits for it
// to end; it fails unless the server exits 0. The server's stderr goes to
// FILE, for the script to check.
//
//	serve-stop serve.log
func cmdServeStop(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: serve-stop LOGFILE")
	}
	v, ok := servedProcesses.LoadAndDelete(ts)
	if !ok {
		ts.Fatalf("serve-stop: no server; serve-start one first")
	}
	sp := v.(*servedProcess)
	ts.Check(sp.cmd.Process.Signal(os.Interrupt))
	select {
	case <-sp.copied:
	case <-time.After(serveHangGuard):
		_ = sp.cmd.Process.Kill()
		<-sp.copied
		_ = sp.cmd.Wait()
		ts.Fatalf("serve-stop: the server did not end within %s of SIGINT", serveHangGuard)
	}
	err := sp.cmd.Wait()
	ts.Check(os.WriteFile(ts.MkAbs(args[0]), sp.stderr.Bytes(), 0o600))
	if err != nil {
		ts.Fatalf("serve-stop: the server ended with %v after SIGINT; its stderr is in %s", err, args[0])
	}
	if sp.rest.Len() > 0 {
		ts.Fatalf("serve-stop: the server printed more than its URL on stdout: %q", sp.rest.String())
	}
}

// goEnv returns the go command's cache settings, for scripts that run
// `go build` (testscript gives them an empty HOME).
var goEnv = sync.OnceValue(func() map[string]string {
	keys := []string{"GOCACHE", "GOMODCACHE", "GOPATH"}
	out, err := exec.Command("go", append([]string{"env"}, keys...)...).Output()
	if err != nil {
		return nil
	}
	m := map[string]string{}
	for i, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		if i < len(keys) && line != "" {
			m[keys[i]] = line
		}
	}
	return m
})

// cmdMetadataImport posts FILE as it is (format=csv) to the metadata
// import of the server at $URL with the token in TOKENFILE, the way a
// dictionary file reaches REDCap's replace-everything import, and fails
// unless the server answers 200.
//
//	metadata-import full.token draft.csv
func cmdMetadataImport(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: metadata-import TOKENFILE FILE")
	}
	form := url.Values{
		"token":   {strings.TrimSpace(ts.ReadFile(args[0]))},
		"content": {"metadata"}, "format": {"csv"}, "returnFormat": {"json"},
		"data": {ts.ReadFile(args[1])},
	}
	resp, err := http.PostForm(ts.Getenv("URL"), form)
	ts.Check(err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	ts.Check(err)
	if resp.StatusCode != http.StatusOK {
		ts.Fatalf("metadata-import: HTTP %d: %s", resp.StatusCode, body)
	}
	ts.Logf("metadata-import: %s", body)
}
