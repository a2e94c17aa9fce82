package redcap

import (
	"fmt"
	"strings"
	"testing"
)

func TestActionTagUses(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"@HIDDEN @READONLY", "HIDDEN| READONLY|"},
		{"@DEFAULT='a b' @CHARLIMIT=10", "DEFAULT=a b(q) CHARLIMIT=10"},
		{`@DEFAULT = "[age]"`, "DEFAULT=[age](q)"},
		{"@CALCTEXT(if([a]='1', 'x (y)', 'z'))", "CALCTEXT(if([a]='1', 'x (y)', 'z')"},
		{"@IF([a]='1', @HIDDEN @DEFAULT='@NOW', @CALCTEXT([b]))", "IF([a]='1', @HIDDEN @DEFAULT='@NOW', @CALCTEXT([b]) HIDDEN|if DEFAULT=@NOW(q)if CALCTEXT([b]if"},
		{"@DEFAULT='open", "DEFAULT=open(q)(unclosed)"},
		{"@CALCTEXT([a]", "CALCTEXT([a](unclosed)"},
		{"mail a@b.org @HIDDEN", "HIDDEN|"},
	} {
		var got []string
		for _, u := range ActionTagUses(tc.in) {
			s := u.Name
			switch u.Form {
			case 0:
				s += "|"
			default:
				s += string(u.Form) + u.Arg
			}
			if u.Quoted {
				s += "(q)"
			}
			if u.Unclosed {
				s += "(unclosed)"
			}
			if u.InIF {
				s += "if"
			}
			if u.Form != 0 && !u.Unclosed && !strings.HasPrefix(tc.in[u.ArgPos:], u.Arg) {
				s += fmt.Sprintf("(bad ArgPos %d)", u.ArgPos)
			}
			got = append(got, s)
		}
		if g := strings.Join(got, " "); g != tc.want {
			t.Errorf("ActionTagUses(%q) = %q, want %q", tc.in, g, tc.want)
		}
	}
}

func TestSplitTagArgs(t *testing.T) {
	parts, offs := SplitTagArgs("[d], 7, 'a,b', f(1,2)")
	if strings.Join(parts, "|") != "[d]| 7| 'a,b'| f(1,2)" || offs[1] != 4 {
		t.Errorf("SplitTagArgs = %q %v", parts, offs)
	}
}

func TestTagArg(t *testing.T) {
	for k, want := range []string{"[d]", " 7", " 'a,b'", " f(1,2)", ""} {
		if got, n := TagArg("[d], 7, 'a,b', f(1,2)", k); got != want || n != 4 {
			t.Errorf("TagArg(_, %d) = %q, %d; want %q, 4", k, got, n, want)
		}
	}
	if n := testing.AllocsPerRun(100, func() { TagArg("[d], 7, 'a,b', f(1,2)", 2) }); n != 0 {
		t.Errorf("TagArg allocates %v times", n)
	}
}
