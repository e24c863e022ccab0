package transcript

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/hex"
	"errors"
	"fmt"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"net/smtp"
	"net/textproto"
	"strconv"
	"strings"
	"time"
)

// TLS modes of SMTPConfig.TLS.
const (
	// TLSStartTLS connects in plain text and upgrades with STARTTLS, which
	// the server must offer (port 587): the default.
	TLSStartTLS = "starttls"
	// TLSImplicit speaks TLS from the first byte (port 465).
	TLSImplicit = "tls"
	// TLSNone sends in plain text: for a relay on the same host or network
	// only. Credentials are never sent without TLS (but to localhost).
	TLSNone = "none"
)

// SMTPConfig says how to send mail.
type SMTPConfig struct {
	// Host and Port are the SMTP server's (port 0: 587, or 465 with
	// TLSImplicit).
	Host string
	Port int
	// Username and Password authenticate with AUTH PLAIN; empty Username
	// sends without authentication.
	Username string
	Password string
	// From is the sender's address, with an optional display name
	// ("Support <support@example.com>").
	From string
	// TLS is TLSStartTLS (""), TLSImplicit or TLSNone.
	TLS string
	// TLSConfig overrides the TLS settings (nil: the system's roots,
	// ServerName Host).
	TLSConfig *tls.Config
	// Timeout bounds one send (30s).
	Timeout time.Duration
}

// Mailer sends transcripts by email.
type Mailer struct {
	cfg  SMTPConfig
	from *mail.Address
}

// NewMailer checks cfg and fills its defaults.
func NewMailer(cfg SMTPConfig) (*Mailer, error) {
	if cfg.Host == "" {
		return nil, errors.New("smtp: host is required")
	}
	if strings.ContainsAny(cfg.Host, " \r\n/") {
		return nil, fmt.Errorf("smtp: host %q is not a host name", cfg.Host)
	}
	switch cfg.TLS {
	case "":
		cfg.TLS = TLSStartTLS
	case TLSStartTLS, TLSImplicit, TLSNone:
	default:
		return nil, fmt.Errorf("smtp: tls mode %q: want starttls, tls or none", cfg.TLS)
	}
	if cfg.Port == 0 {
		cfg.Port = 587
		if cfg.TLS == TLSImplicit {
			cfg.Port = 465
		}
	}
	if cfg.Port < 0 || cfg.Port > 65535 {
		return nil, fmt.Errorf("smtp: port %d out of range", cfg.Port)
	}
	from, err := ParseAddress(cfg.From)
	if err != nil {
		return nil, fmt.Errorf("smtp: from: %w", err)
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 30 * time.Second
	}
	return &Mailer{cfg: cfg, from: from}, nil
}

// ErrBadAddress is an email address that cannot be used.
var ErrBadAddress = errors.New("not a valid email address")

// ParseAddress parses one email address with an optional display name,
// refusing line breaks and other control characters (they would let the
// address write headers of its own) and addresses longer than 254 bytes.
func ParseAddress(s string) (*mail.Address, error) {
	if s == "" || len(s) > 320 || strings.ContainsFunc(s, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
		return nil, ErrBadAddress
	}
	a, err := mail.ParseAddress(s)
	if err != nil || len(a.Address) > 254 || !strings.Contains(a.Address, "@") {
		return nil, ErrBadAddress
	}
	return a, nil
}

// Email is one message to send.
type Email struct {
	To      *mail.Address
	Subject string
	Text    []byte
	HTML    []byte
	// Date is the message's date (zero: now).
	Date time.Time
}

