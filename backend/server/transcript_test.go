package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/mail"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"switchboard/backend/transcript"
	"switchboard/backend/transcript/smtptest"
	"switchboard/protocol"
)

// The transcript endpoints run against a real SMTP server in this process
// (package smtptest, github.com/emersion/go-smtp): the only fake is none.

const (
	transcriptNote    = "NOTE-do-not-show the customer"
	transcriptWhisper = "WHISPER-do-not-show anyone"
)

// withMailer configures the server to mail through srv.
func withMailer(t *testing.T, srv *smtptest.Server) func(*Config) {
	m, err := transcript.NewMailer(transcript.SMTPConfig{Host: srv.Host, Port: srv.Port, From: "Support <support@example.com>", TLS: transcript.TLSNone})
	if err != nil {
		t.Fatal(err)
	}
	return func(c *Config) { c.Mailer = m }
}

// transcriptConv is an active conversation of a customer with alice, with
// hostile text, a reply, an internal note and a whisper of sam.
func transcriptConv(t *testing.T, e *env) (cust *client, v VisitorResponse, conv protocol.Conversation) {
	t.Helper()
	cust, v, alice, conv := e.activeConversation()
	cust.sendText(conv.ID, `<script>alert("x")</script> 我的订单`)
	alice.sendText(conv.ID, "Let me check.")
	if f := alice.request(protocol.TypeSend, protocol.SendData{ConversationID: conv.ID, ClientMsgID: uuid.NewString(), Text: transcriptNote, Visibility: protocol.VisibilityInternal}); f.Error != nil {
		t.Fatalf("note: %v", f.Error)
	}
	sam, _ := e.agent("sam")
	if f := sam.whisper(conv.ID, transcriptWhisper); f.Error != nil {
		t.Fatalf("whisper: %v", f.Error)
	}
	return cust, v, conv
}

type httpAnswer struct {
	status int
	hdr    http.Header
	body   []byte
}

func (e *env) do(method, path, token string, body any) httpAnswer {
	e.t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, e.ts.URL+path, rd)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return httpAnswer{resp.StatusCode, resp.Header, b}
}

func (a httpAnswer) code() string {
	var he httpError
	json.Unmarshal(a.body, &he)
	return he.Error.Code
}

func TestTranscriptDownload(t *testing.T) {
	e := newEnv(t, nil)
	_, v, conv := transcriptConv(t, e)
	staff := e.login("sam").Token
	path := "/api/v1/conversations/" + conv.ID + "/transcript"

	for _, tt := range []struct {
		name, query, token string
		wantType, wantExt  string
		want, absent       []string
	}{
		{"customer html zh", "?format=html&lang=zh", v.Token, "text/html; charset=utf-8", ".html",
			[]string{"会话记录", "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; 我的订单", "客服 · Alice", "Let me check."},
			[]string{"<script>", transcriptNote, transcriptWhisper, "内部"}},
		{"customer text en", "?format=text&lang=en", v.Token, "text/plain; charset=utf-8", ".txt",
			[]string{"Conversation transcript", `<script>alert("x")</script> 我的订单`, "Agent · Alice:"},
			[]string{transcriptNote, transcriptWhisper, "Internal"}},
		{"customer default language is theirs", "?format=text", v.Token, "text/plain; charset=utf-8", ".txt",
			[]string{"Conversation transcript"}, []string{transcriptNote}},
		{"staff without internal", "?format=text&lang=en", staff, "text/plain; charset=utf-8", ".txt",
			[]string{"Let me check."}, []string{transcriptNote, transcriptWhisper}},
		{"staff with internal", "?format=text&lang=en&internal=true", staff, "text/plain; charset=utf-8", ".txt",
			[]string{"[Internal] Agent · Alice:\n    " + transcriptNote}, []string{transcriptWhisper}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			a := e.do(http.MethodGet, path+tt.query, tt.token, nil)
			if a.status != http.StatusOK {
				t.Fatalf("GET %s: %d %s", tt.query, a.status, a.body)
			}
			if ct := a.hdr.Get("Content-Type"); ct != tt.wantType {
				t.Errorf("Content-Type = %q, want %q", ct, tt.wantType)
			}
			disp, params, err := mime.ParseMediaType(a.hdr.Get("Content-Disposition"))
			short := strings.ReplaceAll(conv.ID, "-", "")[:8]
			if err != nil || disp != "attachment" || !strings.HasPrefix(params["filename"], "transcript-") ||
				!strings.HasSuffix(params["filename"], "-"+short+tt.wantExt) {
				t.Errorf("Content-Disposition = %q (%v), want an attachment named transcript-DATE-%s%s", a.hdr.Get("Content-Disposition"), err, short, tt.wantExt)
			}
			for _, s := range tt.want {
				if !bytes.Contains(a.body, []byte(s)) {
					t.Errorf("transcript lacks %q:\n%s", s, a.body)
				}
			}
			for _, s := range tt.absent {
				if bytes.Contains(a.body, []byte(s)) {
					t.Errorf("transcript contains %q:\n%s", s, a.body)
				}
			}
		})
	}
}

