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
	"flag"
	"log"
	"maps"
	"regexp"
	"slices"

	"switchboard/backend/kb/internal/wordlist"
)

var word = regexp.MustCompile(`^[a-z]{4,}$`)

func main() {
	out := flag.String("o", "words.txt.gz", "output file")
	flag.Parse()
	seen := make(map[string]bool)
	err := wordlist.Lines(flag.Args(), func(w string) {
		if word.MatchString(w) {
			seen[w] = true
		}
	})
	if err != nil {
		log.Fatal(err)
	}
	words := slices.Sorted(maps.Keys(seen))
	if err := wordlist.Write(*out, words); err != nil {
		log.Fatal(err)
	}
	log.Printf("%d words → %s", len(words), *out)
}
