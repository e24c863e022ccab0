package bot

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The probes of testdata/probes: wordings written apart from the evaluation
// sets to find what the rules and the ranking miss, kept as a regression
// set once each was right. Unlike the evaluation sets they are tuning data
// through and through, and carry no figure: every wording must come out as
// its file says.
var probeFiles = []struct {
	name string
	// want is what every wording of the file must get; "" means the
	// entry id that begins each line.
	want string
}{
	{"handoff.txt", kindHandoff},
	{"outofscope.txt", "none"},
	{"nohandoff.txt", "nohandoff"},
	{"answered.txt", ""},
}

// probeLines reads a probe file: its wordings, comments and blank lines
// left out.
func probeLines(t *testing.T, name string) []string {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "probes", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var lines []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line != "" && !strings.HasPrefix(line, "#") {
			lines = append(lines, line)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return lines
}

func TestProbes(t *testing.T) {
	k := evalKB(t)
	b := mustKB(k, Options{})
	for _, pf := range probeFiles {
		t.Run(strings.TrimSuffix(pf.name, ".txt"), func(t *testing.T) {
			lines := probeLines(t, pf.name)
			if len(lines) < 30 {
				t.Fatalf("%s: %d wordings, want the file's probes", pf.name, len(lines))
			}
			for _, line := range lines {
				want, text := pf.want, line
				if want == "" {
					var ok bool
					want, text, ok = strings.Cut(line, " ")
					if _, found := k.Entry(want); !ok || !found {
						t.Fatalf("%s: %q: no entry id first", pf.name, line)
					}
				}
				r := answer(t, b, Input{Text: text})
				switch {
				case want == kindHandoff && !r.Handoff:
					t.Errorf("%q: not handed over (entry %q, score %.2f)", text, r.EntryID, r.Score)
				case want == "none" && (r.Handoff || r.EntryID != ""):
					t.Errorf("%q: answered from %q (score %.2f, handoff %v), want neither answer nor handoff", text, r.EntryID, r.Score, r.Handoff)
				case want == "nohandoff" && r.Handoff:
					t.Errorf("%q: handed over, want no handoff", text)
				case want != kindHandoff && want != "none" && want != "nohandoff" && (r.Handoff || r.EntryID != want):
					t.Errorf("%q = %q (score %.2f, handoff %v), want %q", text, r.EntryID, r.Score, r.Handoff, want)
				}
			}
		})
	}
}