// TestTranscriptAudit: a supervisor's download is an audited read; the
// assignee's and the customer's are the work itself.
func TestTranscriptAudit(t *testing.T) {
	e := newEnv(t, nil)
	_, v, conv := transcriptConv(t, e)
	sam, alice := e.login("sam"), e.login("alice")
	path := "/api/v1/conversations/" + conv.ID + "/transcript"
	for _, tok := range []string{v.Token, alice.Token, sam.Token} {
		if a := e.do(http.MethodGet, path+"?format=text", tok, nil); a.status != http.StatusOK {
			t.Fatalf("GET: %d %s", a.status, a.body)
		}
	}
	if a := e.do(http.MethodGet, path+"?internal=true", sam.Token, nil); a.status != http.StatusOK {
		t.Fatalf("GET internal: %d %s", a.status, a.body)
	}
	want := []string{"read via=transcript", "read via=transcript internal=true"}
	if got := auditOf(t, e, sam.User.ID, conv.ID); !slices.Equal(got, want) {
		t.Errorf("sam's audited reads = %q, want %q", got, want)
	}
	if got := auditOf(t, e, alice.User.ID, conv.ID); len(got) != 0 {
		t.Errorf("the assignee's download was audited: %q", got)
	}
}

func TestTranscriptAccess(t *testing.T) {
	e := newEnv(t, nil)
	_, v, conv := transcriptConv(t, e)
	other := e.visitor()
	_, _ = e.connect("other", other.Token)
	path := "/api/v1/conversations/" + conv.ID + "/transcript"
	for _, tt := range []struct {
		name, path, token string
		status            int
		code              string
	}{
		{"no token", path, "", 401, protocol.ErrUnauthorized.Code},
		{"another customer", path, other.Token, 404, protocol.ErrNotFound.Code},
		{"the customer asking for internal notes", path + "?internal=true", v.Token, 403, protocol.ErrForbidden.Code},
		{"an agent of another team", path, e.login("bob").Token, 404, protocol.ErrNotFound.Code},
		{"an unknown conversation", "/api/v1/conversations/nope/transcript", v.Token, 404, protocol.ErrNotFound.Code},
		{"a bad format", path + "?format=pdf", v.Token, 400, protocol.ErrInvalid.Code},
		{"a bad language", path + "?lang=fr", v.Token, 400, protocol.ErrInvalid.Code},
		{"a bad internal", path + "?internal=maybe", e.login("sam").Token, 400, protocol.ErrInvalid.Code},
	} {
		a := e.do(http.MethodGet, tt.path, tt.token, nil)
		if a.status != tt.status || a.code() != tt.code {
			t.Errorf("%s: %d %q, want %d %q", tt.name, a.status, a.code(), tt.status, tt.code)
		}
		if bytes.Contains(a.body, []byte("Let me check.")) {
			t.Errorf("%s: the refusal carries the transcript", tt.name)
		}
	}
}

// received is a transcript email as the SMTP server got it, decoded.
type received struct {
	from, to, subject string
	text, html        string
}

