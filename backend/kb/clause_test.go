package kb

import "testing"

func TestQuestionClause(t *testing.T) {
	tests := []struct {
		text, locale, want string
	}{
		{"买的空气炸锅坏了，还在保修期内吗", ZH, "还在保修期内吗"},
		{"the item is faulty, will you pay for the return label?", EN, "will you pay for the return label?"},
		{"so um can I change it, it is blue", EN, "so um can I change it,"},
		{"包邮吗", ZH, ""},                    // one clause
		{"it costs 9.9 dollars?", EN, ""},  // a point between digits
		{"I got it, it is broken", EN, ""}, // nothing asks
		{"你好，在吗？", ZH, "在吗？"},
	}
	for _, tt := range tests {
		if got := questionClause(tt.text, tt.locale); got != tt.want {
			t.Errorf("questionClause(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}

func TestQuestionLikeZH(t *testing.T) {
	for text, want := range map[string]bool{
		"能退不":    true,
		"没法用了":   false,
		"还没发货":   false,
		"什么时候发货": true,
		"发了没？":   true,
	} {
		if got := questionLike(text, ZH); got != want {
			t.Errorf("questionLike(%q) = %v, want %v", text, got, want)
		}
	}
}

func TestResolveIt(t *testing.T) {
	for _, c := range []struct{ text, want string }{
		{"I placed an order last Tuesday and heard nothing. Can you tell me where it is?", "Can you tell me where my order is?"},
		{"I got a code from your newsletter, but nothing happens at checkout. How am I supposed to use it?", "How am I supposed to use my code?"},
		{"I returned them ten days ago and the refund isn't here. When will I get it?", "When will I get my refund?"},
		// The question names its own thing, the story names none, or no
		// pronoun.
		{"I placed an order last week. Where is my parcel?", "Where is my parcel?"},
		{"My headphones stopped charging. Can I get it repaired?", "Can I get it repaired?"},
		{"I placed an order last week. When does the shop open?", "When does the shop open?"},
	} {
		clause := questionClause(c.text, EN)
		if got := resolveIt(clause, c.text); got != c.want {
			t.Errorf("resolveIt(%q) = %q, want %q", c.text, got, c.want)
		}
	}
}

func TestClauseBefore(t *testing.T) {
	for _, c := range []struct{ text, locale, want string }{
		{"两周前买了件外套，颜色差太多了，我想退掉，要怎么操作", ZH, "我想退掉，"},
		{"I ordered the wrong thing and want to cancel, how do I go about it?", EN, "I ordered the wrong thing and want to cancel,"},
		{"怎么退货", ZH, ""},
	} {
		clause := questionClause(c.text, c.locale)
		if got := clauseBefore(c.text, clause); got != c.want {
			t.Errorf("clauseBefore(%q, %q) = %q, want %q", c.text, clause, got, c.want)
		}
	}
}
