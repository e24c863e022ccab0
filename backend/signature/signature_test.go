package signature

import (
	"errors"
	"strconv"
	"testing"
	"time"
)

func TestSignVerify(t *testing.T) {
	now := time.Unix(1_800_000_000, 0)
	ts := strconv.FormatInt(now.Unix(), 10)
	body := []byte(`{"id":"ev1"}`)
	old, cur := []byte("old-secret"), []byte("new-secret")
	both := SignAll([][]byte{old, cur}, ts, body)

	// A receiver knowing either secret accepts the request while both are
	// sent: rotation with overlap.
	for _, s := range [][]byte{old, cur} {
		if err := Verify(s, ts, both, body, now, time.Minute); err != nil {
			t.Errorf("verify with %s: %v", s, err)
		}
	}
	cases := []struct {
		name          string
		secret        []byte
		ts, sig, body string
		now           time.Time
		want          error
	}{
		{"other secret", []byte("x"), ts, both, string(body), now, ErrBadSignature},
		{"changed body", cur, ts, both, `{"id":"ev2"}`, now, ErrBadSignature},
		{"changed timestamp", cur, strconv.FormatInt(now.Unix()+1, 10), both, string(body), now, ErrBadSignature},
		{"stale", cur, ts, both, string(body), now.Add(6 * time.Minute), ErrStale},
		{"from the future", cur, ts, both, string(body), now.Add(-6 * time.Minute), ErrStale},
		{"no signature", cur, ts, "", string(body), now, ErrNoSignature},
		{"no timestamp", cur, "", both, string(body), now, ErrNoSignature},
		{"bad timestamp", cur, "yesterday", both, string(body), now, ErrBadSignature},
		{"other scheme", cur, ts, "v0=" + Sign(cur, ts, body)[3:], string(body), now, ErrBadSignature},
	}
	for _, c := range cases {
		err := Verify(c.secret, c.ts, c.sig, []byte(c.body), c.now, 5*time.Minute)
		if !errors.Is(err, c.want) {
			t.Errorf("%s: err %v, want %v", c.name, err, c.want)
		}
	}
	if got := Sign(cur, ts, body); got == Sign(old, ts, body) || len(got) != 3+64 {
		t.Errorf("Sign = %q: want v1= and 64 hex digits, differing by secret", got)
	}
}
