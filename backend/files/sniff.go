package files

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"

	"github.com/gabriel-vasile/mimetype"
)

// sniffBytes is how much of a file the sniffers read.
const sniffBytes = 3072

// ErrSpoofed is returned by Check for content that is not of the declared
// type, or of a type that is not allowed.
var ErrSpoofed = errors.New("the file's content does not match an allowed type")

// Check reads the head of the file at path and returns the media type it
// is stored with. The content's sniffed type decides, never the name or
// the declared type alone:
//
//   - net/http's sniffer (the WHATWG algorithm browsers use) must not see
//     HTML or XML, which a browser could run as a page;
//   - github.com/gabriel-vasile/mimetype names the content; it must be the
//     declared type (or an alias), a more specific type of it (a .docx
//     declared as application/zip), or share its top-level type for
//     image/, audio/ and text/ (a PNG declared as image/jpeg);
//   - the resulting type must be on the allow-list.
func (p Policy) Check(path, declared string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	head := make([]byte, sniffBytes)
	n, err := io.ReadFull(f, head)
	f.Close()
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("read %s: %w", path, err)
	}
	return p.CheckBytes(head[:n], declared)
}

// CheckBytes is Check on the head of a file.
func (p Policy) CheckBytes(head []byte, declared string) (string, error) {
	declared = BaseType(declared)
	if declared == "" {
		return "", ErrSpoofed
	}
	web := BaseType(http.DetectContentType(head))
	if web == "text/html" || web == "text/xml" {
		return "", fmt.Errorf("%w: content is %s", ErrSpoofed, web)
	}
	mt := mimetype.Detect(head)
	sniffed := BaseType(mt.String())
	var effective string
	switch {
	case mt.Is(declared):
		effective = declared
	case isMoreSpecific(mt, declared):
		effective = sniffed
	case sameFamily(sniffed, declared):
		effective = sniffed
	default:
		return "", fmt.Errorf("%w: declared %s, content is %s", ErrSpoofed, declared, sniffed)
	}
	if !p.Allowed(effective) {
		return "", fmt.Errorf("%w: content is %s", ErrSpoofed, effective)
	}
	return effective, nil
}

// isMoreSpecific reports whether declared is a parent of mt (docx → zip).
func isMoreSpecific(mt *mimetype.MIME, declared string) bool {
	for m := mt.Parent(); m != nil; m = m.Parent() {
		if m.Is(declared) && declared != "application/octet-stream" && declared != "text/plain" {
			return true
		}
	}
	return false
}

// sameFamily reports whether a and b are both images, audio or text.
func sameFamily(a, b string) bool {
	for _, fam := range []string{"image/", "audio/", "text/"} {
		if strings.HasPrefix(a, fam) && strings.HasPrefix(b, fam) {
			return true
		}
	}
	return false
}
