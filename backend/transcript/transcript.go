// Package transcript renders a conversation for the people in it: as plain
// text and as a self-contained HTML document, in Chinese or English, and
// sends it by email (Mailer).
//
// What a customer's transcript holds is decided here, not by the caller:
// whispers never appear, internal notes and internal events (offers,
// assist requests) only when Options.Internal asks for them (the agents'
// export), attachments as their names and sizes, cards as their fallback
// text. The output depends on its inputs only, so it can be compared with
// golden files.
package transcript

import (
	"fmt"
	"strings"
	"time"
	"unicode"

	"switchboard/protocol"
)

// Formats of a transcript.
const (
	FormatHTML = "html"
	FormatText = "text"
)

// Languages of a transcript.
const (
	LangZH = "zh"
	LangEN = "en"
)

// Conversation is what a transcript says about the conversation itself.
type Conversation struct {
	ID        string
	CreatedAt int64 // unix milliseconds
}

// Options choose what a transcript shows and how.
type Options struct {
	// Lang is LangZH or LangEN (anything else means LangEN).
	Lang string
	// Location is the time zone of the times shown, named in the
	// transcript; nil means UTC.
	Location *time.Location
	// Internal includes internal notes and internal events, marked as
	// such: for staff only. Whispers are left out regardless.
	Internal bool
}

// Transcript is a rendered transcript.
type Transcript struct {
	// Body is the document: UTF-8 text or HTML.
	Body []byte
	// ContentType is its media type with charset.
	ContentType string
	// Filename is a safe file name: the conversation's date and short id.
	Filename string
}

// Render renders c and its messages (in seq order) in format (FormatHTML
// or FormatText).
func Render(format string, c Conversation, msgs []protocol.Message, o Options) (Transcript, error) {
	d := build(c, msgs, o)
	switch format {
	case FormatText:
		return Transcript{Body: renderText(d), ContentType: "text/plain; charset=utf-8", Filename: Filename(c, FormatText, o.Location)}, nil
	case FormatHTML:
		b, err := renderHTML(d)
		if err != nil {
			return Transcript{}, err
		}
		return Transcript{Body: b, ContentType: "text/html; charset=utf-8", Filename: Filename(c, FormatHTML, o.Location)}, nil
	}
	return Transcript{}, fmt.Errorf("transcript format %q: want html or text", format)
}

// Filename is the file name of c's transcript in format: "transcript-",
// the conversation's date in loc (nil: UTC), its id's first eight letters
// or digits, and the extension. It holds nothing but ASCII letters,
// digits, '-' and '.'.
func Filename(c Conversation, format string, loc *time.Location) string {
	if loc == nil {
		loc = time.UTC
	}
	var short strings.Builder
	for _, r := range c.ID {
		if short.Len() == 8 {
			break
		}
		if r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
			short.WriteRune(r)
		}
	}
	ext := ".html"
	if format == FormatText {
		ext = ".txt"
	}
	name := "transcript-" + time.UnixMilli(c.CreatedAt).In(loc).Format("20060102")
	if short.Len() > 0 {
		name += "-" + short.String()
	}
	return name + ext
}

// GuessLang is the language of a conversation's customer: LangZH when
// their first message with text has Chinese characters, else LangEN.
func GuessLang(msgs []protocol.Message) string {
	for _, m := range msgs {
		if m.Sender.Role != protocol.RoleCustomer || m.Kind != protocol.KindText || strings.TrimSpace(m.Text) == "" {
			continue
		}
		for _, r := range m.Text {
			if unicode.Is(unicode.Han, r) {
				return LangZH
			}
		}
		return LangEN
	}
	return LangEN
}

// ParseLang maps a language tag ("zh", "zh-CN", "en-US") onto LangZH or
// LangEN; ok is false for any other.
func ParseLang(tag string) (lang string, ok bool) {
	base, _, _ := strings.Cut(strings.ToLower(strings.TrimSpace(tag)), "-")
	base, _, _ = strings.Cut(base, "_")
	switch base {
	case LangZH:
		return LangZH, true
	case LangEN:
		return LangEN, true
	}
	return "", false
}

