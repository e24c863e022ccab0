package cache_test

import (
	"context"
	"slices"
	"testing"

	"switchboard/protocol"
)

func TestMessagesBefore(t *testing.T) {
	ctx := context.Background()
	c, _ := open(t)
	var ms []protocol.Message
	for seq := int64(1); seq <= 10; seq++ {
		if seq != 4 { // a hole the page shows as it is
			ms = append(ms, msg("c1", seq, ""))
		}
	}
	ms = append(ms, msg("c2", 1, ""))
	if _, err := c.PutMessages(ctx, ms); err != nil {
		t.Fatalf("PutMessages: %v", err)
	}
	tests := []struct {
		name   string
		before int64
		limit  int
		want   []int64
	}{
		{"newest", 0, 3, []int64{8, 9, 10}},
		{"before", 8, 3, []int64{5, 6, 7}},
		{"over a hole", 6, 3, []int64{2, 3, 5}},
		{"start", 3, 5, []int64{1, 2}},
		{"nothing before", 1, 5, []int64{}},
		{"no limit", 0, 0, []int64{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := c.MessagesBefore(ctx, "c1", tt.before, tt.limit)
			if err != nil {
				t.Fatalf("MessagesBefore: %v", err)
			}
			if !slices.Equal(seqs(got), tt.want) {
				t.Errorf("MessagesBefore(c1, %d, %d) = %v, want %v", tt.before, tt.limit, seqs(got), tt.want)
			}
		})
	}
}
