package protocol

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// The card registry. Every card type has a schema per version: a Go struct
// its data is decoded into strictly (an unknown field, a wrong type or a
// missing required field is invalid_card), a plain-text fallback made from
// the data, and the actions a client may take on it, each with its own
// values type. Clients that do not know a type or version show Fallback.
//
// A new version is a new schema beside the old one: stored cards keep
// validating against the version they were sent with.

// Card types.
const (
	CardProduct     = "product"
	CardOrderStatus = "order_status"
	CardRatingForm  = "rating_form"
)

// Card actions.
const (
	ActionView   = "view"   // product: the customer opened the product page
	ActionBuy    = "buy"    // product: the customer wants to buy it
	ActionSubmit = "submit" // rating_form: the customer's answer
)

// ProductCardV1 is the data of a product card, version 1.
type ProductCardV1 struct {
	SKU   string `json:"sku"`
	Title string `json:"title"`
	// Price is a decimal string ("19.99"), never a float, in Currency (an
	// ISO 4217 code such as "CNY").
	Price    string `json:"price"`
	Currency string `json:"currency"`
	ImageURL string `json:"image_url,omitempty"` // http(s)
	URL      string `json:"url,omitempty"`       // http(s)
}

// Order statuses of an order_status card.
var OrderStatuses = []string{"pending", "paid", "shipped", "delivered", "cancelled", "refunded"}

// OrderItem is one line of an order_status card.
type OrderItem struct {
	Name string `json:"name"`
	Qty  int    `json:"qty"`
}

// OrderStatusCardV1 is the data of an order_status card, version 1.
type OrderStatusCardV1 struct {
	OrderNo string      `json:"order_no"`
	Status  string      `json:"status"` // one of OrderStatuses
	Items   []OrderItem `json:"items,omitempty"`
	ETA     string      `json:"eta,omitempty"` // a date, YYYY-MM-DD
}

// RatingFormCardV1 is the data of a rating_form card, version 1: a
// question answered with a score of 1 to Scale (always 5) and, when
// CommentAllowed, a comment.
type RatingFormCardV1 struct {
	Question       string `json:"question"`
	Scale          int    `json:"scale"`
	CommentAllowed bool   `json:"comment_allowed"`
}

// BuyValues are the values of a product card's buy action.
type BuyValues struct {
	Qty int `json:"qty,omitempty"` // 1–99; 0 means 1
}

// SubmitValues are the values of a rating_form card's submit action.
type SubmitValues struct {
	Score   int    `json:"score"`
	Comment string `json:"comment,omitempty"`
}

// NoValues are the values of an action that takes none.
type NoValues struct{}

// CardSchema is one registered card type and version.
type CardSchema struct {
	Type    string
	Version int
	// Actions are the actions a client may take on such a card, by name.
	Actions []string

	// check decodes and validates data and returns it normalized, with
	// the fallback text made from it.
	check func(data []byte) (normalized any, fallback string, err string)
	// action validates an action's values against the card's data.
	action func(card any, action string, values []byte) (normalized any, err string)
}

var cardSchemas = []CardSchema{
	{Type: CardProduct, Version: 1, Actions: []string{ActionView, ActionBuy}, check: checkProduct, action: productAction},
	{Type: CardOrderStatus, Version: 1, check: checkOrderStatus},
	{Type: CardRatingForm, Version: 1, Actions: []string{ActionSubmit}, check: checkRatingForm, action: ratingAction},
}

// CardSchemas lists every registered card type and version.
func CardSchemas() []CardSchema { return slices.Clone(cardSchemas) }

func cardSchema(typ string, version int) (CardSchema, bool) {
	for _, s := range cardSchemas {
		if s.Type == typ && s.Version == version {
			return s, true
		}
	}
	return CardSchema{}, false
}

