// Package gzlines writes the word lists that packages dict and zhdict
// embed: lines, each ended by a newline, gzipped at the best compression.
// It is their generators' (gen/), not the server's.
package gzlines

import (
	"bufio"
	"compress/gzip"
	"os"
)

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
