package kb

import "testing"

func TestAspectsIn(t *testing.T) {
	name := func(set aspectSet) []string {
		var ns []string
		for i, a := range aspects {
			if set.has(i) {
				ns = append(ns, a.name)
			}
		}
		return ns
	}
	tests := []struct {
		text string
		want []string
	}{
		{"积分会过期吗", []string{"expiry"}},
		{"Do points expire?", []string{"expiry"}},
		{"会员能转给家人用吗", []string{"hand on"}},
		{"Can I share my membership with my wife?", []string{"hand on"}},
		{"do you share my data with anyone", nil},
		{"两张优惠券能叠加使用吗", []string{"combine"}},
		{"Can I stack two coupons on one order?", []string{"combine"}},
		{"Can my membership be downgraded?", []string{"downgrade"}},
		{"分期付款可以提前还清吗", []string{"pay early"}},
		{"Can I pay off my installments early?", []string{"pay early"}},
		{"can the invoice be reissued?", []string{"issue again"}},
		{"我的积分能转增给我老婆吗", []string{"hand on"}},
		{"can i sell my coupons on xianyu to someone else", []string{"hand on"}},
		{"积分可以提现到微信吗", []string{"cash out"}},
		{"can i buy extra points with money to get a bigger discount", []string{"buy"}},
		{"how many points do i have rn", []string{"balance"}},
		{"分期会不会影响征信", []string{"credit record"}},
		{"how do i cancel my membership i dont want it anymore", []string{"leave"}},
		{"去哪领优惠券啊 我一张都没有", []string{"get more"}},
		{"can i pay off my installment plan early", []string{"pay early"}},
		{"退货了之前送的积分会扣回去吗", []string{"taken back"}},
		{"换绑手机号以后积分还在不在", []string{"kept"}},
		{"can u ship one order to two diffrent adresses", []string{"split"}},
		{"发票上的商品名称能帮我改成办公用品吗", []string{"item name"}},
		{"电脑过保了你们修一次多少钱", []string{"paid repair"}},
		{"will your prices drop on black friday? should i wait", []string{"future price"}},
		// Not those: a price that fell after the order, an address
		// changed, a coupon that is gone from the account.
		{"the price dropped after I bought it, can I get the difference", nil},
		{"can I change the address of my order", nil},
		{"买了三天就降价了能补差价吗", nil},
		{"if i cancel do i get my coupon back", []string{"given back"}},
		{"用积分抵扣的部分 退款时积分会还给我吗", []string{"given back"}},
		{"is there a fee for paying with credit card", []string{"payment fee"}},
		{"can i split the payment half alipay half wechat", []string{"split payment"}},
		{"can my friend pay for my order for me", []string{"someone else pays"}},
		{"能用港币付款吗", []string{"currency"}},
		{"can u reserve the last one for me till payday", []string{"hold"}},
		{"does the shanghai store have this in stock right now", []string{"store stock"}},
		{"支付密码在哪设置", []string{"payment password"}},
		{"can i bind 2 phone numbers to one account", []string{"two numbers"}},
		{"can i freeze my account for a while instead of deleting it", []string{"freeze"}},
		{"how do i delete an old order from my order history", []string{"order history"}},
		{"how do i stop ur marketing texts", []string{"marketing"}},
		{"another shop sells it 30 cheaper, will u match their price", []string{"price match"}},
		{"if the price goes up after i order do i pay more?", []string{"price up"}},
		{"购物车里的东西降价了能提醒我吗", []string{"price alert"}},
		{"is there a higher vip tier above normal member", []string{"higher tier"}},
		{"积分能换礼品吗 不想抵钱", []string{"points for goods"}},
		{"两个订单能合开一张发票吗", []string{"invoice merge"}},
		{"can u write a higher amount on the invoice, its for reimbursement", []string{"invoice amount"}},
		{"能发下品牌授权书看看吗", []string{"proof papers"}},
		{"it came late and i missed the party, can i get compensation", []string{"compensation"}},
		{"能用微信直接登录吗 不想记密码", []string{"other login"}},
		{"do you price match your own sales a few days later", nil},
		{"退款能退到账户余额里吗 不想退回卡里", []string{"refund elsewhere"}},
		{"七天无理由是按自然日算还是工作日", []string{"day count"}},
		{"退货可以寄到付吗", []string{"freight collect"}},
		{"do i have to use sf for the return or can i use any courier", []string{"return courier"}},
		{"how many business days until my refund arrives", nil},
		{"退款会退到微信吗", nil},
		{"手滑点了取消 订单还能恢复吗", []string{"undo"}},
		{"will i get banned if i cancel orders too many times", []string{"penalty"}},
		{"东西坏了但包装盒我已经扔了 还能申请售后吗", []string{"without packaging"}},
		{"is there a time limit to report a missing item", []string{"deadline"}},
		{"whats the interest if i choose 12 months", []string{"rate"}},
		{"how do i cancel my order", nil},
		{"my parcel arrived damaged, what do I do", nil},
		{"can u hold my order and ship it next month? im travelling till then", []string{"ship later"}},
		{"今天下单能保证周五前到吗", []string{"guaranteed date"}},
		{"满99包邮是算券前还是券后的价", []string{"threshold rules"}},
		{"指定发顺丰要加钱吗", []string{"carrier cost"}},
		{"多发了一件给我 要寄回去吗", []string{"extra item"}},
		{"换货能直接去门店换吗", []string{"at a store"}},
		{"can a courier come pick up the return from my home", []string{"pickup from home"}},
		{"can I pick up my order at the Shanghai store", nil},
		{"how do I return an item", nil},
		{"do you ship with SF", nil},
		// The installments' own words, an account's records kept.
		{"can I split the payment into months", nil},
		{"花呗分三期要手续费不", nil},
		{"注销以后我的订单记录还在吗", nil},
		// The same words of other things: an order cancelled, a parcel
		// sent to a friend, a card's balance of the bank, points used.
		{"how do i cancel my order", nil},
		{"can you send my order to my friend's address", nil},
		{"积分怎么用", nil},
		{"how do I use my points at checkout", nil},
		{"优惠券怎么用", nil},
		// Of something else than what the customer holds of the shop:
		// the entries of those things answer.
		{"the parcel was lost, can you reissue it?", nil},
		{"my password reset link expired", nil},
		{"can I downgrade to the 128GB model before it ships?", nil},
		{"can I transfer my order to another address?", nil},
		// Told on the way to another question, not asked.
		{"I'm in Singapore and want to order before my coupon expire, you ship here or not?", nil},
		{"积分快过期了，想问下怎么用", nil},
		{"do points expire", []string{"expiry"}},
		{"订单怎么作废", nil},
		{"优惠券怎么用", nil},
		{"can i donate my points to charity", []string{"hand on"}},
		{"积分能捐给慈善机构吗", []string{"hand on"}},
		{"How many points do I get if I refer a friend?", []string{"earn otherwise"}},
		{"写带图评价送积分吗", []string{"earn otherwise"}},
		{"会员有实体卡吗", []string{"physical card"}},
		{"What's the interest rate if I pay in 12 months?", []string{"rate"}},
		{"贺卡是手写的吗", []string{"look"}},
		{"寄到马来西亚要交多少关税", []string{"duty"}},
		{"What are the password rules?", []string{"rules"}},
		{"注销前能把我的数据导出来吗", []string{"export"}},
		{"After I close my account, can I sign up again?", []string{"sign up again"}},
		{"Can I buy an extended warranty?", []string{"warranty terms"}},
		{"can my friend go to the store and pick up my order for me", []string{"by someone else"}},
		{"能让朋友帮我去门店取吗", []string{"by someone else"}},
		{"Can I try clothes on in the store?", []string{"try on"}},
		{"门店能试穿吗", []string{"try on"}},
		{"how many times can i exchange the same item", []string{"times"}},
		{"最多能换几次", []string{"times"}},
		{"过年期间还发货吗", []string{"holidays"}},
		{"Do you keep shipping during the Spring Festival holiday?", []string{"holidays"}},
		{"快递送错了 我收到了别人的包裹怎么办", []string{"someone else's parcel"}},
		{"i recieved someone elses parcel by mistake what should i do with it", []string{"someone else's parcel"}},
		{"没登录能查物流吗 我是游客下的单", []string{"without an account"}},
		{"can i check tracking without logging in, i checked out as guest", []string{"without an account"}},
		{"好久没登录了密码记不得了咋整", nil},
		{"放假在家网购，发货要多久", nil},
		{"春节客服上班吗", nil},
		{"can I pick up my order in store", nil},
		{"can I try it on?", nil},
		{"I've asked three times, how do I exchange it?", nil},
		{"刷卡付不了，试了好几次", nil},
		// Of something else than the thing the aspect is of.
		{"how many characters can the greeting card message have", nil},
		{"what colour is the dress", nil},
		{"can I transfer the order to my friend's address", nil},
	}
	for _, tt := range tests {
		got := name(aspectsIn(tt.text))
		if len(got) != len(tt.want) || len(got) > 0 && got[0] != tt.want[0] {
			t.Errorf("aspectsIn(%q) = %v, want %v", tt.text, got, tt.want)
		}
	}
}

