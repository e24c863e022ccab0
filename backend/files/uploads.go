package files

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	tus "github.com/tus/tusd/v2/pkg/handler"
)

// Unfinished uploads. The tus file store keeps each unfinished upload in
// its directory as two files: ID (the bytes so far) and ID.info (JSON: the
// declared size and the metadata). A client that stops halfway never comes
// back to say so, so the server sweeps uploads nobody has written to for a
// while.

// UploadStore keeps unfinished uploads where every node of a cluster
// reaches them: the tus data store of a blob engine whose storage the
// nodes share (UploadKeeper). Without one, a server keeps them in a local
// directory through tusd's file store, and the functions below manage
// that directory.
//
// Its uploads have no local path (FileInfo.Storage is empty): their
// content is read through tus.Upload's GetReader.
type UploadStore interface {
	tus.DataStore
	tus.TerminaterDataStore
	// UseIn makes the store the composer's core and terminater.
	UseIn(composer *tus.StoreComposer)
	// List returns the unfinished uploads. An upload whose info is
	// missing (a crash between writes) is listed with only its ID and
	// LastWrite, as ListUploads does.
	List(ctx context.Context) ([]Upload, error)
	// Stat returns unfinished upload id as List does; an upload of which
	// nothing is stored is an error matching os.ErrNotExist.
	Stat(ctx context.Context, id string) (Upload, error)
	// Remove deletes everything stored of upload id; one already gone is
	// not an error.
	Remove(ctx context.Context, id string) error
}

// UploadKeeper is a Blobs whose engine keeps unfinished uploads too, in
// the storage the nodes share.
type UploadKeeper interface {
	// Uploads returns the engine's upload store; tempDir is a local
	// directory for the short-lived spool files it needs ("" for the
	// system's).
	Uploads(tempDir string) UploadStore
}

// Upload is an unfinished upload found in the upload store.
type Upload struct {
	ID       string
	Size     int64             // declared length
	MetaData map[string]string // as the server set it at creation
	// LastWrite is when the upload was last written to: in a directory,
	// the later of the two files' modification times.
	LastWrite time.Time
}

// ListUploads reads the unfinished uploads in dir (none when dir does not
// exist). A data file without its .info is listed with only its ID and
// LastWrite: a crash between the store's two writes leaves one.
func ListUploads(dir string) ([]Upload, error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("list uploads: %w", err)
	}
	seen := make(map[string]*Upload)
	var order []string
	get := func(id string) *Upload {
		u := seen[id]
		if u == nil {
			u = &Upload{ID: id}
			seen[id] = u
			order = append(order, id)
		}
		return u
	}
	for _, e := range entries {
		name := e.Name()
		if !e.Type().IsRegular() || strings.HasPrefix(name, ".") {
			continue
		}
		fi, err := e.Info()
		if err != nil {
			continue // removed meanwhile
		}
		id, isInfo := strings.CutSuffix(name, ".info")
		u := get(id)
		if fi.ModTime().After(u.LastWrite) {
			u.LastWrite = fi.ModTime()
		}
		if !isInfo {
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			continue
		}
		var info struct {
			Size     int64
			MetaData map[string]string
		}
		if json.Unmarshal(b, &info) == nil {
			u.Size, u.MetaData = info.Size, info.MetaData
		}
	}
	out := make([]Upload, 0, len(order))
	for _, id := range order {
		out = append(out, *seen[id])
	}
	return out, nil
}

// RemoveUpload deletes unfinished upload id's data and .info from dir. A
// file already gone is not an error.
func RemoveUpload(dir, id string) error {
	if id == "" || strings.ContainsAny(id, `/\`) || strings.HasPrefix(id, ".") {
		return fmt.Errorf("remove upload %q: not an upload id", id)
	}
	var errs []error
	for _, p := range []string{filepath.Join(dir, id), filepath.Join(dir, id+".info")} {
		if err := os.Remove(p); err != nil && !errors.Is(err, os.ErrNotExist) {
			errs = append(errs, err)
		}
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("remove upload %s: %w", id, err)
	}
	return nil
}
