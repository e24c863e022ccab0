package protocol

import (
	"os"
	"strings"
	"testing"
)

// TestFramesDocumented checks that docs/protocol.md has a table row for
// every frame type, so that the document stays enough to write a client.
func TestFramesDocumented(t *testing.T) {
	doc, err := os.ReadFile("../docs/protocol.md")
	if err != nil {
		t.Fatalf("read docs/protocol.md: %v", err)
	}
	for _, typ := range []string{
		TypeHello, TypeOpen, TypeSend, TypeSync, TypeAccept, TypeResolve, TypeList, TypeRead, TypeTyping,
		TypeWelcome, TypeAck, TypeHistory, TypeConversation, TypeConvList, TypeMessage, TypeError, TypeResumed,
		TypeStatus, TypeDecline, TypeTransfer, TypeHandBack, TypeRate, TypeContext, TypeDirectory, TypeCardAction,
		TypeTag, TypeCustomerNote, TypePresence, TypeQueue,
		TypeMonitor, TypeDraft, TypeJoin, TypeLeave, TypeTakeOver, TypeReassign, TypeAssist, TypeFloor,
		TypeBotFeedback, TypeBotReport, TypeKB, TypeKBEdit,
		TypeCanned, TypeCannedEdit, TypeCannedChanged,
	} {
		if !strings.Contains(string(doc), "| `"+typ+"` |") {
			t.Errorf("docs/protocol.md has no table row for frame type %q", typ)
		}
	}
}

// TestSupervisionEventsDocumented checks that the event table names every
// supervision event.
func TestSupervisionEventsDocumented(t *testing.T) {
	doc, err := os.ReadFile("../docs/protocol.md")
	if err != nil {
		t.Fatalf("read docs/protocol.md: %v", err)
	}
	for _, ev := range []string{EventJoined, EventLeft, EventTakenOver, EventReassigned, EventAssistRaised, EventAssistAnswered, EventAssistLowered} {
		if !strings.Contains(string(doc), "| `"+ev+"` |") {
			t.Errorf("docs/protocol.md has no event row for %q", ev)
		}
	}
}

// TestLearningDocumented checks that the learning loop's reasons and
// knowledge base operations each have a row.
func TestLearningDocumented(t *testing.T) {
	doc, err := os.ReadFile("../docs/protocol.md")
	if err != nil {
		t.Fatalf("read docs/protocol.md: %v", err)
	}
	for _, v := range []string{MissUnsure, MissHandedOver, MissAskedAgain, MissUnhelpful,
		KBOpAddQuestion, KBOpCreateEntry, KBOpUpdateEntry, KBOpDeleteEntry, KBOpRollback, KBOpDismiss} {
		if !strings.Contains(string(doc), "| `"+v+"` |") {
			t.Errorf("docs/protocol.md has no row for %q", v)
		}
	}
}
