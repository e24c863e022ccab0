package routing

import (
	"reflect"
	"slices"
	"testing"
)

func TestWaitsObserve(t *testing.T) {
	tests := []struct {
		name    string
		observe []int64
		want    float64
	}{
		{"nothing observed", nil, 0},
		{"the first wait is the average", []int64{30_000}, 30_000},
		{"later waits weigh a fifth", []int64{30_000, 80_000}, 40_000},
		{"and again", []int64{30_000, 80_000, 0}, 32_000},
		{"negative waits are ignored", []int64{-5_000, 30_000, -1}, 30_000},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var w Waits
			for _, ms := range tt.observe {
				w.Observe(ms)
			}
			if w.AvgMS != tt.want {
				t.Fatalf("Observe(%v): AvgMS = %v, want %v", tt.observe, w.AvgMS, tt.want)
			}
		})
	}
}

func TestWaitsExpected(t *testing.T) {
	tests := []struct {
		name             string
		avg              float64
		position, agents int
		want             int64
	}{
		{"the default before any wait", 0, 1, 1, 60_000},
		{"the default, shared among agents", 0, 3, 2, 90_000},
		{"the average per place", 20_000, 3, 1, 60_000},
		{"shared among agents", 20_000, 3, 4, 20_000}, // 15 s rounds up
		{"rounded down to 10 s", 14_999, 1, 1, 10_000},
		{"rounded up to 10 s", 25_000, 1, 1, 30_000},
		{"short waits round to nothing", 4_000, 1, 1, 0},
		{"no agents", 20_000, 1, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := Waits{AvgMS: tt.avg}
			if got := w.ExpectedMS(tt.position, tt.agents); got != tt.want {
				t.Fatalf("Waits{%v}.ExpectedMS(%d, %d) = %d, want %d", tt.avg, tt.position, tt.agents, got, tt.want)
			}
		})
	}
}

func TestPlaces(t *testing.T) {
	cands := []Candidate{
		agent("a"),
		agent("b", load(2)), // at capacity, still online
		agent("c", teams("presales", "aftersales")),
		agent("d", offline, teams("vip")),
	}
	w := Waits{AvgMS: 30_000}
	queue := func(outOfHours ...string) []Queued {
		q := []Queued{{ID: "p1", Team: "presales"}, {ID: "p2", Team: "presales"}, {ID: "a1", Team: "aftersales"}, {ID: "p3", Team: "presales"}, {ID: "v1", Team: "vip"}}
		for i := range q {
			q[i].OutOfHours = slices.Contains(outOfHours, q[i].Team)
		}
		return q
	}
	tests := []struct {
		name   string
		queued []Queued
		want   []Place
	}{
		{"within business hours", queue(), []Place{
			{ID: "p1", Position: 1, AgentsOnline: 3, InHours: true, Open: true, ExpectedWaitMS: 10_000},
			{ID: "p2", Position: 2, AgentsOnline: 3, InHours: true, Open: true, ExpectedWaitMS: 20_000},
			{ID: "a1", Position: 1, AgentsOnline: 1, InHours: true, Open: true, ExpectedWaitMS: 30_000},
			{ID: "p3", Position: 3, AgentsOnline: 3, InHours: true, Open: true, ExpectedWaitMS: 30_000},
			{ID: "v1", Position: 1, AgentsOnline: 0, InHours: true},
		}},
		{"outside business hours", queue("presales", "aftersales", "vip"), []Place{
			{ID: "p1", Position: 1, AgentsOnline: 3},
			{ID: "p2", Position: 2, AgentsOnline: 3},
			{ID: "a1", Position: 1, AgentsOnline: 1},
			{ID: "p3", Position: 3, AgentsOnline: 3},
			{ID: "v1", Position: 1, AgentsOnline: 0},
		}},
		{"outside one team's hours", queue("aftersales"), []Place{
			{ID: "p1", Position: 1, AgentsOnline: 3, InHours: true, Open: true, ExpectedWaitMS: 10_000},
			{ID: "p2", Position: 2, AgentsOnline: 3, InHours: true, Open: true, ExpectedWaitMS: 20_000},
			{ID: "a1", Position: 1, AgentsOnline: 1},
			{ID: "p3", Position: 3, AgentsOnline: 3, InHours: true, Open: true, ExpectedWaitMS: 30_000},
			{ID: "v1", Position: 1, AgentsOnline: 0, InHours: true},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := w.Places(tt.queued, cands); !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("Places(%+v) =\n%+v\nwant\n%+v", tt.queued, got, tt.want)
			}
		})
	}
}
