package sqlite

import (
	"context"
	"database/sql"
	"log/slog"
	"time"
)

// Checkpoints: copying the pages the WAL holds back into the database file.
//
// SQLite's automatic checkpoint runs on the connection that commits, inside
// its COMMIT, once the WAL has grown past wal_autocheckpoint pages. On the
// one write connection that put the copy of thousands of pages and an fsync
// of the database file into the group commit that crossed the mark, and
// every append waiting in it or behind it waited for the copy too: the tail
// of the end-to-end latency (docs/benchmarks.md). The store checkpoints
// instead on a connection of its own, every checkpointEvery, in PASSIVE
// mode: it copies what no reader still needs and never blocks the writer,
// which keeps appending to the WAL meanwhile. The writer's own automatic
// checkpoint stays, at a mark far above what one interval writes, for the
// case where this one cannot keep up.

// checkpointEvery is the default interval of the background checkpoint. A
// page that many commits of one interval rewrite (a conversation's row, an
// index's last leaf) is copied once per interval.
const checkpointEvery = time.Second

// writerAutocheckpoint is the writer's own checkpoint mark, in pages (about
// 200 MB): reached only if the background checkpoint falls behind.
const writerAutocheckpoint = 50000

// checkpointLoop runs the background checkpoint on c until s.stop is
// closed, then closes c and closes done.
func (s *Store) checkpointLoop(c *sql.DB, every time.Duration, done chan<- struct{}) {
	defer close(done)
	defer c.Close()
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-s.stop:
			return
		case <-t.C:
		}
		if err := checkpoint(context.Background(), c); err != nil {
			slog.Warn("sqlite: background checkpoint", "err", err)
		}
	}
}

// checkpoint runs one PASSIVE checkpoint on c.
func checkpoint(ctx context.Context, c *sql.DB) error {
	var busy, log, done int
	return c.QueryRowContext(ctx, `PRAGMA wal_checkpoint(PASSIVE)`).Scan(&busy, &log, &done)
}
