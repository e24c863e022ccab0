package sqlite

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/google/uuid"

	"switchboard/backend/conversation"
	"switchboard/backend/seal"
	"switchboard/backend/store"
	"switchboard/backend/timers"
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

// BenchmarkAppendActive appends what a busy server appends: customer
// messages (open states, the idle timer postponed, a reply while waited for
// reactivating) and agent replies (working states, the assignee checked) to
// accepted conversations with an idle timer armed, from many goroutines.
// Besides msgs/s it reports the process's CPU time per message (user +
// system), the figure the write path is judged by.
//
// load=full is saturation: 256 writers, each with its conversation, fill
// the batches. load=half is about half of the channel's saturation rate:
// 8 writers among 1,200 conversations (as the channel benchmark's
// customers), so a batch holds a few messages of conversations that seldom
// share a page, and each commit writes most of what its messages touch.
func BenchmarkAppendActive(b *testing.B) {
	for _, c := range []struct {
		load           string
		writers, chats int
		sealed         bool
	}{
		{"full", 256, 256, false},
		{"full", 256, 256, true},
		{"half", 8, 1200, false},
		{"half", 8, 1200, true},
	} {
		sealed := c.sealed
		b.Run(fmt.Sprintf("load=%s/sealed=%v", c.load, sealed), func(b *testing.B) {
			opts := Options{}
			if sealed {
				kek, err := seal.NewLocalKEK(make([]byte, seal.KeySize), "bench")
				if err != nil {
					b.Fatal(err)
				}
				opts.KEK = kek
			}
			benchmarkAppendActive(b, opts, c.writers, c.chats)
		})
	}
}

func benchmarkAppendActive(b *testing.B, opts Options, writers, nchats int) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(b.TempDir(), "bench.db"), opts)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	event := func(typ string) store.NewMessage {
		return store.NewMessage{ClientMsgID: uuid.NewString(), SenderRole: protocol.RoleSystem,
			Kind: protocol.KindEvent, Visibility: protocol.VisibilityPublic, Event: &store.Event{Type: typ}}
	}
	// The server's idle timer (timers.Durations.IdleTimer), slack and all.
	idle := func() store.Timer {
		return timers.Durations{Idle: 5 * time.Minute}.IdleTimer(time.Now())
	}
	if err := s.UpsertTeam(ctx, store.Team{ID: "presales", Name: "Presales"}); err != nil {
		b.Fatal(err)
	}
	open := []conversation.State{conversation.Bot, conversation.Queued, conversation.Active, conversation.WaitingCustomer}
	working := []conversation.State{conversation.Active, conversation.WaitingCustomer}
	// The conversations are set up first, so the figures are the appends'.
	type chat struct{ conv, cust, agent string }
	chats := make([]chat, nchats)
	for i := range chats {
		c := chat{cust: uuid.NewString(), agent: "agent-" + uuid.NewString()}
		if _, err := s.UpsertCustomer(ctx, store.Customer{ID: c.cust}); err != nil {
			b.Fatal(err)
		}
		if _, err := s.UpsertAgent(ctx, store.Agent{ID: c.agent, Username: c.agent, Name: "Agent", Role: protocol.RoleAgent, Teams: []string{"presales"}}); err != nil {
			b.Fatal(err)
		}
		conv, _, err := s.CreateConversation(ctx, store.NewConversation{ID: newID(), CustomerID: c.cust, Channel: "web", Opened: event(protocol.EventOpened)})
		if err != nil {
			b.Fatal(err)
		}
		c.conv = conv.ID
		team, reason := "presales", "requested"
		for _, sc := range []store.StateChange{
			{ConversationID: conv.ID, Event: conversation.Handoff, Team: &team, HandoffReason: &reason, Message: event(protocol.EventHandoff)},
			{ConversationID: conv.ID, Event: conversation.Accept, AssigneeID: &c.agent, Message: event(protocol.EventAssigned), Arm: []store.Timer{idle()}},
		} {
			if _, _, err := s.ChangeState(ctx, sc); err != nil {
				b.Fatal(err)
			}
		}
		chats[i] = c
	}
	// As the server's: the change is made only when it applies.
	resume := store.ChangeOn{Event: conversation.CustomerReply, Make: func(nm store.NewMessage) store.StateChange {
		return store.StateChange{Message: event(protocol.EventResumed), Actor: nm.SenderID, Arm: []store.Timer{*nm.Postpone}}
	}}
	var next, taken atomic.Int64
	b.SetParallelism(writers / runtime.GOMAXPROCS(0))
	b.ReportAllocs()
	b.ResetTimer()
	cpu0 := cpuTime()
	io0 := procIO()
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		c := chats[int(taken.Add(1)-1)%len(chats)]
		for i := 0; pb.Next(); i++ {
			if len(chats) > writers && i%2 == 0 {
				// A customer message and its reply, in a conversation
				// taken at random.
				c = chats[rand.IntN(len(chats))]
			}
			next.Add(1)
			nm := store.NewMessage{ConversationID: c.conv, ClientMsgID: newID(),
				Kind: protocol.KindText, Visibility: protocol.VisibilityPublic, Text: "hello, is my order on its way?"}
			if i%2 == 0 {
				t := idle()
				nm.SenderRole, nm.SenderID, nm.States, nm.Postpone = protocol.RoleCustomer, c.cust, open, &t
				nm.Change = resume
			} else {
				nm.SenderRole, nm.SenderID, nm.States, nm.Assignee = protocol.RoleAgent, c.agent, working, c.agent
			}
			if _, err := s.AppendMessage(ctx, nm); err != nil {
				b.Error(err)
				return
			}
		}
	})
	n := next.Load()
	b.ReportMetric(float64(n)/time.Since(start).Seconds(), "msgs/s")
	b.ReportMetric(float64((cpuTime()-cpu0).Microseconds())/float64(n), "cpu-µs/msg")
	// What the appends wrote (WAL frames, checkpoints) and in how many
	// write calls: less load-dependent than the CPU time.
	if io := procIO(); io0 != nil && io != nil {
		b.ReportMetric(float64(io["wchar"]-io0["wchar"])/float64(n), "written-B/msg")
		b.ReportMetric(float64(io["syscw"]-io0["syscw"])/float64(n), "writes/msg")
	}
}

// procIO is the process's I/O counters (/proc/self/io), nil where there
// are none.
func procIO() map[string]int64 {
	b, err := os.ReadFile("/proc/self/io")
	if err != nil {
		return nil
	}
	m := map[string]int64{}
	for _, line := range strings.Split(string(b), "\n") {
		k, v, ok := strings.Cut(line, ": ")
		if !ok {
			continue
		}
		n, err := strconv.ParseInt(v, 10, 64)
		if err == nil {
			m[k] = n
		}
	}
	return m
}

// cpuTime is the process's CPU time so far, user and system.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// newID is a time-ordered id, as the server's conversation ids and the
// clients' client_msg_ids are.
func newID() string { return uuid.Must(uuid.NewV7()).String() }
