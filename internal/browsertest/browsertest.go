// Package browsertest starts a headless Chromium for tests that drive a
// page in a real browser (the form preview, the logic runtime in V8)
// through chromedp. Only tests import it.
//
// Where no browser is installed a test skips with a message saying how to
// install one (apt-get install chromium; .ci/run does it); in CI (the CI
// variable set, see internal/testcorpus) a missing browser fails the test,
// so browser tests cannot stop running unnoticed.
package browsertest

import (
	"context"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/rcolpipe/rcolpipe/internal/testcorpus"
)

// PathEnv names a browser executable to use instead of the one on PATH.
const PathEnv = "RCOLPIPE_CHROMIUM"

// Find returns the path of a Chromium (or Chrome) executable, or "".
func Find() string {
	if p := os.Getenv(PathEnv); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// Start starts a headless browser with a fresh profile in a temporary
// folder and returns a context for chromedp actions on one tab. The browser
// is stopped when the test ends. The context has a generous deadline so a
// hung browser fails the test instead of hanging it (it is not a timing
// assertion).
func Start(tb testing.TB) context.Context {
	tb.Helper()
	path := Find()
	if path == "" {
		const msg = "no Chromium found (install it: apt-get install -y chromium, or set " + PathEnv + ")"
		if testcorpus.InCI() {
			tb.Fatal(msg + "; CI must run the browser tests")
		}
		tb.Skip(msg)
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(tb.TempDir()),
		chromedp.WindowSize(1280, 1000),
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	browserCtx, cancelTab := chromedp.NewContext(allocCtx)
	tb.Cleanup(func() {
		cancelTab()
		cancelAlloc()
	})
	// The first run starts the browser, which lives as long as that
	// context: it gets no deadline; later actions do.
	if err := chromedp.Do(browserCtx); err != nil {
		tb.Fatalf("start %s: %v", path, err)
	}
	ctx, cancelTimeout := context.WithTimeout(browserCtx, 3*time.Minute)
	tb.Cleanup(cancelTimeout)
	return ctx
}
