package transcript_test

import (
	"context"
	"crypto/tls"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/mail"
	"strings"
	"testing"
	"time"

	"switchboard/backend/transcript"
	"switchboard/backend/transcript/smtptest"
)

// parsed is a received transcript email, decoded.
type parsed struct {
	hdr  mail.Header
	subj string
	text string
	html string
}

func parse(t *testing.T, data []byte) parsed {
	t.Helper()
	m, err := mail.ReadMessage(strings.NewReader(string(data)))
	if err != nil {
		t.Fatalf("read message: %v\n%s", err, data)
	}
	subj, err := new(mime.WordDecoder).DecodeHeader(m.Header.Get("Subject"))
	if err != nil {
		t.Fatal(err)
	}
	typ, params, err := mime.ParseMediaType(m.Header.Get("Content-Type"))
	if err != nil || typ != "multipart/alternative" {
		t.Fatalf("Content-Type = %q (%v), want multipart/alternative", m.Header.Get("Content-Type"), err)
	}
	p := parsed{hdr: m.Header, subj: subj}
	mr := multipart.NewReader(m.Body, params["boundary"])
	var types []string
	for {
		part, err := mr.NextPart() // decodes quoted-printable
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(part)
		if err != nil {
			t.Fatal(err)
		}
		ct := part.Header.Get("Content-Type")
		types = append(types, ct)
		switch {
		case strings.HasPrefix(ct, "text/plain"):
			p.text = string(b)
		case strings.HasPrefix(ct, "text/html"):
			p.html = string(b)
		}
	}
	if len(types) != 2 || !strings.HasPrefix(types[0], "text/plain") || !strings.HasPrefix(types[1], "text/html") {
		t.Fatalf("parts = %q, want text/plain then text/html", types)
	}
	return p
}

func TestMailerSendsOverStartTLSWithAuth(t *testing.T) {
	srv := smtptest.Start(t, smtptest.Options{Username: "mailer", Password: "s3cret", StartTLS: true})
	m, err := transcript.NewMailer(transcript.SMTPConfig{Host: srv.Host, Port: srv.Port, Username: "mailer", Password: "s3cret",
		From: "Support 客服 <support@example.com>", TLSConfig: roots(srv)})
	if err != nil {
		t.Fatal(err)
	}
	to, err := transcript.ParseAddress("王芳 <wang@example.org>")
	if err != nil {
		t.Fatal(err)
	}
	date := time.Date(2026, 3, 1, 9, 30, 0, 0, time.UTC)
	err = m.Send(context.Background(), transcript.Email{To: to, Subject: transcript.Subject(transcript.LangZH),
		Text: []byte("会话记录\n<script>x</script> " + strings.Repeat("长", 200)), HTML: []byte("<p>会话记录 &lt;script&gt;</p>"), Date: date})
	if err != nil {
		t.Fatal(err)
	}
	got := srv.Messages()
	if len(got) != 1 {
		t.Fatalf("server received %d messages, want 1", len(got))
	}
	rcv := got[0]
	if rcv.From != "support@example.com" || len(rcv.To) != 1 || rcv.To[0] != "wang@example.org" || rcv.Auth != "mailer" || !rcv.TLS {
		t.Errorf("envelope = from %q to %q auth %q tls %v", rcv.From, rcv.To, rcv.Auth, rcv.TLS)
	}
	p := parse(t, rcv.Data)
	from, err := p.hdr.AddressList("From")
	if err != nil || len(from) != 1 || from[0].Address != "support@example.com" || from[0].Name != "Support 客服" {
		t.Errorf("From = %v (%v)", from, err)
	}
	to2, err := p.hdr.AddressList("To")
	if err != nil || len(to2) != 1 || to2[0].Address != "wang@example.org" || to2[0].Name != "王芳" {
		t.Errorf("To = %v (%v)", to2, err)
	}
	if p.subj != "您的会话记录" {
		t.Errorf("Subject = %q", p.subj)
	}
	if d, err := p.hdr.Date(); err != nil || !d.Equal(date) {
		t.Errorf("Date = %v (%v), want %v", d, err, date)
	}
	if !strings.Contains(p.text, "<script>x</script> "+strings.Repeat("长", 200)) || p.html != "<p>会话记录 &lt;script&gt;</p>" {
		t.Errorf("parts = %q / %q", p.text, p.html)
	}
}

