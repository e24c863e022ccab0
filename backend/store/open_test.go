package store_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"switchboard/backend/store"
)

// fakeStore is a Store that only remembers what it was opened with.
type fakeStore struct {
	store.Store
	source string
}

func init() {
	store.Register("fake+test", func(ctx context.Context, source string, opts store.OpenOptions) (store.Store, error) {
		if source == "fail" {
			return nil, errors.New("scripted failure")
		}
		return &fakeStore{source: source}, nil
	})
}

func TestOpenDispatchesByScheme(t *testing.T) {
	for _, tc := range []struct{ url, source string }{
		{"fake+test:/data/x.db", "/data/x.db"},
		{"FAKE+Test:rel/x.db", "rel/x.db"},
		{"fake+test:C:\\data\\x.db", "C:\\data\\x.db"},
		{"fake+test:", ""},
	} {
		st, err := store.Open(t.Context(), tc.url, store.OpenOptions{})
		if err != nil {
			t.Errorf("Open(%q) = %v", tc.url, err)
			continue
		}
		if got := st.(*fakeStore).source; got != tc.source {
			t.Errorf("Open(%q) opened source %q, want %q", tc.url, got, tc.source)
		}
	}
}

func TestOpenErrors(t *testing.T) {
	for _, tc := range []struct {
		name, url string
		want      []string // substrings of the error
		notBuilt  bool
	}{
		{"postgres", "postgres://u:secret@db/switchboard", []string{"postgres", "not built into this binary"}, true},
		{"postgresql", "postgresql://u:secret@db/switchboard", []string{"postgresql", "not built into this binary"}, true},
		{"unknown", "mysql://u:secret@db/switchboard", []string{`unknown scheme "mysql"`, "fake+test"}, false},
		{"no scheme", "/var/lib/switchboard.db", []string{"scheme:source"}, false},
		{"drive letter", `C:\data\switchboard.db`, []string{"scheme:source"}, false},
		{"empty", "", []string{"scheme:source"}, false},
		{"bad scheme", "1x:foo", []string{"scheme:source"}, false},
		{"engine fails", "fake+test:fail", []string{"open fake+test store", "scripted failure"}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st, err := store.Open(t.Context(), tc.url, store.OpenOptions{})
			if err == nil {
				t.Fatalf("Open(%q) = %v, nil; want an error", tc.url, st)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("Open(%q) = %v, want it to say %q", tc.url, err, w)
				}
			}
			if strings.Contains(err.Error(), "secret") {
				t.Errorf("Open(%q) = %v: the error repeats the password", tc.url, err)
			}
			if got := errors.Is(err, store.ErrNotBuilt); got != tc.notBuilt {
				t.Errorf("Open(%q) = %v; errors.Is(ErrNotBuilt) = %v, want %v", tc.url, err, got, tc.notBuilt)
			}
		})
	}
}

func TestRegisterTwicePanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("a second Register of one scheme did not panic")
		}
	}()
	store.Register("fake+test", func(context.Context, string, store.OpenOptions) (store.Store, error) { return nil, nil })
}

func TestBackupUnsupported(t *testing.T) {
	err := store.Backup(t.Context(), &fakeStore{}, "x.db")
	if !errors.Is(err, store.ErrUnsupported) {
		t.Errorf("Backup of a store without online backup = %v, want ErrUnsupported", err)
	}
}
