package relay

import (
	"bytes"
	"errors"
	"reflect"
	"sync"
	"testing"
	"time"

	"switchboard/backend/bus"
)

func TestEncodeDecode(t *testing.T) {
	for _, p := range []Push{
		{Origin: "n1", Kind: Frame, Topics: []string{"agent:a1", "admins"}, SkipUser: "a1", Frame: []byte(`{"type":"typing"}`)},
		{Origin: "n2", Kind: Message, Conv: "c-1", Seq: 42, Assignee: "a2", Topics: []string{"customer:u1"},
			Except: []string{"agent:a9"}, Frame: []byte(`{"type":"message","data":{"seq":42}}`)},
		{Origin: "n3", Kind: Conversation, Conv: "c-2", Topics: []string{"team:presales"}},
		{Origin: "n4", Kind: Frame, Frame: []byte{0, 1, 2, 255}}, // a binary frame
	} {
		got, err := Decode(Encode(p))
		if err != nil {
			t.Fatalf("decode %+v: %v", p, err)
		}
		if len(p.Frame) == 0 {
			p.Frame = got.Frame[:0]
		}
		if !reflect.DeepEqual(got, p) {
			t.Errorf("round trip:\n got %+v\nwant %+v", got, p)
		}
	}
}

func TestDecodeRejects(t *testing.T) {
	good := Encode(Push{Origin: "n1", Kind: Message, Conv: "c", Seq: 3, Topics: []string{"admins"}, Frame: []byte("{}")})
	for name, tc := range map[string]struct {
		b    []byte
		want error
	}{
		"empty":       {nil, ErrTruncated},
		"version":     {append([]byte{9}, good[1:]...), ErrVersion},
		"kind zero":   {append([]byte{version, 0}, good[2:]...), ErrKind},
		"kind high":   {append([]byte{version, 7}, good[2:]...), ErrKind},
		"cut":         {good[:6], ErrTruncated},
		"huge string": {append([]byte{version, Frame}, 0xff, 0xff, 0xff, 0x7f), ErrTooLarge},
	} {
		if _, err := Decode(tc.b); !errors.Is(err, tc.want) {
			t.Errorf("%s: err %v, want %v", name, err, tc.want)
		}
	}
}

func FuzzDecode(f *testing.F) {
	f.Add(Encode(Push{Origin: "n1", Kind: Frame, Topics: []string{"a", "b"}, Frame: []byte("x")}))
	f.Add(Encode(Push{Origin: "n2", Kind: Message, Conv: "c", Seq: -1, Except: []string{"e"}}))
	f.Add([]byte{version, Conversation, 0, 0, 0, 0, 0, 0, 0})
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := Decode(b)
		if err != nil {
			return
		}
		// What decodes survives a round trip (the bytes may differ: a
		// varint has more than one encoding).
		again, err := Decode(Encode(p))
		if err != nil {
			t.Fatalf("re-decode: %v", err)
		}
		if !reflect.DeepEqual(again.Topics, p.Topics) || !reflect.DeepEqual(again.Except, p.Except) ||
			again.Origin != p.Origin || again.Conv != p.Conv || again.Seq != p.Seq || again.Kind != p.Kind ||
			again.Assignee != p.Assignee || again.SkipUser != p.SkipUser || !bytes.Equal(again.Frame, p.Frame) {
			t.Fatalf("round trip: %+v, want %+v", again, p)
		}
	})
}

