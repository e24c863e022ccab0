package bot

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"text/tabwriter"

	"switchboard/backend/kb"
)

// The evaluation set of testdata/eval (see its README.md): customer
// wordings written before the matcher was tuned, split at random into a
// training file and a held-out file that is never read while tuning.
// TestEvalSet asks the default bot over the shared knowledge base every
// wording, as the server does, and reports each set by language and kind.

// Kinds of evaluation items.
const (
	kindParaphrase  = "paraphrase"
	kindTypo        = "typo"
	kindMixed       = "mixed"
	kindHandoff     = "handoff"
	kindAboutPeople = "about-people"
	kindOutOfScope  = "out-of-scope"
)

var evalKinds = []string{kindParaphrase, kindTypo, kindMixed, kindHandoff, kindAboutPeople, kindOutOfScope}

// evalItem is one line of an evaluation file.
type evalItem struct {
	Text string `json:"text"`
	Lang string `json:"lang"`
	Kind string `json:"kind"`
	Want string `json:"want"`
}

// Outcomes of one item. An item is right when the bot does what its kind
// asks: answer from the wanted entry without handing over (paraphrase,
// typo, mixed, about-people), hand over (handoff), or neither answer from
// an entry nor hand over (out-of-scope).
const (
	outRight   = iota
	outWrong   // answered from another entry
	outUnsure  // no entry, no handoff: the fallback and quick replies
	outHandoff // handed over when it should not have
	outCount
)

