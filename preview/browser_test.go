package preview

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/rcolpipe/rcolpipe/internal/browsertest"
	"github.com/rcolpipe/rcolpipe/internal/testcorpus"
)

// openPreview writes the preview of inputs and opens it in a headless
// browser, waiting until its script has run once.
func openPreview(t *testing.T, inputs ...string) context.Context {
	t.Helper()
	ctx := browsertest.Start(t)
	out := filepath.Join(t.TempDir(), "review.html")
	spec := mustSpec(t, inputs...)
	if _, err := Write(context.Background(), spec, Options{Out: out}); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx,
		chromedp.Navigate("file://"+out),
		chromedp.WaitReady(chromedp.CSS(`body[data-ready]`)),
	); err != nil {
		t.Fatal(err)
	}
	return ctx
}

// hidden reports whether the element of field name carries the hidden attribute.
func hidden(t *testing.T, ctx context.Context, name string) bool {
	t.Helper()
	h, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.querySelector('[data-field="`+name+`"]').hasAttribute("hidden")`))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return h
}

func do(t *testing.T, ctx context.Context, what string, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// setValue sets an input's value as a reviewer's typing would, with an
// input event (date inputs take no keystrokes in a headless browser).
func setValue(sel, value string) chromedp.Action[chromedp.Void] {
	return chromedp.Evaluate[chromedp.Void](`(function(){ var el = document.querySelector(` + jsQuote(sel) + `); el.value = ` + jsQuote(value) +
		`; el.dispatchEvent(new Event("input", {bubbles: true})); })()`)
}

func jsQuote(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
}

// TestPreviewInBrowser drives the preview of a real dictionary (redcapAPI's
// test project, with branching logic on radio, yes/no, date, number and
// checkbox codes, and calc fields) in headless Chromium.
func TestPreviewInBrowser(t *testing.T) {
	dict := filepath.Join(testcorpus.Dir(t, "vubiostat__redcapAPI", "inst", "extdata"), "metadata.csv")
	ctx := openPreview(t, dict)

	// A field whose logic is false is hidden; setting the value it refers
	// to shows it, and clearing it hides it again.
	if !hidden(t, ctx, "one_prereq_non_checkbox") {
		t.Fatal(`one_prereq_non_checkbox ([prereq_radio] = '1') is shown while prereq_radio is blank`)
	}
	do(t, ctx, "choose prereq_radio 1", chromedp.Click(chromedp.CSS(`[data-field="prereq_radio"] input[value="1"]`)))
	if hidden(t, ctx, "one_prereq_non_checkbox") {
		t.Error("one_prereq_non_checkbox stays hidden after prereq_radio = 1")
	}
	do(t, ctx, "choose prereq_radio 2", chromedp.Click(chromedp.CSS(`[data-field="prereq_radio"] input[value="2"]`)))
	if !hidden(t, ctx, "one_prereq_non_checkbox") {
		t.Error("one_prereq_non_checkbox still shown after prereq_radio = 2")
	}

	// A checkbox code condition: [prereq_checkbox(ABC)] = '1'.
	if !hidden(t, ctx, "one_prereq_checkbox") {
		t.Fatal("one_prereq_checkbox is shown while code ABC is not ticked")
	}
	do(t, ctx, "tick ABC", chromedp.Click(chromedp.CSS(`[data-field="prereq_checkbox"] input[value="ABC"]`)))
	if hidden(t, ctx, "one_prereq_checkbox") {
		t.Error("one_prereq_checkbox stays hidden after ticking ABC")
	}
	do(t, ctx, "tick 1", chromedp.Click(chromedp.CSS(`[data-field="prereq_checkbox"] input[value="1"]`)))
	if hidden(t, ctx, "two_prereq_and_one_check") {
		t.Error("two_prereq_and_one_check ([prereq_checkbox(1)] = '1' or ...) stays hidden after ticking 1")
	}
	do(t, ctx, "untick ABC", chromedp.Click(chromedp.CSS(`[data-field="prereq_checkbox"] input[value="ABC"]`)))
	if !hidden(t, ctx, "one_prereq_checkbox") {
		t.Error("one_prereq_checkbox still shown after unticking ABC")
	}

	// Blank is not less than 0; a negative number is.
	if !hidden(t, ctx, "one_prereq_inequality") {
		t.Error("one_prereq_inequality ([prereq_number] < 0) is shown while prereq_number is blank")
	}
	do(t, ctx, "type -1", chromedp.SendKeys(chromedp.CSS(`[data-field="prereq_number"] input`), "-1"))
	if hidden(t, ctx, "one_prereq_inequality") {
		t.Error("one_prereq_inequality stays hidden after prereq_number = -1")
	}

	// A date compared as REDCap stores it (Y-M-D).
	if !hidden(t, ctx, "two_prereq_or") {
		t.Error("two_prereq_or is shown with no answers")
	}
	do(t, ctx, "set the date", setValue(`[data-field="prereq_date"] input`, "2024-03-05"))
	if hidden(t, ctx, "two_prereq_or") {
		t.Error("two_prereq_or ([prereq_date] > '2024-01-01' or ...) stays hidden after 2024-03-05")
	}

	// Calc fields compute as values are typed.
	do(t, ctx, "type the operands",
		chromedp.SendKeys(chromedp.CSS(`[data-field="left_operand"] input`), "7"),
		chromedp.SendKeys(chromedp.CSS(`[data-field="right_operand"] input`), "5"),
	)
	for field, want := range map[string]string{"calc_addition": "12", "calc_squared": "49"} {
		got, err := chromedp.Run(ctx, chromedp.Value(chromedp.CSS(`[data-field="`+field+`"] input.calc`)))
		if err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Errorf("%s shows %q, want %q", field, got, want)
		}
	}

	// The finding about prereq_checkbox is visible next to it.
	text, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(function(){
		var ul = document.querySelector('[data-field="prereq_checkbox"] ul.findings');
		if (!ul || ul.offsetParent === null) return "";
		return ul.innerText; })()`))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(text, "RC115") {
		t.Errorf("no visible finding RC115 next to prereq_checkbox (found %q)", text)
	}
}

// TestPreviewScreenshot writes a screenshot of a preview with findings and
// changes, for people to look at (not compared pixel by pixel). Set
// RCOLPIPE_SCREENSHOT to a path to keep it (docs/preview.png is made so).
func TestPreviewScreenshot(t *testing.T) {
	ctx := browsertest.Start(t)
	out := filepath.Join(t.TempDir(), "review.html")
	if _, err := Write(context.Background(), mustSpec(t, "testdata/review.csv"), Options{
		Out: out, Base: []string{"testdata/base.csv"}, Title: "Baseline and follow-up, for review",
	}); err != nil {
		t.Fatal(err)
	}
	do(t, ctx, "open", chromedp.Navigate("file://"+out), chromedp.WaitReady(chromedp.CSS(`body[data-ready]`)),
		chromedp.Click(chromedp.CSS(`[data-field="smoker"] input[value="1"]`)),
		chromedp.SendKeys(chromedp.CSS(`[data-field="cigs"] input`), "12"),
		setValue(`[data-field="dob"] input`, "1990-06-15"),
	)
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)) // quality 100 is PNG, below it JPEG
	if err != nil {
		t.Fatal(err)
	}
	if len(png) < 1000 || string(png[1:4]) != "PNG" {
		t.Fatalf("screenshot is not a PNG (%d bytes)", len(png))
	}
	path := os.Getenv("RCOLPIPE_SCREENSHOT")
	if path == "" {
		path = filepath.Join(t.TempDir(), "preview.png")
	}
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s (%d bytes)", path, len(png))
}
