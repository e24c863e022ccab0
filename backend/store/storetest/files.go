package storetest

import (
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"testing"

	"github.com/google/uuid"

	"switchboard/backend/store"
	"switchboard/protocol"
)

func testFiles(t *testing.T, s store.Store) {
	ctx := context.Background()
	_, _, cust := seed(t, s)
	c := create(t, s, cust.ID)

	f := store.File{
		ID: uuid.NewString(), ConversationID: c.ID, UploaderID: cust.ID, UploaderRole: protocol.RoleCustomer,
		Name: "photo.png", Size: 1234, MIME: "image/png", SHA256: "ab12", ThumbSHA256: "cd34",
		Width: 640, Height: 480, State: store.FileReady,
	}
	if err := s.CreateFile(ctx, store.File{ID: uuid.NewString(), ConversationID: "nope", State: store.FileReady}); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("CreateFile(unknown conversation) = %v, want ErrNotFound", err)
	}
	if err := s.CreateFile(ctx, f); err != nil {
		t.Fatalf("CreateFile: %v", err)
	}
	if err := s.CreateFile(ctx, f); !errors.Is(err, store.ErrConflict) {
		t.Errorf("CreateFile(same id) = %v, want ErrConflict", err)
	}
	got, err := s.File(ctx, f.ID)
	if err != nil {
		t.Fatalf("File: %v", err)
	}
	if got.CreatedAt == 0 {
		t.Error("File.CreatedAt = 0, want the time it was stored")
	}
	got.CreatedAt = 0
	if !reflect.DeepEqual(got, f) {
		t.Errorf("File = %+v, want %+v", got, f)
	}
	if _, err := s.File(ctx, "nope"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("File(unknown) = %v, want ErrNotFound", err)
	}
	if pub, err := s.FileIsPublic(ctx, f.ID); err != nil || pub {
		t.Errorf("FileIsPublic(not yet sent) = %v, %v; want false", pub, err)
	}

	// An internal note carrying a file does not make it public.
	note := store.File{ID: uuid.NewString(), ConversationID: c.ID, UploaderID: "a", UploaderRole: protocol.RoleAgent,
		Name: "notes.pdf", Size: 10, MIME: "application/pdf", SHA256: "ef56", State: store.FileReady}
	if err := s.CreateFile(ctx, note); err != nil {
		t.Fatalf("CreateFile(note): %v", err)
	}
	nm := textMsg(c.ID, "")
	nm.Kind, nm.Visibility, nm.SenderRole, nm.Attachment = protocol.KindFile, protocol.VisibilityInternal, protocol.RoleAgent, note.Attachment()
	if _, err := s.AppendMessage(ctx, nm); err != nil {
		t.Fatalf("AppendMessage(internal file): %v", err)
	}
	if pub, err := s.FileIsPublic(ctx, note.ID); err != nil || pub {
		t.Errorf("FileIsPublic(internal note's file) = %v, %v; want false", pub, err)
	}

	img := textMsg(c.ID, "")
	img.Kind, img.Attachment = protocol.KindImage, f.Attachment()
	res, err := s.AppendMessage(ctx, img)
	if err != nil {
		t.Fatalf("AppendMessage(image): %v", err)
	}
	if pub, err := s.FileIsPublic(ctx, f.ID); err != nil || !pub {
		t.Errorf("FileIsPublic(sent in public) = %v, %v; want true", pub, err)
	}
	if res.Conversation.LastText != "photo.png" {
		t.Errorf("LastText after an image = %q, want its name", res.Conversation.LastText)
	}

	card := textMsg(c.ID, "")
	card.Kind, card.SenderRole = protocol.KindCard, protocol.RoleAgent
	card.Card = &store.Card{Type: "product", Version: 1, Data: json.RawMessage(`{"sku":"A1"}`), Fallback: "Kettle"}
	if _, err := s.AppendMessage(ctx, card); err != nil {
		t.Fatalf("AppendMessage(card): %v", err)
	}
	action := eventMsg(protocol.EventCardAction)
	action.ConversationID = c.ID
	action.Event.CardSeq, action.Event.CardType, action.Event.Action = 4, "rating_form", "submit"
	action.Event.Values = json.RawMessage(`{"score":5}`)
	if _, err := s.AppendMessage(ctx, action); err != nil {
		t.Fatalf("AppendMessage(card action): %v", err)
	}

	msgs, err := s.Messages(ctx, store.MessageQuery{ConversationID: c.ID, AfterSeq: res.Message.Seq - 1})
	if err != nil || len(msgs) != 3 {
		t.Fatalf("Messages = %d, %v; want 3", len(msgs), err)
	}
	if !reflect.DeepEqual(msgs[0].Attachment, f.Attachment()) || msgs[0].Kind != protocol.KindImage {
		t.Errorf("image message = %+v, attachment %+v; want %+v", msgs[0], msgs[0].Attachment, f.Attachment())
	}
	if msgs[1].Card == nil || msgs[1].Card.Type != "product" || string(msgs[1].Card.Data) != `{"sku":"A1"}` || msgs[1].Card.Fallback != "Kettle" {
		t.Errorf("card message card = %+v", msgs[1].Card)
	}
	if e := msgs[2].Event; e == nil || e.CardSeq != 4 || e.Action != "submit" || e.CardType != "rating_form" || string(e.Values) != `{"score":5}` {
		t.Errorf("card action event = %+v", e)
	}
	if msgs[0].Card != nil || msgs[1].Attachment != nil {
		t.Error("a message got a field it was not stored with")
	}
}