func TestRelayBetweenNodes(t *testing.T) {
	b := bus.NewInproc(bus.InprocConfig{})
	defer b.Close()
	var mu sync.Mutex
	got := map[string][]Push{}
	node := func(id string) *Relay {
		return New(id, b, nil, func(p Push) {
			mu.Lock()
			got[id] = append(got[id], p)
			mu.Unlock()
		}, 2)
	}
	r1, r2, r3 := node("n1"), node("n2"), node("n3")
	defer r1.Close()
	defer r2.Close()
	defer r3.Close()
	r1.Publish(Push{Kind: Frame, Topics: []string{"admins"}, Frame: []byte("one")})
	r2.Publish(Push{Kind: Message, Conv: "c", Seq: 1, Topics: []string{"admins"}, Frame: []byte("two")})
	b.Publish(Subject, []byte("garbage"))
	deadline := time.Now().Add(5 * time.Second)
	for {
		mu.Lock()
		n1, n2, n3 := len(got["n1"]), len(got["n2"]), len(got["n3"])
		mu.Unlock()
		if n1 == 1 && n2 == 1 && n3 == 2 && r1.Stats().Undecodable == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("delivered n1=%d n2=%d n3=%d, undecodable %d; want 1, 1, 2 and 1", n1, n2, n3, r1.Stats().Undecodable)
		}
		time.Sleep(5 * time.Millisecond)
	}
	mu.Lock()
	defer mu.Unlock()
	if p := got["n1"][0]; p.Origin != "n2" || string(p.Frame) != "two" || p.Seq != 1 {
		t.Errorf("n1 got %+v, want n2's message", p)
	}
	if p := got["n2"][0]; p.Origin != "n1" || string(p.Frame) != "one" {
		t.Errorf("n2 got %+v, want n1's frame", p)
	}
	if s := r1.Stats(); s.Published != 1 || s.Received != 1 {
		t.Errorf("n1 stats %+v, want 1 published and 1 received", s)
	}
}

func TestSequencer(t *testing.T) {
	q := NewSequencer(0, 0)
	now := time.Unix(1000, 0)
	if _, known, ok := q.Admit("c", 5); known || !ok {
		t.Fatalf("unknown conversation: known %v ok %v, want false true", known, ok)
	}
	q.Delivered("c", 5, now)
	if after, known, ok := q.Admit("c", 6); !known || !ok || after != 5 {
		t.Errorf("next: after %d known %v ok %v, want 5 true true", after, known, ok)
	}
	if _, _, ok := q.Admit("c", 5); ok {
		t.Error("seq delivered already was admitted")
	}
	if _, _, ok := q.Admit("c", 3); ok {
		t.Error("older seq was admitted")
	}
	if after, known, ok := q.Admit("c", 9); !known || !ok || after != 5 {
		t.Errorf("gap: after %d known %v ok %v, want 5 true true (fill 6–8)", after, known, ok)
	}
	q.Delivered("c", 9, now)
	q.Delivered("c", 7, now) // a late fill never moves it back
	if after, _, _ := q.Admit("c", 10); after != 9 {
		t.Errorf("after late fill: after %d, want 9", after)
	}
	if k := q.Known(); !reflect.DeepEqual(k, map[string]int64{"c": 9}) {
		t.Errorf("Known %v", k)
	}
	if last, ok := q.Last("c"); last != 9 || !ok {
		t.Errorf("Last(c) = %d, %v, want 9, true", last, ok)
	}
	if last, ok := q.Last("other"); last != 0 || ok {
		t.Errorf("Last(other) = %d, %v, want 0, false", last, ok)
	}
}

func TestSequencerForgetsIdle(t *testing.T) {
	q := NewSequencer(3, time.Minute)
	t0 := time.Unix(1000, 0)
	q.Delivered("old", 1, t0)
	q.Delivered("b", 1, t0.Add(50*time.Second))
	q.Delivered("c", 1, t0.Add(55*time.Second))
	q.Delivered("d", 1, t0.Add(90*time.Second)) // full: "old" is idle
	if _, known, _ := q.Admit("old", 2); known {
		t.Error("idle conversation was kept past the limit")
	}
	if _, known, _ := q.Admit("b", 2); !known {
		t.Error("conversation in use was forgotten")
	}
	if q.Len() != 3 {
		t.Errorf("Len %d, want 3", q.Len())
	}
	// Nothing idle: the oldest go.
	q.Delivered("e", 1, t0.Add(100*time.Second))
	if q.Len() > 3 {
		t.Errorf("Len %d past the limit", q.Len())
	}
	if _, known, _ := q.Admit("e", 2); !known {
		t.Error("the newest conversation was forgotten")
	}
}
