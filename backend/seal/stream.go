package seal

import (
	"crypto/cipher"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// A sealed file is a header and chunks of ChunkSize plaintext bytes (the
// last one shorter, never absent), each sealed on its own:
//
//	header: "SBF1" | DEK id (4) | nonce prefix (8)
//	chunk i: ciphertext | tag (16)   nonce = prefix | i (4 bytes)
//
// Each chunk's additional data holds the header, its index and whether it
// is the last, so chunks cannot be reordered, dropped or the file cut short
// without Read noticing.
const (
	// ChunkSize is the plaintext size of a full chunk.
	ChunkSize     = 64 << 10
	fileMagic     = "SBF1"
	FileHeaderLen = 4 + 4 + 8
	sealedChunk   = ChunkSize + tagLen
)

// IsSealedFile reports whether head (a file's first bytes, at least
// FileHeaderLen of them) starts a sealed file.
func IsSealedFile(head []byte) bool {
	return len(head) >= FileHeaderLen && string(head[:4]) == fileMagic
}

// FileKeyID returns the id of the DEK that sealed the file whose first
// bytes are head.
func FileKeyID(head []byte) (uint32, error) {
	if !IsSealedFile(head) {
		return 0, ErrMalformed
	}
	return binary.BigEndian.Uint32(head[4:8]), nil
}

// SealedSize is the size of the sealed file of plain bytes of content.
func SealedSize(plain int64) int64 {
	n := plain/ChunkSize + 1
	if plain > 0 && plain%ChunkSize == 0 {
		n--
	}
	return FileHeaderLen + plain + n*tagLen
}

func chunkAD(header []byte, i uint32, last bool, ad []byte) []byte {
	out := make([]byte, 0, len(header)+5+len(ad))
	out = append(out, header...)
	out = binary.BigEndian.AppendUint32(out, i)
	if last {
		out = append(out, 1)
	} else {
		out = append(out, 0)
	}
	return append(out, ad...)
}

func chunkNonce(header []byte, i uint32) []byte {
	n := make([]byte, nonceLen)
	copy(n, header[8:16])
	binary.BigEndian.PutUint32(n[8:], i)
	return n
}

// Writer seals what is written to it into a sealed file. Close seals the
// last chunk; it does not close the underlying writer.
type Writer struct {
	w      io.Writer
	aead   cipher.AEAD
	header []byte
	ad     []byte
	buf    []byte
	i      uint32
	err    error
}

// NewWriter returns a Writer sealing onto w with the current DEK for the
// place ad names.
func (r *Keyring) NewWriter(w io.Writer, ad []byte) (*Writer, error) {
	r.mu.RLock()
	id := r.current
	aead := r.keys[id]
	r.mu.RUnlock()
	if aead == nil {
		return nil, errors.New("seal: the keyring holds no data key")
	}
	h := make([]byte, FileHeaderLen)
	copy(h, fileMagic)
	binary.BigEndian.PutUint32(h[4:], id)
	rand.Read(h[8:])
	if _, err := w.Write(h); err != nil {
		return nil, err
	}
	return &Writer{w: w, aead: aead, header: h, ad: ad, buf: make([]byte, 0, ChunkSize)}, nil
}

// Write implements io.Writer.
func (sw *Writer) Write(p []byte) (int, error) {
	if sw.err != nil {
		return 0, sw.err
	}
	n := 0
	for len(p) > 0 {
		if len(sw.buf) == ChunkSize {
			// More follows, so the full chunk is not the last.
			if err := sw.flush(false); err != nil {
				return n, err
			}
		}
		k := copy(sw.buf[len(sw.buf):ChunkSize], p)
		sw.buf = sw.buf[:len(sw.buf)+k]
		p = p[k:]
		n += k
	}
	return n, nil
}

func (sw *Writer) flush(last bool) error {
	if sw.i == ^uint32(0) {
		sw.err = errors.New("seal: file too large")
		return sw.err
	}
	out := sw.aead.Seal(sw.buf[len(sw.buf):len(sw.buf)], chunkNonce(sw.header, sw.i), sw.buf, chunkAD(sw.header, sw.i, last, sw.ad))
	if _, err := sw.w.Write(out); err != nil {
		sw.err = err
		return err
	}
	sw.i++
	sw.buf = sw.buf[:0]
	return nil
}

// Close seals the last chunk.
func (sw *Writer) Close() error {
	if sw.err != nil {
		return sw.err
	}
	err := sw.flush(true)
	sw.err = errors.New("seal: writer is closed")
	return err
}

// Reader reads a sealed file's plaintext, chunk by chunk as asked: it is an
// io.ReadSeeker, so a range request decrypts only the chunks it covers.
type Reader struct {
	ra     io.ReaderAt
	aead   cipher.AEAD
	header []byte
	ad     []byte
	chunks int64
	size   int64 // plaintext
	pos    int64

	cur   int64 // index of the chunk in plain, -1 for none
	plain []byte
	raw   []byte
}

// NewReader opens the sealed file of size bytes read through ra, sealed for
// the place ad names.
func (r *Keyring) NewReader(ra io.ReaderAt, size int64, ad []byte) (*Reader, error) {
	h := make([]byte, FileHeaderLen)
	if size < FileHeaderLen+tagLen {
		return nil, ErrMalformed
	}
	if _, err := ra.ReadAt(h, 0); err != nil {
		return nil, fmt.Errorf("read sealed file header: %w", err)
	}
	id, err := FileKeyID(h)
	if err != nil {
		return nil, err
	}
	aead := r.aead(id)
	if aead == nil {
		return nil, fmt.Errorf("%w (%d)", ErrUnknownKey, id)
	}
	body := size - FileHeaderLen
	chunks := (body + sealedChunk - 1) / sealedChunk
	if last := body - (chunks-1)*sealedChunk; last < tagLen || chunks > int64(^uint32(0)) {
		return nil, ErrMalformed
	}
	return &Reader{ra: ra, aead: aead, header: h, ad: ad, chunks: chunks, size: body - chunks*tagLen, cur: -1}, nil
}

// Size is the plaintext size.
func (sr *Reader) Size() int64 { return sr.size }

// KeyID is the id of the DEK that sealed the file.
func (sr *Reader) KeyID() uint32 { return binary.BigEndian.Uint32(sr.header[4:8]) }

func (sr *Reader) load(i int64) error {
	if sr.cur == i {
		return nil
	}
	off := FileHeaderLen + i*sealedChunk
	n := int64(sealedChunk)
	if i == sr.chunks-1 {
		n = FileHeaderLen + sr.size + sr.chunks*tagLen - off
	}
	if cap(sr.raw) < int(n) {
		sr.raw = make([]byte, n)
	}
	sr.raw = sr.raw[:n]
	if k, err := sr.ra.ReadAt(sr.raw, off); k < len(sr.raw) {
		if err == nil || errors.Is(err, io.EOF) {
			err = io.ErrUnexpectedEOF
		}
		return fmt.Errorf("read sealed chunk %d: %w", i, err)
	}
	plain, err := sr.aead.Open(sr.plain[:0], chunkNonce(sr.header, uint32(i)), sr.raw, chunkAD(sr.header, uint32(i), i == sr.chunks-1, sr.ad))
	if err != nil {
		sr.cur = -1
		return ErrOpen
	}
	sr.plain, sr.cur = plain, i
	return nil
}

// Read implements io.Reader.
func (sr *Reader) Read(p []byte) (int, error) {
	if sr.pos >= sr.size {
		if sr.size == 0 && sr.cur < 0 {
			// An empty file still has its one chunk to check.
			if err := sr.load(0); err != nil {
				return 0, err
			}
		}
		return 0, io.EOF
	}
	i := sr.pos / ChunkSize
	if err := sr.load(i); err != nil {
		return 0, err
	}
	n := copy(p, sr.plain[sr.pos-i*ChunkSize:])
	sr.pos += int64(n)
	return n, nil
}

// Seek implements io.Seeker.
func (sr *Reader) Seek(offset int64, whence int) (int64, error) {
	var abs int64
	switch whence {
	case io.SeekStart:
		abs = offset
	case io.SeekCurrent:
		abs = sr.pos + offset
	case io.SeekEnd:
		abs = sr.size + offset
	default:
		return 0, errors.New("seal: bad whence")
	}
	if abs < 0 {
		return 0, errors.New("seal: negative position")
	}
	sr.pos = abs
	return abs, nil
}

// Check reads the whole file once, so that damage shows before any of it
// is used.
func (sr *Reader) Check() error {
	for i := range sr.chunks {
		if err := sr.load(i); err != nil {
			return err
		}
	}
	return nil
}

var _ io.ReadSeeker = (*Reader)(nil)
