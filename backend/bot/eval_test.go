package bot

import (
	"os"
	"testing"

	"switchboard/backend/kb"
)

// The evaluation set: customer wordings written for this test, none of
// them a sample question of the knowledge base, with the entry each must
// get. They were written before the ranker's constants were tuned.
var evalParaphrases = []struct{ text, want string }{
	// Chinese.
	{"一般几天发货", "shipping-time"},
	{"付完款多久寄出", "shipping-time"},
	{"今天下单明天能发吗", "shipping-time"},
	{"运费多少钱", "shipping-fee"},
	{"满多少包邮", "shipping-fee"},
	{"要付邮费吗", "shipping-fee"},
	{"发什么快递", "shipping-carrier"},
	{"能发顺丰吗", "shipping-carrier"},
	{"快递公司是哪家", "shipping-carrier"},
	{"物流信息在哪看", "track-order"},
	{"怎么查快递单号", "track-order"},
	{"我的包裹现在在哪", "track-order"},
	{"收货地址能修改吗", "change-address"},
	{"地址写错了", "change-address"},
	{"想换个收货地址", "change-address"},
	{"我要取消订单", "cancel-order"},
	{"订单不想要了", "cancel-order"},
	{"怎么把订单取消掉", "cancel-order"},
	{"能七天无理由退吗", "return-policy"},
	{"你们的退货规则", "return-policy"},
	{"退货怎么操作", "return-howto"},
	{"申请退货的步骤", "return-howto"},
	{"退货邮费谁承担", "return-shipping-fee"},
	{"退回去的运费要我出吗", "return-shipping-fee"},
	{"退款几天到账", "refund-time"},
	{"钱多久能退回", "refund-time"},
	{"能换个尺码吗", "exchange"},
	{"想换一件别的颜色", "exchange"},
	{"收到的东西坏了", "damaged-item"},
	{"商品有破损", "damaged-item"},
	{"包裹少了一件东西", "missing-item"},
	{"东西没发全", "missing-item"},
	{"发票怎么开", "invoice"},
	{"能开增值税发票吗", "invoice"},
	{"可以用支付宝付款吗", "payment-methods"},
	{"能刷信用卡吗", "payment-methods"},
	{"能分几期", "installments"},
	{"花呗可以分期吗", "installments"},
	{"优惠券在哪里用", "coupon-use"},
	{"优惠券为什么不能用", "coupon-use"},
	{"刚买就降价了", "price-protection"},
	{"降价了能补差价吗", "price-protection"},
	{"会员有啥好处", "membership"},
	{"积分可以干什么", "points"},
	{"积分怎么使用", "points"},
	{"还有库存吗", "stock"},
	{"缺货什么时候补", "stock"},
	{"尺码表在哪", "size-guide"},
	{"不知道选哪个尺码", "size-guide"},
	{"保修期多长", "warranty"},
	{"坏了在保修期内吗", "warranty"},
	{"能包装成礼物吗", "gift-wrap"},
	{"能寄到国外吗美国", "international"},
	{"海外能配送吗", "international"},
	{"密码忘了", "account-password"},
	{"重置密码怎么弄", "account-password"},
	{"手机号换了怎么改绑", "account-phone"},
	{"账号怎么注销", "delete-account"},
	{"我的个人信息会被泄露吗", "privacy"},
	{"客服几点下班", "business-hours"},
	{"能去门店自提吗", "store-pickup"},
	{"公司批量采购有折扣吗", "bulk-order"},
	{"快递好几天没到", "delivery-late"},
	{"物流一直不更新", "delivery-late"},
	{"显示签收了但是我没收到", "signed-not-received"},
	{"订单能改商品吗", "modify-order"},
	{"付款一直失败", "pay-failed"},
	{"支付不了", "pay-failed"},
	{"是不是正品", "product-authentic"},
	{"会卖假货吗", "product-authentic"},
	// English.
	{"how soon do you ship", "shipping-time"},
	{"when does my order get shipped", "shipping-time"},
	{"how long before my order ships", "shipping-time"},
	{"how much does shipping cost", "shipping-fee"},
	{"do you offer free shipping", "shipping-fee"},
	{"what is the shipping fee", "shipping-fee"},
	{"which courier will deliver my order", "shipping-carrier"},
	{"can I pick the courier", "shipping-carrier"},
	{"how can I track my package", "track-order"},
	{"where is my order now", "track-order"},
	{"track my order", "track-order"},
	{"can I change my shipping address", "change-address"},
	{"wrong address on my order", "change-address"},
	{"I want to cancel my order", "cancel-order"},
	{"cancel order please", "cancel-order"},
	{"how do I cancel", "cancel-order"},
	{"what's the return policy", "return-policy"},
	{"can I return within 7 days", "return-policy"},
	{"how do I send an item back", "return-howto"},
	{"how to return an item", "return-howto"},
	{"who pays return shipping", "return-shipping-fee"},
	{"do I have to pay postage for a return", "return-shipping-fee"},
	{"when will I get my refund", "refund-time"},
	{"how long does the refund take", "refund-time"},
	{"can I exchange it for another size", "exchange"},
	{"exchange an item", "exchange"},
	{"the item arrived damaged", "damaged-item"},
	{"my product is defective", "damaged-item"},
	{"one item is missing from my package", "missing-item"},
	{"I didn't receive everything I ordered", "missing-item"},
	{"I need an invoice", "invoice"},
	{"how to get an invoice", "invoice"},
	{"what payment methods are accepted", "payment-methods"},
	{"can I pay with a credit card", "payment-methods"},
	{"can I pay in installments", "installments"},
	{"installment plans available?", "installments"},
	{"how do I use my coupon", "coupon-use"},
	{"my coupon doesn't work", "coupon-use"},
	{"price dropped after I bought it", "price-protection"},
	{"what are the benefits of membership", "membership"},
	{"how to become a member", "membership"},
	{"how can I use my points", "points"},
	{"is it in stock", "stock"},
	{"when will this be restocked", "stock"},
	{"how do I pick the right size", "size-guide"},
	{"do you have a size chart", "size-guide"},
	{"how long is the warranty period", "warranty"},
	{"is this covered by warranty", "warranty"},
	{"can you gift wrap my order", "gift-wrap"},
	{"do you ship abroad", "international"},
	{"international shipping available?", "international"},
	{"forgot my password", "account-password"},
	{"reset my password", "account-password"},
	{"change my phone number", "account-phone"},
	{"delete my account", "delete-account"},
	{"close my account", "delete-account"},
	{"is my personal data safe with you", "privacy"},
	{"what are the support hours", "business-hours"},
	{"can I pick up my order in store", "store-pickup"},
	{"do you have discounts for bulk orders", "bulk-order"},
	{"my package is late", "delivery-late"},
	{"tracking hasn't updated in days", "delivery-late"},
	{"it says delivered but I didn't receive it", "signed-not-received"},
	{"can I add an item to my order", "modify-order"},
	{"my payment failed", "pay-failed"},
	{"payment didn't go through", "pay-failed"},
	{"are these products genuine", "product-authentic"},
	{"is this authentic", "product-authentic"},
}

