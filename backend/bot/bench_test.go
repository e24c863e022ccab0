package bot

import (
	"fmt"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

// BenchmarkAnswerEvalSet times the kb bot's Answer on every wording of the
// evaluation set (testdata/eval), as the server asks it, and reports the
// 50th, 95th and 99th percentile of one answer in microseconds
// (make bench-bot, docs/benchmarks.md).
func BenchmarkAnswerEvalSet(b *testing.B) {
	k := evalKB(b)
	var items []evalItem
	for _, f := range []string{"train.jsonl", "heldout.jsonl"} {
		items = append(items, loadEvalSet(b, k, filepath.Join("testdata", "eval", f))...)
	}
	bot := mustKB(k, Options{})
	ctx := b.Context()
	durs := make([]time.Duration, 0, b.N*len(items))
	b.ResetTimer()
	for b.Loop() {
		for _, it := range items {
			start := time.Now()
			if _, err := bot.Answer(ctx, Input{Text: it.Text}); err != nil {
				b.Fatal(err)
			}
			durs = append(durs, time.Since(start))
		}
	}
	b.StopTimer()
	slices.Sort(durs)
	pct := func(p float64) float64 {
		return float64(durs[min(len(durs)-1, int(p*float64(len(durs))))].Microseconds())
	}
	b.ReportMetric(pct(0.50), "p50-µs")
	b.ReportMetric(pct(0.95), "p95-µs")
	b.ReportMetric(pct(0.99), "p99-µs")
	b.ReportMetric(float64(len(items)), "answers/op")
	if testing.Verbose() {
		fmt.Printf("answers %d, p50 %v, p95 %v, p99 %v, max %v\n", len(durs), durs[len(durs)/2], durs[len(durs)*95/100], durs[len(durs)*99/100], durs[len(durs)-1])
	}
}
