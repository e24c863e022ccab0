package bot

import (
	"strings"

	"switchboard/backend/hanzi"
)

// Complaint words. A customer who complains or is angry should not be kept
// talking to a bot: the cost of a wrong handoff is an agent's minute, that of
// a missed one an escalation. Chinese is matched by substring, English by
// lowercased substring on word boundaries.
var (
	zhComplaint = []string{
		"投诉", "差评", "太差", "垃圾", "生气", "骗子", "骗人", "坑人", "气死", "受不了",
		"什么破", "忍无可忍", "举报", "消协", "12315", "退钱", "马上退款", "太烂", "恶心",
	}
	enComplaint = [][]string{
		{"refund", "now"}, {"terrible"}, {"angry"}, {"complaint"}, {"complain"}, {"scam"},
		{"scammer"}, {"scammers"}, {"fraud"}, {"ripoff"}, {"rip", "off"}, {"awful"}, {"horrible"},
		{"worst"}, {"useless"}, {"disgusting"}, {"furious"}, {"unacceptable"}, {"ridiculous"},
		{"pathetic"}, {"garbage"}, {"rubbish"}, {"sue"}, {"lawyer"}, {"money", "back", "now"},
	}
)

// IsComplaint reports whether text contains complaint or anger words, in
// Chinese or English.
func IsComplaint(text string) bool {
	text = hanzi.Simplify(text)
	if containsAny(text, zhComplaint) {
		return true
	}
	ws := words(strings.ToLower(text))
	for i := range ws {
		for _, p := range enComplaint {
			if hasPrefix(ws[i:], p) {
				return true
			}
		}
	}
	return false
}