func decodeEmail(t *testing.T, data []byte) received {
	t.Helper()
	m, err := mail.ReadMessage(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("read email: %v", err)
	}
	subj, _ := new(mime.WordDecoder).DecodeHeader(m.Header.Get("Subject"))
	r := received{from: m.Header.Get("From"), to: m.Header.Get("To"), subject: subj}
	_, params, err := mime.ParseMediaType(m.Header.Get("Content-Type"))
	if err != nil {
		t.Fatal(err)
	}
	mr := multipart.NewReader(m.Body, params["boundary"])
	for {
		p, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(p)
		switch {
		case strings.HasPrefix(p.Header.Get("Content-Type"), "text/plain"):
			r.text = string(b)
		case strings.HasPrefix(p.Header.Get("Content-Type"), "text/html"):
			r.html = string(b)
		}
	}
	return r
}

func TestTranscriptEmail(t *testing.T) {
	srv := smtptest.Start(t, smtptest.Options{})
	e := newEnv(t, withMailer(t, srv))
	_, v, conv := transcriptConv(t, e)
	path := "/api/v1/conversations/" + conv.ID + "/transcript/email"

	a := e.do(http.MethodPost, path, v.Token, TranscriptEmailRequest{To: "王芳 <wang@example.org>", Lang: "zh"})
	if a.status != http.StatusOK || !strings.Contains(string(a.body), `"to":"wang@example.org"`) {
		t.Fatalf("email: %d %s", a.status, a.body)
	}
	msgs := srv.Messages()
	if len(msgs) != 1 {
		t.Fatalf("SMTP server got %d messages, want 1", len(msgs))
	}
	if msgs[0].From != "support@example.com" || len(msgs[0].To) != 1 || msgs[0].To[0] != "wang@example.org" {
		t.Errorf("envelope from %q to %q", msgs[0].From, msgs[0].To)
	}
	got := decodeEmail(t, msgs[0].Data)
	if got.from != `"Support" <support@example.com>` || !strings.Contains(got.to, "<wang@example.org>") || got.subject != "您的会话记录" {
		t.Errorf("headers From %q To %q Subject %q", got.from, got.to, got.subject)
	}
	if !strings.Contains(got.text, `<script>alert("x")</script> 我的订单`) || !strings.Contains(got.html, "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;") {
		t.Errorf("parts lack the conversation:\n%s\n%s", got.text, got.html)
	}
	for _, part := range []string{got.text, got.html} {
		if strings.Contains(part, transcriptNote) || strings.Contains(part, transcriptWhisper) {
			t.Errorf("email part carries an internal note or whisper:\n%s", part)
		}
	}
	if strings.Contains(got.html, "<script") {
		t.Errorf("the HTML part carries a script:\n%s", got.html)
	}
}

func TestTranscriptEmailRefusals(t *testing.T) {
	srv := smtptest.Start(t, smtptest.Options{})
	e := newEnv(t, withMailer(t, srv))
	_, v, conv := transcriptConv(t, e)
	path := "/api/v1/conversations/" + conv.ID + "/transcript/email"
	other := e.visitor()
	for _, tt := range []struct {
		name   string
		token  string
		body   any
		status int
		code   string
	}{
		{"header injection in to", v.Token, TranscriptEmailRequest{To: "a@example.org\r\nBcc: victim@example.com"}, 400, protocol.ErrInvalid.Code},
		{"header injection in the name", v.Token, TranscriptEmailRequest{To: "\"x\nBcc: victim@example.com\" <a@example.org>"}, 400, protocol.ErrInvalid.Code},
		{"two addresses", v.Token, TranscriptEmailRequest{To: "a@example.org, victim@example.com"}, 400, protocol.ErrInvalid.Code},
		{"not an address", v.Token, TranscriptEmailRequest{To: "nobody"}, 400, protocol.ErrInvalid.Code},
		{"no address and none verified", v.Token, TranscriptEmailRequest{}, 400, protocol.ErrInvalid.Code},
		{"a bad language", v.Token, TranscriptEmailRequest{To: "a@example.org", Lang: "fr"}, 400, protocol.ErrInvalid.Code},
		{"another customer", other.Token, TranscriptEmailRequest{To: "a@example.org"}, 404, protocol.ErrNotFound.Code},
		{"staff", e.login("alice").Token, TranscriptEmailRequest{To: "a@example.org"}, 403, protocol.ErrForbidden.Code},
		{"no token", "", TranscriptEmailRequest{To: "a@example.org"}, 401, protocol.ErrUnauthorized.Code},
		{"malformed body", v.Token, "not json", 400, protocol.ErrMalformed.Code},
	} {
		a := e.do(http.MethodPost, path, tt.token, tt.body)
		if a.status != tt.status || a.code() != tt.code {
			t.Errorf("%s: %d %q, want %d %q (%s)", tt.name, a.status, a.code(), tt.status, tt.code, a.body)
		}
	}
	if got := srv.Messages(); len(got) != 0 {
		t.Errorf("refused requests sent %d emails: %+v", len(got), got)
	}

	// Three an hour per conversation, then rate_limited.
	for i := range 3 {
		if a := e.do(http.MethodPost, path, v.Token, TranscriptEmailRequest{To: "a@example.org"}); a.status != http.StatusOK {
			t.Fatalf("email %d: %d %s", i+1, a.status, a.body)
		}
	}
	a := e.do(http.MethodPost, path, v.Token, TranscriptEmailRequest{To: "a@example.org"})
	if a.status != http.StatusTooManyRequests || a.code() != protocol.ErrRateLimited.Code || a.hdr.Get("Retry-After") == "" {
		t.Errorf("fourth email: %d %q Retry-After %q, want 429 rate_limited with Retry-After", a.status, a.code(), a.hdr.Get("Retry-After"))
	}
	if got := len(srv.Messages()); got != 3 {
		t.Errorf("SMTP server got %d messages, want 3", got)
	}
}

