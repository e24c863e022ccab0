package sqlite

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"

	"switchboard/backend/store"
	"switchboard/protocol"
)

// TestCheckpointInBackground: the pages appends write reach the database
// file through the background checkpoint, not through the writer's own
// commits. With the interval an hour, the same appends leave the database
// file as it was; with 20 ms, it grows while the store runs.
func TestCheckpointInBackground(t *testing.T) {
	grew := func(every time.Duration, wait time.Duration) bool {
		ctx := context.Background()
		path := filepath.Join(t.TempDir(), "test.db")
		s, err := Open(ctx, path, Options{CheckpointEvery: every})
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		size := func() int64 {
			fi, err := os.Stat(path)
			if err != nil {
				t.Fatal(err)
			}
			return fi.Size()
		}
		// Let a checkpoint of the migrations' pages pass first, if any.
		time.Sleep(min(2*every, 200*time.Millisecond))
		before := size()
		c := openConversation(t, s, "v-1")
		for i := range 300 {
			if _, err := s.AppendMessage(ctx, store.NewMessage{ConversationID: c.ID, ClientMsgID: uuid.NewString(),
				SenderRole: protocol.RoleCustomer, Kind: protocol.KindText, Visibility: protocol.VisibilityPublic,
				Text: string(make([]byte, 200+i))}); err != nil {
				t.Fatal(err)
			}
		}
		deadline := time.Now().Add(wait)
		for time.Now().Before(deadline) {
			if size() > before+64<<10 {
				return true
			}
			time.Sleep(10 * time.Millisecond)
		}
		return false
	}
	if grew(time.Hour, 300*time.Millisecond) {
		t.Fatal("the database file grew without a background checkpoint: the writer checkpointed in its commits")
	}
	if !grew(20*time.Millisecond, 10*time.Second) {
		t.Fatal("the database file did not grow within 10 s of the appends: no background checkpoint")
	}
}

// TestWALStartsOver: under a steady stream of appends the WAL starts over
// from its first frame (checkpointRound, restartWAL) instead of growing
// until the writer's own checkpoint copies it inside a commit. Four
// appenders write 2 kB messages without pause; without the restart every
// message's row stays in the WAL, which then holds at least as many bytes
// as the messages, and nothing resets it.
func TestWALStartsOver(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "test.db")
	s, err := Open(ctx, path, Options{CheckpointEvery: 20 * time.Millisecond, WALRestartFrames: 64})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	const text = 2 << 10
	var appended atomic.Int64
	errs := make(chan error, 4)
	for w := range 4 {
		c := openConversation(t, s, fmt.Sprintf("v-%d", w))
		go func() {
			for appended.Load() < 10000 {
				if _, err := s.AppendMessage(ctx, store.NewMessage{ConversationID: c.ID, ClientMsgID: uuid.NewString(),
					SenderRole: protocol.RoleCustomer, Kind: protocol.KindText, Visibility: protocol.VisibilityPublic,
					Text: strings.Repeat("x", text)}); err != nil {
					errs <- err
					return
				}
				appended.Add(1)
			}
			errs <- nil
		}()
	}
	for range 4 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	fi, err := os.Stat(path + "-wal")
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("WAL %d bytes after %d bytes of messages, %d restarts", fi.Size(), appended.Load()*text, s.walRestarts.Load())
	if n := s.walRestarts.Load(); n == 0 {
		t.Fatal("the writer never started the WAL over")
	}
	if wrote := appended.Load() * text; fi.Size() > wrote/2 {
		t.Fatalf("the WAL holds %d bytes after %d of messages: it grew instead of starting over", fi.Size(), wrote)
	}
}
