// Package files keeps uploaded files: the rules an upload must pass (size,
// allowed types, a safe name, content that is what it claims to be), the
// content-addressed blob store, and image thumbnails.
//
// Content is stored once per SHA-256 under ab/cd/abcd… (BlobKey); records
// in the database (store.File) point at it. The blob store is an interface
// (Blobs) with one engine per kind of storage, chosen by URL (Open): a
// local directory here (LocalBlobs), S3-compatible object storage in
// package files/s3blobs. Nothing here knows about users or conversations:
// the server decides who may upload and read.
package files

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"mime"
	"os"
	"path/filepath"
	"strings"
	"unicode"
	"unicode/utf8"
)

// DefaultTypes is the default allow-list: images, audio, PDF, office
// documents, plain text and zip. SVG is left out on purpose: it can carry
// script.
var DefaultTypes = []string{
	"image/png", "image/jpeg", "image/gif", "image/webp",
	"audio/*",
	"application/pdf",
	"application/msword", "application/vnd.ms-excel", "application/vnd.ms-powerpoint",
	"application/vnd.openxmlformats-officedocument.*",
	"application/vnd.oasis.opendocument.*",
	"text/plain", "text/csv",
	"application/zip",
}

// Policy is what an upload must satisfy.
type Policy struct {
	// MaxBytes is the largest upload.
	MaxBytes int64
	// Types is the allow-list: exact media types ("image/png") or
	// prefixes ending in "*" ("audio/*").
	Types []string
}

// Allowed reports whether media type t (parameters ignored) is on the
// allow-list.
func (p Policy) Allowed(t string) bool {
	t = BaseType(t)
	if t == "" {
		return false
	}
	for _, a := range p.Types {
		if strings.HasSuffix(a, "*") {
			if strings.HasPrefix(t, strings.TrimSuffix(a, "*")) {
				return true
			}
		} else if a == t {
			return true
		}
	}
	return false
}

// BaseType is media type t lowercased without parameters, or "" when t
// does not parse.
func BaseType(t string) string {
	mt, _, err := mime.ParseMediaType(t)
	if err != nil || !strings.Contains(mt, "/") {
		return ""
	}
	return strings.ToLower(mt)
}

// ParseTypes reads a comma-separated allow-list ("image/*,application/pdf").
func ParseTypes(s string) ([]string, error) {
	var out []string
	for _, t := range strings.Split(s, ",") {
		t = strings.ToLower(strings.TrimSpace(t))
		if t == "" {
			continue
		}
		major, minor, ok := strings.Cut(t, "/")
		if !ok || major == "" || minor == "" || strings.ContainsAny(t, " ;") || strings.Contains(major, "*") {
			return nil, fmt.Errorf("upload type %q: want type/subtype or type/prefix*", t)
		}
		out = append(out, t)
	}
	if len(out) == 0 {
		return nil, errors.New("upload types: the list is empty")
	}
	return out, nil
}

// MaxNameBytes caps a stored file name.
const MaxNameBytes = 255

// ErrBadName is returned by SanitizeName for a name that cannot be made
// safe without guessing: one with path parts or control characters.
var ErrBadName = errors.New("file name must be a plain name without path parts or control characters")

// SanitizeName checks an uploaded file's name and returns it as stored: no
// directory parts (no "/", "\", "." or ".."), no control or format
// characters (which can reverse text), trimmed, at most MaxNameBytes
// (cut keeping the extension). Names that are not plain are refused rather
// than cleaned, so the sender learns the name did not survive.
func SanitizeName(name string) (string, error) {
	name = strings.TrimSpace(name)
	if name == "" || !utf8.ValidString(name) || name == "." || name == ".." ||
		strings.ContainsAny(name, `/\`) || strings.Contains(name, "..") {
		return "", ErrBadName
	}
	for _, r := range name {
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
			return "", ErrBadName
		}
	}
	if len(name) > MaxNameBytes {
		ext := filepath.Ext(name)
		if len(ext) > 16 || !utf8.ValidString(ext) {
			ext = ""
		}
		stem := name[:MaxNameBytes-len(ext)]
		for !utf8.ValidString(stem) {
			stem = stem[:len(stem)-1]
		}
		name = stem + ext
	}
	return name, nil
}

// SumFile returns the SHA-256 (hex) of the file at path.
func SumFile(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", fmt.Errorf("hash %s: %w", path, err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
