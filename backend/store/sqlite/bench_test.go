package sqlite

import (
	"context"
	"fmt"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"

	"switchboard/backend/seal"
	"switchboard/backend/store"
	"switchboard/protocol"
)

// BenchmarkAppend measures durable appends from many goroutines, each
// writing to its own conversation, as connections of a busy server do. The
// msgs/s figure is what group commit is for: with synchronous=FULL every
// commit waits for the disk, so throughput depends on how many messages
// share one commit. MaxBatch 1 is a commit per message, for comparison.
// sealed=true encrypts at rest (a KEK), the cost of seal.go per append.
func BenchmarkAppend(b *testing.B) {
	kek, err := seal.NewLocalKEK(make([]byte, seal.KeySize), "bench")
	if err != nil {
		b.Fatal(err)
	}
	for _, batch := range []int{1, 256} {
		for _, sealed := range []bool{false, true} {
			opts := Options{MaxBatch: batch}
			if sealed {
				opts.KEK = kek
			}
			b.Run(fmt.Sprintf("batch=%d/sealed=%v", batch, sealed), func(b *testing.B) { benchmarkAppend(b, opts) })
		}
	}
}

func benchmarkAppend(b *testing.B, opts Options) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(b.TempDir(), "bench.db"), opts)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	var next atomic.Int64
	b.SetParallelism(16) // 16 × GOMAXPROCS writers
	b.ReportAllocs()
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		cust := uuid.NewString()
		if _, err := s.UpsertCustomer(ctx, store.Customer{ID: cust}); err != nil {
			b.Error(err)
			return
		}
		conv, _, err := s.CreateConversation(ctx, store.NewConversation{CustomerID: cust, Channel: "web",
			Opened: store.NewMessage{ClientMsgID: uuid.NewString(), SenderRole: protocol.RoleSystem,
				Kind: protocol.KindEvent, Visibility: protocol.VisibilityPublic, Event: &store.Event{Type: protocol.EventOpened}}})
		if err != nil {
			b.Error(err)
			return
		}
		for pb.Next() {
			next.Add(1)
			if _, err := s.AppendMessage(ctx, store.NewMessage{ConversationID: conv.ID, ClientMsgID: uuid.NewString(),
				SenderRole: protocol.RoleCustomer, SenderID: cust, Kind: protocol.KindText,
				Visibility: protocol.VisibilityPublic, Text: "hello, is my order on its way?"}); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(next.Load())/time.Since(start).Seconds(), "msgs/s")
}
