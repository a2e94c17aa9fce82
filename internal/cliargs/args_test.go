package cliargs

import "testing"

func TestDidYouMean(t *testing.T) {
	names := []string{"validate", "convert", "inspect", "upload"}
	for given, want := range map[string]string{
		"validat": "; did you mean validate?", "Convrt": "; did you mean convert?",
		"xyzzy": "", "u": "",
	} {
		if got := DidYouMean(given, names); got != want {
			t.Errorf("DidYouMean(%q) = %q, want %q", given, got, want)
		}
	}
}

func TestCompletionScriptUnknownShell(t *testing.T) {
	_, err := CompletionScript(nil, "bsh")
	if _, ok := err.(*UnknownError); !ok || err.Error() != `unknown shell "bsh"; did you mean bash?: want bash, zsh, fish or powershell` {
		t.Errorf("CompletionScript(bsh) = %v", err)
	}
}
