package app

import (
	"context"
	"encoding/json"
	"os"
	"time"

	"github.com/google/uuid"

	"switchboard/app/cache"
	"switchboard/protocol"
)

// EventFilesDropped carries FilesDropped: files were dropped on the window;
// the UI uploads them to the conversation in view (UploadPaths).
const EventFilesDropped = "files:dropped"

// FilesDropped is the payload of EventFilesDropped.
type FilesDropped struct {
	Paths []string `json:"paths"`
}

func (s *Service) dialogsOrErr() (Dialogs, error) {
	s.mu.Lock()
	d := s.dialogs
	s.mu.Unlock()
	if d == nil {
		return nil, protocol.ErrInvalid.WithMessage("file dialogs are not available")
	}
	return d, nil
}

// ChooseAndUpload asks the agent for files (the native dialog) and uploads
// each to the conversation. It returns the uploads started; none when the
// agent cancelled the dialog.
func (a *App) ChooseAndUpload(conversationID string) ([]UploadProgress, error) {
	d, err := a.s.dialogsOrErr()
	if err != nil {
		return nil, a.s.uiError("choose files", err)
	}
	paths, err := d.OpenFiles("")
	if err != nil {
		return nil, a.s.uiError("choose files", err)
	}
	return a.UploadPaths(conversationID, paths)
}

// UploadPaths uploads files from disk (dropped on the window) to a
// conversation. Each becomes an image, voice or file message once it is on
// the server; progress arrives as upload:progress events.
func (a *App) UploadPaths(conversationID string, paths []string) ([]UploadProgress, error) {
	sess, err := a.s.current()
	if err != nil {
		return nil, a.s.uiError("upload", err)
	}
	out := make([]UploadProgress, 0, len(paths))
	for _, p := range paths {
		up, err := sess.uploads.add(a.s.context(), conversationID, p, "", "", false)
		if err != nil {
			return out, a.s.uiError("upload", err)
		}
		out = append(out, up)
	}
	return out, nil
}

// UploadData uploads a file the web view holds (pasted from the clipboard)
// as base64. mime may be empty: the name's extension decides.
func (a *App) UploadData(conversationID, name, mimeType, data string) (UploadProgress, error) {
	sess, err := a.s.current()
	if err != nil {
		return UploadProgress{}, a.s.uiError("upload", err)
	}
	if name == "" {
		name = "pasted" + extFor(mimeType)
	}
	p, err := pastedFile(a.s.cfg.Dir, name, data)
	if err != nil {
		return UploadProgress{}, a.s.uiError("upload", err)
	}
	up, err := sess.uploads.add(a.s.context(), conversationID, p, name, mimeType, true)
	if err != nil {
		return UploadProgress{}, a.s.uiError("upload", err)
	}
	return up, nil
}

func extFor(mimeType string) string {
	switch mimeType {
	case "image/png":
		return ".png"
	case "image/jpeg":
		return ".jpg"
	case "image/gif":
		return ".gif"
	case "image/webp":
		return ".webp"
	}
	return ""
}

// ListUploads returns the unfinished uploads (after a restart they resume
// on their own), so the UI can show their progress.
func (a *App) ListUploads() ([]UploadProgress, error) {
	sess, err := a.s.current()
	if err != nil {
		return nil, a.s.uiError("list uploads", err)
	}
	list, err := sess.uploads.list(a.s.context())
	return list, a.s.uiError("list uploads", err)
}

// CancelUpload stops an upload and forgets it; an upload:failed event with
// code "cancelled" follows.
func (a *App) CancelUpload(uploadID string) error {
	sess, err := a.s.current()
	if err != nil {
		return a.s.uiError("cancel upload", err)
	}
	return a.s.uiError("cancel upload", sess.uploads.cancel(a.s.context(), uploadID))
}

// DownloadFile asks where to save a file (the native save dialog) and
// downloads it there, with download:progress events. It returns the final
// progress (Path set); a cancelled dialog returns an empty one. With a
// download folder configured (Config.DownloadDir) it saves there without
// asking, under a name not yet taken.
func (a *App) DownloadFile(fileID, name string) (DownloadProgress, error) {
	sess, err := a.s.current()
	if err != nil {
		return DownloadProgress{}, a.s.uiError("download", err)
	}
	if dir := a.s.cfg.DownloadDir; dir != "" {
		dest, err := freeName(dir, name)
		if err != nil {
			return DownloadProgress{}, a.s.uiError("download", err)
		}
		p, err := sess.download(a.s.context(), fileID, name, dest)
		if err != nil {
			os.Remove(dest) // the name reserved for it
		}
		return p, a.s.uiError("download", err)
	}
	d, err := a.s.dialogsOrErr()
	if err != nil {
		return DownloadProgress{}, a.s.uiError("download", err)
	}
	dest, err := d.SaveFile("", name)
	if err != nil || dest == "" {
		return DownloadProgress{}, a.s.uiError("download", err)
	}
	p, err := sess.download(a.s.context(), fileID, name, dest)
	return p, a.s.uiError("download", err)
}

// FileDataURL returns an image or audio file, or an image's thumbnail, as
// a data URL the web view can show; the token stays on the Go side.
func (a *App) FileDataURL(fileID string, thumb bool) (string, error) {
	sess, err := a.s.current()
	if err != nil {
		return "", a.s.uiError("read file", err)
	}
	ctx, cancel := context.WithTimeout(a.s.context(), time.Minute)
	defer cancel()
	u, err := sess.fileDataURL(ctx, fileID, thumb)
	return u, a.s.uiError("read file", err)
}

// SendCard queues a card message (the server validates it against the card
// registry; a refusal arrives as send:failed with invalid_card) and returns
// it as pending, like Send.
func (a *App) SendCard(conversationID string, card protocol.Card) (protocol.Message, error) {
	sess, err := a.s.current()
	if err != nil {
		return protocol.Message{}, a.s.uiError("send card", err)
	}
	m, err := sess.sendCard(a.s.context(), conversationID, card)
	return m, a.s.uiError("send card", err)
}

// CannedResponses returns the agent's personal canned responses (shortcut
// and text per language), kept in the app's settings. The "/" menu offers
// them next to the shared ones of CannedList.
func (a *App) CannedResponses() ([]CannedResponse, error) {
	a.s.mu.Lock()
	defer a.s.mu.Unlock()
	return a.s.settings.canned(), nil
}

func (s *session) sendCard(ctx context.Context, id string, card protocol.Card) (protocol.Message, error) {
	if id == "" {
		return protocol.Message{}, protocol.ErrInvalid.WithMessage("conversation id is empty")
	}
	if card.Type == "" || len(card.Data) == 0 || !json.Valid(card.Data) {
		return protocol.Message{}, protocol.ErrInvalidCard.WithMessage("card type and data are required")
	}
	if card.Version == 0 {
		card.Version = 1
	}
	cmid, err := uuid.NewV7()
	if err != nil {
		return protocol.Message{}, err
	}
	return s.queue(ctx, cache.OutboxItem{
		ClientMsgID:    cmid.String(),
		ConversationID: id,
		CreatedAt:      time.Now().UnixMilli(),
		Kind:           protocol.KindCard,
		Card:           &card,
	})
}
