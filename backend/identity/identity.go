// Package identity verifies the signed identity tokens a customer's own
// backend issues for its signed-in users, and holds the sites allowed to
// embed the widget.
//
// An identity token is a JWT (RFC 7519) signed with HS256 by a secret the
// site shares with the server, or with ES256 by a key pair whose public half
// the server is given. It vouches for the user id (sub), name, email and any
// business fields in its "ext" claim (order number, VIP flag, tier…), and it
// must carry an expiry. What it vouches for is verified; whatever the page
// passes beside it stays unverified, is shown as such and never decides
// anything (see Identity.Fields).
//
// Parsing and signature checks are github.com/golang-jwt/jwt/v5's: the
// accepted algorithms are pinned per site, so "none" and algorithm
// confusion (an HS256 token signed with an ES256 site's public key) are
// refused before any key is used.
package identity

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base32"
	"encoding/pem"
	"errors"
	"fmt"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/golang-jwt/jwt/v5"
)

// Errors of Verify. Compare with errors.Is.
var (
	// ErrInvalid means the token is not a well-formed identity token of a
	// configured site with a good signature and the required claims.
	ErrInvalid = errors.New("identity token invalid")
	// ErrExpired means the token was good but its exp has passed.
	ErrExpired = errors.New("identity token expired")
	// ErrNotConfigured means no site has an identity key: the server takes
	// anonymous visitors only.
	ErrNotConfigured = errors.New("no identity keys configured")
)

// Limits of a token and of what it vouches for. The field limits are the
// protocol's limits on business fields (protocol.MaxExtKeys,
// MaxExtValueLen); they are repeated here so that this package stands alone.
const (
	MaxTokenBytes  = 8 << 10
	MaxUserIDBytes = 128
	MaxFields      = 32
	MaxFieldKey    = 64
	MaxFieldValue  = 512
	// Leeway tolerates clocks a little apart between the site's backend
	// and the server.
	Leeway = 30 * time.Second
)

// Keys of Identity.Fields the token's registered claims fill; an "ext"
// claim cannot override them.
const (
	FieldUserID = "user_id"
	FieldName   = "name"
	FieldEmail  = "email"
)

// Site is a website that embeds the widget.
type Site struct {
	// ID names the site; a token's "kid" header selects it when there are
	// several sites with keys.
	ID string
	// Origins are the site's page origins ("https://shop.example.com"),
	// allowed to embed the widget, ask for visitor tokens and connect.
	Origins []string
	// HS256Secret verifies HS256 tokens (at least 32 bytes); nil: none.
	HS256Secret []byte
	// ES256Key verifies ES256 tokens; nil: none.
	ES256Key *ecdsa.PublicKey
}

func (s Site) hasKey() bool { return len(s.HS256Secret) > 0 || s.ES256Key != nil }

// Identity is what a good token vouches for.
type Identity struct {
	// Site is the ID of the site whose key signed it.
	Site string
	// UserID is the site's own id of the user (the token's sub).
	UserID string
	// Fields are every verified field: user_id, name and email when
	// present, and the business fields of the "ext" claim.
	Fields map[string]string
	// ExpiresAt is the token's expiry.
	ExpiresAt time.Time
}

// CustomerID is the server's customer id of a verified user: the same user
// of the same site gets the same id on every device, and no anonymous
// visitor id (a random UUID) can take that form.
func (id Identity) CustomerID() string {
	h := sha256.Sum256([]byte(id.Site + "\x00" + id.UserID))
	return "usr-" + strings.ToLower(b32.EncodeToString(h[:20]))
}

var b32 = base32.StdEncoding.WithPadding(base32.NoPadding)

// Verifier checks identity tokens against the configured sites.
type Verifier struct {
	sites []Site
	byID  map[string]Site
	now   func() time.Time
}

