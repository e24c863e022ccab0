package transcript

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"switchboard/protocol"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// base is 2026-03-01 09:30:00 UTC.
var base = time.Date(2026, 3, 1, 9, 30, 0, 0, time.UTC).UnixMilli()

// Secrets that must never reach a customer's transcript.
const (
	secretNote    = "SECRET-NOTE refund fraud suspected"
	secretWhisper = "SECRET-WHISPER offer a coupon"
	secretOffer   = "SECRET-OFFER-AGENT"
	secretAssist  = "SECRET-ASSIST"
)

func msg(seq int64, role, name, kind, vis, text string) protocol.Message {
	return protocol.Message{ConversationID: "c-1", Seq: seq, ClientMsgID: "m", Sender: protocol.Sender{Role: role, Name: name},
		Kind: kind, Visibility: vis, Text: text, CreatedAt: base + seq*61_000}
}

func event(seq int64, vis string, e protocol.Event) protocol.Message {
	m := msg(seq, protocol.RoleSystem, "", protocol.KindEvent, vis, "")
	m.Event = &e
	return m
}

// fixture is a conversation with hostile text, every kind of message, and
// internal notes, whispers and internal events to leave out.
func fixture() (Conversation, []protocol.Message) {
	pub, internal, whisper := protocol.VisibilityPublic, protocol.VisibilityInternal, protocol.VisibilityWhisper
	file := msg(9, protocol.RoleCustomer, "", protocol.KindFile, pub, "")
	file.Attachment = &protocol.Attachment{ID: "f1", Name: `invoice "<b>March</b>".pdf`, Size: 2_621_440, MIME: "application/pdf"}
	img := msg(10, protocol.RoleAgent, "Li Lei", protocol.KindImage, pub, "")
	img.Attachment = &protocol.Attachment{ID: "f2", Name: "screen.png", Size: 900, MIME: "image/png"}
	card := msg(11, protocol.RoleAgent, "Li Lei", protocol.KindCard, pub, "")
	card.Card = &protocol.Card{Type: "order_status", Version: 1, Data: []byte(`{"order":"<x>"}`), Fallback: "Order #A-1: shipped <today>"}
	bare := msg(12, protocol.RoleBot, "", protocol.KindCard, pub, "")
	bare.Card = &protocol.Card{Type: "rating", Version: 1, Data: []byte(`{}`)}
	msgs := []protocol.Message{
		event(1, pub, protocol.Event{Type: protocol.EventOpened}),
		msg(2, protocol.RoleCustomer, "", protocol.KindText, pub, "<script>alert('x')</script> & \"quotes\" 'single'"),
		msg(3, protocol.RoleBot, "", protocol.KindText, pub, "你好！请问有什么可以帮您？ 😀👍🏽"),
		event(4, pub, protocol.Event{Type: protocol.EventHandoff}),
		event(5, internal, protocol.Event{Type: protocol.EventOffered, Reason: secretOffer}),
		event(6, pub, protocol.Event{Type: protocol.EventAssigned, Actor: "Li Lei"}),
		msg(7, protocol.RoleAgent, "Li Lei", protocol.KindText, internal, secretNote),
		msg(8, protocol.RoleSupervisor, "Boss", protocol.KindText, whisper, secretWhisper),
		file, img, card, bare,
		msg(13, protocol.RoleCustomer, "", protocol.KindText, pub, "עברית \u202eRTL override\u202c مرحبا\nsecond line\x1b[31m red\r\nthird"),
		msg(14, protocol.RoleCustomer, "", protocol.KindText, pub, strings.Repeat("long-", 60)+"end"),
		event(15, internal, protocol.Event{Type: protocol.EventAssistRaised, Actor: secretAssist}),
		// An internal event type stored as public by mistake stays out too.
		event(16, pub, protocol.Event{Type: protocol.EventDeclined, Actor: secretOffer}),
		event(17, pub, protocol.Event{Type: "some_future_event", Actor: secretOffer}),
		event(18, pub, protocol.Event{Type: protocol.EventJoined, Actor: "Boss"}),
		event(19, pub, protocol.Event{Type: protocol.EventResolved, Actor: "Li Lei"}),
		event(20, pub, protocol.Event{Type: protocol.EventRated, Reason: "5"}),
	}
	return Conversation{ID: "c0ffee12-3456-7890-abcd-ef0123456789", CreatedAt: base}, msgs
}

