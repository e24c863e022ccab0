package identity

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestDocExamples runs the token issuers of docs/examples/identity (Node.js
// and Python, as a site's backend would) and verifies what they print, so
// that the documented examples keep working.
func TestDocExamples(t *testing.T) {
	dir, _ := filepath.Abs("../../docs/examples/identity")
	secret := []byte("0123456789abcdef0123456789abcdef-example")
	ec, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	der, _ := x509.MarshalPKCS8PrivateKey(ec)
	keyFile := filepath.Join(t.TempDir(), "key.pem")
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	v, err := NewVerifier([]Site{{ID: "shop", HS256Secret: secret}, {ID: "app", ES256Key: &ec.PublicKey}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, prog, script, site string
		env                      []string
	}{
		{"node HS256", "node", "issue.mjs", "shop", []string{"SWITCHBOARD_IDENTITY_SECRET=" + base64.StdEncoding.EncodeToString(secret)}},
		{"node ES256", "node", "issue.mjs", "app", []string{"SWITCHBOARD_IDENTITY_ES256_KEY=" + keyFile}},
		{"python HS256", "python3", "issue.py", "shop", []string{"SWITCHBOARD_IDENTITY_SECRET=" + base64.StdEncoding.EncodeToString(secret)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := exec.LookPath(tt.prog); err != nil {
				t.Skipf("%s is not installed", tt.prog)
			}
			cmd := exec.Command(tt.prog, filepath.Join(dir, tt.script), "u-1001", `{"vip": true, "order_no": "SO-7", "tier": 3}`)
			cmd.Env = append(os.Environ(), append(tt.env, "SWITCHBOARD_SITE="+tt.site, "USER_NAME=张伟")...)
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("%s: %v\n%s", tt.script, err, out)
			}
			id, err := v.Verify(strings.TrimSpace(string(out)))
			if err != nil {
				t.Fatalf("Verify(%s) = %v", out, err)
			}
			if id.Site != tt.site || id.UserID != "u-1001" || id.Fields["name"] != "张伟" || id.Fields["vip"] != "true" ||
				id.Fields["order_no"] != "SO-7" || id.Fields["tier"] != "3" {
				t.Errorf("identity = %+v", id)
			}
		})
	}
}