// evalFloors are regression floors, not aims: each is what the set ×
// language × kind measured at the last change of the matcher
// (docs/architecture.md, "The bot"), less one wording, or 3% of the
// stratum if that is more, rounded down; so one wording does not fail the
// test but a regression of the method does. Raise them
// as the matcher improves; the aim is the (90% top-1, every
// handoff request, no confident answer out of scope, held-out ≥ 85% per
// language). "all" is every item that wants an entry.
//
// When new wordings join the sets (through the split tool), the training
// floors are re-derived at once from the new training figures; the
// held-out floors stay suspended until the single look at the held-out
// figures after the tuning, and are then set from those figures by the
// same rule, never above them. So on 2026-12-04 (branch bot2): 395 new
// wordings joined, 199 of them the held-out set's; the held-out floors
// below come from the one look after the tuning. They are lower than
// before, but the set is not the same: the "before" of a held-out figure
// is that of the smaller set, and the two are not comparable. Again on
// 2026-12-04 (branch bot4): 186 new wordings joined, 96 of them the
// held-out set's; the held-out floors come from the one look after bot4's
// tuning. Again on 2026-12-04 (branch bot5): 172 new wordings joined, 88
// of them the held-out set's; the held-out floors come from the one look
// after bot5's tuning. Again on 2026-12-05 (bot6): 278 new wordings, written
// by one who read only the knowledge base and this directory's README, and
// tuned by another who never ran the held-out sets (EVAL_TRAIN_ONLY=1);
// the training floors come from the figures after bot6's tuning, the
// held-out ones stay suspended until the one look. Again on 2026-12-05
// (bot7): 287 new wordings, written apart and tuned with EVAL_TRAIN_ONLY=1,
// each change made on the misses of one half of the training set
// (EVAL_TRAIN_HALF) and checked on the other; the training floors come from
// the figures after bot7's tuning, the held-out ones from the one look
// after it. Again on 2026-12-05 (bot8): 301 new wordings, written apart,
// 147 of them the training set's, tuned in the same way; one held-out
// wording was dropped before the look because an older in-code set has it
// (the rule above, missed by the check before the split). The floors come
// from the figures after bot8's tuning and the one look after it. On
// 2026-12-05 (bot9) no wordings joined; the changes were made on probes
// written apart from both sets and checked on the training halves, and
// the floors that rose were raised from the figures after them (the
// held-out ones from the last of its aggregate looks). So again on
// 2026-12-05 (bot10): probes written apart, training floors raised; the
// held-out looks after it measured English paraphrases and typos one lower
// each (349/390, 81/85), within their floors. Passes 11 to 14 (2026-12-05
// and 12-06) were made the same way, on probes of kinds written apart; the
// floors that rose were raised from the figures after them. Pass 23
// (2026-12-07) likewise: places abroad, sizes asked for as goods and who
// brings the goods, found by probes written apart, raised the held-out
// English paraphrases from 352 to 356 of 390; textspeak written out, its
// typos from 81 to 82 of 85. Pass 24 (2026-12-07) likewise: people doubted
// or waited for ("are there even humans working there?"), found by probes
// written apart, raised the held-out English requests from 59 to 60 of 60.
// Pass 25 (2026-12-07) likewise: the shop's words in other senses (a heart
// rate tracked, Google Maps, the EU's membership), found by probes written
// apart, raised the held-out English out-of-scope questions from 59 to 60
// of 61. Pass 26 (2026-12-07) likewise: a way of paying named with a verb of
// paying by it (paidWith in package kb), found by probes written apart,
// raised the held-out Chinese typos from 48 to 49 of 51.
var evalFloors = map[string]float64{
	"train/zh/paraphrase":     0.95, // 273/276 = 98.9% after pass 27 (272/276 after pass 26, 269/276 after pass 12, 266/276 before pass 11)
	"train/zh/typo":           0.97, // 48/48 = 100.0% (48/48 before the tuning of bot8)
	"train/zh/mixed":          0.97, // 34/34 = 100.0% (34/34 before the tuning of bot8)
	"train/zh/handoff":        0.97, // 46/46 = 100.0% (46/46 before the tuning of bot8)
	"train/zh/about-people":   0.90, // 10/10 = 100.0% (10/10 before the tuning of bot8)
	"train/zh/out-of-scope":   0.97, // 43/43 = 100% (42/43 before pass 11, 40/43 before bot9)
	"train/zh/all":            0.95, // 365/368 = 99.2% after pass 27 (364/368 after pass 26, 361/368 after pass 12, 354/368 before bot9)
	"train/en/paraphrase":     0.95, // 386/388 = 99.5% after pass 27 (380/388 after pass 12, 371/388 before bot10)
	"train/en/typo":           0.97, // 82/82 = 100.0% (81/82 before the tuning of bot8)
	"train/en/mixed":          0.80, // 5/5 (5/5 before the tuning of bot8)
	"train/en/handoff":        0.97, // 58/58 = 100.0% (58/58 before the tuning of bot8)
	"train/en/about-people":   0.94, // 19/19 = 100.0% (19/19 before the tuning of bot8)
	"train/en/out-of-scope":   0.97, // 57/57 = 100% after pass 13 (56/57 before, 55/57 before pass 11)
	"train/en/all":            0.95, // 492/494 = 99.6% after pass 27 (486/494 after pass 12, 477/494 before bot10)
	"heldout/zh/paraphrase":   0.91, // 256/279 = 91.8% after pass 27 (255/279 after pass 15; 256/279 after pass 12, 255/279 after pass 11, 239/279 before bot9)
	"heldout/zh/typo":         0.93, // 49/51 = 96.1% after pass 26 (48/51 before; 49/51 at the look after bot8)
	"heldout/zh/mixed":        0.94, // 38/39 = 97.4% (the looks after bot9; 37/39 before)
	"heldout/zh/handoff":      0.95, // 47/48 = 97.9% after pass 11 (46/48 before)
	"heldout/zh/about-people": 0.92, // 14/14 = 100.0% (one look, the set grown by bot8)
	"heldout/zh/out-of-scope": 0.95, // 48/49 = 98.0% after pass 15 (47/49 after pass 13, 45/49 after pass 11, 41/49 before)
	"heldout/zh/all":          0.90, // 357/383 = 93.2% after pass 26 and 27 (356/383 before; 355/383 after bot9; 339/383 before)
	"heldout/en/paraphrase":   0.91, // 356/390 = 91.3% after pass 23 (352/390 before; 351/390 after pass 12)
	"heldout/en/typo":         0.95, // 82/85 = 96.5% after pass 23 (81/85 the looks after bot10; 82/85 before)
	"heldout/en/mixed":        0.85, // 7/7 (one look, the set grown by bot8)
	"heldout/en/handoff":      0.98, // 60/60 = 100.0% after pass 24 (59/60 after pass 22, 58/60 before)
	"heldout/en/about-people": 0.95, // 20/20 = 100.0% (one look, the set grown by bot8)
	"heldout/en/out-of-scope": 0.95, // 60/61 = 98.4% after pass 25 (59/61 after pass 14, 58/61 after pass 13, 56/61 after pass 11)
	"heldout/en/all":          0.92, // 464/502 = 92.4% after pass 23 (460/502 before; 459/502 after pass 12)
}