// evalHandoff are explicit requests for a person: every one must hand over.
var evalHandoff = []string{
	"转人工", "人工", "人工客服", "我要人工", "帮我转人工客服", "找个真人", "能不能让人工来处理",
	"请给我转接人工服务", "我要跟真人说话", "你是真人吗", "叫人工出来", "联系人工客服",
	"human", "agent please", "I want to talk to a human", "can I speak to a real person",
	"connect me to an agent", "get me a representative", "let me talk to someone",
	"I need a live person", "operator", "transfer me to a human agent", "are you a human?",
	"speak with somebody please",
}

// evalOutOfScope are questions the knowledge base cannot answer: the bot
// must not answer any of them confidently.
var evalOutOfScope = []string{
	"今天天气怎么样", "讲个笑话", "你们老板是谁", "人工智能是什么", "推荐一部电影", "明天会下雨吗",
	"北京有什么好吃的", "你几岁了", "帮我写一首诗", "股票能涨吗",
	"what's the weather like", "tell me a joke", "who is your CEO", "what is the meaning of life",
	"recommend a movie", "how old are you", "write me a poem", "what's 2 plus 2",
	"do you like cats", "who won the football game",
}

// evalOutOfScopeHard are more questions the knowledge base cannot answer,
// added with the synonyms, answer credit and smaller stop list of the
// ranker (each gives an out-of-scope question more to match) so that the
// thresholds are checked on more than ten refusals per language. Several
// share a shop word with an entry (手机, "phone", "stock", "safe"), which
// word overlap cannot tell from a real question; they have their own
// ceiling.
var evalOutOfScopeHard = []string{
	"帮我算一下数学题", "附近有银行吗", "怎么做红烧肉", "世界杯谁赢了", "你叫什么名字", "飞机票多少钱",
	"手机怎么截图", "明天几号", "哪里可以学开车", "猫为什么怕水", "房价会跌吗", "酒店怎么预订",
	"高铁几点发车", "医院挂号怎么挂", "翻译一下这句话", "如何减肥", "今天油价多少",
	"what's the capital of France", "how do I bake bread", "who is the president",
	"what day is it today", "can you help me with my homework", "how far is the moon",
	"recommend a good book", "what's the best phone to buy", "is the stock market up today",
	"how do I fix my car", "what's your name", "play some music", "how many calories in an apple",
	"where is the nearest hospital", "what language do you speak", "who invented the internet",
	"how do I cook rice", "is it safe to fly", "book a hotel room for me", "convert 10 dollars to euros",
}