// Compose writes e from from as a MIME message: headers, then a
// multipart/alternative body with the text part first and the HTML part
// second, both quoted-printable UTF-8. The subject is encoded, the
// addresses formatted by net/mail: nothing given can add a header.
func Compose(from *mail.Address, e Email) ([]byte, error) {
	if e.To == nil || from == nil {
		return nil, ErrBadAddress
	}
	if e.Date.IsZero() {
		e.Date = time.Now()
	}
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for _, p := range []struct {
		typ     string
		content []byte
	}{{"text/plain; charset=utf-8", e.Text}, {"text/html; charset=utf-8", e.HTML}} {
		w, err := mw.CreatePart(textproto.MIMEHeader{
			"Content-Type":              {p.typ},
			"Content-Transfer-Encoding": {"quoted-printable"},
		})
		if err != nil {
			return nil, err
		}
		qp := quotedprintable.NewWriter(w)
		if _, err := qp.Write(p.content); err != nil {
			return nil, err
		}
		if err := qp.Close(); err != nil {
			return nil, err
		}
	}
	if err := mw.Close(); err != nil {
		return nil, err
	}
	id := make([]byte, 16)
	_, _ = rand.Read(id)
	domain := from.Address[strings.LastIndexByte(from.Address, '@')+1:]
	subject := strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return ' '
		}
		return r
	}, e.Subject)
	var msg bytes.Buffer
	hdr := [][2]string{
		{"From", from.String()},
		{"To", e.To.String()},
		{"Subject", mime.QEncoding.Encode("utf-8", subject)},
		{"Date", e.Date.Format(time.RFC1123Z)},
		{"Message-ID", "<" + hex.EncodeToString(id) + "@" + domain + ">"},
		{"MIME-Version", "1.0"},
		{"Content-Type", `multipart/alternative; boundary="` + mw.Boundary() + `"`},
		{"Auto-Submitted", "auto-generated"},
	}
	for _, h := range hdr {
		msg.WriteString(h[0] + ": " + h[1] + "\r\n")
	}
	msg.WriteString("\r\n")
	msg.Write(body.Bytes())
	return msg.Bytes(), nil
}

// Send delivers e through the configured SMTP server.
func (m *Mailer) Send(ctx context.Context, e Email) error {
	msg, err := Compose(m.from, e)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, m.cfg.Timeout)
	defer cancel()
	addr := net.JoinHostPort(m.cfg.Host, strconv.Itoa(m.cfg.Port))
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return fmt.Errorf("smtp dial %s: %w", addr, err)
	}
	defer conn.Close()
	if dl, ok := ctx.Deadline(); ok {
		_ = conn.SetDeadline(dl)
	}
	tc := m.tlsConfig()
	if m.cfg.TLS == TLSImplicit {
		conn = tls.Client(conn, tc)
	}
	c, err := smtp.NewClient(conn, m.cfg.Host)
	if err != nil {
		return fmt.Errorf("smtp greeting %s: %w", addr, err)
	}
	defer c.Close()
	if err := c.Hello("localhost"); err != nil {
		return fmt.Errorf("smtp hello: %w", err)
	}
	if m.cfg.TLS == TLSStartTLS {
		if ok, _ := c.Extension("STARTTLS"); !ok {
			return errors.New("smtp: the server does not offer STARTTLS")
		}
		if err := c.StartTLS(tc); err != nil {
			return fmt.Errorf("smtp starttls: %w", err)
		}
	}
	if m.cfg.Username != "" {
		// PlainAuth refuses to send the password unencrypted except to
		// localhost.
		if err := c.Auth(smtp.PlainAuth("", m.cfg.Username, m.cfg.Password, m.cfg.Host)); err != nil {
			return fmt.Errorf("smtp auth: %w", err)
		}
	}
	if err := c.Mail(m.from.Address); err != nil {
		return fmt.Errorf("smtp mail from: %w", err)
	}
	if err := c.Rcpt(e.To.Address); err != nil {
		return fmt.Errorf("smtp rcpt to: %w", err)
	}
	w, err := c.Data()
	if err != nil {
		return fmt.Errorf("smtp data: %w", err)
	}
	if _, err := w.Write(msg); err != nil {
		return fmt.Errorf("smtp data: %w", err)
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("smtp data: %w", err)
	}
	return c.Quit()
}

func (m *Mailer) tlsConfig() *tls.Config {
	if m.cfg.TLSConfig != nil {
		tc := m.cfg.TLSConfig.Clone()
		if tc.ServerName == "" {
			tc.ServerName = m.cfg.Host
		}
		return tc
	}
	return &tls.Config{ServerName: m.cfg.Host, MinVersion: tls.VersionTLS12}
}

// Subject is the subject of a transcript email in lang.
func Subject(lang string) string {
	return words(lang).subject
}
