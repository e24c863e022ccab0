package identity

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

var (
	t0     = time.Unix(1_800_000_000, 0)
	clock  = func() time.Time { return t0 }
	secret = bytes.Repeat([]byte("s"), 32)
)

func ecKey(t testing.TB) *ecdsa.PrivateKey {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func sign(t testing.TB, m jwt.SigningMethod, key any, kid string, c jwt.MapClaims) string {
	t.Helper()
	tok := jwt.NewWithClaims(m, c)
	if kid != "" {
		tok.Header["kid"] = kid
	}
	s, err := tok.SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func good() jwt.MapClaims {
	return jwt.MapClaims{
		"sub": "u-1001", "name": "张伟", "email": "zw@example.com",
		"exp": t0.Add(10 * time.Minute).Unix(),
		"ext": map[string]any{"order_no": "SO-1", "vip": true, "tier": 3, "name": "forged"},
	}
}

func TestVerifyHS256AndES256(t *testing.T) {
	ec := ecKey(t)
	v, err := NewVerifier([]Site{
		{ID: "shop", Origins: []string{"https://Shop.example.com:443"}, HS256Secret: secret},
		{ID: "app", ES256Key: &ec.PublicKey},
	}, clock)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name, site string
		tok        string
	}{
		{"hs256", "shop", sign(t, jwt.SigningMethodHS256, secret, "shop", good())},
		{"es256", "app", sign(t, jwt.SigningMethodES256, ec, "app", good())},
	} {
		id, err := v.Verify(tt.tok)
		if err != nil {
			t.Fatalf("%s: Verify = %v", tt.name, err)
		}
		want := map[string]string{"user_id": "u-1001", "name": "张伟", "email": "zw@example.com",
			"order_no": "SO-1", "vip": "true", "tier": "3"}
		if id.Site != tt.site || id.UserID != "u-1001" || len(id.Fields) != len(want) {
			t.Errorf("%s: identity = %+v", tt.name, id)
		}
		for k, w := range want {
			if id.Fields[k] != w {
				t.Errorf("%s: field %s = %q, want %q (an ext claim must not override name)", tt.name, k, id.Fields[k], w)
			}
		}
		if !id.ExpiresAt.Equal(t0.Add(10 * time.Minute)) {
			t.Errorf("%s: ExpiresAt = %v", tt.name, id.ExpiresAt)
		}
	}
	if got := v.Origins(); len(got) != 1 || got[0] != "https://shop.example.com" {
		t.Errorf("Origins = %v, want the normalized origin", got)
	}
}

func TestCustomerIDStable(t *testing.T) {
	a := Identity{Site: "shop", UserID: "u-1"}
	b := Identity{Site: "shop", UserID: "u-1", Fields: map[string]string{"vip": "true"}}
	if a.CustomerID() != b.CustomerID() || !strings.HasPrefix(a.CustomerID(), "usr-") {
		t.Errorf("CustomerID not stable: %q %q", a.CustomerID(), b.CustomerID())
	}
	for _, other := range []Identity{{Site: "shop", UserID: "u-2"}, {Site: "app", UserID: "u-1"}, {Site: "shop\x00u", UserID: "-1"}} {
		if other.CustomerID() == a.CustomerID() {
			t.Errorf("%+v shares the customer id of %+v", other, a)
		}
	}
}

func TestVerifyRefuses(t *testing.T) {
	ec := ecKey(t)
	otherEC := ecKey(t)
	pub, _ := x509.MarshalPKIXPublicKey(&ec.PublicKey)
	pubPEM := pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pub})
	v, err := NewVerifier([]Site{
		{ID: "shop", HS256Secret: secret},
		{ID: "app", ES256Key: &ec.PublicKey},
		{ID: "origins-only", Origins: []string{"https://a.example"}},
	}, clock)
	if err != nil {
		t.Fatal(err)
	}
	with := func(edit func(jwt.MapClaims)) jwt.MapClaims {
		c := good()
		edit(c)
		return c
	}
	hs := sign(t, jwt.SigningMethodHS256, secret, "shop", good())
	none, _ := jwt.NewWithClaims(jwt.SigningMethodNone, good()).SignedString(jwt.UnsafeAllowNoneSignatureType)
	bigExt := map[string]any{}
	for i := range MaxFields + 1 {
		bigExt[strings.Repeat("k", i+1)] = "v"
	}
	tests := []struct {
		name string
		tok  string
		want error
	}{
		{"empty", "", ErrInvalid},
		{"garbage", "not.a.jwt", ErrInvalid},
		{"alg none", none, ErrInvalid},
		{"other secret", sign(t, jwt.SigningMethodHS256, bytes.Repeat([]byte("x"), 32), "shop", good()), ErrInvalid},
		{"tampered payload", hs[:strings.IndexByte(hs, '.')+3] + "x" + hs[strings.IndexByte(hs, '.')+4:], ErrInvalid},
		{"no signature", hs[:strings.LastIndexByte(hs, '.')+1], ErrInvalid},
		{"HS256 signed with the ES256 site's public key (algorithm confusion)", sign(t, jwt.SigningMethodHS256, pubPEM, "app", good()), ErrInvalid},
		{"ES256 of another key", sign(t, jwt.SigningMethodES256, otherEC, "app", good()), ErrInvalid},
		{"ES256 to an HS256 site", sign(t, jwt.SigningMethodES256, ec, "shop", good()), ErrInvalid},
		{"HS384", sign(t, jwt.SigningMethodHS384, secret, "shop", good()), ErrInvalid},
		{"unknown kid", sign(t, jwt.SigningMethodHS256, secret, "nope", good()), ErrInvalid},
		{"kid of a site without keys", sign(t, jwt.SigningMethodHS256, secret, "origins-only", good()), ErrInvalid},
		{"no kid with several keyed sites", sign(t, jwt.SigningMethodHS256, secret, "", good()), ErrInvalid},
		{"no exp", sign(t, jwt.SigningMethodHS256, secret, "shop", with(func(c jwt.MapClaims) { delete(c, "exp") })), ErrInvalid},
		{"expired", sign(t, jwt.SigningMethodHS256, secret, "shop", with(func(c jwt.MapClaims) { c["exp"] = t0.Add(-time.Minute).Unix() })), ErrExpired},
		{"not yet valid", sign(t, jwt.SigningMethodHS256, secret, "shop", with(func(c jwt.MapClaims) { c["nbf"] = t0.Add(time.Hour).Unix() })), ErrInvalid},
		{"no sub", sign(t, jwt.SigningMethodHS256, secret, "shop", with(func(c jwt.MapClaims) { delete(c, "sub") })), ErrInvalid},
		{"long sub", sign(t, jwt.SigningMethodHS256, secret, "shop", with(func(c jwt.MapClaims) { c["sub"] = strings.Repeat("u", MaxUserIDBytes+1) })), ErrInvalid},
		{"object field", sign(t, jwt.SigningMethodHS256, secret, "shop", with(func(c jwt.MapClaims) { c["ext"] = map[string]any{"x": map[string]any{}} })), ErrInvalid},
		{"too many fields", sign(t, jwt.SigningMethodHS256, secret, "shop", with(func(c jwt.MapClaims) { c["ext"] = bigExt })), ErrInvalid},
		{"long value", sign(t, jwt.SigningMethodHS256, secret, "shop", with(func(c jwt.MapClaims) { c["ext"] = map[string]any{"x": strings.Repeat("v", MaxFieldValue+1)} })), ErrInvalid},
		{"oversized", strings.Repeat("a", MaxTokenBytes+1), ErrInvalid},
	}
	for _, tt := range tests {
		if _, err := v.Verify(tt.tok); !errors.Is(err, tt.want) {
			t.Errorf("%s: Verify = %v, want %v", tt.name, err, tt.want)
		}
	}
	// Within the leeway a just-expired token still counts.
	late := sign(t, jwt.SigningMethodHS256, secret, "shop", with(func(c jwt.MapClaims) { c["exp"] = t0.Add(-Leeway / 2).Unix() }))
	if _, err := v.Verify(late); err != nil {
		t.Errorf("token expired within the leeway: %v", err)
	}
}

