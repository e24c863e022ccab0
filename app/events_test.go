package app

import (
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// TestMirroredEventNames keeps the UI's list of event names equal to the
// events this package emits, so the two sides cannot drift.
func TestMirroredEventNames(t *testing.T) {
	want := []string{
		EventConnState, EventConversation, EventConversationRemoved, EventMessage,
		EventAck, EventSendFailed, EventSessionEnded, EventNotificationOpen,
		EventUnseenMessage, EventUploadProgress, EventUploadDone, EventUploadFailed,
		EventDownloadProgress, EventFilesDropped, EventUpdateAvailable, EventUser,
		EventFloor, EventMonitor, EventDraft, EventAssist, EventStatus, EventCannedChanged,
	}
	src, err := os.ReadFile("../frontend/src/api/events.ts")
	if err != nil {
		t.Fatalf("read the frontend mirror: %v", err)
	}
	block := string(src)
	start := strings.Index(block, "EVENTS = {")
	end := strings.Index(block, "} as const")
	if start < 0 || end < start {
		t.Fatal("frontend/src/api/events.ts has no `EVENTS = {...} as const` map")
	}
	var got []string
	for _, m := range regexp.MustCompile(`:\s*'([a-z:_]+)'`).FindAllStringSubmatch(block[start:end], -1) {
		got = append(got, m[1])
	}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("frontend EVENTS = %v\nwant the Go event names %v", got, want)
	}
}