// ValidateCard checks a card against its schema and returns it as the
// server stores it: data re-encoded from its schema (so unknown fields
// cannot ride along) and Fallback filled when it was empty.
func ValidateCard(c Card) (Card, *Error) {
	s, ok := cardSchema(c.Type, c.Version)
	if !ok {
		return Card{}, ErrInvalidCard.WithMessage("unknown card type %q version %d", truncateRunes(c.Type, 32), c.Version)
	}
	if len(c.Data) > MaxCardBytes {
		return Card{}, ErrInvalidCard.WithMessage("card data exceeds %d bytes", MaxCardBytes)
	}
	v, fallback, msg := s.check(c.Data)
	if msg != "" {
		return Card{}, ErrInvalidCard.WithMessage("%s card: %s", c.Type, msg)
	}
	data, err := json.Marshal(v)
	if err != nil {
		return Card{}, ErrInvalidCard.WithMessage("%s card data cannot be encoded", c.Type)
	}
	fb := strings.TrimSpace(c.Fallback)
	if fb == "" {
		fb = fallback
	}
	if !utf8.ValidString(fb) || utf8.RuneCountInString(fb) > MaxTextRunes || hasControl(fb, true) {
		return Card{}, ErrInvalidCard.WithMessage("fallback must be text of at most %d characters", MaxTextRunes)
	}
	return Card{Type: c.Type, Version: c.Version, Data: data, Fallback: fb}, nil
}

// ValidateCardAction checks an action on a stored card: the card's type
// must declare it and values must fit it. It returns the values normalized.
func ValidateCardAction(c Card, action string, values json.RawMessage) (json.RawMessage, *Error) {
	s, ok := cardSchema(c.Type, c.Version)
	if !ok {
		return nil, ErrInvalidCard.WithMessage("unknown card type %q version %d", truncateRunes(c.Type, 32), c.Version)
	}
	if !slices.Contains(s.Actions, action) {
		return nil, ErrInvalidCard.WithMessage("%s cards have no action %q", c.Type, truncateRunes(action, 32))
	}
	if len(values) > MaxCardBytes {
		return nil, ErrInvalidCard.WithMessage("action values exceed %d bytes", MaxCardBytes)
	}
	card, _, msg := s.check(c.Data)
	if msg != "" {
		return nil, ErrInvalidCard.WithMessage("stored %s card is invalid: %s", c.Type, msg)
	}
	v, msg := s.action(card, action, values)
	if msg != "" {
		return nil, ErrInvalidCard.WithMessage("%s %s: %s", c.Type, action, msg)
	}
	out, err := json.Marshal(v)
	if err != nil {
		return nil, ErrInvalidCard.WithMessage("action values cannot be encoded")
	}
	return out, nil
}

// strictDecode decodes one JSON object into v, refusing unknown fields and
// trailing data. Empty input decodes as {}.
func strictDecode(b []byte, v any) string {
	b = bytes.TrimSpace(b)
	if len(b) == 0 || bytes.Equal(b, []byte("null")) {
		b = []byte("{}")
	}
	if b[0] != '{' {
		return "must be a JSON object"
	}
	d := json.NewDecoder(bytes.NewReader(b))
	d.DisallowUnknownFields()
	if err := d.Decode(v); err != nil {
		if strings.HasPrefix(err.Error(), "json: unknown field ") {
			return "unknown field " + truncateRunes(strings.TrimPrefix(err.Error(), "json: unknown field "), 40)
		}
		return jsonReason(err)
	}
	if d.More() {
		return "trailing data after the object"
	}
	return ""
}

// text checks a required or optional text field.
func text(name, v string, required bool, max int) string {
	if required && strings.TrimSpace(v) == "" {
		return name + " is required"
	}
	if !utf8.ValidString(v) || utf8.RuneCountInString(v) > max {
		return fmt.Sprintf("%s must be text of at most %d characters", name, max)
	}
	if hasControl(v, false) {
		return name + " must not contain control characters"
	}
	return ""
}

// hasControl reports whether s holds control characters (newlines and tabs
// allowed when multiline).
func hasControl(s string, multiline bool) bool {
	for _, r := range s {
		if multiline && (r == '\n' || r == '\t') {
			continue
		}
		if unicode.IsControl(r) {
			return true
		}
	}
	return false
}

// webURL checks an optional http(s) link: anything else (javascript:,
// data:) could run in a client.
func webURL(name, v string) string {
	if v == "" {
		return ""
	}
	if len(v) > 2048 {
		return name + " is longer than 2048 bytes"
	}
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return name + " must be an http or https URL"
	}
	return ""
}

