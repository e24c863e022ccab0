package kb

import (
	"regexp"
	"slices"
	"strings"

	"switchboard/backend/lexicon"
)

// "How do I change my gender in the app", "change my display language to
// english", "can I change the email I log in with": the lexicon reads a
// bare "change" as a change of the order or an exchange, which is what a
// shop's customers mostly change, so any of these found the order's entry.
// What is changed decides: the words after the verb, up to a preposition.
// A thing of the customer's account or of the app and its settings is no
// order's; so is a thing the lexicon does not know, said of the app or the
// account ("my gender in the app"). "Can I change it", "change the size",
// "change my trainers" keep the verb's reading.
// The changed thing's words are ASCII letters (not the case-folded class,
// which takes the Kelvin sign for a k), so lower-casing keeps their offsets.
var enChangeObject = regexp.MustCompile(`^\s+(?:(?i:my|the|your|our|this|that|a|an)\s+)?([A-Za-z][A-Za-z'-]*(?:\s+[A-Za-z][A-Za-z'-]*){0,2})`)

// changeStops end a changed thing's words: what follows is where or how.
var changeStops = map[string]bool{
	"to": true, "in": true, "on": true, "for": true, "of": true, "from": true, "with": true,
	"at": true, "i": true, "and": true, "or": true, "so": true, "because": true, "but": true,
	"please": true, "into": true, "back": true, "now": true, "if": true, "when": true,
}

// changePronouns are changed things that say nothing of what they are.
var changePronouns = map[string]bool{
	"it": true, "them": true, "this": true, "that": true, "one": true, "something": true,
	"anything": true, "things": true, "stuff": true,
}

// accountThings are the concepts of what a customer changes outside any
// order: the account, its details (each related to account) and the app.
var accountThings = map[string]bool{
	"account": true, "app": true, "website": true, "language": true, "login": true,
	"notifications": true,
}

// bareChange is the lexicon's term that reads "change" as an order's.
const bareChange = "change"

// changeOfOther returns ms without the bare "change" when what the text
// changes is no order's (enChangeObject).
func changeOfOther(lx *lexicon.Lexicon, text string, ms []lexicon.Match) []lexicon.Match {
	at := slices.IndexFunc(ms, func(m lexicon.Match) bool { return m.Term == bareChange })
	if at < 0 {
		return ms
	}
	loc := enChangeObject.FindStringSubmatchIndex(text[ms[at].End:])
	if loc == nil {
		return ms
	}
	// The words of the changed thing, lower-cased once, each ending where
	// its end is in text.
	start := ms[at].End + loc[2]
	object := strings.ToLower(text[start : ms[at].End+loc[3]])
	end, next := start, 0
	for _, w := range strings.Fields(object) {
		if changeStops[w] {
			break
		}
		if changePronouns[w] {
			return ms
		}
		next += strings.Index(object[next:], w) + len(w)
		end = start + next
	}
	if end == start {
		return ms
	}
	ofAccount := func(m lexicon.Match) bool {
		return slices.ContainsFunc(m.Concepts, func(id string) bool {
			return accountThings[id] || lx.IsRelated(id, "account")
		})
	}
	named, other := false, false
	for i, m := range ms {
		if i == at {
			continue
		}
		inside := m.Start >= start && m.End <= end
		switch {
		case inside && !ofAccount(m):
			return ms // an order's thing, or one of its own
		case inside:
			named = true
		case !ofAccount(m):
			other = true
		}
	}
	// A thing the lexicon does not know counts as the account's when the
	// text says nothing but of the account and the app.
	if !named && (other || !slices.ContainsFunc(ms, ofAccount)) {
		return ms
	}
	return slices.Delete(slices.Clone(ms), at, at+1)
}
