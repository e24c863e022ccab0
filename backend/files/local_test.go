package files_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"switchboard/backend/files"
	"switchboard/backend/files/blobstest"
	"switchboard/backend/seal"
)

func TestLocalBlobs(t *testing.T) {
	blobstest.Run(t, func(t *testing.T) blobstest.Engine {
		dir := filepath.Join(t.TempDir(), "files")
		return blobstest.Engine{
			Open: func(t *testing.T, keys *seal.Keyring) files.Blobs { return files.NewLocalBlobs(dir, keys) },
			Raw: func(t *testing.T) map[string][]byte {
				t.Helper()
				raw := map[string][]byte{}
				err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
					if err != nil || d.IsDir() {
						return err
					}
					rel, _ := filepath.Rel(dir, p)
					b, err := os.ReadFile(p)
					raw[filepath.ToSlash(rel)] = b
					if fi, _ := d.Info(); fi.Mode().Perm() != 0o600 {
						t.Errorf("%s has mode %v, want 0600", rel, fi.Mode().Perm())
					}
					return err
				})
				if err != nil {
					t.Fatal(err)
				}
				return raw
			},
			SetRaw: func(t *testing.T, key string, raw []byte) {
				if err := os.WriteFile(filepath.Join(dir, filepath.FromSlash(key)), raw, 0o600); err != nil {
					t.Fatal(err)
				}
			},
		}
	})
}

// TestOpen opens the local engine by URL and refuses URLs it cannot use.
func TestOpen(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct{ url, want string }{
		{"", filepath.Join(dir, "default")},
		{"file:", filepath.Join(dir, "default")},
		{"FILE:" + filepath.Join(dir, "x"), filepath.Join(dir, "x")},
		{"file://" + filepath.Join(dir, "y"), filepath.Join(dir, "y")},
	} {
		b, err := files.Open(t.Context(), tc.url, files.OpenOptions{Dir: filepath.Join(dir, "default")})
		l, ok := b.(*files.LocalBlobs)
		if err != nil || !ok || l.Dir() != tc.want {
			t.Errorf("Open(%q) = %v, %v; want the local engine in %s", tc.url, b, err, tc.want)
		}
	}
	for _, tc := range []struct{ url, want string }{
		{"/var/lib/files", "want a URL"},
		{"file:", "needs a directory"},
		{"s3://key:secret@bucket", "not built"},
		{"ftp://user:secret@host/x", `unknown scheme "ftp"`},
	} {
		_, err := files.Open(t.Context(), tc.url, files.OpenOptions{})
		if err == nil || !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), "secret") {
			t.Errorf("Open(%q) = %v; want an error saying %q without the secret", tc.url, err, tc.want)
		}
	}
}
