package bot

import (
	"strings"
	"unicode"
)

// Explicit requests for a person.
//
// Chinese is matched by substring: every common phrasing (转人工, 人工客服,
// 人工服务, 找人工) contains 人工, and 真人 covers "real person". English is
// matched by whole words so that "agency" or "humane" do not count; only
// the singular words count, because the plural ("when are agents
// available?") is nearly always about agents rather than a call for one.
//
// A message that mentions one of these words is still not a request when it
// is a question about something else and asks for nobody:
//   - Chinese compounds whose 人工 is "man-made" or "labour" (人工智能,
//     人工费, 人工成本) are ignored;
//   - a Chinese message that asks about time (人工客服几点上班？) without a
//     request verb (转, 找, 要, 联系…) is a question about business hours;
//   - an English message that opens like a question (what, when, are, is…)
//     without a request verb (talk, speak, get, want, need…) is a question
//     about the word: "what is an agent fee?", "what does the operator
//     do?". "Can I talk to an agent?" and "Is there a human I can speak to?"
//     still are requests, and so is "are you a human?", like 你是真人吗: a
//     customer who doubts the bot wants a person.
//
// Unsure cases lean towards a request: an unneeded handoff costs an agent a
// minute, a refused one loses the customer.
var (
	zhPhrases         = []string{"人工", "真人"}
	zhNotRequest      = []string{"人工智能", "人工费", "人工成本"}
	zhTimeQuestion    = []string{"几点", "上班", "下班", "工作时间", "营业时间", "什么时候", "时间"}
	zhRequestVerbs    = []string{"转", "找", "要", "联系", "接", "换", "叫", "请", "给我", "让"}
	enPhrases         = [][]string{{"human"}, {"agent"}, {"representative"}, {"operator"}, {"real", "person"}, {"live", "person"}}
	enPersonVerbs     = map[string]bool{"talk": true, "speak": true, "chat": true}
	enPersonPreps     = map[string]bool{"to": true, "with": true}
	enPersonObjects   = [][]string{{"someone"}, {"somebody"}, {"anyone"}, {"anybody"}, {"a", "person"}, {"a", "real", "person"}, {"a", "live", "person"}, {"people"}}
	enQuestionOpeners = map[string]bool{
		"what": true, "when": true, "where": true, "why": true, "how": true, "who": true, "which": true,
		"is": true, "are": true, "was": true, "were": true, "do": true, "does": true, "did": true,
	}
	enRequestVerbs = map[string]bool{
		"talk": true, "speak": true, "chat": true, "connect": true, "transfer": true, "get": true,
		"want": true, "need": true, "reach": true, "contact": true, "call": true, "give": true,
		"put": true, "let": true, "see": true,
	}
)

// zhHandoffWords and enHandoffWords are removed from a handoff request
// before it is matched against the knowledge base for its topic: in
// "快递一直没到，转人工" only "快递一直没到" says where to route, and "agent"
// alone must not match "When are agents available?". Longer Chinese phrases
// come first so that 转人工 goes whole.
var (
	zhHandoffWords = []string{"转人工", "找人工", "人工客服", "人工服务", "人工", "真人"}
	enHandoffWords = map[string]bool{
		"human": true, "agent": true, "representative": true, "operator": true,
		"real": true, "live": true, "person": true, "someone": true, "somebody": true,
		"anyone": true, "anybody": true, "people": true, "talk": true, "speak": true, "chat": true,
	}
)

// topicText returns a handoff request without the words that ask for a
// person.
func topicText(text string) string {
	for _, s := range zhHandoffWords {
		text = strings.ReplaceAll(text, s, " ")
	}
	var out []string
	for _, w := range words(text) {
		if !enHandoffWords[w] {
			out = append(out, w)
		}
	}
	// Han runs are dropped by words; keep them as they are.
	var han []rune
	for _, r := range text {
		if unicode.Is(unicode.Han, r) {
			han = append(han, r)
		} else if len(han) > 0 && han[len(han)-1] != ' ' {
			han = append(han, ' ')
		}
	}
	return strings.TrimSpace(string(han) + " " + strings.Join(out, " "))
}

// IsHandoffRequest reports whether text explicitly asks for a person, in
// Chinese or English (case-insensitive).
func IsHandoffRequest(text string) bool {
	return zhHandoffRequest(text) || enHandoffRequest(words(text))
}

func zhHandoffRequest(text string) bool {
	for _, s := range zhNotRequest {
		text = strings.ReplaceAll(text, s, "")
	}
	if !containsAny(text, zhPhrases) {
		return false
	}
	if containsAny(text, zhTimeQuestion) && !containsAny(text, zhRequestVerbs) {
		return false
	}
	return true
}

func enHandoffRequest(ws []string) bool {
	if !mentionsPerson(ws) {
		return false
	}
	if len(ws) > 1 && ws[0] == "are" && ws[1] == "you" {
		return true
	}
	if len(ws) > 0 && enQuestionOpeners[ws[0]] {
		for _, w := range ws {
			if enRequestVerbs[w] {
				return true
			}
		}
		return false
	}
	return true
}

// mentionsPerson reports whether ws contain an English handoff phrase.
func mentionsPerson(ws []string) bool {
	for i := range ws {
		for _, p := range enPhrases {
			if hasPrefix(ws[i:], p) {
				return true
			}
		}
		if enPersonVerbs[ws[i]] && i+1 < len(ws) && enPersonPreps[ws[i+1]] {
			for _, o := range enPersonObjects {
				if hasPrefix(ws[i+2:], o) {
					return true
				}
			}
		}
	}
	return false
}

// words returns the lowercased words of text: runs of letters and digits,
// apostrophes dropped ("don't" is "dont").
func words(text string) []string {
	var (
		out []string
		w   []rune
	)
	for _, r := range text {
		switch {
		case unicode.IsLetter(r) && !unicode.Is(unicode.Han, r), unicode.IsDigit(r):
			w = append(w, unicode.ToLower(r))
		case r == '\'' || r == '’':
		default:
			if len(w) > 0 {
				out = append(out, string(w))
				w = w[:0]
			}
		}
	}
	if len(w) > 0 {
		out = append(out, string(w))
	}
	return out
}

func hasPrefix(ws, prefix []string) bool {
	if len(ws) < len(prefix) {
		return false
	}
	for i, p := range prefix {
		if ws[i] != p {
			return false
		}
	}
	return true
}

func containsAny(s string, subs []string) bool {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}
