package app

import "testing"

func TestReleaserTick(t *testing.T) {
	const mb = 1 << 20
	tests := []struct {
		name   string
		allocs []uint64 // cumulative, one per tick
		want   []bool
	}{
		{"idle", []uint64{0, 10, 20, 30}, []bool{false, false, false, false}},
		{"burst then quiet", []uint64{5 * mb, 5*mb + 10, 5*mb + 20}, []bool{false, true, false}},
		{"burst over ticks", []uint64{2 * mb, 4 * mb, 6 * mb, 6 * mb}, []bool{false, false, false, true}},
		{"small bursts add up", []uint64{3 * mb, 3 * mb, 5 * mb, 5 * mb}, []bool{false, false, false, true}},
		{"two bursts", []uint64{5 * mb, 5 * mb, 10 * mb, 10 * mb}, []bool{false, true, false, true}},
	}
	for _, tt := range tests {
		r := releaser{burst: 4 * mb, quiet: mb / 4}
		for i, a := range tt.allocs {
			if got := r.tick(a); got != tt.want[i] {
				t.Errorf("%s: tick %d (allocs %d) = %v, want %v", tt.name, i, a, got, tt.want[i])
			}
		}
	}
}