func TestEvalSet(t *testing.T) {
	k := evalKB(t)
	train := loadEvalSet(t, k, filepath.Join("testdata", "eval", "train.jsonl"))
	heldout := loadEvalSet(t, k, filepath.Join("testdata", "eval", "heldout.jsonl"))
	checkEvalSetNew(t, k, train, heldout)
	half := trainHalf(t)
	if half >= 0 {
		train = halfOf(train, half)
	}

	b := mustKB(k, Options{})
	sets := []struct {
		name  string
		items []evalItem
		// showMisses lists the wrong items; never for the held-out
		// set, whose items are not to be looked at one by one.
		showMisses bool
	}{
		{"train", train, true},
		{"heldout", heldout, false},
	}
	if trainOnly() {
		sets = sets[:1]
	}
	for _, set := range sets {
		tally := make(map[string]*[outCount]int) // "lang/kind" → outcomes
		dym := make(map[string]*[2]int)          // lang → did-you-means, with the wanted entry among them
		for _, it := range set.items {
			r := answer(t, b, Input{Text: it.Text})
			o := evalOutcome(it, r)
			if r.DidYouMean && it.Want != kindHandoff && it.Want != "none" {
				if dym[it.Lang] == nil {
					dym[it.Lang] = new([2]int)
				}
				dym[it.Lang][0]++
				if e, ok := k.Entry(it.Want); ok && slices.Contains(r.Suggestions, firstQuestion(e, it.Lang)) {
					dym[it.Lang][1]++
				}
			}
			keys := []string{it.Lang + "/" + it.Kind}
			if it.Want != kindHandoff && it.Want != "none" {
				keys = append(keys, it.Lang+"/all")
			}
			for _, key := range keys {
				if tally[key] == nil {
					tally[key] = new([outCount]int)
				}
				tally[key][o]++
			}
			if o != outRight && set.showMisses && testing.Verbose() {
				t.Logf("%s miss: %s %s %q → entry %q handoff %v (%.2f), want %q", set.name, it.Lang, it.Kind, it.Text, r.EntryID, r.Handoff, r.Score, it.Want)
			}
		}
		if half >= 0 {
			// A half is measured against no floor.
			reportEvalSet(t, set.name+"/"+os.Getenv("EVAL_TRAIN_HALF"), tally)
			continue
		}
		reportEvalSet(t, set.name, tally)
		for _, lang := range []string{kb.ZH, kb.EN} {
			if c := dym[lang]; c != nil {
				t.Logf("%s %s: %d did-you-mean replies (not counted right), the wanted entry among them %d times", set.name, lang, c[0], c[1])
			}
		}
	}
}

// trainOnly is whether the held-out sets are left out of the run
// (EVAL_TRAIN_ONLY=1): the mode of tuning, in which not even a held-out
// figure is seen.
func trainOnly() bool {
	return os.Getenv("EVAL_TRAIN_ONLY") != "" || os.Getenv("EVAL_TRAIN_HALF") != ""
}

// trainHalf is the half of the training set asked alone
// (EVAL_TRAIN_HALF=a: its odd lines, b: its even lines), or -1 for all of
// it. Tuning looks at the misses of one half and checks a change on the
// other, to tell a change that carries over to unseen wordings from one
// that only fits the wordings looked at. A half implies EVAL_TRAIN_ONLY
// and is held to no floor.
func trainHalf(t *testing.T) int {
	switch h := os.Getenv("EVAL_TRAIN_HALF"); h {
	case "":
		return -1
	case "a":
		return 0
	case "b":
		return 1
	default:
		t.Fatalf("EVAL_TRAIN_HALF=%q, want a or b", h)
	}
	return -1
}

// halfOf is the items of lines 1, 3, 5, … (h 0) or 2, 4, 6, … (h 1).
func halfOf(items []evalItem, h int) []evalItem {
	var out []evalItem
	for i, it := range items {
		if i%2 == h {
			out = append(out, it)
		}
	}
	return out
}

// firstQuestion is the sample question of e that the bot suggests for it
// in lang.
func firstQuestion(e kb.Entry, lang string) string {
	if qs := e.Questions.Get(lang); len(qs) > 0 {
		return qs[0]
	}
	return ""
}

// evalOutcome classifies the bot's reply r to it.
func evalOutcome(it evalItem, r Reply) int {
	switch {
	case it.Kind == kindHandoff && r.Handoff:
		return outRight
	case it.Kind == kindHandoff && r.EntryID != "":
		return outWrong
	case it.Kind == kindHandoff:
		return outUnsure
	case r.Handoff:
		return outHandoff
	case r.EntryID == "" && it.Want == "none":
		return outRight
	case r.EntryID == "":
		return outUnsure
	case r.EntryID == it.Want:
		return outRight
	}
	return outWrong
}

