package protocol

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

func TestValidateCard(t *testing.T) {
	tests := []struct {
		name    string
		in      string // a Card as JSON
		wantErr bool
		wantFB  string // fallback when valid ("" = don't check)
	}{
		{"product", `{"type":"product","version":1,"data":{"sku":"A1","title":"Kettle","price":"19.90","currency":"CNY","url":"https://shop.example/a1"}}`, false, "Kettle — 19.90 CNY https://shop.example/a1"},
		{"product own fallback", `{"type":"product","version":1,"data":{"sku":"A1","title":"Kettle","price":"0","currency":"USD"},"fallback":"See the kettle"}`, false, "See the kettle"},
		{"product float price", `{"type":"product","version":1,"data":{"sku":"A1","title":"K","price":19.9,"currency":"CNY"}}`, true, ""},
		{"product bad price", `{"type":"product","version":1,"data":{"sku":"A1","title":"K","price":"-1","currency":"CNY"}}`, true, ""},
		{"product bad currency", `{"type":"product","version":1,"data":{"sku":"A1","title":"K","price":"1","currency":"yuan"}}`, true, ""},
		{"product javascript url", `{"type":"product","version":1,"data":{"sku":"A1","title":"K","price":"1","currency":"CNY","url":"javascript:alert(1)"}}`, true, ""},
		{"product no title", `{"type":"product","version":1,"data":{"sku":"A1","price":"1","currency":"CNY"}}`, true, ""},
		{"product unknown field", `{"type":"product","version":1,"data":{"sku":"A1","title":"K","price":"1","currency":"CNY","evil":1}}`, true, ""},
		{"product v2", `{"type":"product","version":2,"data":{"sku":"A1","title":"K","price":"1","currency":"CNY"}}`, true, ""},
		{"unknown type", `{"type":"poll","version":1,"data":{}}`, true, ""},
		{"no data", `{"type":"product","version":1}`, true, ""},
		{"data not object", `{"type":"product","version":1,"data":[1]}`, true, ""},
		{"order", `{"type":"order_status","version":1,"data":{"order_no":"SO-1","status":"shipped","items":[{"name":"Kettle","qty":1}],"eta":"2026-12-01"}}`, false, "Order SO-1: shipped (ETA 2026-12-01)"},
		{"order bad status", `{"type":"order_status","version":1,"data":{"order_no":"SO-1","status":"lost"}}`, true, ""},
		{"order bad eta", `{"type":"order_status","version":1,"data":{"order_no":"SO-1","status":"paid","eta":"tomorrow"}}`, true, ""},
		{"order bad qty", `{"type":"order_status","version":1,"data":{"order_no":"SO-1","status":"paid","items":[{"name":"x","qty":0}]}}`, true, ""},
		{"rating", `{"type":"rating_form","version":1,"data":{"question":"How did we do?","scale":5,"comment_allowed":true}}`, false, "How did we do? (1–5)"},
		{"rating scale 10", `{"type":"rating_form","version":1,"data":{"question":"How?","scale":10}}`, true, ""},
		{"control chars", `{"type":"product","version":1,"data":{"sku":"A\u0000","title":"K","price":"1","currency":"CNY"}}`, true, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var c Card
			if err := json.Unmarshal([]byte(tt.in), &c); err != nil {
				t.Fatal(err)
			}
			got, err := ValidateCard(c)
			if tt.wantErr {
				if err == nil || !errors.Is(err, ErrInvalidCard) {
					t.Fatalf("ValidateCard(%s) = %v, want invalid_card", tt.in, err)
				}
				return
			}
			if err != nil {
				t.Fatalf("ValidateCard(%s) = %v, want nil", tt.in, err)
			}
			if tt.wantFB != "" && got.Fallback != tt.wantFB {
				t.Errorf("fallback = %q, want %q", got.Fallback, tt.wantFB)
			}
			// The normalized card validates again to itself.
			again, err := ValidateCard(got)
			if err != nil || string(again.Data) != string(got.Data) {
				t.Errorf("re-validate = %s, %v; want %s", again.Data, err, got.Data)
			}
		})
	}
}