func TestGolden(t *testing.T) {
	shanghai, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	c, msgs := fixture()
	tests := []struct {
		name   string
		format string
		opts   Options
	}{
		{"customer-en.html", FormatHTML, Options{Lang: LangEN}},
		{"customer-en.txt", FormatText, Options{Lang: LangEN}},
		{"customer-zh.html", FormatHTML, Options{Lang: LangZH, Location: shanghai}},
		{"customer-zh.txt", FormatText, Options{Lang: LangZH, Location: shanghai}},
		{"internal-en.html", FormatHTML, Options{Lang: LangEN, Internal: true}},
		{"internal-zh.txt", FormatText, Options{Lang: LangZH, Internal: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Render(tt.format, c, msgs, tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			path := filepath.Join("testdata", tt.name+".golden")
			if *update {
				if err := os.WriteFile(path, got.Body, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run with -update to write it)", err)
			}
			if !bytes.Equal(got.Body, want) {
				t.Errorf("Render(%s, %+v) differs from %s:\n%s", tt.format, tt.opts, path, got.Body)
			}
		})
	}
}

func TestCustomerTranscriptLeavesOutInternal(t *testing.T) {
	c, msgs := fixture()
	for _, lang := range []string{LangZH, LangEN} {
		for _, format := range []string{FormatHTML, FormatText} {
			got, err := Render(format, c, msgs, Options{Lang: lang})
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range []string{"SECRET", "some_future_event", en.internal, zh.internal + "]"} {
				if bytes.Contains(got.Body, []byte(s)) {
					t.Errorf("Render(%s, %s) contains %q:\n%s", format, lang, s, got.Body)
				}
			}
		}
	}
}

func TestInternalExportMarksNotesAndLeavesOutWhispers(t *testing.T) {
	c, msgs := fixture()
	for _, format := range []string{FormatHTML, FormatText} {
		got, err := Render(format, c, msgs, Options{Lang: LangEN, Internal: true})
		if err != nil {
			t.Fatal(err)
		}
		body := string(got.Body)
		for _, s := range []string{secretNote, secretOffer, "Assistance requested."} {
			if !strings.Contains(body, s) {
				t.Errorf("internal %s export lacks %q", format, s)
			}
		}
		if strings.Contains(body, secretWhisper) {
			t.Errorf("internal %s export contains the whisper", format)
		}
	}
	text, _ := Render(FormatText, c, msgs, Options{Lang: LangEN, Internal: true})
	if !strings.Contains(string(text.Body), "[Internal] Agent · Li Lei:\n    "+secretNote) {
		t.Errorf("the note is not marked internal:\n%s", text.Body)
	}
}

func TestHTMLIsEscapedAndSelfContained(t *testing.T) {
	c, msgs := fixture()
	for _, lang := range []string{LangZH, LangEN} {
		got, err := Render(FormatHTML, c, msgs, Options{Lang: lang, Internal: true})
		if err != nil {
			t.Fatal(err)
		}
		body := string(got.Body)
		for _, bad := range []string{"<script", "<b>", "<x>", "<today>", "src=", "href=", "<link", "url(", "@import", "\x1b", "\u202e"} {
			if strings.Contains(body, bad) {
				t.Errorf("HTML (%s) contains %q", lang, bad)
			}
		}
		for _, want := range []string{"&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &#34;quotes&#34;", "&lt;b&gt;March&lt;/b&gt;", "😀👍🏽", "עברית", `dir="auto"`} {
			if !strings.Contains(body, want) {
				t.Errorf("HTML (%s) lacks %q", lang, want)
			}
		}
		if got.ContentType != "text/html; charset=utf-8" {
			t.Errorf("ContentType = %q", got.ContentType)
		}
	}
}

func TestRenderRefusesUnknownFormat(t *testing.T) {
	c, msgs := fixture()
	if _, err := Render("pdf", c, msgs, Options{}); err == nil {
		t.Error("Render(pdf) = nil error, want one")
	}
}

func TestEmptyConversation(t *testing.T) {
	got, err := Render(FormatText, Conversation{ID: "c", CreatedAt: base}, nil, Options{Lang: LangZH})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(got.Body), zh.empty) {
		t.Errorf("empty transcript lacks %q:\n%s", zh.empty, got.Body)
	}
}

func TestFilename(t *testing.T) {
	shanghai, _ := time.LoadLocation("Asia/Shanghai")
	late := time.Date(2026, 3, 1, 20, 0, 0, 0, time.UTC).UnixMilli()
	tests := []struct {
		name   string
		c      Conversation
		format string
		loc    *time.Location
		want   string
	}{
		{"uuid", Conversation{ID: "c0ffee12-3456", CreatedAt: base}, FormatHTML, nil, "transcript-20260301-c0ffee12.html"},
		{"text", Conversation{ID: "abc", CreatedAt: base}, FormatText, nil, "transcript-20260301-abc.txt"},
		{"zone moves the date", Conversation{ID: "abc", CreatedAt: late}, FormatText, shanghai, "transcript-20260302-abc.txt"},
		{"hostile id", Conversation{ID: "../\"a;b\r\n会话x", CreatedAt: base}, FormatHTML, nil, "transcript-20260301-abx.html"},
		{"no usable id", Conversation{ID: "会话", CreatedAt: base}, FormatHTML, nil, "transcript-20260301.html"},
	}
	for _, tt := range tests {
		if got := Filename(tt.c, tt.format, tt.loc); got != tt.want {
			t.Errorf("%s: Filename(%q) = %q, want %q", tt.name, tt.c.ID, got, tt.want)
		}
	}
}

func TestParseLangAndGuessLang(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want string
		ok   bool
	}{{"zh", LangZH, true}, {"zh-CN", LangZH, true}, {"EN-us", LangEN, true}, {"zh_TW", LangZH, true}, {"fr", "", false}, {"", "", false}} {
		if got, ok := ParseLang(tt.in); got != tt.want || ok != tt.ok {
			t.Errorf("ParseLang(%q) = %q, %v, want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
	_, msgs := fixture()
	if got := GuessLang(msgs); got != LangEN {
		t.Errorf("GuessLang(fixture) = %q, want en (the customer wrote English first)", got)
	}
	zhMsgs := []protocol.Message{msg(1, protocol.RoleBot, "", protocol.KindText, protocol.VisibilityPublic, "hello"),
		msg(2, protocol.RoleCustomer, "", protocol.KindText, protocol.VisibilityPublic, "我要退货")}
	if got := GuessLang(zhMsgs); got != LangZH {
		t.Errorf("GuessLang(chinese customer) = %q, want zh", got)
	}
}

func TestFormatSize(t *testing.T) {
	for _, tt := range []struct {
		n    int64
		want string
	}{{0, "0 B"}, {1023, "1023 B"}, {1024, "1.0 KB"}, {2_621_440, "2.5 MB"}, {5 << 30, "5.0 GB"}} {
		if got := formatSize(tt.n); got != tt.want {
			t.Errorf("formatSize(%d) = %q, want %q", tt.n, got, tt.want)
		}
	}
}
