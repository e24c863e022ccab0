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
// which keeps appending to the WAL meanwhile.
//
// A PASSIVE checkpoint copies the frames that were in the WAL when it
// began, and the WAL starts again from its first frame only when a write
// transaction begins with every frame copied. Under a steady stream of
// appends that never happens by itself: each checkpoint ends behind the
// frames written while it ran. The WAL then grew to the writer's mark, and
// the writer's checkpoint copied up to an interval's frames inside a commit
// (20–30 ms every 1.7 s at 10,000 messages a second). So once the WAL is
// long, the background checkpoint runs again at once until a pass is left
// with little to copy, and then asks the writer (walRestart) to copy that
// little itself between two batches: its next transaction finds every
// frame copied and starts the WAL over. The writer's own automatic
// checkpoint stays, at a mark far above what one interval writes, for the
// case where this cannot keep up.

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
		if err := s.checkpointRound(context.Background(), c); err != nil {
			slog.Warn("sqlite: background checkpoint", "err", err)
		}
	}
}

// restartFrames is the default length of WAL, in frames, from which a
// round of checkpoints ends by having the writer start the WAL over (about
// 16 MB; Options.WALRestartFrames).
const restartFrames = 4096

// tailFrames is what a checkpoint pass may leave for the writer to copy:
// a few milliseconds of appends at full speed.
const tailFrames = 256

// maxPasses bounds the passes of one round; a round that does not get the
// tail short enough leaves the WAL to the next.
const maxPasses = 4

// checkpointRound runs one PASSIVE checkpoint on c and, if the WAL is
// long, more until a pass is left with at most tailFrames to copy; then it
// asks the writer to copy those and start the WAL over.
func (s *Store) checkpointRound(ctx context.Context, c *sql.DB) error {
	log, done, err := checkpoint(ctx, c)
	if err != nil || log < s.restartAt {
		return err
	}
	for range maxPasses {
		if done < log {
			return nil // a reader still needs the frames past done
		}
		from := done
		if log, done, err = checkpoint(ctx, c); err != nil {
			return err
		}
		if done == log && log-from <= tailFrames {
			s.walRestart.Store(true)
			return nil
		}
	}
	return nil
}

// restartWAL copies what is left of the WAL on the writer's connection,
// between two batches, so that the next batch starts the WAL over. It is
// run by the writer goroutine only.
func (s *Store) restartWAL(ctx context.Context) {
	if _, _, err := checkpoint(ctx, s.w); err != nil {
		slog.Warn("sqlite: checkpoint before starting the WAL over", "err", err)
	}
	s.walRestarts.Add(1)
}

// checkpoint runs one PASSIVE checkpoint on c and returns the frames in the
// WAL and how many of them are copied (SQLite's counts; -1 if the database
// is not in WAL mode).
func checkpoint(ctx context.Context, c *sql.DB) (log, done int, err error) {
	var busy int
	err = c.QueryRowContext(ctx, `PRAGMA wal_checkpoint(PASSIVE)`).Scan(&busy, &log, &done)
	return log, done, err
}
