// Command gen derives the word list that package zhdict embeds from
// jieba's dictionary as Debian packages it (python3-jieba; see ../NOTICE):
// the words of two Chinese characters that the dictionary counts at least
// -min times, sorted, one a line, gzipped; a word it counts at least
// -common times is followed by a "*". The package need not be
// installed:
//
//	apt-get download python3-jieba
//	dpkg-deb -x python3-jieba_*.deb x
//	go run ./backend/kb/zhdict/gen -o backend/kb/zhdict/words.txt.gz \
//	    x/usr/lib/python3/dist-packages/jieba/dict.txt
package main

import (
	"flag"
	"log"
	"maps"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"switchboard/backend/kb/internal/wordlist"
)

func main() {
	out := flag.String("o", "words.txt.gz", "output file")
	minCount := flag.Int("min", 3, "the least count in the dictionary of a word kept")
	commonCount := flag.Int("common", 20, "the least count in the dictionary of a word marked common")
	flag.Parse()
	seen := make(map[string]bool) // word → common
	err := wordlist.Lines(flag.Args(), func(line string) {
		// A line is a word, its count and its part of speech.
		fields := strings.Fields(line)
		if len(fields) < 2 {
			return
		}
		n, err := strconv.Atoi(fields[1])
		if err != nil || n < *minCount {
			return
		}
		if rs := []rune(fields[0]); len(rs) == 2 && han(rs) {
			seen[fields[0]] = seen[fields[0]] || n >= *commonCount
		}
	})
	if err != nil {
		log.Fatal(err)
	}
	words := slices.Sorted(maps.Keys(seen))
	lines := make([]string, len(words))
	for i, w := range words {
		lines[i] = w
		if seen[w] {
			lines[i] += "*"
		}
	}
	if err := wordlist.Write(*out, lines); err != nil {
		log.Fatal(err)
	}
	log.Printf("%d words → %s", len(words), *out)
}

// han reports whether every one of rs is a Chinese character.
func han(rs []rune) bool {
	for _, r := range rs {
		if !unicode.Is(unicode.Han, r) {
			return false
		}
	}
	return true
}
