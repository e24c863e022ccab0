package server

import (
	"context"
	"errors"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"switchboard/backend/audit"
	"switchboard/backend/store"
	"switchboard/backend/transcript"
	"switchboard/protocol"
)

// Paths of the transcript endpoints (package transcript renders and
// mails; this is their transport).
const (
	transcriptPath      = "/api/v1/conversations/{id}/transcript"
	transcriptEmailPath = "/api/v1/conversations/{id}/transcript/email"
)

// transcriptPage is how many messages one read of a transcript loads.
const transcriptPage = 500

// bearerCORS lets a page of any origin call h with an Authorization
// header: the widget is embedded on customers' sites and authenticates
// with its visitor token, never a cookie.
func bearerCORS(methods string, h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		hdr := w.Header()
		hdr.Set("Access-Control-Allow-Origin", "*")
		hdr.Set("Access-Control-Expose-Headers", "Content-Disposition, Retry-After")
		if r.Method == http.MethodOptions {
			hdr.Set("Access-Control-Allow-Methods", methods+", OPTIONS")
			hdr.Set("Access-Control-Allow-Headers", "Authorization, Content-Type")
			hdr.Set("Access-Control-Max-Age", "600")
			w.WriteHeader(http.StatusNoContent)
			return
		}
		h(w, r)
	}
}

// transcriptSource loads the conversation of the request's {id} if the
// caller may read it, and its messages: public ones only, unless internal
// (staff only) asks for internal notes too. Whispers are left to package
// transcript, which never shows them.
func (s *Server) transcriptSource(ctx context.Context, c caller, id string, internal bool) (store.Conversation, []protocol.Message, *protocol.Error) {
	if id == "" || len(id) > 64 {
		return store.Conversation{}, nil, protocol.ErrNotFound
	}
	conv, err := s.store.Conversation(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return conv, nil, protocol.ErrNotFound
	}
	if err != nil {
		s.log.Error("load conversation", "conversation_id", id, "err", err)
		return conv, nil, protocol.ErrInternal
	}
	if !canRead(c.user, c.teams, conv) {
		return conv, nil, protocol.ErrNotFound
	}
	var msgs []protocol.Message
	for after := int64(0); ; {
		page, err := s.store.Messages(ctx, store.MessageQuery{ConversationID: id, AfterSeq: after, Limit: transcriptPage, PublicOnly: !internal})
		if err != nil {
			s.log.Error("load transcript", "conversation_id", id, "err", err)
			return conv, nil, protocol.ErrInternal
		}
		for _, m := range page {
			msgs = append(msgs, toProtoMessage(m))
		}
		if len(page) < transcriptPage {
			break
		}
		after = page[len(page)-1].Seq
	}
	return conv, msgs, nil
}

// transcriptLang is the language asked for (lang), else the customer's.
func transcriptLang(lang string, msgs []protocol.Message) (string, *protocol.Error) {
	if lang == "" {
		return transcript.GuessLang(msgs), nil
	}
	l, ok := transcript.ParseLang(lang)
	if !ok {
		return "", protocol.ErrInvalid.WithMessage("lang must be zh or en")
	}
	return l, nil
}

func (s *Server) transcriptOptions(lang string, internal bool) transcript.Options {
	return transcript.Options{Lang: lang, Location: s.cfg.TranscriptZone, Internal: internal}
}

func transcriptConversation(conv store.Conversation) transcript.Conversation {
	return transcript.Conversation{ID: conv.ID, CreatedAt: conv.CreatedAt}
}

