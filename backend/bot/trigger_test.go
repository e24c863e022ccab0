package bot

import (
	"strings"
	"testing"

	"switchboard/backend/kb"
)

func TestSuggestions(t *testing.T) {
	b := demoBot()
	tests := []struct {
		name, text string
		wantLoc    string
	}{
		{"zh answer", "包邮吗", "zh"},
		{"en answer", "Is shipping free?", "en"},
		{"zh fallback", "退货", "zh"},
	}
	for _, tt := range tests {
		r := answer(t, b, Input{Text: tt.text})
		if n := len(r.Suggestions); n == 0 || n > DefaultSuggestions {
			t.Errorf("Answer(%q) suggestions = %q, want 1..%d", tt.text, r.Suggestions, DefaultSuggestions)
		}
		for _, s := range r.Suggestions {
			if DetectLocale(s) != tt.wantLoc {
				t.Errorf("Answer(%q) suggestion %q not in %s", tt.text, s, tt.wantLoc)
			}
			if r.EntryID != "" {
				if got := answer(t, b, Input{Text: s}); got.EntryID == r.EntryID {
					t.Errorf("Answer(%q) suggests %q, a question of the entry it answered", tt.text, s)
				}
			}
		}
	}
	if r := answer(t, mustKB(nil, Options{}), Input{Text: "包邮吗"}); len(r.Suggestions) != 0 {
		t.Errorf("nil KB suggestions = %q, want none", r.Suggestions)
	}
	if r := answer(t, mustKB(demoKB(), Options{Suggestions: -1}), Input{Text: "包邮吗"}); len(r.Suggestions) != 0 {
		t.Errorf("Suggestions: -1 gave %q, want none", r.Suggestions)
	}
}

func TestHandoffTriggers(t *testing.T) {
	vipRule := func(in Input) (bool, string) {
		return in.Ext["order_total"] == "big", "big order"
	}
	b := mustKB(demoKB(), Options{Rules: []Rule{vipRule}})
	tests := []struct {
		name       string
		in         Input
		wantReason string // "" means no handoff
	}{
		{"answer", Input{Text: "包邮吗"}, ""},
		{"first low confidence", Input{Text: "asdfgh qwerty"}, ""},
		{"second low confidence", Input{Text: "asdfgh qwerty", LowConfidence: 1}, ReasonLowConfidence},
		{"second low confidence zh", Input{Text: "讲个笑话", LowConfidence: 1}, ReasonLowConfidence},
		{"confident answer resets nothing", Input{Text: "包邮吗", LowConfidence: 1}, ""},
		{"vip true", Input{Text: "包邮吗", Verified: map[string]string{"vip": "true"}}, ReasonVIP},
		{"vip 1", Input{Text: "Is shipping free?", Verified: map[string]string{"vip": "1"}}, ReasonVIP},
		{"vip false", Input{Text: "Is shipping free?", Verified: map[string]string{"vip": "false"}}, ""},
		{"vip beats request", Input{Text: "转人工", Verified: map[string]string{"vip": "TRUE"}}, ReasonVIP},
		{"unverified vip is no vip", Input{Text: "包邮吗", Ext: map[string]string{"vip": "true", "verified": "true"}}, ""},
		{"asked", Input{Text: "转人工"}, ReasonAskedForAgent},
		{"complaint zh", Input{Text: "我要投诉你们"}, ReasonNegative},
		{"bad review zh", Input{Text: "再不发货就给差评"}, ReasonNegative},
		{"angry zh", Input{Text: "太差了，我很生气"}, ReasonNegative},
		{"scam zh", Input{Text: "你们就是骗子"}, ReasonNegative},
		{"garbage zh", Input{Text: "垃圾服务"}, ReasonNegative},
		{"refund now", Input{Text: "Refund now!"}, ReasonNegative},
		{"terrible", Input{Text: "this is terrible service"}, ReasonNegative},
		{"angry", Input{Text: "I am so ANGRY"}, ReasonNegative},
		{"complaint", Input{Text: "I want to file a complaint"}, ReasonNegative},
		{"scam", Input{Text: "this shop is a scam"}, ReasonNegative},
		{"rule", Input{Text: "Is shipping free?", Ext: map[string]string{"order_total": "big"}}, ReasonRule + ": big order"},
		// Words that contain a complaint word but are none.
		{"scampi", Input{Text: "do you sell scampi"}, ""},
		{"a scam call", Input{Text: "how do I report a scam call"}, ""},
		{"a scam call about the order", Input{Text: "I got a scam call about my order, is this a scam?"}, ReasonNegative},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := answer(t, b, tt.in)
			if tt.wantReason == "" {
				if r.Handoff {
					t.Errorf("Answer(%+v) handed over (%s), want no handoff", tt.in, r.Reason)
				}
				return
			}
			if !r.Handoff || r.Reason != tt.wantReason {
				t.Errorf("Answer(%+v) = handoff %v reason %q, want reason %q", tt.in, r.Handoff, r.Reason, tt.wantReason)
			}
			if r.Text == "" || r.Team == "" {
				t.Errorf("Answer(%+v) = %+v, want a text and a team", tt.in, r)
			}
		})
	}
}

func TestHandoffRoutesComplaintByTopic(t *testing.T) {
	r := answer(t, demoBot(), Input{Text: "快递一直没到，我要投诉"})
	if !r.Handoff || r.Reason != ReasonNegative || r.Team != "aftersales" || r.EntryID != "delivery-late" {
		t.Errorf("Answer = %+v, want a negative_sentiment handoff to aftersales on delivery-late", r)
	}
}

