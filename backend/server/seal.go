package server

import (
	"context"
	"time"

	"switchboard/backend/files"
)

// resealBatch is how many rows or files one step of the reseal job seals
// again, and resealPause the pause between steps: small batches keep each
// write transaction short, so message appends hardly wait behind the job.
const (
	resealBatch = 100
	resealPause = 20 * time.Millisecond
)

// runReseal is the background job of encryption at rest: every ResealPoll
// until the server stops it picks up data keys made by
// "switchboard-server keys rotate", then seals again, a batch at a time,
// the rows and files that are plaintext (written before encryption was
// turned on) or sealed with an older data key.
func (s *Server) runReseal() {
	defer close(s.resealDone)
	if s.resealer == nil || s.keys == nil {
		return
	}
	t := time.NewTicker(s.cfg.ResealPoll)
	defer t.Stop()
	for {
		s.resealPass(s.baseCtx)
		select {
		case <-s.baseCtx.Done():
			return
		case <-t.C:
		}
	}
}

// resealPass runs the job until nothing is left to seal again or ctx ends;
// it returns how many rows and files it sealed again.
func (s *Server) resealPass(ctx context.Context) (rows, blobs int) {
	if err := s.resealer.RefreshKeys(ctx); err != nil {
		if ctx.Err() == nil {
			s.log.Error("reseal: refresh data keys", "err", err)
		}
		return 0, 0
	}
	key := s.keys.Current()
	for _, step := range []struct {
		what  string
		count *int
		fn    func(context.Context, int) (int, error)
	}{
		{"rows", &rows, s.resealer.Reseal},
		{"files", &blobs, s.resealBlobs},
	} {
		for {
			n, err := step.fn(ctx, resealBatch)
			if err != nil {
				if ctx.Err() == nil {
					s.log.Error("reseal", "what", step.what, "err", err)
				}
				return rows, blobs
			}
			*step.count += n
			if n == 0 {
				break
			}
			select {
			case <-ctx.Done():
				return rows, blobs
			case <-time.After(resealPause):
			}
		}
	}
	if rows > 0 || blobs > 0 {
		s.log.Info("resealed with the current data key", "key", key, "rows", rows, "files", blobs)
	}
	return rows, blobs
}

// resealBlobs reseals a batch of blobs when the blob store's engine
// reseals; one that does not has nothing to do.
func (s *Server) resealBlobs(ctx context.Context, batch int) (int, error) {
	r, ok := s.blobs.(files.Resealer)
	if !ok {
		return 0, nil
	}
	return r.Reseal(ctx, batch)
}
