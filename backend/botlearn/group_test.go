package botlearn

import (
	"fmt"
	"sort"
	"strings"
	"testing"

	"switchboard/backend/store"
)

// Questions customers really ask, several wordings of each topic in both
// languages.
var topics = map[string][]string{
	"xinjiang": {"寄到新疆要几天", "新疆多久能收到", "发货到新疆需要几天？", "How long does delivery to Xinjiang take?", "xinjiang shipping how many days"},
	"invoice":  {"能开发票吗", "可以开增值税发票吗", "发票怎么开", "Can I get an invoice?", "how do I get a VAT invoice"},
	"store":    {"你们有实体店吗", "线下门店在哪里", "Do you have a physical store?", "where is your shop located offline"},
	"cancel":   {"我想取消订单", "订单怎么取消", "how do I cancel my order"},
	"track":    {"我的快递到哪了", "查一下物流", "where is my parcel now"},
}

func TestGroupWordings(t *testing.T) {
	var misses []store.Miss
	topicOf := map[string]string{}
	at := int64(1000)
	for _, name := range []string{"xinjiang", "invoice", "store", "cancel", "track"} {
		for _, q := range topics[name] {
			at++
			id := fmt.Sprintf("m%d", at)
			misses = append(misses, store.Miss{ID: id, Text: q, Locale: Locale(q), CreatedAt: at})
			topicOf[id] = name
		}
	}
	groups := Group(misses)
	for _, g := range groups {
		var texts []string
		for _, m := range g {
			texts = append(texts, topicOf[m.ID]+":"+m.Text)
		}
		t.Logf("group of %d: %s", len(g), strings.Join(texts, " | "))
	}
	// Every group holds one topic, and every topic's Chinese wordings are
	// in one group.
	for _, g := range groups {
		for _, m := range g[1:] {
			if topicOf[m.ID] != topicOf[g[0].ID] {
				t.Errorf("%q and %q are grouped, but they are different questions", g[0].Text, m.Text)
			}
		}
	}
	groupOf := map[string]int{}
	for i, g := range groups {
		for _, m := range g {
			groupOf[m.ID] = i
		}
	}
	for name := range topics {
		seen := map[int]bool{}
		for id, tp := range topicOf {
			if tp == name && Locale(misses[indexOf(misses, id)].Text) == "zh" {
				seen[groupOf[id]] = true
			}
		}
		if len(seen) != 1 {
			t.Errorf("the Chinese wordings of %s are in %d groups, want one", name, len(seen))
		}
	}
	var sizes []int
	for _, g := range groups {
		sizes = append(sizes, len(g))
	}
	if !sort.SliceIsSorted(sizes, func(i, j int) bool { return sizes[i] > sizes[j] }) {
		t.Errorf("group sizes %v: want largest first", sizes)
	}
	for _, g := range groups {
		for i := 1; i < len(g); i++ {
			if g[i].CreatedAt > g[i-1].CreatedAt {
				t.Errorf("group questions not newest first: %v", g)
			}
		}
	}
}

func indexOf(ms []store.Miss, id string) int {
	for i, m := range ms {
		if m.ID == id {
			return i
		}
	}
	return -1
}

func TestSubstantive(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"转人工", false},
		{"人工客服！", false},
		{"我要人工", false},
		{"human please", false},
		{"I want to talk to a real person", false},
		{"agent", false},
		{"我的快递三天了还没到，转人工", true},
		{"我要投诉", true},
		{"my package is late, human please", true},
		{"Can I change the delivery address?", true},
	}
	for _, tt := range tests {
		if got := Substantive(tt.in); got != tt.want {
			t.Errorf("Substantive(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}