// handleTranscript serves GET /api/v1/conversations/{id}/transcript
// ?format=html|text&lang=zh|en&internal=true as a download: to the
// conversation's customer, and to staff who may read the conversation,
// who alone may ask for internal notes. Anyone else gets not_found.
func (s *Server) handleTranscript(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet {
		writeError(w, protocol.ErrInvalid.WithMessage("use GET"))
		return
	}
	c, perr := s.bearer(r)
	if perr != nil {
		writeError(w, perr)
		return
	}
	q := r.URL.Query()
	format := q.Get("format")
	switch format {
	case "":
		format = transcript.FormatHTML
	case transcript.FormatHTML, transcript.FormatText:
	default:
		writeError(w, protocol.ErrInvalid.WithMessage("format must be html or text"))
		return
	}
	internal := false
	if v := q.Get("internal"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			writeError(w, protocol.ErrInvalid.WithMessage("internal must be true or false"))
			return
		}
		internal = b
	}
	if internal && !isStaff(c.user.Role) {
		writeError(w, protocol.ErrForbidden.WithMessage("internal notes are for staff"))
		return
	}
	conv, msgs, perr := s.transcriptSource(r.Context(), c, r.PathValue("id"), internal)
	if perr != nil {
		writeError(w, perr)
		return
	}
	lang, perr := transcriptLang(q.Get("lang"), msgs)
	if perr != nil {
		writeError(w, perr)
		return
	}
	t, err := transcript.Render(format, transcriptConversation(conv), msgs, s.transcriptOptions(lang, internal))
	if err != nil {
		s.log.Error("render transcript", "conversation_id", conv.ID, "err", err)
		writeError(w, protocol.ErrInternal)
		return
	}
	if isStaff(c.user.Role) && conv.AssigneeID != c.user.ID {
		detail := "via=transcript"
		if internal {
			detail += " internal=true"
		}
		if err := s.audits.recordWait(r.Context(), store.AuditEntry{TS: s.nowMS(), Actor: c.user.ID, Action: audit.ActionRead,
			ConversationID: conv.ID, Detail: detail}); err != nil {
			s.log.Warn("audit transcript read", "conversation_id", conv.ID, "err", err)
		}
	}
	hdr := w.Header()
	hdr.Set("Content-Type", t.ContentType)
	hdr.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": t.Filename}))
	hdr.Set("X-Content-Type-Options", "nosniff")
	// The document needs its inline style and nothing else; opened from
	// this origin it can do nothing.
	hdr.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; sandbox")
	hdr.Set("Cache-Control", "no-store")
	hdr.Set("Content-Length", strconv.Itoa(len(t.Body)))
	w.WriteHeader(http.StatusOK)
	w.Write(t.Body)
}

// TranscriptEmailRequest asks for a transcript by email.
type TranscriptEmailRequest struct {
	// To is the address; empty means the verified email of a signed-in
	// customer.
	To string `json:"to,omitempty"`
	// Lang is zh or en; empty means the customer's language.
	Lang string `json:"lang,omitempty"`
}

// TranscriptEmailResponse answers a transcript email: where it went.
type TranscriptEmailResponse struct {
	To string `json:"to"`
}

// handleTranscriptEmail serves POST /api/v1/conversations/{id}/transcript/email
// for the conversation's customer: the transcript goes by email to the
// given address, at most Config.TranscriptEmails times an hour per
// conversation.
func (s *Server) handleTranscriptEmail(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		writeError(w, protocol.ErrInvalid.WithMessage("use POST"))
		return
	}
	c, perr := s.bearer(r)
	if perr != nil {
		writeError(w, perr)
		return
	}
	if c.user.Role != protocol.RoleCustomer {
		writeError(w, protocol.ErrForbidden.WithMessage("the customer asks for their transcript by email; staff download it"))
		return
	}
	var req TranscriptEmailRequest
	if perr := readJSON(w, r, &req, true); perr != nil {
		writeError(w, perr)
		return
	}
	conv, msgs, perr := s.transcriptSource(r.Context(), c, r.PathValue("id"), false)
	if perr != nil {
		writeError(w, perr)
		return
	}
	if s.cfg.Mailer == nil {
		writeError(w, protocol.ErrEmailUnavailable)
		return
	}
	to := strings.TrimSpace(req.To)
	if to == "" {
		to = conv.Verified["email"]
	}
	if to == "" {
		writeError(w, protocol.ErrInvalid.WithMessage("to is required: the address to send the transcript to"))
		return
	}
	addr, err := transcript.ParseAddress(to)
	if err != nil {
		writeError(w, protocol.ErrInvalid.WithMessage("to is not a valid email address"))
		return
	}
	lang, perr := transcriptLang(req.Lang, msgs)
	if perr != nil {
		writeError(w, perr)
		return
	}
	if ok, retry := s.transcriptMails.Allow(conv.ID, s.cfg.Now()); !ok {
		w.Header().Set("Retry-After", strconv.Itoa(int(retry.Seconds())+1))
		writeError(w, protocol.ErrRateLimited.WithMessage("this conversation's transcript was emailed too often; try again later"))
		return
	}
	tc, opts := transcriptConversation(conv), s.transcriptOptions(lang, false)
	text, err := transcript.Render(transcript.FormatText, tc, msgs, opts)
	if err == nil {
		var html transcript.Transcript
		html, err = transcript.Render(transcript.FormatHTML, tc, msgs, opts)
		if err == nil {
			err = s.cfg.Mailer.Send(r.Context(), transcript.Email{To: addr, Subject: transcript.Subject(lang),
				Text: text.Body, HTML: html.Body, Date: s.cfg.Now()})
		}
	}
	if err != nil {
		s.log.Error("email transcript", "conversation_id", conv.ID, "err", err)
		writeError(w, protocol.ErrInternal.WithMessage("the email could not be sent; try again later"))
		return
	}
	s.log.Info("transcript emailed", "conversation_id", conv.ID)
	writeJSON(w, http.StatusOK, TranscriptEmailResponse{To: addr.Address})
}
