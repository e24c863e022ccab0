package server

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"time"

	"switchboard/backend/files"
)

// The upload sweep. A client that stops halfway through an upload never
// says so, and its partial file and reserved quota would stay for ever;
// the sweep deletes unfinished uploads nobody has written to for
// Config.UploadExpiry and frees their quota. At start it first counts the
// unfinished uploads already stored against their uploaders' quotas, so
// a restart does not hand out a second allowance.
//
// With shared uploads (files.UploadKeeper) every node sweeps them all
// (deleting one twice is harmless), counts them all at start, and frees
// the reservations of uploads other nodes saw end (subjectUploadEnded).

// sweepEvery is how often the upload sweep runs for an expiry: an eighth
// of it, so an abandoned upload goes at most an eighth late, between 10ms
// (for tests) and an hour.
func sweepEvery(expiry time.Duration) time.Duration {
	return min(max(expiry/8, 10*time.Millisecond), time.Hour)
}

func (s *Server) runUploadSweep() {
	defer close(s.uploadSweepDone)
	if s.sharedUploads != nil {
		cancel := s.bus.Subscribe(subjectUploadEnded, func(id []byte) { s.quota.Close(string(id)) })
		defer cancel()
	}
	s.restoreUploads(s.baseCtx)
	t := time.NewTicker(sweepEvery(s.cfg.UploadExpiry))
	defer t.Stop()
	// missing holds the reservations whose upload was not on disk at the
	// last sweep: one that is still missing now was never created (tusd
	// failed after the reservation) and is freed.
	missing := map[string]bool{}
	for {
		select {
		case <-s.baseCtx.Done():
			return
		case <-t.C:
			missing = s.sweepUploads(s.baseCtx, missing)
		}
	}
}

// listUploads lists the unfinished uploads where they are kept.
func (s *Server) listUploads(ctx context.Context) ([]files.Upload, error) {
	if s.sharedUploads != nil {
		return s.sharedUploads.List(ctx)
	}
	return files.ListUploads(s.uploadDir)
}

// restoreUploads counts the unfinished uploads stored against their
// uploaders' quotas.
func (s *Server) restoreUploads(ctx context.Context) {
	ups, err := s.listUploads(ctx)
	if err != nil {
		s.log.Error("count unfinished uploads", "err", err)
		return
	}
	for _, u := range ups {
		m := u.MetaData
		if m[metaUploaderID] == "" {
			continue // no .info: only the sweep has business with it
		}
		s.quota.Restore(u.ID, u.Size, u.LastWrite, s.uploadOwners(m[metaUploaderID], m[metaUploaderRole], m[metaUploaderAddr])...)
	}
}

// sweepUploads deletes the uploads last written before the expiry, and
// frees reservations that were missing from the store at the last sweep
// and still are. It returns the reservations missing now.
func (s *Server) sweepUploads(ctx context.Context, wasMissing map[string]bool) map[string]bool {
	ups, err := s.listUploads(ctx)
	if err != nil {
		s.log.Error("sweep uploads", "err", err)
		return wasMissing
	}
	cutoff := time.Now().Add(-s.cfg.UploadExpiry)
	onDisk := make(map[string]bool, len(ups))
	for _, u := range ups {
		onDisk[u.ID] = true
		if u.LastWrite.Before(cutoff) {
			s.sweepUpload(ctx, u, cutoff)
		}
	}
	missing := map[string]bool{}
	for _, id := range s.quota.IDs() {
		if onDisk[id] {
			continue
		}
		if wasMissing[id] {
			s.quota.Close(id)
		} else {
			missing[id] = true
		}
	}
	return missing
}

// sweepUpload deletes one stale upload under tusd's lock, so no request
// of this node is writing to it meanwhile, after checking again that
// nothing was written since it was listed. A shared upload that another
// node's request writes to between the check and the delete (a client
// that comes back after the whole expiry, at that moment) is deleted
// all the same, its new chunk with it: the client finds it gone and
// starts again.
func (s *Server) sweepUpload(ctx context.Context, u files.Upload, cutoff time.Time) {
	lock, err := s.tusLocker.NewLock(u.ID)
	if err != nil {
		return
	}
	lctx, cancel := context.WithTimeout(ctx, time.Second)
	err = lock.Lock(lctx, func() {})
	cancel()
	if err != nil {
		return // in use: not abandoned after all
	}
	defer lock.Unlock()
	if s.sharedUploads != nil {
		now, err := s.sharedUploads.Stat(ctx, u.ID)
		switch {
		case err == nil && !now.LastWrite.Before(cutoff):
			return
		case err != nil && !errors.Is(err, os.ErrNotExist):
			s.log.Error("sweep upload", "file_id", u.ID, "err", err)
			return
		}
		err = s.sharedUploads.Remove(ctx, u.ID)
		if err != nil {
			s.log.Error("sweep upload", "file_id", u.ID, "err", err)
			return
		}
	} else {
		for _, p := range []string{filepath.Join(s.uploadDir, u.ID), filepath.Join(s.uploadDir, u.ID+".info")} {
			if fi, err := os.Stat(p); err == nil && !fi.ModTime().Before(cutoff) {
				return
			}
		}
		if err := files.RemoveUpload(s.uploadDir, u.ID); err != nil {
			s.log.Error("sweep upload", "file_id", u.ID, "err", err)
			return
		}
	}
	s.uploadEnded(u.ID)
	s.log.Info("abandoned upload deleted", "file_id", u.ID, "user_id", u.MetaData[metaUploaderID],
		"size", u.Size, "last_write", u.LastWrite)
}
