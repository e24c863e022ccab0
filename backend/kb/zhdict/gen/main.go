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
	"bufio"
	"flag"
	"log"
	"os"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"switchboard/backend/kb/internal/gzlines"
)

func main() {
	out := flag.String("o", "words.txt.gz", "output file")
	minCount := flag.Int("min", 3, "the least count in the dictionary of a word kept")
	commonCount := flag.Int("common", 20, "the least count in the dictionary of a word marked common")
	flag.Parse()
	seen := make(map[string]bool) // word → common
	for _, p := range flag.Args() {
		f, err := os.Open(p)
		if err != nil {
			log.Fatal(err)
		}
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			// A line is a word, its count and its part of speech.
			fields := strings.Fields(sc.Text())
			if len(fields) < 2 {
				continue
			}
			n, err := strconv.Atoi(fields[1])
			if err != nil || n < *minCount {
				continue
			}
			if rs := []rune(fields[0]); len(rs) == 2 && han(rs) {
				seen[fields[0]] = seen[fields[0]] || n >= *commonCount
			}
		}
		if err := sc.Err(); err != nil {
			log.Fatal(err)
		}
		f.Close()
	}
	words := make([]string, 0, len(seen))
	for w := range seen {
		words = append(words, w)
	}
	slices.Sort(words)
	lines := make([]string, len(words))
	for i, w := range words {
		lines[i] = w
		if seen[w] {
			lines[i] += "*"
		}
	}
	if err := gzlines.Write(*out, lines); err != nil {
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