func TestValidateCardAction(t *testing.T) {
	product := Card{Type: CardProduct, Version: 1, Data: json.RawMessage(`{"sku":"A1","title":"K","price":"1","currency":"CNY"}`)}
	form := Card{Type: CardRatingForm, Version: 1, Data: json.RawMessage(`{"question":"Q","scale":5}`)}
	formComment := Card{Type: CardRatingForm, Version: 1, Data: json.RawMessage(`{"question":"Q","scale":5,"comment_allowed":true}`)}
	order := Card{Type: CardOrderStatus, Version: 1, Data: json.RawMessage(`{"order_no":"1","status":"paid"}`)}
	tests := []struct {
		name   string
		card   Card
		action string
		values string
		want   string // normalized values; "" means an error
	}{
		{"view", product, ActionView, ``, `{}`},
		{"buy default qty", product, ActionBuy, `{}`, `{"qty":1}`},
		{"buy qty", product, ActionBuy, `{"qty":3}`, `{"qty":3}`},
		{"buy qty 100", product, ActionBuy, `{"qty":100}`, ""},
		{"view with values", product, ActionView, `{"x":1}`, ""},
		{"submit on product", product, ActionSubmit, `{"score":5}`, ""},
		{"submit", form, ActionSubmit, `{"score":4}`, `{"score":4}`},
		{"submit score 0", form, ActionSubmit, `{"score":0}`, ""},
		{"submit score 6", form, ActionSubmit, `{"score":6}`, ""},
		{"submit score string", form, ActionSubmit, `{"score":"5"}`, ""},
		{"comment not allowed", form, ActionSubmit, `{"score":4,"comment":"ok"}`, ""},
		{"comment", formComment, ActionSubmit, `{"score":4,"comment":"好"}`, `{"score":4,"comment":"好"}`},
		{"comment too long", formComment, ActionSubmit, `{"score":4,"comment":"` + strings.Repeat("x", MaxRatingCommentRunes+1) + `"}`, ""},
		{"order has no actions", order, ActionView, ``, ""},
		{"unknown card", Card{Type: "x", Version: 1}, ActionView, ``, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ValidateCardAction(tt.card, tt.action, json.RawMessage(tt.values))
			if tt.want == "" {
				if err == nil || !errors.Is(err, ErrInvalidCard) {
					t.Fatalf("ValidateCardAction(%s, %s, %s) = %s, %v; want invalid_card", tt.card.Type, tt.action, tt.values, got, err)
				}
				return
			}
			if err != nil || string(got) != tt.want {
				t.Fatalf("ValidateCardAction(%s, %s, %s) = %s, %v; want %s", tt.card.Type, tt.action, tt.values, got, err, tt.want)
			}
		})
	}
}

// FuzzCard checks that no card or action input makes the validators panic,
// that every refusal is a coded invalid_card, and that an accepted card is
// stable: validating its normalized form again changes nothing.
func FuzzCard(f *testing.F) {
	f.Add(`{"type":"product","version":1,"data":{"sku":"A1","title":"K","price":"1.5","currency":"CNY"}}`, "buy", `{"qty":2}`)
	f.Add(`{"type":"rating_form","version":1,"data":{"question":"Q","scale":5,"comment_allowed":true}}`, "submit", `{"score":5,"comment":"x"}`)
	f.Add(`{"type":"order_status","version":1,"data":{"order_no":"1","status":"paid","items":[{"name":"a","qty":1}]}}`, "view", ``)
	f.Add(`{"type":"product","version":1,"data":"x"}`, "", `[]`)
	f.Add(`{}`, "submit", `null`)
	f.Fuzz(func(t *testing.T, card, action, values string) {
		var c Card
		if json.Unmarshal([]byte(card), &c) != nil {
			return
		}
		got, err := ValidateCard(c)
		if err != nil {
			if err.Code != ErrInvalidCard.Code || err.Message == "" {
				t.Fatalf("ValidateCard refused with %+v", err)
			}
			return
		}
		again, err := ValidateCard(got)
		if err != nil || string(again.Data) != string(got.Data) || again.Fallback != got.Fallback {
			t.Fatalf("normalized card does not re-validate: %s -> %s, %v", got.Data, again.Data, err)
		}
		if _, err := ValidateCardAction(got, action, json.RawMessage(values)); err != nil && err.Code != ErrInvalidCard.Code {
			t.Fatalf("ValidateCardAction refused with %+v", err)
		}
	})
}
