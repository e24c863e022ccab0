// Command gen derives the word list that package dict embeds from SCOWL's
// American and British English lists as Debian packages them (wamerican
// and wbritish, SCOWL's size 50; see ../NOTICE): the lower-case words of
// letters only, four or more of them (the speller leaves shorter words
// alone), sorted, one a line, gzipped. The packages need not be
// installed:
//
//	apt-get download wamerican wbritish
//	for f in w*.deb; do dpkg-deb -x "$f" x; done
//	go run ./backend/kb/dict/gen -o backend/kb/dict/words.txt.gz \
//	    x/usr/share/dict/american-english x/usr/share/dict/british-english
package main

import (
	"bufio"
	"flag"
	"log"
	"os"
	"regexp"
	"slices"

	"switchboard/backend/kb/internal/gzlines"
)

var word = regexp.MustCompile(`^[a-z]{4,}$`)

func main() {
	out := flag.String("o", "words.txt.gz", "output file")
	flag.Parse()
	seen := make(map[string]bool)
	for _, p := range flag.Args() {
		f, err := os.Open(p)
		if err != nil {
			log.Fatal(err)
		}
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			if w := sc.Text(); word.MatchString(w) {
				seen[w] = true
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
	if err := gzlines.Write(*out, words); err != nil {
		log.Fatal(err)
	}
	log.Printf("%d words → %s", len(words), *out)
}
