package app

import (
	"context"
	"encoding/base64"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/google/uuid"

	"switchboard/protocol"
)

// EventDownloadProgress carries DownloadProgress while a file downloads:
// at most every downloadTick, and once at the end (Done or Error set).
const EventDownloadProgress = "download:progress"

// DownloadProgress is the payload of EventDownloadProgress.
type DownloadProgress struct {
	DownloadID string `json:"download_id"`
	FileID     string `json:"file_id"`
	Name       string `json:"name"`
	Received   int64  `json:"received"`
	Size       int64  `json:"size"` // 0 when the server did not say
	Done       bool   `json:"done,omitempty"`
	Path       string `json:"path,omitempty"` // where it was saved, once done
	Error      string `json:"error,omitempty"`
}

const (
	downloadTick = 100 * time.Millisecond
	// maxDataURLBytes bounds an image handed to the web view as a data URL.
	maxDataURLBytes = 15 << 20
)

// fileURL is the address of a file's content or thumbnail.
func (s *session) fileURL(fileID string, thumb bool) (string, error) {
	if fileID == "" || strings.ContainsAny(fileID, "/?#\\") {
		return "", protocol.ErrInvalid.WithMessage("bad file id %q", fileID)
	}
	u := strings.TrimRight(s.serverURL, "/") + "/api/v1/files/" + url.PathEscape(fileID)
	if thumb {
		u += "/thumb"
	}
	return u, nil
}

func (s *session) getFile(ctx context.Context, fileID string, thumb bool) (*http.Response, error) {
	u, err := s.fileURL(fileID, thumb)
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, fmt.Errorf("get file %s: %w", fileID, err)
	}
	req.Header.Set("Authorization", "Bearer "+s.accessToken(ctx))
	resp, err := s.uploads.http.Do(req)
	if err != nil {
		return nil, protocol.ErrUnavailable.WithMessage("cannot reach the server: %v", err)
	}
	if resp.StatusCode != http.StatusOK {
		defer resp.Body.Close()
		return nil, httpError(resp)
	}
	return resp, nil
}

// fileDataURL returns a file (or its thumbnail) as a data URL, so the web
// view shows images without holding the token.
func (s *session) fileDataURL(ctx context.Context, fileID string, thumb bool) (string, error) {
	resp, err := s.getFile(ctx, fileID, thumb)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxDataURLBytes+1))
	if err != nil {
		return "", fmt.Errorf("read file %s: %w", fileID, err)
	}
	if len(b) > maxDataURLBytes {
		return "", protocol.ErrFileTooLarge.WithMessage("the file is too large to show; download it instead")
	}
	ct := resp.Header.Get("Content-Type")
	if m, _, err := mime.ParseMediaType(ct); err == nil {
		ct = m
	}
	if !strings.HasPrefix(ct, "image/") && !strings.HasPrefix(ct, "audio/") {
		return "", protocol.ErrTypeNotAllowed.WithMessage("%s is not shown inline", ct)
	}
	return "data:" + ct + ";base64," + base64.StdEncoding.EncodeToString(b), nil
}

// download streams a file to dest (through dest.part, renamed at the end)
// and reports progress.
func (s *session) download(ctx context.Context, fileID, name, dest string) (DownloadProgress, error) {
	id, _ := uuid.NewV7()
	p := DownloadProgress{DownloadID: id.String(), FileID: fileID, Name: name}
	log := s.log.With("download_id", p.DownloadID, "file_id", fileID)
	fail := func(err error) (DownloadProgress, error) {
		log.Warn("download failed", "err", err)
		p.Error = err.Error()
		s.emit(EventDownloadProgress, p)
		return p, err
	}
	log.Info("download started", "dest", dest)
	resp, err := s.getFile(ctx, fileID, false)
	if err != nil {
		return fail(err)
	}
	defer resp.Body.Close()
	p.Size, _ = strconv.ParseInt(resp.Header.Get("Content-Length"), 10, 64)
	part := dest + ".part"
	f, err := os.Create(part)
	if err != nil {
		return fail(fmt.Errorf("save %s: %w", filepath.Base(dest), err))
	}
	defer os.Remove(part) // a no-op once renamed
	s.emit(EventDownloadProgress, p)
	buf := make([]byte, 64<<10)
	last := time.Now()
	for {
		n, rerr := resp.Body.Read(buf)
		if n > 0 {
			if _, err := f.Write(buf[:n]); err != nil {
				f.Close()
				return fail(fmt.Errorf("save %s: %w", filepath.Base(dest), err))
			}
			p.Received += int64(n)
			if time.Since(last) >= downloadTick {
				last = time.Now()
				s.emit(EventDownloadProgress, p)
			}
		}
		if rerr == io.EOF {
			break
		}
		if rerr != nil {
			f.Close()
			return fail(fmt.Errorf("download %s: %w", fileID, rerr))
		}
	}
	if err := f.Close(); err != nil {
		return fail(fmt.Errorf("save %s: %w", filepath.Base(dest), err))
	}
	if err := os.Rename(part, dest); err != nil {
		return fail(fmt.Errorf("save %s: %w", filepath.Base(dest), err))
	}
	p.Done, p.Path = true, dest
	log.Info("download saved", "bytes", p.Received)
	s.emit(EventDownloadProgress, p)
	return p, nil
}

// freeName returns a path in dir for a file called name that does not exist
// yet: name made safe (no directories, no leading dots, no control
// characters), then "name (2).ext", "name (3).ext"…
func freeName(dir, name string) (string, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", fmt.Errorf("create download folder: %w", err)
	}
	base := safeFileName(name)
	ext := filepath.Ext(base)
	stem := strings.TrimSuffix(base, ext)
	for i := 1; i < 10000; i++ {
		n := base
		if i > 1 {
			n = fmt.Sprintf("%s (%d)%s", stem, i, ext)
		}
		p := filepath.Join(dir, n)
		f, err := os.OpenFile(p, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
		if err == nil {
			f.Close() // reserved; download writes it through a .part file
			return p, nil
		}
		if !os.IsExist(err) {
			return "", fmt.Errorf("save %s: %w", n, err)
		}
	}
	return "", protocol.ErrInvalid.WithMessage("too many files called %q", base)
}

// safeFileName keeps the last element of a name and drops what a file
// system or a shell could misread.
func safeFileName(name string) string {
	name = strings.ReplaceAll(name, "\\", "/")
	name = name[strings.LastIndex(name, "/")+1:]
	name = strings.Map(func(r rune) rune {
		// Control and format characters (bidi overrides among them) by the
		// server's rule for uploaded names (files.SanitizeName), and what
		// Windows does not allow in a name.
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || strings.ContainsRune(`<>:"|?*`, r) {
			return -1
		}
		return r
	}, name)
	name = strings.TrimLeft(strings.TrimSpace(name), ".")
	if name == "" {
		return "download"
	}
	return name
}