// NewVerifier returns a verifier for sites. now is the clock; nil means
// time.Now. It checks the sites: ids unique and non-empty, origins
// well-formed, secrets long enough.
func NewVerifier(sites []Site, now func() time.Time) (*Verifier, error) {
	if now == nil {
		now = time.Now
	}
	v := &Verifier{byID: make(map[string]Site), now: now}
	for _, s := range sites {
		if s.ID == "" {
			return nil, errors.New("site: id is required")
		}
		if _, dup := v.byID[s.ID]; dup {
			return nil, fmt.Errorf("site %q: declared twice", s.ID)
		}
		if len(s.HS256Secret) > 0 && len(s.HS256Secret) < 32 {
			return nil, fmt.Errorf("site %q: the HS256 secret has %d bytes; at least 32 are needed", s.ID, len(s.HS256Secret))
		}
		if s.ES256Key != nil && s.ES256Key.Curve != elliptic.P256() {
			return nil, fmt.Errorf("site %q: the ES256 key is not on P-256", s.ID)
		}
		for i, o := range s.Origins {
			n, err := NormalizeOrigin(o)
			if err != nil {
				return nil, fmt.Errorf("site %q: %w", s.ID, err)
			}
			s.Origins[i] = n
		}
		v.byID[s.ID] = s
		v.sites = append(v.sites, s)
	}
	return v, nil
}

// Configured reports whether any site has an identity key.
func (v *Verifier) Configured() bool {
	for _, s := range v.sites {
		if s.hasKey() {
			return true
		}
	}
	return false
}

// Origins returns every site's origins, sorted, without duplicates; empty
// when no site names one (any origin may embed the widget).
func (v *Verifier) Origins() []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range v.sites {
		for _, o := range s.Origins {
			if !seen[o] {
				seen[o] = true
				out = append(out, o)
			}
		}
	}
	sort.Strings(out)
	return out
}

// claims are the token's claims: the registered ones and the business
// fields the site vouches for.
type claims struct {
	jwt.RegisteredClaims
	Name  string         `json:"name,omitempty"`
	Email string         `json:"email,omitempty"`
	Ext   map[string]any `json:"ext,omitempty"`
}

