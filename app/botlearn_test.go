package app_test

import (
	"testing"

	"switchboard/protocol"
)

// These tests run against app/internal/fakeserver, which answers the frames
// of protocol/botlearn.go the way the contract says: the real server's side
// of them is written on another branch at the same time.

var shippingFee = protocol.KBEntry{
	ID:        "shipping-fee",
	Team:      "presales",
	Questions: protocol.KBQuestions{ZH: []string{"运费多少"}, EN: []string{"How much is shipping?"}},
	Answer:    protocol.KBText{ZH: "满99包邮。", EN: "Free shipping over 99."},
}

func missReport() protocol.BotReport {
	return protocol.BotReport{
		Open: 3,
		Groups: []protocol.MissGroup{
			{
				ID: "g1", Count: 2, Locale: "zh",
				Questions: []protocol.MissQuestion{
					{ID: "m2", ConversationID: "c9", Seq: 4, Text: "邮费怎么算", Locale: "zh", Reason: protocol.MissUnsure},
					{ID: "m1", ConversationID: "c8", Seq: 2, Text: "寄过来要钱吗", Locale: "zh", Reason: protocol.MissHandedOver},
				},
				Reasons:     map[string]int{protocol.MissUnsure: 1, protocol.MissHandedOver: 1},
				Suggestions: []protocol.KBSuggestion{{EntryID: "shipping-fee", Label: "运费多少", Score: 0.6}},
			},
			// A group as a server may send it: nulls where the lists are empty.
			{ID: "g2", Count: 1, Locale: "en", Questions: []protocol.MissQuestion{
				{ID: "m3", ConversationID: "c7", Seq: 2, Text: "Do you ship to Mars?", Locale: "en", Reason: protocol.MissUnhelpful},
			}},
		},
	}
}

func TestBotReportIsForSupervisors(t *testing.T) {
	f := newFixture(t)
	f.signIn(t)
	_, err := f.a.BotReport(0)
	wantCode(t, "an agent's BotReport", err, "forbidden")
	_, err = f.a.KnowledgeBase(false)
	wantCode(t, "an agent's KnowledgeBase", err, "forbidden")
	_, err = f.a.EditKnowledgeBase(protocol.KBEditData{Op: protocol.KBOpDismiss, MissIDs: []string{"m1"}})
	wantCode(t, "an agent's EditKnowledgeBase", err, "forbidden")
	if n := len(f.srv.KBEdits()); n != 0 {
		t.Fatalf("%d kb edits reached the server from an agent; want 0", n)
	}
}

func TestBotReportAndKnowledgeBaseEdits(t *testing.T) {
	f := newFixture(t)
	f.srv.SetKnowledgeBase([]protocol.KBEntry{shippingFee})
	f.srv.SetReport(missReport())
	s := f.signInPeer(t, "sam", sam)

	r, err := s.a.BotReport(0)
	if err != nil {
		t.Fatalf("BotReport: %v", err)
	}
	if r.Open != 3 || r.KBVersion != 1 || len(r.Groups) != 2 || r.Groups[0].ID != "g1" {
		t.Fatalf("BotReport = %+v; want both groups at version 1", r)
	}
	if g := r.Groups[1]; g.Reasons == nil || g.Suggestions == nil {
		t.Fatalf("group g2 = %+v; want its lists and maps, never null", g)
	}
	if r, err := s.a.BotReport(1); err != nil || len(r.Groups) != 1 {
		t.Fatalf("BotReport(1) = %+v, %v; want one group", r, err)
	}
	_, err = s.a.BotReport(-1)
	wantCode(t, "BotReport(-1)", err, "invalid_request")

	// A group's newest question becomes a sample question of an entry and
	// leaves the report with the rest of its group.
	kb, err := s.a.EditKnowledgeBase(protocol.KBEditData{
		Op: protocol.KBOpAddQuestion, BaseVersion: r.KBVersion, EntryID: "shipping-fee",
		Locale: "zh", Question: "邮费怎么算", MissIDs: []string{"m2", "m1"},
	})
	if err != nil {
		t.Fatalf("EditKnowledgeBase(add_question): %v", err)
	}
	if kb.Version != 2 || len(kb.Entries) != 1 || len(kb.Entries[0].Questions.ZH) != 2 || kb.Entries[0].Questions.ZH[1] != "邮费怎么算" {
		t.Fatalf("after add_question: %+v; want version 2 with the new question", kb)
	}
	if r, err := s.a.BotReport(0); err != nil || r.Open != 1 || len(r.Groups) != 1 || r.Groups[0].ID != "g2" || r.KBVersion != 2 {
		t.Fatalf("report after add_question = %+v, %v; want g2 alone at version 2", r, err)
	}

	// An edit from an old version is refused with the server's code.
	_, err = s.a.EditKnowledgeBase(protocol.KBEditData{
		Op: protocol.KBOpAddQuestion, BaseVersion: 1, EntryID: "shipping-fee", Locale: "en", Question: "Postage?",
	})
	wantCode(t, "an edit from version 1", err, "conflict")
	_, err = s.a.EditKnowledgeBase(protocol.KBEditData{})
	wantCode(t, "an edit without op", err, "invalid_request")

	hist, err := s.a.KnowledgeBase(true)
	if err != nil {
		t.Fatalf("KnowledgeBase(true): %v", err)
	}
	if hist.Version != 2 || len(hist.History) != 2 || hist.History[0].Version != 2 || hist.History[0].Author != sam.Name {
		t.Fatalf("KnowledgeBase(true) = %+v; want versions 2 (by Sam) and 1, newest first", hist)
	}
	if kb, err := s.a.KnowledgeBase(false); err != nil || kb.History != nil || kb.Version != 2 {
		t.Fatalf("KnowledgeBase(false) = %+v, %v; want version 2 without history", kb, err)
	}

	// Rolling back brings version 1's content back as version 3.
	kb, err = s.a.EditKnowledgeBase(protocol.KBEditData{Op: protocol.KBOpRollback, BaseVersion: 2, Version: 1})
	if err != nil {
		t.Fatalf("EditKnowledgeBase(rollback): %v", err)
	}
	if kb.Version != 3 || len(kb.Entries[0].Questions.ZH) != 1 {
		t.Fatalf("after rollback: %+v; want version 3 with version 1's questions", kb)
	}

	// Dismissing leaves the knowledge base as it is.
	kb, err = s.a.EditKnowledgeBase(protocol.KBEditData{Op: protocol.KBOpDismiss, BaseVersion: 3, MissIDs: []string{"m3"}})
	if err != nil || kb.Version != 3 {
		t.Fatalf("EditKnowledgeBase(dismiss) = %+v, %v; want version 3 still", kb, err)
	}
	if r, err := s.a.BotReport(0); err != nil || r.Open != 0 || len(r.Groups) != 0 || r.Groups == nil {
		t.Fatalf("report after dismiss = %+v, %v; want empty groups, not null", r, err)
	}
}
