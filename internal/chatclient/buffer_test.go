package chatclient

import (
	"fmt"
	"testing"
	"time"

	"switchboard/protocol"
)

func msg(seq int64) protocol.Message {
	return protocol.Message{ConversationID: "c", Seq: seq, ClientMsgID: fmt.Sprint(seq)}
}

func msgs(seqs ...int64) []protocol.Message {
	out := make([]protocol.Message, len(seqs))
	for i, s := range seqs {
		out[i] = msg(s)
	}
	return out
}

func seqsOf(ms []protocol.Message) []int64 {
	out := make([]int64, len(ms))
	for i, m := range ms {
		out[i] = m.Seq
	}
	return out
}

// step is one input to a buffer: pushed messages, or a sync reply listing
// every visible message after after.
type step struct {
	push     []int64
	sync     []int64
	after    int64
	wantSeqs []int64
	wantSync bool // the buffer still needs a sync afterwards
}

func TestBuffer(t *testing.T) {
	tests := []struct {
		name  string
		steps []step
	}{
		{"in order", []step{
			{push: []int64{1, 2, 3}, wantSeqs: []int64{1, 2, 3}},
		}},
		{"duplicates dropped", []step{
			{push: []int64{1, 2, 2, 1, 3}, wantSeqs: []int64{1, 2, 3}},
			{sync: []int64{1, 2, 3}, after: 0, wantSeqs: []int64{1, 2, 3}},
		}},
		{"gap held until sync fills it", []step{
			{push: []int64{1, 4, 5}, wantSeqs: []int64{1}, wantSync: true},
			{sync: []int64{2, 3, 4, 5}, after: 1, wantSeqs: []int64{1, 2, 3, 4, 5}},
		}},
		{"gap filled by a late push", []step{
			{push: []int64{1, 3}, wantSeqs: []int64{1}, wantSync: true},
			{push: []int64{2}, wantSeqs: []int64{1, 2, 3}},
		}},
		{"hidden seqs skipped by sync", []step{
			// A customer does not see internal notes 2 and 4.
			{push: []int64{1, 3}, wantSeqs: []int64{1}, wantSync: true},
			{sync: []int64{3, 5}, after: 1, wantSeqs: []int64{1, 3, 5}},
			{push: []int64{5, 6}, wantSeqs: []int64{1, 3, 5, 6}},
		}},
		{"sync overlapping pushes", []step{
			{push: []int64{1}, wantSeqs: []int64{1}},
			{push: []int64{2}, wantSeqs: []int64{1, 2}},
			// A sync asked after 1 answers after a push already brought 2.
			{sync: []int64{2, 3}, after: 1, wantSeqs: []int64{1, 2, 3}},
		}},
		{"ahead kept while sync is short", []step{
			{push: []int64{1, 9}, wantSeqs: []int64{1}, wantSync: true},
			{sync: []int64{2, 3}, after: 1, wantSeqs: []int64{1, 2, 3}, wantSync: true},
			{sync: []int64{4, 5, 6, 7, 8, 9}, after: 3, wantSeqs: []int64{1, 2, 3, 4, 5, 6, 7, 8, 9}},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := New(Config{})
			c.Track("c")
			c.nextSync() // the initial load, answered by the steps
			for i, s := range tt.steps {
				var still bool
				if s.push != nil {
					c.receive("c", msgs(s.push...), 0, false)
				} else {
					still = c.receive("c", msgs(s.sync...), s.after, true)
				}
				got := seqsOf(c.Messages("c"))
				if fmt.Sprint(got) != fmt.Sprint(s.wantSeqs) {
					t.Fatalf("step %d: delivered %v, want %v", i, got, s.wantSeqs)
				}
				c.bufMu.Lock()
				need := c.bufs["c"].needSync || still
				c.bufMu.Unlock()
				if need != s.wantSync {
					t.Fatalf("step %d: needs sync = %v, want %v", i, need, s.wantSync)
				}
				c.bufMu.Lock()
				c.bufs["c"].needSync = false
				c.bufMu.Unlock()
			}
		})
	}
}

func TestBackoff(t *testing.T) {
	c := New(Config{MinBackoff: 100 * time.Millisecond, MaxBackoff: time.Second, Seed: 1})
	for n := 0; n < 40; n++ {
		ceil := min(time.Second, 100*time.Millisecond<<min(n, 20))
		for range 50 {
			if d := c.backoff(n); d < 0 || d > ceil {
				t.Fatalf("backoff(%d) = %v, want within [0, %v]", n, d, ceil)
			}
		}
	}
}