// Thresholds of TestEval and TestEvalHeldOut.
//
// Top-1 accuracy (right entry and confident enough to answer) on the
// tuning set was 80.0% (zh) and 88.2% (en) before the synonyms, answer
// credit and function-word handling of package kb, and is 92.9% (zh) and
// 94.1% (en) after, unchanged by the light English filler words and the
// idf over sample questions that came next (everyday_test.go); the floor
// of 90% is the aim, a few wordings below today's figures so that one new
// hard wording does not fail the test but a regression of the method
// does. The held-out set, never tuned on, went from 48.8% to 72.1% (zh)
// and from 30.0% to 52.5% (en), then to 76.7% (zh) and down to 47.5% (en)
// with the filler words and the idf over questions (each of the two alone
// costs two English wordings): wordings whose own words miss the
// knowledge base's had cleared the English threshold partly on the "can
// I", "do you" and "should I" they share with a sample question, and now
// stop at 0.32 to 0.35. The tuning set flatters the ranker by some 20
// points or more. With the concept lexicon, the speller and the lower
// thresholds of package kb and bot it reached 83.7% (zh) and 87.5% (en);
// the held-out floor of 80% guards that gain in both languages.
//
// An explicit request must always hand over: a refused handoff loses the
// customer. Out of scope, a confident wrong answer misleads: none of the
// original twenty may be answered. The hard ones share a shop word with an
// entry (手机怎么截图 → account-phone, "is it safe to fly" → privacy are
// answered today, 2/37); refusing them would take thresholds that cost
// seven right answers in Chinese, so they get a ceiling of 6% instead. The
// held-out out-of-scope set has 2/20 false answers (1/20 before the
// synonyms, 2/20 after, 0/20 once the idf counted sample questions only,
// 1/20 with the answer weights, 2/20 with the lexicon and the lower
// thresholds), allowed up to 10%.
const (
	evalMinTop1           = 0.90
	evalMinHandoff        = 1.0
	evalMaxFalseRatio     = 0
	evalMaxFalseRatioHard = 0.06
	heldOutMinTop1        = 0.80
	heldOutMaxFalseRatio  = 0.10
)

func TestEval(t *testing.T) {
	k := evalKB(t)
	samples := make(map[string]bool)
	for _, e := range k.Entries {
		for _, q := range append(e.Questions.ZH, e.Questions.EN...) {
			samples[q] = true
		}
	}
	for _, p := range evalParaphrases {
		if samples[p.text] {
			t.Errorf("evaluation wording %q is a sample question of the knowledge base", p.text)
		}
	}
	evaluate(t, k, evalParaphrases, evalHandoff, evalOutOfScope, true).check(t, evalMinTop1, evalMaxFalseRatio)
	n := falseAnswers(t, mustKB(k, Options{}), evalOutOfScopeHard, true)
	ratio := float64(n) / float64(len(evalOutOfScopeHard))
	t.Logf("false answers out of scope, hard: %d/%d (%.1f%%)", n, len(evalOutOfScopeHard), 100*ratio)
	if ratio > evalMaxFalseRatioHard {
		t.Errorf("false answers, hard %.1f%%, want at most %.0f%%", 100*ratio, 100*evalMaxFalseRatioHard)
	}
}

