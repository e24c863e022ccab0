package kb

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// kbJSON returns a valid knowledge base of one entry answering answer.
func kbJSON(t *testing.T, answer string) []byte {
	t.Helper()
	b, err := json.Marshal(KB{Version: Version, Entries: []Entry{
		{ID: "a", Team: "presales", Questions: Questions{EN: []string{"free shipping?"}}, Answer: Text{EN: answer}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestInstall(t *testing.T) {
	shared, err := os.ReadFile(sharedKB)
	if err != nil {
		t.Skipf("shared kb.json not available: %v", err)
	}
	dir := filepath.Join(t.TempDir(), "data") // Install creates it
	k, err := Install(dir, shared)
	if err != nil {
		t.Fatalf("Install(shared kb.json) error: %v", err)
	}
	checkStoreKB(t, k)
	path := filepath.Join(dir, FileName)
	got, err := os.ReadFile(path)
	if err != nil || !bytes.Equal(got, shared) {
		t.Errorf("installed file differs from the imported one (err %v)", err)
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("installed file mode = %v (%v), want 0600", fi.Mode().Perm(), err)
	}

	for _, bad := range []struct{ name, data string }{
		{"not json", "{"},
		{"no questions", `{"version":1,"entries":[{"id":"a","answer":{"zh":"x"}}]}`},
		{"wrong version", `{"version":2,"entries":[]}`},
	} {
		if _, err := Install(dir, []byte(bad.data)); err == nil {
			t.Errorf("Install(%s) error = nil, want one", bad.name)
		}
	}
	if got, err := os.ReadFile(path); err != nil || !bytes.Equal(got, shared) {
		t.Errorf("a refused Install changed the installed file (err %v)", err)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 1 {
		t.Errorf("data dir holds %d files, want only %s", len(ents), FileName)
	}

	missing := filepath.Join(t.TempDir(), "never")
	if _, err := Install(missing, []byte("{")); err == nil {
		t.Errorf("Install(invalid) into a new dir error = nil")
	}
	if _, err := os.Stat(missing); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a refused Install created the data dir (%v)", err)
	}
}

func TestWatcherLoad(t *testing.T) {
	dir := t.TempDir()
	w := NewWatcher(filepath.Join(dir, FileName))
	answer := func(k *KB) string {
		if k == nil {
			return "<nil>"
		}
		return k.Entries[0].Answer.EN
	}
	steps := []struct {
		name    string
		change  func()
		want    string
		wantErr bool
	}{
		{"missing", func() {}, "<nil>", false},
		{"installed", func() { Install(dir, kbJSON(t, "one")) }, "one", false},
		{"unchanged", func() {}, "<nil>", false},
		{"replaced, same size", func() { Install(dir, kbJSON(t, "two")) }, "two", false},
		{"invalid", func() { os.WriteFile(w.Path(), []byte(`{"version":1}`), 0o600) }, "<nil>", true},
		{"invalid, unchanged", func() {}, "<nil>", false},
		{"removed", func() { os.Remove(w.Path()) }, "<nil>", false},
		{"back", func() { Install(dir, kbJSON(t, "three")) }, "three", false},
	}
	for _, s := range steps {
		s.change()
		k, err := w.Load()
		if got := answer(k); got != s.want || (err != nil) != s.wantErr {
			t.Errorf("%s: Load() = %s, %v; want %s, error %v", s.name, got, err, s.want, s.wantErr)
		}
	}
}

// syncBuffer is a bytes.Buffer safe for the watcher to log into while the
// test reads.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestWatcherRun(t *testing.T) {
	dir := t.TempDir()
	w := NewWatcher(filepath.Join(dir, FileName))
	var logs syncBuffer
	log := slog.New(slog.NewTextHandler(&logs, nil))
	applied := make(chan string, 10)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		w.Run(ctx, 5*time.Millisecond, log, func(k *KB) error {
			if a := k.Entries[0].Answer.EN; a != "refused" {
				applied <- a
				return nil
			}
			return errors.New("apply refused it")
		})
	}()
	defer func() {
		cancel()
		<-done
	}()
	waitLog := func(want string) {
		t.Helper()
		for deadline := time.Now().Add(5 * time.Second); !strings.Contains(logs.String(), want); time.Sleep(5 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("log lacks %q:\n%s", want, logs.String())
			}
		}
	}
	waitApplied := func(want string) {
		t.Helper()
		select {
		case got := <-applied:
			if got != want {
				t.Fatalf("applied %q, want %q", got, want)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("%q not applied", want)
		}
	}

	if _, err := Install(dir, kbJSON(t, "one")); err != nil {
		t.Fatal(err)
	}
	waitApplied("one")
	if err := os.WriteFile(w.Path(), []byte("{"), 0o600); err != nil {
		t.Fatal(err)
	}
	waitLog("level=ERROR")
	if _, err := Install(dir, kbJSON(t, "refused")); err != nil {
		t.Fatal(err)
	}
	waitLog("apply refused it")
	if _, err := Install(dir, kbJSON(t, "two")); err != nil {
		t.Fatal(err)
	}
	waitApplied("two")
	select {
	case a := <-applied:
		t.Errorf("applied %q after the last change", a)
	case <-time.After(50 * time.Millisecond):
	}
}
