package api

import (
	"errors"
	"maps"
	"net/http"
	"slices"
	"unicode/utf8"

	"switchboard/backend/identity"
	"switchboard/backend/store"
	"switchboard/protocol"
)

// CustomerPush is the body of PUT /api/v1/customers/{user_id}.
type CustomerPush struct {
	Name   string            `json:"name,omitempty"`
	Fields map[string]string `json:"fields,omitempty"`
}

// Customer answers it.
type Customer struct {
	CustomerID string            `json:"customer_id"`
	UserID     string            `json:"user_id"`
	Site       string            `json:"site"`
	Name       string            `json:"name"`
	Verified   map[string]string `json:"verified"`
	// ConversationID is the customer's open conversation, which got the
	// fields at once ("" when none is open).
	ConversationID string `json:"conversation_id,omitempty"`
}

// putCustomer pushes a site user's profile and business fields. They count
// as verified, as an identity token's do (the key vouches for them): they
// are merged into the customer's verified fields, which the open
// conversation takes at once and later conversations start with. A later
// identity token replaces the whole set with what it carries.
func (a *API) putCustomer(q request) (int, any, *protocol.Error) {
	userID := q.r.PathValue("user_id")
	if userID == "" || len(userID) > identity.MaxUserIDBytes || !utf8.ValidString(userID) {
		return 0, nil, protocol.ErrInvalid.WithMessage("user_id must be 1 to %d bytes of text", identity.MaxUserIDBytes)
	}
	site := q.r.URL.Query().Get("site")
	switch {
	case site == "" && len(a.cfg.Sites) == 1:
		site = a.cfg.Sites[0]
	case site == "" && len(a.cfg.Sites) > 1:
		return 0, nil, protocol.ErrInvalid.WithMessage("name the site of the user: ?site=ID (one of the sites file)")
	case site != "" && !slices.Contains(a.cfg.Sites, site):
		return 0, nil, protocol.ErrNotFound.WithMessage("no site %q in the sites file", site)
	}
	var body CustomerPush
	if perr := readBody(q, &body); perr != nil {
		return 0, nil, perr
	}
	name := protocol.CleanDisplay(body.Name)
	if utf8.RuneCountInString(name) > 64 {
		return 0, nil, protocol.ErrInvalid.WithMessage("name must have at most 64 characters")
	}
	if len(body.Fields) > identity.MaxFields {
		return 0, nil, protocol.ErrInvalid.WithMessage("fields has %d entries; the limit is %d", len(body.Fields), identity.MaxFields)
	}
	pushed := make(map[string]string, len(body.Fields)+2)
	for k, v := range body.Fields {
		ck, cv := protocol.CleanDisplay(k), protocol.CleanDisplay(v)
		if ck == "" || len(ck) > identity.MaxFieldKey || len(cv) > identity.MaxFieldValue {
			return 0, nil, protocol.ErrInvalid.WithMessage("field keys must be 1 to %d bytes, values at most %d", identity.MaxFieldKey, identity.MaxFieldValue)
		}
		if ck == identity.FieldUserID {
			return 0, nil, protocol.ErrInvalid.WithMessage("user_id is the path's, not a field")
		}
		pushed[ck] = cv
	}
	if name != "" {
		pushed[identity.FieldName] = name
	}
	pushed[identity.FieldUserID] = userID

	ctx := q.r.Context()
	custID := identity.Identity{Site: site, UserID: userID}.CustomerID()
	verified := map[string]string{}
	old, err := a.cfg.Store.Customer(ctx, custID)
	switch {
	case err == nil:
		maps.Copy(verified, old.Verified)
	case !errors.Is(err, store.ErrNotFound):
		return 0, nil, a.internal("read customer", err)
	}
	maps.Copy(verified, pushed)
	c, err := a.cfg.Store.UpsertCustomer(ctx, store.Customer{ID: custID, Name: name, Verified: verified})
	if err != nil {
		return 0, nil, a.internal("push customer", err)
	}
	if err := a.cfg.RefreshVerified(ctx, custID, verified); err != nil {
		return 0, nil, a.internal("push customer: update the open conversation", err)
	}
	out := Customer{CustomerID: custID, UserID: userID, Site: site, Name: c.Name, Verified: verified}
	if conv, err := a.cfg.Store.OpenConversationOf(ctx, custID); err == nil {
		out.ConversationID = conv.ID
	}
	a.audit(q, "customer.push", out.ConversationID, "customer="+custID+" fields="+keysOf(pushed))
	return http.StatusOK, out, nil
}

func keysOf(m map[string]string) string {
	ks := slices.Sorted(maps.Keys(m))
	out := ""
	for i, k := range ks {
		if i > 0 {
			out += ","
		}
		out += k
	}
	return out
}