var (
	priceRE    = regexp.MustCompile(`^(0|[1-9][0-9]{0,11})(\.[0-9]{1,4})?$`)
	currencyRE = regexp.MustCompile(`^[A-Z]{3}$`)
)

func checkProduct(data []byte) (any, string, string) {
	var c ProductCardV1
	if msg := strictDecode(data, &c); msg != "" {
		return nil, "", msg
	}
	for _, msg := range []string{
		text("sku", c.SKU, true, 64),
		text("title", c.Title, true, 200),
		webURL("image_url", c.ImageURL),
		webURL("url", c.URL),
	} {
		if msg != "" {
			return nil, "", msg
		}
	}
	if !priceRE.MatchString(c.Price) {
		return nil, "", `price must be a decimal string such as "19.99"`
	}
	if !currencyRE.MatchString(c.Currency) {
		return nil, "", `currency must be an ISO 4217 code such as "CNY"`
	}
	fb := fmt.Sprintf("%s — %s %s", c.Title, c.Price, c.Currency)
	if c.URL != "" {
		fb += " " + c.URL
	}
	return c, fb, ""
}

func productAction(_ any, action string, values []byte) (any, string) {
	if action == ActionView {
		var v NoValues
		return v, strictDecode(values, &v)
	}
	var v BuyValues
	if msg := strictDecode(values, &v); msg != "" {
		return nil, msg
	}
	if v.Qty == 0 {
		v.Qty = 1
	}
	if v.Qty < 1 || v.Qty > 99 {
		return nil, "qty must be 1 to 99"
	}
	return v, ""
}

func checkOrderStatus(data []byte) (any, string, string) {
	var c OrderStatusCardV1
	if msg := strictDecode(data, &c); msg != "" {
		return nil, "", msg
	}
	if msg := text("order_no", c.OrderNo, true, 64); msg != "" {
		return nil, "", msg
	}
	if !slices.Contains(OrderStatuses, c.Status) {
		return nil, "", "status must be one of " + strings.Join(OrderStatuses, ", ")
	}
	if len(c.Items) > 50 {
		return nil, "", "at most 50 items"
	}
	for _, it := range c.Items {
		if msg := text("item name", it.Name, true, 200); msg != "" {
			return nil, "", msg
		}
		if it.Qty < 1 || it.Qty > 9999 {
			return nil, "", "item qty must be 1 to 9999"
		}
	}
	if c.ETA != "" {
		if _, err := time.Parse(time.DateOnly, c.ETA); err != nil {
			return nil, "", "eta must be a date, YYYY-MM-DD"
		}
	}
	fb := fmt.Sprintf("Order %s: %s", c.OrderNo, c.Status)
	if c.ETA != "" {
		fb += " (ETA " + c.ETA + ")"
	}
	return c, fb, ""
}

func checkRatingForm(data []byte) (any, string, string) {
	var c RatingFormCardV1
	if msg := strictDecode(data, &c); msg != "" {
		return nil, "", msg
	}
	if msg := text("question", c.Question, true, 500); msg != "" {
		return nil, "", msg
	}
	if c.Scale != 5 {
		return nil, "", "scale must be 5"
	}
	return c, fmt.Sprintf("%s (1–%d)", c.Question, c.Scale), ""
}

func ratingAction(card any, _ string, values []byte) (any, string) {
	form := card.(RatingFormCardV1)
	var v SubmitValues
	if msg := strictDecode(values, &v); msg != "" {
		return nil, msg
	}
	if v.Score < 1 || v.Score > form.Scale {
		return nil, fmt.Sprintf("score must be 1 to %d", form.Scale)
	}
	if v.Comment != "" && !form.CommentAllowed {
		return nil, "this form takes no comment"
	}
	if !utf8.ValidString(v.Comment) || utf8.RuneCountInString(v.Comment) > MaxRatingCommentRunes || hasControl(v.Comment, true) {
		return nil, fmt.Sprintf("comment must be text of at most %d characters", MaxRatingCommentRunes)
	}
	return v, ""
}

func truncateRunes(s string, n int) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "?")
	}
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "…"
}
