// Package wordlist reads the sources of the word lists that packages dict
// and zhdict embed and writes the lists: lines, each ended by a newline,
// gzipped at the best compression. It is their generators' (gen/), not the
// server's.
package wordlist

import (
	"bufio"
	"compress/gzip"
	"fmt"
	"os"
)

// Lines calls each with every line of the files at paths, in order.
func Lines(paths []string, each func(line string)) error {
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			return err
		}
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			each(sc.Text())
		}
		err = sc.Err()
		f.Close()
		if err != nil {
			return fmt.Errorf("%s: %w", p, err)
		}
	}
	return nil
}

// Write writes lines to the file at path, gzipped.
func Write(path string, lines []string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	zw, err := gzip.NewWriterLevel(f, gzip.BestCompression)
	if err != nil {
		f.Close()
		return err
	}
	bw := bufio.NewWriter(zw)
	for _, l := range lines {
		bw.WriteString(l)
		bw.WriteByte('\n')
	}
	if err := bw.Flush(); err != nil {
		f.Close()
		return err
	}
	if err := zw.Close(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