// Verify checks token and returns what it vouches for. It returns
// ErrNotConfigured when no site has a key, ErrExpired for a token past its
// exp, and ErrInvalid (wrapping the reason) for anything else wrong.
func (v *Verifier) Verify(token string) (Identity, error) {
	if !v.Configured() {
		return Identity{}, ErrNotConfigured
	}
	if len(token) > MaxTokenBytes {
		return Identity{}, fmt.Errorf("%w: longer than %d bytes", ErrInvalid, MaxTokenBytes)
	}
	var site Site
	keyFunc := func(t *jwt.Token) (any, error) {
		s, err := v.siteOf(t)
		if err != nil {
			return nil, err
		}
		site = s
		switch t.Method.Alg() {
		case jwt.SigningMethodHS256.Alg():
			if len(s.HS256Secret) == 0 {
				return nil, fmt.Errorf("site %q takes no HS256 tokens", s.ID)
			}
			return s.HS256Secret, nil
		case jwt.SigningMethodES256.Alg():
			if s.ES256Key == nil {
				return nil, fmt.Errorf("site %q takes no ES256 tokens", s.ID)
			}
			return s.ES256Key, nil
		}
		return nil, fmt.Errorf("algorithm %q is not accepted", t.Method.Alg())
	}
	var c claims
	_, err := jwt.ParseWithClaims(token, &c, keyFunc,
		jwt.WithValidMethods([]string{jwt.SigningMethodHS256.Alg(), jwt.SigningMethodES256.Alg()}),
		jwt.WithExpirationRequired(),
		jwt.WithLeeway(Leeway),
		jwt.WithTimeFunc(v.now),
	)
	switch {
	case errors.Is(err, jwt.ErrTokenExpired):
		return Identity{}, ErrExpired
	case err != nil:
		return Identity{}, fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	return identityOf(site.ID, c)
}

// siteOf picks the site a token names by its kid header; without one, the
// only site with a key.
func (v *Verifier) siteOf(t *jwt.Token) (Site, error) {
	if kid, ok := t.Header["kid"]; ok {
		id, _ := kid.(string)
		s, found := v.byID[id]
		if !found || !s.hasKey() {
			return Site{}, fmt.Errorf("no site %q with an identity key", truncate(id, 64))
		}
		return s, nil
	}
	var with []Site
	for _, s := range v.sites {
		if s.hasKey() {
			with = append(with, s)
		}
	}
	if len(with) != 1 {
		return Site{}, errors.New("the token has no kid header and several sites have keys")
	}
	return with[0], nil
}

// identityOf checks the claims' content and turns them into an Identity.
func identityOf(site string, c claims) (Identity, error) {
	bad := func(format string, args ...any) (Identity, error) {
		return Identity{}, fmt.Errorf("%w: %s", ErrInvalid, fmt.Sprintf(format, args...))
	}
	if c.Subject == "" || len(c.Subject) > MaxUserIDBytes || !utf8.ValidString(c.Subject) {
		return bad("sub (the user id) must be 1 to %d bytes of text", MaxUserIDBytes)
	}
	if len(c.Ext) > MaxFields {
		return bad("ext has %d fields; the limit is %d", len(c.Ext), MaxFields)
	}
	fields := make(map[string]string, len(c.Ext)+3)
	for k, raw := range c.Ext {
		if k == "" || len(k) > MaxFieldKey || !utf8.ValidString(k) {
			return bad("ext keys must be 1 to %d bytes of text", MaxFieldKey)
		}
		val, ok := fieldValue(raw)
		if !ok {
			return bad("ext field %q must be a string, number or boolean", truncate(k, 32))
		}
		fields[k] = val
	}
	fields[FieldUserID] = c.Subject
	delete(fields, FieldName)
	delete(fields, FieldEmail)
	if c.Name != "" {
		fields[FieldName] = c.Name
	}
	if c.Email != "" {
		fields[FieldEmail] = c.Email
	}
	for k, val := range fields {
		if len(val) > MaxFieldValue || !utf8.ValidString(val) {
			return bad("field %q must be text of at most %d bytes", truncate(k, 32), MaxFieldValue)
		}
	}
	return Identity{Site: site, UserID: c.Subject, Fields: fields, ExpiresAt: c.ExpiresAt.Time}, nil
}

// fieldValue renders a business field's JSON value as the text the agent
// sees: strings as they are, booleans as "true"/"false", numbers in their
// shortest form.
func fieldValue(v any) (string, bool) {
	switch x := v.(type) {
	case string:
		return x, true
	case bool:
		return strconv.FormatBool(x), true
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64), true
	}
	return "", false
}

// NormalizeOrigin returns origin as a browser sends it in the Origin
// header: scheme://host[:port], lower case, without a default port or a
// path.
func NormalizeOrigin(origin string) (string, error) {
	u, err := url.Parse(strings.TrimSpace(origin))
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" ||
		(u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return "", fmt.Errorf("origin %q: want scheme://host[:port], such as https://shop.example.com", origin)
	}
	host := strings.ToLower(u.Host)
	if (u.Scheme == "https" && strings.HasSuffix(host, ":443")) || (u.Scheme == "http" && strings.HasSuffix(host, ":80")) {
		host = host[:strings.LastIndexByte(host, ':')]
	}
	return u.Scheme + "://" + host, nil
}

// ParseES256PublicKey reads a PEM "PUBLIC KEY" (PKIX) holding a P-256 key.
func ParseES256PublicKey(pemBytes []byte) (*ecdsa.PublicKey, error) {
	block, _ := pem.Decode(pemBytes)
	if block == nil || block.Type != "PUBLIC KEY" {
		return nil, errors.New("want a PEM block of type PUBLIC KEY")
	}
	k, err := x509.ParsePKIXPublicKey(block.Bytes)
	if err != nil {
		return nil, fmt.Errorf("parse public key: %w", err)
	}
	ec, ok := k.(*ecdsa.PublicKey)
	if !ok || ec.Curve != elliptic.P256() {
		return nil, errors.New("want an ECDSA P-256 public key (ES256)")
	}
	return ec, nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// SiteIDs returns the ids of the sites, in the sites file's order.
func (v *Verifier) SiteIDs() []string {
	if v == nil {
		return nil
	}
	out := make([]string, 0, len(v.sites))
	for _, s := range v.sites {
		out = append(out, s.ID)
	}
	return out
}
