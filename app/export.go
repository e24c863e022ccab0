package app

import (
	"context"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"switchboard/protocol"
)

// TranscriptExport says where an exported transcript was saved; Path is
// empty when the agent cancelled the save dialog.
type TranscriptExport struct {
	Path  string `json:"path,omitempty"`
	Name  string `json:"name,omitempty"`
	Bytes int64  `json:"bytes,omitempty"`
}

// maxTranscriptBytes bounds an exported transcript held in memory.
const maxTranscriptBytes = 64 << 20

// ExportTranscript fetches a conversation's transcript as the server
// renders it (format "html" or "text", lang "zh" or "en"; internal adds
// the internal notes, marked, which only staff may ask for), asks where to
// save it (the native save dialog, the server's file name proposed) and
// writes it there. With a download folder configured (Config.DownloadDir)
// it saves there without asking, under a name not yet taken.
func (a *App) ExportTranscript(conversationID, format, lang string, internal bool) (TranscriptExport, error) {
	sess, err := a.s.current()
	if err != nil {
		return TranscriptExport{}, a.s.uiError("export transcript", err)
	}
	ctx, cancel := context.WithTimeout(a.s.context(), time.Minute)
	defer cancel()
	body, name, err := sess.fetchTranscript(ctx, conversationID, format, lang, internal)
	if err != nil {
		return TranscriptExport{}, a.s.uiError("export transcript", err)
	}
	var dest string
	if dir := a.s.cfg.DownloadDir; dir != "" {
		if dest, err = freeName(dir, name); err != nil {
			return TranscriptExport{}, a.s.uiError("export transcript", err)
		}
	} else {
		d, err := a.s.dialogsOrErr()
		if err != nil {
			return TranscriptExport{}, a.s.uiError("export transcript", err)
		}
		if dest, err = d.SaveFile("", name); err != nil || dest == "" {
			return TranscriptExport{}, a.s.uiError("export transcript", err)
		}
	}
	if err := writeFileAtomic(dest, body); err != nil {
		return TranscriptExport{}, a.s.uiError("export transcript", err)
	}
	sess.log.Info("transcript exported", "conversation_id", conversationID, "format", format, "internal", internal)
	return TranscriptExport{Path: dest, Name: filepath.Base(dest), Bytes: int64(len(body))}, nil
}

// fetchTranscript downloads a transcript and the file name the server
// proposes for it (made safe).
func (s *session) fetchTranscript(ctx context.Context, id, format, lang string, internal bool) ([]byte, string, error) {
	if id == "" || strings.ContainsAny(id, "/?#\\") {
		return nil, "", protocol.ErrInvalid.WithMessage("bad conversation id %q", id)
	}
	if format != "html" && format != "text" {
		return nil, "", protocol.ErrInvalid.WithMessage("format must be html or text")
	}
	if lang != "zh" && lang != "en" {
		return nil, "", protocol.ErrInvalid.WithMessage("lang must be zh or en")
	}
	q := url.Values{"format": {format}, "lang": {lang}}
	if internal {
		q.Set("internal", "true")
	}
	u := strings.TrimRight(s.serverURL, "/") + "/api/v1/conversations/" + url.PathEscape(id) + "/transcript?" + q.Encode()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, "", fmt.Errorf("get transcript %s: %w", id, err)
	}
	req.Header.Set("Authorization", "Bearer "+s.accessToken(ctx))
	resp, err := s.uploads.http.Do(req)
	if err != nil {
		return nil, "", protocol.ErrUnavailable.WithMessage("cannot reach the server: %v", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, "", httpError(resp)
	}
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxTranscriptBytes+1))
	if err != nil {
		return nil, "", fmt.Errorf("read transcript %s: %w", id, err)
	}
	if len(b) > maxTranscriptBytes {
		return nil, "", protocol.ErrFileTooLarge.WithMessage("the transcript is too large to export")
	}
	name := "transcript.html"
	if format == "text" {
		name = "transcript.txt"
	}
	if _, params, err := mime.ParseMediaType(resp.Header.Get("Content-Disposition")); err == nil && params["filename"] != "" {
		name = safeFileName(params["filename"])
	}
	return b, name, nil
}

// writeFileAtomic writes b to dest through dest.part, renamed at the end,
// so a failed write leaves no half file under the chosen name.
func writeFileAtomic(dest string, b []byte) error {
	part := dest + ".part"
	if err := os.WriteFile(part, b, 0o600); err != nil {
		os.Remove(part)
		return fmt.Errorf("save %s: %w", filepath.Base(dest), err)
	}
	if err := os.Rename(part, dest); err != nil {
		os.Remove(part)
		return fmt.Errorf("save %s: %w", filepath.Base(dest), err)
	}
	return nil
}