// TestEvalHeldOut measures the held-out set (heldout_test.go) like
// TestEval, against its own floor.
func TestEvalHeldOut(t *testing.T) {
	if trainOnly() {
		t.Skip("EVAL_TRAIN_ONLY: the held-out set is not run while tuning")
	}
	k := evalKB(t)
	samples := make(map[string]bool)
	for _, e := range k.Entries {
		for _, q := range append(e.Questions.ZH, e.Questions.EN...) {
			samples[q] = true
		}
	}
	tuning := make(map[string]bool)
	for _, p := range evalParaphrases {
		tuning[p.text] = true
	}
	for _, p := range paraphrases {
		tuning[p.text] = true
	}
	for _, p := range heldOutParaphrases {
		if samples[p.text] || tuning[p.text] {
			t.Errorf("held-out wording %q is a sample question or in the tuning set", p.text)
		}
	}
	evaluate(t, k, heldOutParaphrases, heldOutHandoff, heldOutOutOfScope, false).check(t, heldOutMinTop1, heldOutMaxFalseRatio)
}

func evalKB(t testing.TB) *kb.KB {
	t.Helper()
	if _, err := os.Stat(sharedKB); err != nil {
		t.Skipf("no %s: %v", sharedKB, err)
	}
	k, err := kb.LoadFile(sharedKB)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// evalResult are the figures of one evaluation set.
type evalResult struct {
	top1         map[string][2]int // locale → right, total
	handed, asks int
	falseAnswers int
	outOfScope   int
}

// evaluate asks the default bot over k every wording of an evaluation set
// and counts; with listMisses the misses are logged (never for a held-out
// set: its items are not to be looked at one by one while tuning).
func evaluate(t *testing.T, k *kb.KB, set []struct{ text, want string }, handoff, outOfScope []string, listMisses bool) evalResult {
	t.Helper()
	b := mustKB(k, Options{})
	res := evalResult{top1: map[string][2]int{kb.ZH: {}, kb.EN: {}}, asks: len(handoff), outOfScope: len(outOfScope)}
	for _, p := range set {
		if _, ok := k.Entry(p.want); !ok {
			continue // a wording whose entry this knowledge base lacks
		}
		r := answer(t, b, Input{Text: p.text})
		loc := DetectLocale(p.text)
		tl := res.top1[loc]
		tl[1]++
		if r.EntryID == p.want && !r.Handoff {
			tl[0]++
		} else {
			if listMisses {
				t.Logf("miss: %q → %q (%.2f), want %q", p.text, r.EntryID, r.Score, p.want)
			}
		}
		res.top1[loc] = tl
	}
	for _, text := range handoff {
		if r := answer(t, b, Input{Text: text}); r.Handoff {
			res.handed++
		} else {
			if listMisses {
				t.Logf("no handoff: %q → %q (%.2f)", text, r.EntryID, r.Score)
			}
		}
	}
	res.falseAnswers = falseAnswers(t, b, outOfScope, listMisses)
	return res
}

// falseAnswers counts the texts b answers from an entry; with list, they
// are logged.
func falseAnswers(t *testing.T, b Bot, texts []string, list bool) int {
	t.Helper()
	n := 0
	for _, text := range texts {
		if r := answer(t, b, Input{Text: text}); r.EntryID != "" && !r.Handoff {
			n++
			if list {
				t.Logf("false answer: %q → %q (%.2f)", text, r.EntryID, r.Score)
			}
		}
	}
	return n
}

// check logs the figures and fails below the floors.
func (res evalResult) check(t *testing.T, minTop1, maxFalseRatio float64) {
	t.Helper()
	for _, loc := range []string{kb.ZH, kb.EN} {
		tl := res.top1[loc]
		acc := float64(tl[0]) / float64(tl[1])
		t.Logf("top-1 %s: %d/%d (%.1f%%)", loc, tl[0], tl[1], 100*acc)
		if acc < minTop1 {
			t.Errorf("top-1 %s %.1f%%, want at least %.0f%%", loc, 100*acc, 100*minTop1)
		}
	}
	recall := float64(res.handed) / float64(res.asks)
	t.Logf("handoff recall: %d/%d (%.1f%%)", res.handed, res.asks, 100*recall)
	if recall < evalMinHandoff {
		t.Errorf("handoff recall %.1f%%, want %.0f%%", 100*recall, 100*evalMinHandoff)
	}
	ratio := float64(res.falseAnswers) / float64(res.outOfScope)
	t.Logf("false answers out of scope: %d/%d (%.1f%%)", res.falseAnswers, res.outOfScope, 100*ratio)
	if ratio > maxFalseRatio {
		t.Errorf("false answers %.1f%%, want at most %.0f%%", 100*ratio, 100*maxFalseRatio)
	}
}