// TestEntryAspects: an entry covers what its own texts name, in either
// language: a coupon's expiry date, not a point's.
func TestEntryAspects(t *testing.T) {
	coupon := Entry{ID: "coupon-use", Answer: Text{ZH: "结算时自动抵扣，请检查门槛、品类和有效期。", EN: "Check its minimum spend and expiry date."}}
	points := Entry{ID: "points", Answer: Text{ZH: "每消费 1 元积 1 分。", EN: "Earn 1 point per ¥1 spent."}}
	if !entryAspects(coupon).and(aspectsIn("优惠券过期了还能用吗")).any() {
		t.Errorf("coupon entry does not cover the expiry its answer names")
	}
	if entryAspects(points).and(aspectsIn("积分会过期吗")).any() {
		t.Errorf("points entry covers an expiry it never names")
	}
}

// TestAspectsFit: each aspect is one bit of an aspectSet, and the set
// tells every one of them apart, across its words.
func TestAspectsFit(t *testing.T) {
	if len(aspects) > maxAspects {
		t.Fatalf("%d aspects, one bit each of %d", len(aspects), maxAspects)
	}
	for i := range maxAspects {
		var s aspectSet
		s.add(i)
		for j := range maxAspects {
			if s.has(j) != (i == j) {
				t.Fatalf("a set of aspect %d has(%d) = %v", i, j, s.has(j))
			}
		}
		if !s.beyond(aspectSet{}) || s.beyond(s) {
			t.Fatalf("a set of aspect %d: beyond is wrong", i)
		}
	}
}
