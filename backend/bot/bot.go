// Package bot is the built-in customer-service bot: it answers customers from
// the knowledge base and decides when to hand a conversation to a person.
package bot

import (
	"context"
	"fmt"

	"switchboard/backend/kb"
)

// Input is one customer message for the bot.
type Input struct {
	ConversationID string
	Text           string
	// LastTeam is the team of the last knowledge-base entry matched in the
	// conversation; it may be empty.
	LastTeam string
}

// Reply is the bot's decision.
type Reply struct {
	// Text is what the bot says. It may be empty only when Handoff is true and
	// the bot has nothing to add.
	Text string
	// Locale is the language of the customer's text: "zh" or "en".
	Locale string
	// Handoff asks for the conversation to be handed to a person.
	Handoff bool
	// Reason says why the bot handed over; agents see it.
	Reason string
	// Team is the team to route to: the matched entry's team, else the
	// input's LastTeam, else DefaultTeam.
	Team string
	// EntryID is the matched knowledge-base entry, "" if none.
	EntryID string
	// Score is the confidence of the decision, 0..1.
	Score float64
}

// Bot answers customers.
type Bot interface {
	Answer(ctx context.Context, in Input) (Reply, error)
}

// DefaultTeam receives conversations that matched no team-bearing entry.
const DefaultTeam = "presales"

// ReasonAskedForAgent is the Reason of a handoff the customer asked for.
const ReasonAskedForAgent = "customer asked for an agent"

// Fixed texts of the bot.
const (
	HandoffTextZH  = "正在为您转接人工客服，请稍候…"
	HandoffTextEN  = "Connecting you to an agent, one moment…"
	FallbackTextZH = "抱歉，我还没理解您的问题。您可以换个说法，或输入“转人工”联系人工客服。"
	FallbackTextEN = "Sorry, I didn't catch that. Try rephrasing, or type \"human\" to reach an agent."
)

// Defaults of Options. DefaultMinScore was tuned on the demo knowledge base:
// every sample question scores 1, most paraphrases score 0.4–0.8, and
// the small talk and off-topic questions of the tests stay below it.
const (
	DefaultMinScore       = 0.4
	DefaultHandoffEntryID = "contact-human"
)

// Options configure a KBBot. The zero value means defaults.
type Options struct {
	// MinScore is the lowest similarity (0..1) at which an entry counts as a
	// match; 0 means DefaultMinScore.
	MinScore float64
	// HandoffEntryID is the entry that means "I want a person": matching it
	// hands over instead of answering. "" means DefaultHandoffEntryID.
	HandoffEntryID string
}

// KBBot answers from a knowledge base by text similarity. It is immutable
// after NewKB and safe for concurrent use.
type KBBot struct {
	opts    Options
	entries []kb.Entry
	index   *index
}

var _ Bot = (*KBBot)(nil)

// NewKB returns a bot answering from k; k must not be modified afterwards.
// A nil k gives a bot that never matches but still hands over on request.
func NewKB(k *kb.KB, opts Options) *KBBot {
	if opts.MinScore <= 0 {
		opts.MinScore = DefaultMinScore
	}
	if opts.HandoffEntryID == "" {
		opts.HandoffEntryID = DefaultHandoffEntryID
	}
	var entries []kb.Entry
	if k != nil {
		entries = k.Entries
	}
	return &KBBot{opts: opts, entries: entries, index: newIndex(entries)}
}

// Answer decides how to reply to one customer message: hand over on an
// explicit request (or a match of the handoff entry), answer from the best
// matching entry, or fall back to a hint on how to reach a person.
func (b *KBBot) Answer(ctx context.Context, in Input) (Reply, error) {
	if err := ctx.Err(); err != nil {
		return Reply{}, fmt.Errorf("bot answer conv=%s: %w", in.ConversationID, err)
	}
	locale := DetectLocale(in.Text)
	team := in.LastTeam
	if team == "" {
		team = DefaultTeam
	}

	if IsHandoffRequest(in.Text) {
		r := Reply{
			Text:    handoffText(locale),
			Locale:  locale,
			Handoff: true,
			Reason:  ReasonAskedForAgent,
			Team:    team,
			Score:   1,
		}
		// "My package is late, human please": route by the topic when the
		// rest of the message names one.
		if e, ok := b.match(b.index.bestTokens(topicTokens(in.Text), locale, b.opts.MinScore)); ok && e.ID != b.opts.HandoffEntryID {
			r.EntryID = e.ID
			if e.Team != "" {
				r.Team = e.Team
			}
		} else if e, ok := b.match(b.index.best(in.Text, locale, b.opts.MinScore)); ok && e.ID == b.opts.HandoffEntryID {
			// No topic; say which entry the request was, as for a
			// handoff by match below.
			r.EntryID = e.ID
		}
		return r, nil
	}

	best, score := b.index.best(in.Text, locale, b.opts.MinScore)
	if best < 0 || score < b.opts.MinScore {
		return Reply{Text: fallbackText(locale), Locale: locale, Team: team, Score: score}, nil
	}
	e := b.entries[best]
	if e.ID == b.opts.HandoffEntryID {
		// "How do I reach a person?" The handoff entry's own team says
		// nothing about the customer's problem: keep routing by what was
		// asked before.
		return Reply{
			Text:    handoffText(locale),
			Locale:  locale,
			Handoff: true,
			Reason:  ReasonAskedForAgent,
			Team:    team,
			EntryID: e.ID,
			Score:   score,
		}, nil
	}
	if e.Team != "" {
		team = e.Team
	}
	return Reply{
		Text:    e.Answer.Get(locale),
		Locale:  locale,
		Team:    team,
		EntryID: e.ID,
		Score:   score,
	}, nil
}

// match returns the entry of a best result if it scores at least MinScore.
func (b *KBBot) match(best int, score float64) (kb.Entry, bool) {
	if best < 0 || score < b.opts.MinScore {
		return kb.Entry{}, false
	}
	return b.entries[best], true
}

func handoffText(locale string) string {
	if locale == kb.ZH {
		return HandoffTextZH
	}
	return HandoffTextEN
}

func fallbackText(locale string) string {
	if locale == kb.ZH {
		return FallbackTextZH
	}
	return FallbackTextEN
}