func roots(srv *smtptest.Server) *tls.Config { return &tls.Config{RootCAs: srv.Roots} }

func TestMailerWithoutTLS(t *testing.T) {
	srv := smtptest.Start(t, smtptest.Options{})
	m, err := transcript.NewMailer(transcript.SMTPConfig{Host: srv.Host, Port: srv.Port, From: "support@example.com", TLS: transcript.TLSNone})
	if err != nil {
		t.Fatal(err)
	}
	to, _ := transcript.ParseAddress("a@example.org")
	if err := m.Send(context.Background(), transcript.Email{To: to, Subject: "s", Text: []byte("t"), HTML: []byte("h")}); err != nil {
		t.Fatal(err)
	}
	if got := srv.Messages(); len(got) != 1 || got[0].TLS || got[0].To[0] != "a@example.org" {
		t.Errorf("received %+v", got)
	}
}

func TestMailerRefusesStartTLSMissing(t *testing.T) {
	srv := smtptest.Start(t, smtptest.Options{}) // offers no STARTTLS
	m, err := transcript.NewMailer(transcript.SMTPConfig{Host: srv.Host, Port: srv.Port, From: "support@example.com"})
	if err != nil {
		t.Fatal(err)
	}
	to, _ := transcript.ParseAddress("a@example.org")
	if err := m.Send(context.Background(), transcript.Email{To: to, Subject: "s"}); err == nil || !strings.Contains(err.Error(), "STARTTLS") {
		t.Errorf("Send without STARTTLS offered = %v, want an error naming STARTTLS", err)
	}
	if got := srv.Messages(); len(got) != 0 {
		t.Errorf("a message was sent in plain text: %+v", got)
	}
}

func TestParseAddressRefusesInjection(t *testing.T) {
	bad := []string{
		"", "not-an-address", "a@example.org\r\nBcc: victim@example.com", "a@example.org\nBcc: v@example.com",
		"\"x\r\nBcc: v@example.com\" <a@example.org>", "a@example.org, b@example.org", "a@example.org\x00",
		strings.Repeat("a", 250) + "@example.org",
	}
	for _, s := range bad {
		if a, err := transcript.ParseAddress(s); !errors.Is(err, transcript.ErrBadAddress) {
			t.Errorf("ParseAddress(%q) = %v, %v, want ErrBadAddress", s, a, err)
		}
	}
	for _, s := range []string{"a@example.org", "Wang Fang <wang@example.org>", "王芳 <wang@example.org>"} {
		if _, err := transcript.ParseAddress(s); err != nil {
			t.Errorf("ParseAddress(%q) = %v", s, err)
		}
	}
}

func TestComposeSubjectCannotAddHeaders(t *testing.T) {
	from, _ := transcript.ParseAddress("support@example.com")
	to, _ := transcript.ParseAddress("a@example.org")
	b, err := transcript.Compose(from, transcript.Email{To: to, Subject: "Hi\r\nBcc: victim@example.com\r\n\r\nbody", Text: []byte("t"), HTML: []byte("h")})
	if err != nil {
		t.Fatal(err)
	}
	p := parse(t, b)
	if v := p.hdr.Get("Bcc"); v != "" {
		t.Errorf("the subject added Bcc: %q", v)
	}
	if strings.ContainsAny(p.subj, "\r\n") || !strings.Contains(p.subj, "Bcc: victim") {
		t.Errorf("Subject = %q, want it on one line", p.subj)
	}
}

func TestNewMailerChecksConfig(t *testing.T) {
	for _, c := range []transcript.SMTPConfig{
		{From: "a@example.org"},
		{Host: "smtp.example.org"},
		{Host: "smtp.example.org", From: "a@example.org\r\nBcc: b@example.org"},
		{Host: "smtp.example.org", From: "a@example.org", TLS: "ssl3"},
		{Host: "smtp.example.org", From: "a@example.org", Port: 70000},
		{Host: "smtp.example.org\r\n", From: "a@example.org"},
	} {
		if _, err := transcript.NewMailer(c); err == nil {
			t.Errorf("NewMailer(%+v) = nil error, want one", c)
		}
	}
}
