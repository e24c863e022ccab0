// Package canned holds the shared canned responses staff insert by typing
// "/" and a shortcut in the composer: their rules (scope, shortcut, text in
// Chinese and English, the variables the text may hold), the service that
// lists and edits them for a caller (used by the WebSocket handlers and the
// admin command alike) and the filler that puts a conversation's values
// into a text. The desktop composer fills texts itself, with a TypeScript
// mirror of Fill kept in step by the cases of testdata/fill_cases.json.
package canned

import (
	"regexp"
	"strings"
)

// Variables a text may hold, each written in braces: {customer.name},
// {order_no}, {agent.name} and {ext.KEY} for any business field KEY of the
// conversation.
const (
	VarCustomerName = "customer.name"
	VarOrderNo      = "order_no"
	VarAgentName    = "agent.name"
	// ExtPrefix starts a business-field variable.
	ExtPrefix = "ext."
)

// varRE matches a variable: braces around a name of letters, digits, '_',
// '.' and '-'. Braces around anything else (spaces, other punctuation) are
// plain text.
var varRE = regexp.MustCompile(`\{([A-Za-z0-9_.\-]{1,64})\}`)

// Known reports whether name is a variable Fill knows.
func Known(name string) bool {
	switch name {
	case VarCustomerName, VarOrderNo, VarAgentName:
		return true
	}
	key, ok := strings.CutPrefix(name, ExtPrefix)
	return ok && key != "" && !strings.HasPrefix(key, ".") && !strings.HasSuffix(key, ".")
}

// Variables returns the names of the variables in text, in order of first
// appearance, each once.
func Variables(text string) []string {
	var out []string
	seen := map[string]bool{}
	for _, m := range varRE.FindAllStringSubmatch(text, -1) {
		if !seen[m[1]] {
			seen[m[1]] = true
			out = append(out, m[1])
		}
	}
	return out
}

// Unknown returns the variables of text that Fill does not know.
func Unknown(text string) []string {
	var out []string
	for _, v := range Variables(text) {
		if !Known(v) {
			out = append(out, v)
		}
	}
	return out
}

// Values are what a conversation gives the variables. An empty value is no
// value.
type Values struct {
	CustomerName string
	AgentName    string
	// Ext are the conversation's business fields; {order_no} is
	// Ext["order_no"].
	Ext map[string]string
}

func (v Values) lookup(name string) string {
	switch name {
	case VarCustomerName:
		return v.CustomerName
	case VarAgentName:
		return v.AgentName
	case VarOrderNo:
		return v.Ext["order_no"]
	}
	if key, ok := strings.CutPrefix(name, ExtPrefix); ok {
		return v.Ext[key]
	}
	return ""
}

// Fill replaces the variables of text with their values. A variable without
// a value (or an unknown one) stays in the text as it was written, braces
// included, so that the agent sees a marker to fill in and nothing is sent
// silently empty; missing lists those markers in order, each once.
func Fill(text string, v Values) (filled string, missing []string) {
	seen := map[string]bool{}
	filled = varRE.ReplaceAllStringFunc(text, func(m string) string {
		name := m[1 : len(m)-1]
		if Known(name) {
			if val := strings.TrimSpace(v.lookup(name)); val != "" {
				return val
			}
		}
		if !seen[m] {
			seen[m] = true
			missing = append(missing, m)
		}
		return m
	})
	return filled, missing
}

// Pick returns the text of r for a conversation in language lang ("zh…"
// for Chinese, anything else English): that language's text, else the
// other's.
func Pick(zh, en, lang string) string {
	if strings.HasPrefix(strings.ToLower(lang), "zh") {
		if zh != "" {
			return zh
		}
		return en
	}
	if en != "" {
		return en
	}
	return zh
}