func TestTranscriptEmailToVerifiedAddress(t *testing.T) {
	srv := smtptest.Start(t, smtptest.Options{})
	e := newEnv(t, withMailer(t, srv))
	var v VisitorResponse
	if code, _ := e.post("/api/v1/visitor", VisitorRequest{Identity: identityToken(t, testSecret, "u-7", map[string]string{"email": "zw@example.com"}, 10*time.Minute)}, &v); code != http.StatusOK {
		t.Fatalf("visitor: %d", code)
	}
	c, welcome := e.connect("zw", v.Token)
	if !welcome.TranscriptEmail {
		t.Error("welcome.transcript_email = false with a mailer configured")
	}
	conv := c.open(nil)
	c.sendText(conv.ID, "hello")
	a := e.do(http.MethodPost, "/api/v1/conversations/"+conv.ID+"/transcript/email", v.Token, TranscriptEmailRequest{})
	if a.status != http.StatusOK {
		t.Fatalf("email: %d %s", a.status, a.body)
	}
	if got := srv.Messages(); len(got) != 1 || got[0].To[0] != "zw@example.com" {
		t.Errorf("sent %+v, want one to the verified address", got)
	}
}

func TestTranscriptEmailUnavailable(t *testing.T) {
	e := newEnv(t, nil)
	c, v := e.customer("c")
	_, welcome := e.connect("c2", v.Token)
	if welcome.TranscriptEmail {
		t.Error("welcome.transcript_email = true without a mailer")
	}
	conv := c.open(nil)
	a := e.do(http.MethodPost, "/api/v1/conversations/"+conv.ID+"/transcript/email", v.Token, TranscriptEmailRequest{To: "a@example.org"})
	if a.status != http.StatusNotImplemented || a.code() != protocol.ErrEmailUnavailable.Code {
		t.Errorf("email without SMTP: %d %q, want 501 email_unavailable", a.status, a.code())
	}
}

// TestTranscriptEmailRefusedBySMTP: an SMTP server that refuses the mail
// is a retryable internal error to the customer; nothing was delivered.
func TestTranscriptEmailRefusedBySMTP(t *testing.T) {
	srv := smtptest.Start(t, smtptest.Options{Username: "u", Password: "p"}) // the mailer has no credentials
	e := newEnv(t, withMailer(t, srv))
	_, v, conv := transcriptConv(t, e)
	a := e.do(http.MethodPost, "/api/v1/conversations/"+conv.ID+"/transcript/email", v.Token, TranscriptEmailRequest{To: "a@example.org"})
	var he httpError
	json.Unmarshal(a.body, &he)
	if a.status != http.StatusInternalServerError || he.Error.Code != protocol.ErrInternal.Code || !he.Error.Retryable {
		t.Errorf("refused by SMTP: %d %s, want 500 internal, retryable", a.status, a.body)
	}
	if got := srv.Messages(); len(got) != 0 {
		t.Errorf("delivered %+v", got)
	}
}