// internalEvents are the event types that are internal whatever their
// stored visibility says: they tell of staff's work, not the customer's
// conversation.
var internalEvents = map[string]bool{
	protocol.EventOffered:           true,
	protocol.EventDeclined:          true,
	protocol.EventOfferExpired:      true,
	protocol.EventTransferRequested: true,
	protocol.EventAssistRaised:      true,
	protocol.EventAssistAnswered:    true,
	protocol.EventAssistLowered:     true,
}

// entry kinds.
const (
	entryMessage = "message"
	entryEvent   = "event"
)

// entry is one line (or block) of a transcript.
type entry struct {
	Kind string
	Time string
	// Role is customer, bot, agent or system: the CSS class of the line.
	Role string
	// Sender labels a message ("Agent · Li Lei").
	Sender string
	// Text is the message's text or the event's sentence.
	Text string
	// Attachment is "name (size)" with its kind's label, "" for none.
	Attachment string
	// Internal marks an internal note or event (Options.Internal only).
	Internal bool
}

// doc is a transcript before rendering.
type doc struct {
	Lang     string
	Title    string
	Meta     []string
	Entries  []entry
	Empty    string
	Internal string // the label of internal lines
}

func build(c Conversation, msgs []protocol.Message, o Options) doc {
	w := words(o.Lang)
	loc := o.Location
	if loc == nil {
		loc = time.UTC
	}
	d := doc{Lang: w.lang, Title: w.title, Empty: w.empty, Internal: w.internal}
	d.Meta = []string{
		w.conversation + c.ID,
		w.started + formatTime(w, time.UnixMilli(c.CreatedAt).In(loc)),
		w.zone + zoneName(loc),
	}
	for _, m := range msgs {
		internal := m.Visibility != protocol.VisibilityPublic
		if m.Visibility == protocol.VisibilityWhisper || m.Visibility == "" {
			continue
		}
		if m.Kind == protocol.KindEvent && m.Event != nil && internalEvents[m.Event.Type] {
			internal = true
		}
		if internal && !o.Internal {
			continue
		}
		e := entry{Time: formatTime(w, time.UnixMilli(m.CreatedAt).In(loc)), Internal: internal}
		if m.Kind == protocol.KindEvent {
			if m.Event == nil {
				continue
			}
			text, ok := w.event(*m.Event)
			if !ok {
				continue
			}
			e.Kind, e.Role, e.Text = entryEvent, "system", text
			d.Entries = append(d.Entries, e)
			continue
		}
		e.Kind = entryMessage
		e.Role, e.Sender = w.sender(m.Sender)
		switch m.Kind {
		case protocol.KindCard:
			e.Text = w.card
			if m.Card != nil && strings.TrimSpace(m.Card.Fallback) != "" {
				e.Text = m.Card.Fallback
			}
		case protocol.KindImage, protocol.KindFile, protocol.KindVoice:
			e.Text = m.Text
			if a := m.Attachment; a != nil {
				e.Attachment = w.attachment(m.Kind) + a.Name + " (" + formatSize(a.Size) + ")"
			} else {
				e.Attachment = w.attachment(m.Kind)
			}
		default:
			e.Text = m.Text
		}
		d.Entries = append(d.Entries, e)
	}
	return d
}

// zoneName names loc by its IANA name ("UTC", "Asia/Shanghai"): its offset
// depends on the date, so the name says more than one offset would.
func zoneName(loc *time.Location) string {
	return loc.String()
}

func formatTime(w lexicon, t time.Time) string {
	if w.lang == LangZH {
		return fmt.Sprintf("%d年%d月%d日 %s", t.Year(), int(t.Month()), t.Day(), t.Format("15:04:05"))
	}
	return t.Format("2 Jan 2006 15:04:05")
}

// formatSize is a byte count for people: B, KB, MB or GB (powers of 1024),
// one decimal above bytes.
func formatSize(n int64) string {
	if n < 1024 {
		return fmt.Sprintf("%d B", n)
	}
	units := []string{"KB", "MB", "GB", "TB"}
	v := float64(n) / 1024
	i := 0
	for v >= 1024 && i < len(units)-1 {
		v /= 1024
		i++
	}
	return fmt.Sprintf("%.1f %s", v, units[i])
}
