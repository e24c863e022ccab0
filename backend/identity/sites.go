package identity

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/pelletier/go-toml/v2"
)

// sitesFile is the TOML form of the sites file:
//
//	[[site]]
//	id = "shop"
//	origins = ["https://shop.example.com", "https://m.shop.example.com"]
//	hs256_secret_file = "shop-identity.secret"   # raw bytes or base64, ≥ 32 bytes
//	es256_public_key_file = "shop-identity.pem"  # PEM PUBLIC KEY, P-256
//
// Key file paths are relative to the sites file. A site may have either
// key, both or none (origins only).
type sitesFile struct {
	Site []struct {
		ID                 string   `toml:"id"`
		Origins            []string `toml:"origins"`
		HS256SecretFile    string   `toml:"hs256_secret_file"`
		ES256PublicKeyFile string   `toml:"es256_public_key_file"`
	} `toml:"site"`
}

// LoadSites reads a sites file and the key files it names.
func LoadSites(path string) ([]Site, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read sites: %w", err)
	}
	dec := toml.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var f sitesFile
	if err := dec.Decode(&f); err != nil {
		var strict *toml.StrictMissingError
		if errors.As(err, &strict) {
			return nil, fmt.Errorf("%s: %s", path, strings.TrimSpace(strict.String()))
		}
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(f.Site) == 0 {
		return nil, fmt.Errorf("%s: no [[site]]", path)
	}
	dir := filepath.Dir(path)
	rel := func(p string) string {
		if filepath.IsAbs(p) {
			return p
		}
		return filepath.Join(dir, p)
	}
	sites := make([]Site, 0, len(f.Site))
	for _, fs := range f.Site {
		s := Site{ID: fs.ID, Origins: fs.Origins}
		if fs.HS256SecretFile != "" {
			raw, err := os.ReadFile(rel(fs.HS256SecretFile))
			if err != nil {
				return nil, fmt.Errorf("site %q: %w", fs.ID, err)
			}
			s.HS256Secret = secretBytes(raw)
		}
		if fs.ES256PublicKeyFile != "" {
			raw, err := os.ReadFile(rel(fs.ES256PublicKeyFile))
			if err != nil {
				return nil, fmt.Errorf("site %q: %w", fs.ID, err)
			}
			if s.ES256Key, err = ParseES256PublicKey(raw); err != nil {
				return nil, fmt.Errorf("site %q: %s: %w", fs.ID, fs.ES256PublicKeyFile, err)
			}
		}
		sites = append(sites, s)
	}
	// NewVerifier checks the rest (ids, origins, secret length).
	if _, err := NewVerifier(sites, nil); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return sites, nil
}

// secretBytes reads a secret file: base64 text (as `openssl rand -base64
// 32` writes it) is decoded, anything else is taken as raw bytes; a
// trailing newline is not part of the secret.
func secretBytes(raw []byte) []byte {
	t := bytes.TrimRight(raw, "\r\n")
	if d, err := base64.StdEncoding.DecodeString(string(t)); err == nil && len(d) >= 32 {
		return d
	}
	return t
}
