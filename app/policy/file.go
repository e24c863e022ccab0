package policy

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"

	"howett.net/plist"
)

// JSONFile is a policy.json file. Its top-level object holds the settings
// and a "Recommended" object.
type JSONFile struct {
	Path string
}

var _ Source = JSONFile{}

// Name returns the file's path.
func (f JSONFile) Name() string { return f.Path }

// Read reads the file; a missing file is an empty source.
func (f JSONFile) Read() (Values, error) {
	b, err := readFile(f.Path)
	if err != nil || b == nil {
		return Values{}, err
	}
	return ParseJSON(b)
}

// ParseJSON parses the bytes of a policy.json file.
func ParseJSON(b []byte) (Values, error) {
	// Notepad saves UTF-8 with a byte order mark.
	b = bytes.TrimPrefix(b, []byte("\uFEFF"))
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var top any
	if err := dec.Decode(&top); err != nil {
		return Values{}, fmt.Errorf("%w: not valid JSON: %v", ErrMalformed, err)
	}
	if dec.More() {
		return Values{}, fmt.Errorf("%w: not valid JSON: more than one value", ErrMalformed)
	}
	m, ok := top.(map[string]any)
	if !ok {
		return Values{}, fmt.Errorf("%w: the top level must be an object of settings, not %s", ErrMalformed, typeName(top))
	}
	return Values{Top: m}, nil
}

// PlistFile is a macOS property list of managed preferences: the settings
// at the top level and a "Recommended" dictionary.
type PlistFile struct {
	Path string
}

var _ Source = PlistFile{}

// Name returns the file's path.
func (f PlistFile) Name() string { return f.Path }

// Read reads the file; a missing file is an empty source.
func (f PlistFile) Read() (Values, error) {
	b, err := readFile(f.Path)
	if err != nil || b == nil {
		return Values{}, err
	}
	return ParsePlist(b)
}

// ParsePlist parses a property list, XML or binary.
func ParsePlist(b []byte) (Values, error) {
	var top any
	if _, err := plist.Unmarshal(b, &top); err != nil {
		return Values{}, fmt.Errorf("%w: not a valid property list: %v", ErrMalformed, err)
	}
	m, ok := top.(map[string]any)
	if !ok {
		return Values{}, fmt.Errorf("%w: the top level must be a dictionary of settings, not %s", ErrMalformed, typeName(top))
	}
	// Managed preferences may carry the profile's own bookkeeping keys
	// beside the settings; they are not the admin's mistake.
	for k := range m {
		if strings.HasPrefix(k, "Payload") || strings.HasPrefix(k, "_") {
			delete(m, k)
		}
	}
	return Values{Top: m}, nil
}

// readFile returns nil, nil for a file that does not exist.
func readFile(path string) ([]byte, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if b == nil {
		b = []byte{}
	}
	return b, nil
}
