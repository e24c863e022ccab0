// Command split adds new evaluation wordings to the bot's evaluation set:
// it shares them between train.jsonl and heldout.jsonl at random with a
// fixed seed, stratified by language, kind and wanted entry, and appends
// them. Lines already in either file never move, so a held-out wording
// never becomes a training one or the reverse.
//
//	go run ./backend/bot/testdata/eval/split -dir backend/bot/testdata/eval new.jsonl
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
)

// item is one line of an evaluation file.
type item struct {
	Text string `json:"text"`
	Lang string `json:"lang"`
	Kind string `json:"kind"`
	Want string `json:"want"`
}

func main() {
	dir := flag.String("dir", "backend/bot/testdata/eval", "directory of train.jsonl and heldout.jsonl")
	seed := flag.Uint64("seed", 13, "seed of the shuffle")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: split [-dir dir] [-seed n] new.jsonl")
		os.Exit(2)
	}
	if err := run(*dir, *seed, flag.Arg(0)); err != nil {
		fmt.Fprintln(os.Stderr, "split:", err)
		os.Exit(1)
	}
}

func run(dir string, seed uint64, newPath string) error {
	trainPath := filepath.Join(dir, "train.jsonl")
	heldPath := filepath.Join(dir, "heldout.jsonl")
	seen := make(map[string]bool)
	for _, p := range []string{trainPath, heldPath} {
		old, err := read(p)
		if err != nil && !os.IsNotExist(err) {
			return err
		}
		for _, it := range old {
			seen[key(it.Text)] = true
		}
	}
	fresh, err := read(newPath)
	if err != nil {
		return err
	}
	for _, it := range fresh {
		if seen[key(it.Text)] {
			return fmt.Errorf("%q is already in the evaluation set", it.Text)
		}
		seen[key(it.Text)] = true
	}

	// Group by stratum (language and kind) and, inside it, by wanted
	// entry, in order of first appearance so that the result depends
	// only on the input and the seed.
	type stratum struct{ lang, kind string }
	var strata []stratum
	groups := make(map[stratum][]string)
	byWant := make(map[stratum]map[string][]item)
	for _, it := range fresh {
		s := stratum{it.Lang, it.Kind}
		if byWant[s] == nil {
			strata = append(strata, s)
			byWant[s] = make(map[string][]item)
		}
		if byWant[s][it.Want] == nil {
			groups[s] = append(groups[s], it.Want)
		}
		byWant[s][it.Want] = append(byWant[s][it.Want], it)
	}
	rng := rand.New(rand.NewPCG(seed, seed))
	held := make(map[string]bool)
	for _, s := range strata {
		// An odd group's extra wording goes to the held-out and the
		// training side in turn, so that each stratum splits in half.
		extraToHeld := true
		for _, want := range groups[s] {
			g := byWant[s][want]
			rng.Shuffle(len(g), func(i, j int) { g[i], g[j] = g[j], g[i] })
			n := len(g) / 2
			if len(g)%2 == 1 {
				if extraToHeld {
					n++
				}
				extraToHeld = !extraToHeld
			}
			for _, it := range g[:n] {
				held[it.Text] = true
			}
		}
	}
	var train, heldout []item
	for _, it := range fresh {
		if held[it.Text] {
			heldout = append(heldout, it)
		} else {
			train = append(train, it)
		}
	}
	if err := appendItems(trainPath, train); err != nil {
		return err
	}
	return appendItems(heldPath, heldout)
}

func key(text string) string { return strings.ToLower(strings.TrimSpace(text)) }

func read(path string) ([]item, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var out []item
	sc := bufio.NewScanner(bytes.NewReader(data))
	for n := 1; sc.Scan(); n++ {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 {
			continue
		}
		var it item
		if err := json.Unmarshal(line, &it); err != nil {
			return nil, fmt.Errorf("%s:%d: %w", path, n, err)
		}
		out = append(out, it)
	}
	return out, sc.Err()
}

func appendItems(path string, items []item) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	for _, it := range items {
		if err := enc.Encode(it); err != nil {
			return err
		}
	}
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	if _, err := f.Write(buf.Bytes()); err != nil {
		f.Close()
		return fmt.Errorf("append %s: %w", path, err)
	}
	return f.Close()
}