func TestNotConfigured(t *testing.T) {
	v, err := NewVerifier([]Site{{ID: "a", Origins: []string{"https://a.example"}}}, clock)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := v.Verify(sign(t, jwt.SigningMethodHS256, secret, "", good())); !errors.Is(err, ErrNotConfigured) {
		t.Errorf("Verify without keys = %v, want ErrNotConfigured", err)
	}
}

func TestNewVerifierChecks(t *testing.T) {
	for name, sites := range map[string][]Site{
		"no id":        {{HS256Secret: secret}},
		"duplicate id": {{ID: "a"}, {ID: "a"}},
		"short secret": {{ID: "a", HS256Secret: []byte("short")}},
		"bad origin":   {{ID: "a", Origins: []string{"shop.example.com"}}},
		"origin path":  {{ID: "a", Origins: []string{"https://shop.example.com/page"}}},
	} {
		if _, err := NewVerifier(sites, nil); err == nil {
			t.Errorf("%s: NewVerifier accepted %+v", name, sites)
		}
	}
}

func TestLoadSites(t *testing.T) {
	dir := t.TempDir()
	ec := ecKey(t)
	pub, _ := x509.MarshalPKIXPublicKey(&ec.PublicKey)
	write := func(name, body string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write("shop.secret", "c3Nzc3Nzc3Nzc3Nzc3Nzc3Nzc3Nzc3Nzc3Nzc3Nzc3M=\n") // base64 of 32 × "s"
	write("app.pem", string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pub})))
	write("sites.toml", `
[[site]]
id = "shop"
origins = ["https://shop.example.com"]
hs256_secret_file = "shop.secret"

[[site]]
id = "app"
es256_public_key_file = "app.pem"
`)
	sites, err := LoadSites(filepath.Join(dir, "sites.toml"))
	if err != nil {
		t.Fatal(err)
	}
	v, err := NewVerifier(sites, clock)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := v.Verify(sign(t, jwt.SigningMethodHS256, secret, "shop", good())); err != nil {
		t.Errorf("HS256 with the base64 secret file: %v", err)
	}
	if _, err := v.Verify(sign(t, jwt.SigningMethodES256, ec, "app", good())); err != nil {
		t.Errorf("ES256 with the PEM file: %v", err)
	}

	write("bad.toml", "[[site]]\nid = \"x\"\nsecret = \"inline\"\n")
	if _, err := LoadSites(filepath.Join(dir, "bad.toml")); err == nil || !strings.Contains(err.Error(), "secret") {
		t.Errorf("unknown key: err = %v, want it named", err)
	}
	write("short.toml", "[[site]]\nid = \"x\"\nhs256_secret_file = \"short\"\n")
	write("short", "tooshort")
	if _, err := LoadSites(filepath.Join(dir, "short.toml")); err == nil {
		t.Errorf("short secret accepted")
	}
}

// FuzzVerify feeds arbitrary tokens, and mutations of a good one, to the
// verifier: it must never panic, and must never accept a token that is not
// the good one unless the mutation left its signed parts intact.
func FuzzVerify(f *testing.F) {
	good := sign(f, jwt.SigningMethodHS256, secret, "shop", good())
	f.Add(good)
	f.Add("")
	f.Add("e30.e30.")
	f.Add("eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4IiwiZXhwIjo5OTk5OTk5OTk5fQ.")
	v, err := NewVerifier([]Site{{ID: "shop", HS256Secret: secret}}, clock)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, tok string) {
		id, err := v.Verify(tok)
		if err != nil {
			return
		}
		if id.UserID != "u-1001" || id.Site != "shop" {
			t.Fatalf("accepted a token vouching for %+v", id)
		}
	})
}
