package webhook

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"time"

	"switchboard/backend/bot"
)

// fakeHook is an external bot speaking the webhook protocol.
func fakeHook(t *testing.T) *httptest.Server {
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || r.Header.Get("Content-Type") != "application/json" || r.Header.Get("X-Token") != "secret" {
			http.Error(w, "bad request", http.StatusBadRequest)
			return
		}
		var req Request
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
			t.Errorf("fake: decode: %v", err)
			return
		}
		var resp any
		switch req.Text {
		case "slow":
			<-r.Context().Done()
			return
		case "500":
			http.Error(w, "boom", http.StatusInternalServerError)
			return
		case "garbage":
			w.Write([]byte("<html>"))
			return
		case "empty":
			resp = Response{}
		case "handoff":
			resp = Response{Handoff: true, Reason: "order_over_limit"}
		case "bare handoff":
			resp = Response{Handoff: true}
		default:
			resp = Response{
				Text:        req.Locale + ":" + req.ConversationID + ":" + req.Ext["vip"],
				Suggestions: []string{"a", "b"},
				Team:        "aftersales", EntryID: "x", Score: 2,
			}
		}
		json.NewEncoder(w).Encode(resp)
	}))
}

func TestAnswer(t *testing.T) {
	srv := fakeHook(t)
	defer srv.Close()
	b, err := New(Config{URL: srv.URL, Header: http.Header{"X-Token": {"secret"}}})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		in   bot.Input
		want bot.Reply
	}{
		{"answer", bot.Input{ConversationID: "c1", Text: "包邮吗", Ext: map[string]string{"vip": "0"}},
			bot.Reply{Text: "zh:c1:0", Locale: "zh", Team: "aftersales", EntryID: "x", Score: 1, Suggestions: []string{"a", "b"}}},
		{"handoff", bot.Input{ConversationID: "c1", Text: "handoff", LastTeam: "aftersales"},
			bot.Reply{Text: bot.HandoffTextEN, Locale: "en", Handoff: true, Reason: "order_over_limit", Team: "aftersales"}},
		{"bare handoff", bot.Input{ConversationID: "c1", Text: "bare handoff"},
			bot.Reply{Text: bot.HandoffTextEN, Locale: "en", Handoff: true, Reason: ReasonWebhook, Team: bot.DefaultTeam}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := b.Answer(context.Background(), tt.in)
			if err != nil {
				t.Fatalf("Answer(%+v) error: %v", tt.in, err)
			}
			if !reflect.DeepEqual(r, tt.want) {
				t.Errorf("Answer(%+v) = %+v, want %+v", tt.in, r, tt.want)
			}
		})
	}
}

func TestAnswerErrors(t *testing.T) {
	srv := fakeHook(t)
	defer srv.Close()
	b, err := New(Config{URL: srv.URL, Header: http.Header{"X-Token": {"secret"}}, Timeout: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ text, wantErr string }{
		{"slow", "deadline exceeded"},
		{"500", "status 500"},
		{"garbage", "decode response"},
		{"empty", "empty answer"},
	} {
		_, err := b.Answer(context.Background(), bot.Input{ConversationID: "c3", Text: tt.text})
		if err == nil || !strings.Contains(err.Error(), tt.wantErr) || !strings.Contains(err.Error(), "conv=c3") {
			t.Errorf("Answer(%q) error = %v, want one containing %q and the conversation", tt.text, err, tt.wantErr)
		}
	}
	if _, err := New(Config{}); err == nil {
		t.Error("New without url: error = nil, want one")
	}
}