func TestIsComplaint(t *testing.T) {
	for _, s := range []string{"投诉", "差评", "太差", "垃圾", "生气", "骗子", "refund now", "terrible", "angry", "complaint", "scam", "Scam!",
		// Another's name beside the shop or an order: the shop's complaint.
		"the landlord took my parcel, terrible", "can you tell me why my landlord got my parcel, this is terrible", "投诉你们的快递员，他把东西扔在物业", "my bank says the money was never returned, this is a scam",
		"the school bag is rubbish, the strap broke",
		// A neighbour or the weather beside a delivery or a product: the shop's.
		"the neighbour signed for it, terrible", "邻居帮我签收了，气死了", "this jacket is useless in the rain, rubbish",
		"my husband is furious, the parcel never came", "我老公气死了，包裹到现在还没收到",
		// A pet beside a delivery, a provider of the shop's.
		"我家猫把你们寄来的箱子抓烂了，气死", "the courier provider you use is terrible",
		// 退钱 demanded, not asked about.
		"退钱", "赶紧退钱！", "不退钱我就投诉", "垃圾！什么破东西", "this is rubbish",
		// A courier named beside a complaint of one's own.
		"申通太垃圾了，投诉电话多少",
		// Another business named beside the shop: the shop's complaint.
		"I bought it on Xianyu from your store and it's a scam", "在闲鱼上买了你们的东西，是假货，我要投诉",
		// Threats of the law or the press.
		"你们不处理我就起诉", "再拖我就找律师了", "我要找媒体曝光", "I'm going to the press with this", "I will file a chargeback",
		// Or of the police.
		"I will report you to the police", "你们再不退款我就报警",
		// The complaint word misheard.
		"我要投素", "给你差平"} {
		if !IsComplaint(s) {
			t.Errorf("IsComplaint(%q) = false, want true", s)
		}
	}
	for _, s := range []string{"包邮吗", "how do I get a refund", "scampi", "", strings.Repeat("好", 100), "今晚在哪投宿",
		// A complaint about someone no shop answers for.
		"my landlord is terrible, who do I complain to", "怎么投诉物业", "航空公司把我行李弄丢了，怎么投诉他们", "淘宝客服怎么投诉",
		// The bot asked for help with it.
		"can you help me write a complaint letter to my landlord",
		// The customer's own boss, work or neighbours.
		"邻居太吵了怎么投诉", "我要投诉我的老板", "烦死了，又要加班", "my boss is awful", "the neighbours are so loud, who do I complain to",
		// The customer's family, with nothing of the shop named.
		"老婆生气了怎么哄", "my wife is angry with me, any advice", "男朋友生气了不理我怎么办",
		// The customer's pets and internet provider.
		"我家猫把沙发抓烂了，气死", "my internet provider is terrible",
		// A product's noise or smell described, not the customer's anger.
		"my fridge is making a horrible noise, is it covered?", "the jacket has an awful smell",
		// A question of when or how the money comes back.
		"啥时候退钱", "退钱要多久？", "怎么退钱",
		// Things named with a complaint word.
		"注册以后一直收到垃圾短信，你们会把手机号给别人吗", "垃圾袋有现货吗", "do you sell rubbish bags", "is the garbage disposal in stock",
		// Another business's complaint line asked for.
		"申通的投诉电话是多少", "顺丰快递投诉热线多少",
		// A phone company or a second-hand market complained of.
		"China Mobile sent me an invoice for data I never used, how do I complain?", "How do I report a scam seller on Xianyu?",
		"在闲鱼上被骗了怎么举报？", "中国移动乱扣费怎么投诉",
		// Another business's service complained to, or one's energy supplier.
		"航空公司的客服怎么投诉", "how do I escalate a complaint with my energy supplier",
		// Another business written as a name, or a travel platform, complained to.
		"how do I complain to Expedia's customer service", "携程的客服怎么投诉",
		// A lawyer's own invoice, a camera's exposure, a button pressed.
		"我是律师，需要开发票", "相机曝光怎么调", "press the power button for 3 seconds",
		// The police asked about, with nothing of the shop's.
		"how do I report a scam to the police", "我被骗了怎么报警"} {
		if IsComplaint(s) {
			t.Errorf("IsComplaint(%q) = true, want false", s)
		}
	}
}

func demoKB() *kb.KB { return kb.Demo() }

// A question about how to reach another business's service is neither a
// request for the shop's people nor one of its entries' questions.
func TestAsksOthersContact(t *testing.T) {
	for _, c := range []struct {
		text string
		want bool
	}{
		{"圆通快递的客服电话多少", true},
		{"邮政客服怎么联系", true},
		// A courier's own people: its deliverer's, its branch's number.
		{"韵达的快递员电话是多少", true},
		{"顺丰快递员电话多少", true},
		{"中通的网点电话是多少", true},
		{"你们的快递员电话打不通", false},
		{"how do I contact DHL customer service", true},
		{"what's the number for the bank's helpline", true},
		{"the bank's customer service number please", true},
		{"顺丰客服说包裹退回了，怎么办", false},
		{"中通客服让我打电话给你们", false},
		{"你们京东的客服电话是多少", false},
		{"UPS support told me to contact you about my damaged parcel", false},
		{"客服电话是多少", false},
		{"what is your customer service number", false},
	} {
		if got := AsksOthersContact(c.text); got != c.want {
			t.Errorf("AsksOthersContact(%q) = %v, want %v", c.text, got, c.want)
		}
	}
	b := mustKB(evalKB(t), Options{})
	for _, text := range []string{"申通快递的客服电话是多少", "how can I reach FedEx customer service"} {
		if r := answer(t, b, Input{Text: text}); r.Handoff || r.EntryID != "" {
			t.Errorf("%q: entry %q handoff %v, want neither", text, r.EntryID, r.Handoff)
		}
	}
}
