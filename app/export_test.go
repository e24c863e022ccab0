package app_test

import (
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"switchboard/protocol"
)

// TestExportTranscript exports a conversation's transcript from the real
// server through the save dialog: the agent's reply always, the internal
// note only when asked for, marked.
func TestExportTranscript(t *testing.T) {
	rs := startRealServer(t)
	f := startApp(t, rs, t.TempDir(), http.DefaultTransport)
	f.accept(t, rs.convID)
	if _, err := f.a.SendNote(rs.convID, "", "NOTE: refund approved <b>internally</b>"); err != nil {
		t.Fatalf("SendNote: %v", err)
	}

	dest := filepath.Join(t.TempDir(), "saved.txt")
	f.p.saveTo = dest
	got, err := f.a.ExportTranscript(rs.convID, "text", "en", false)
	if err != nil || got.Path != dest || got.Bytes == 0 {
		t.Fatalf("ExportTranscript(text) = %+v, %v", got, err)
	}
	if !regexp.MustCompile(`^transcript-\d{8}-[0-9a-f]{8}\.txt$`).MatchString(f.p.saveName) {
		t.Errorf("the save dialog proposed %q, want the server's transcript-DATE-ID.txt", f.p.saveName)
	}
	b, _ := os.ReadFile(dest)
	if !strings.Contains(string(b), "Conversation transcript") || !strings.Contains(string(b), "I need a person") {
		t.Errorf("exported text lacks the conversation:\n%s", b)
	}
	if strings.Contains(string(b), "refund approved") {
		t.Errorf("the export without internal notes has the note:\n%s", b)
	}

	dest = filepath.Join(t.TempDir(), "saved.html")
	f.p.saveTo = dest
	if _, err := f.a.ExportTranscript(rs.convID, "html", "zh", true); err != nil {
		t.Fatalf("ExportTranscript(html, internal) = %v", err)
	}
	b, _ = os.ReadFile(dest)
	for _, want := range []string{"会话记录", "内部", "NOTE: refund approved &lt;b&gt;internally&lt;/b&gt;"} {
		if !strings.Contains(string(b), want) {
			t.Errorf("the internal export lacks %q:\n%s", want, b)
		}
	}
	if _, err := os.Stat(dest + ".part"); !os.IsNotExist(err) {
		t.Errorf("the .part file is left: %v", err)
	}

	// A cancelled dialog saves nothing and is no error.
	f.p.saveTo = ""
	if got, err := f.a.ExportTranscript(rs.convID, "html", "en", false); err != nil || got.Path != "" {
		t.Errorf("cancelled ExportTranscript = %+v, %v, want nothing", got, err)
	}
}

func TestExportTranscriptRefusals(t *testing.T) {
	rs := startRealServer(t)
	f := startApp(t, rs, t.TempDir(), http.DefaultTransport)
	f.p.saveTo = filepath.Join(t.TempDir(), "never.html")
	for _, tt := range []struct {
		name, id, format, lang string
		code                   string
	}{
		{"bad format", rs.convID, "pdf", "en", protocol.ErrInvalid.Code},
		{"bad lang", rs.convID, "html", "fr", protocol.ErrInvalid.Code},
		{"bad id", "../x", "html", "en", protocol.ErrInvalid.Code},
		// Queued in alice's team: she may read it; an unknown one is not_found.
		{"unknown conversation", "nope", "html", "en", protocol.ErrNotFound.Code},
	} {
		_, err := f.a.ExportTranscript(tt.id, tt.format, tt.lang, false)
		if err == nil || !strings.HasPrefix(err.Error(), tt.code+": ") {
			t.Errorf("%s: ExportTranscript = %v, want %s", tt.name, err, tt.code)
		}
	}
	if _, err := os.Stat(f.p.saveTo); !os.IsNotExist(err) {
		t.Errorf("a refused export wrote a file: %v", err)
	}
}
