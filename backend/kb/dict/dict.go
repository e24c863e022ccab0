// Package dict knows which English words are words: SCOWL's American and
// British lists (size 50, as Debian's wamerican and wbritish ship them;
// see NOTICE), the lower-case words of four letters or more, about 65,000.
//
// The speller (package kb) corrects a word it does not know into the
// knowledge base's nearest one. The word vectors' 30,000 commonest words
// left out many a right word a customer uses: "conditioner" became
// "condition", "mugs" "mums", "fryer" "flyer", "reckon" "reason". A word
// the list has is right, whatever the knowledge base says; the misspellings
// customers type ("pasword", "cancle", "adress") are not in it. gen/
// derives words.txt.gz.
package dict

import (
	"bytes"
	"compress/gzip"
	_ "embed"
	"io"
	"sort"
	"strings"
	"sync"
)

//go:embed words.txt.gz
var packed []byte

var (
	once  sync.Once
	all   string   // the words, each ended by a newline, sorted
	start []uint32 // the offset in all of each word
)

func load() {
	zr, err := gzip.NewReader(bytes.NewReader(packed))
	if err != nil {
		panic("dict: embedded list: " + err.Error())
	}
	b, err := io.ReadAll(zr)
	if err != nil {
		panic("dict: embedded list: " + err.Error())
	}
	all = string(b)
	start = make([]uint32, 0, bytes.Count(b, []byte{'\n'}))
	for off := 0; off < len(all); {
		start = append(start, uint32(off))
		off += strings.IndexByte(all[off:], '\n') + 1
	}
}

// at is the i-th word.
func at(i int) string {
	s := all[start[i]:]
	return s[:strings.IndexByte(s, '\n')]
}

// Len is the number of words in the list.
func Len() int {
	once.Do(load)
	return len(start)
}

// Known reports whether w, in lower case, is an English word of the list.
// Words of fewer than four letters are not in it.
func Known(w string) bool {
	once.Do(load)
	i := sort.Search(len(start), func(i int) bool { return at(i) >= w })
	return i < len(start) && at(i) == w
}
