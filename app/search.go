package app

import (
	"context"
	"unicode/utf8"

	"switchboard/app/cache"
	"switchboard/protocol"
)

// Limits of SearchMessages.
const (
	defaultSearchLimit = 50
	maxSearchLimit     = 200
	maxSearchQuery     = 200 // characters
)

// SearchHit is a cached message that matches a search, with its
// conversation, so the UI can show who and where without another call.
type SearchHit = cache.Hit

// SearchMessages searches the messages cached on this machine, newest first
// (limit 0 means 50, at most 200). Every word of the query must occur: a
// word as the start of a word ("ord" finds "order"), Chinese, Japanese or
// Korean text anywhere; case and full-width forms do not matter. It looks in
// message texts, attachment names, cards' text and business fields. It
// works offline and never asks the server.
func (a *App) SearchMessages(query string, limit int) ([]SearchHit, error) {
	sess, err := a.s.current()
	if err != nil {
		return nil, a.s.uiError("search", err)
	}
	if utf8.RuneCountInString(query) > maxSearchQuery {
		return nil, a.s.uiError("search", protocol.ErrInvalid.WithMessage("the search is longer than %d characters", maxSearchQuery))
	}
	if limit <= 0 {
		limit = defaultSearchLimit
	}
	limit = min(limit, maxSearchLimit)
	ctx, cancel := context.WithTimeout(a.s.context(), requestTimeout)
	defer cancel()
	hits, err := sess.cache.Search(ctx, query, limit)
	return hits, a.s.uiError("search", err)
}