// reportEvalSet logs the table of one set (with -v, or when a floor
// fails), a one-line summary always, and fails below the floors.
func reportEvalSet(t *testing.T, set string, tally map[string]*[outCount]int) {
	t.Helper()
	var table strings.Builder
	tw := tabwriter.NewWriter(&table, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "set\tlang\tkind\tn\tright\t%\twrong entry\tunsure\thanded over\tfloor\t")
	var summary []string
	var failed []string
	for _, lang := range []string{kb.ZH, kb.EN} {
		for _, kind := range append(evalKinds, "all") {
			c := tally[lang+"/"+kind]
			if c == nil {
				continue
			}
			n := c[outRight] + c[outWrong] + c[outUnsure] + c[outHandoff]
			ratio := float64(c[outRight]) / float64(n)
			key := set + "/" + lang + "/" + kind
			floor := evalFloors[key]
			fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%d\t%.1f\t%d\t%d\t%d\t%.2f\t\n", set, lang, kind, n, c[outRight], 100*ratio, c[outWrong], c[outUnsure], c[outHandoff], floor)
			if kind == "all" || kind == kindHandoff || kind == kindOutOfScope {
				summary = append(summary, fmt.Sprintf("%s %s %d/%d", lang, kind, c[outRight], n))
			}
			if ratio < floor {
				failed = append(failed, fmt.Sprintf("%s %.1f%% (%d/%d), floor %.0f%%", key, 100*ratio, c[outRight], n, 100*floor))
			}
		}
	}
	tw.Flush()
	if testing.Verbose() || len(failed) > 0 {
		t.Logf("%s:\n%s", set, table.String())
	}
	t.Logf("%s: %s", set, strings.Join(summary, ", "))
	for _, f := range failed {
		t.Errorf("below the floor: %s", f)
	}
}

// loadEvalSet reads an evaluation file and checks every item against k.
func loadEvalSet(t testing.TB, k *kb.KB, path string) []evalItem {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var items []evalItem
	sc := bufio.NewScanner(bytes.NewReader(data))
	for n := 1; sc.Scan(); n++ {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 {
			continue
		}
		var it evalItem
		dec := json.NewDecoder(bytes.NewReader(line))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&it); err != nil {
			t.Fatalf("%s:%d: %v", path, n, err)
		}
		if err := checkEvalItem(k, it); err != nil {
			t.Errorf("%s:%d: %v", path, n, err)
		}
		items = append(items, it)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return items
}

// checkEvalItem reports an item whose fields do not fit together.
func checkEvalItem(k *kb.KB, it evalItem) error {
	if strings.TrimSpace(it.Text) == "" {
		return fmt.Errorf("empty text")
	}
	if it.Lang != kb.ZH && it.Lang != kb.EN {
		return fmt.Errorf("%q: lang %q, want zh or en", it.Text, it.Lang)
	}
	switch it.Kind {
	case kindHandoff:
		if it.Want != kindHandoff {
			return fmt.Errorf("%q: a handoff item wants %q, want \"handoff\"", it.Text, it.Want)
		}
	case kindOutOfScope:
		if it.Want != "none" {
			return fmt.Errorf("%q: an out-of-scope item wants %q, want \"none\"", it.Text, it.Want)
		}
	case kindParaphrase, kindTypo, kindMixed, kindAboutPeople:
		if _, ok := k.Entry(it.Want); !ok {
			return fmt.Errorf("%q: no entry %q", it.Text, it.Want)
		}
	default:
		return fmt.Errorf("%q: unknown kind %q", it.Text, it.Kind)
	}
	return nil
}

// checkEvalSetNew fails on a wording that is in both files, twice in one,
// a sample question of k or a wording of the older in-code sets: the
// figures are only worth something on wordings nobody tuned on.
func checkEvalSetNew(t *testing.T, k *kb.KB, train, heldout []evalItem) {
	t.Helper()
	norm := func(s string) string {
		return strings.Map(func(r rune) rune {
			if strings.ContainsRune(" \t?？!！.。,，", r) {
				return -1
			}
			return r
		}, strings.ToLower(s))
	}
	old := make(map[string]string)
	for _, e := range k.Entries {
		for _, q := range append(e.Questions.ZH, e.Questions.EN...) {
			old[norm(q)] = "a sample question of " + e.ID
		}
	}
	for _, set := range [][]struct{ text, want string }{evalParaphrases, paraphrases, heldOutParaphrases} {
		for _, p := range set {
			old[norm(p.text)] = "in an older evaluation set"
		}
	}
	for _, set := range [][]string{evalHandoff, heldOutHandoff, evalOutOfScope, evalOutOfScopeHard, heldOutOutOfScope} {
		for _, s := range set {
			old[norm(s)] = "in an older evaluation set"
		}
	}
	for _, e := range everyday {
		old[norm(e.text)] = "in the everyday set"
	}
	seen := make(map[string]string)
	for _, set := range []struct {
		name  string
		items []evalItem
	}{{"train", train}, {"heldout", heldout}} {
		for _, it := range set.items {
			n := norm(it.Text)
			if why, ok := old[n]; ok {
				t.Errorf("%s: %q is %s", set.name, it.Text, why)
			}
			if where, ok := seen[n]; ok {
				t.Errorf("%s: %q is also in %s", set.name, it.Text, where)
			}
			seen[n] = set.name
		}
	}
}
