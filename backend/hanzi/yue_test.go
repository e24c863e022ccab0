package hanzi

import "testing"

func TestFoldCantonese(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"退咗貨幾耐先收到錢", "退了货多久先收到钱"},
		{"我唔想再用，想刪咗個戶口", "我不想再用，想删了个账户"},
		{"收到嘅碗崩咗一角", "收到的碗崩了一角"},
		{"包裹拆開入面淨係得一樣嘢", "包裹拆开里面只是得一样东西"},
		{"買部相機可唔可以分開幾個月俾錢", "买部相机可不可以分开几个月付钱"},
		{"呢件衫我應該揀咩碼", "这件衣服我应该选什么码"},
		{"北京有冇舖頭可以自己去攞", "北京有没有店可以自己去拿"},
		{"你哋會唔會將我啲資料俾人", "你们会不会将我的资料给人"},
		{"上星期先買，今日見平咗三十蚊，可唔可以補返俾我", "上星期先买，今日见便宜了三十块，可不可以补回给我"},
		{"部吹風機用咗幾個月壞咗，仲有冇得修", "部吹风机用了几个月坏了，还能不能修"},
		{"係咪要自己俾運費㗎", "是不是要自己给运费"},
		{"我系广州嘅，点样退货", "我系广州的，怎样退货"},
		{"都係唔得", "都是不得"},
		{"唔該幫我搵個真人", "麻烦帮我找个真人"},
		{"唔，好的", "唔，好的"},
	} {
		if got := Fold(c.in); got != c.want {
			t.Errorf("Fold(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// Mandarin, in either script, is only simplified: the characters the
// Cantonese rules start with mean something else in it.
func TestFoldLeavesMandarin(t *testing.T) {
	for _, s := range []string{
		"我的订单呢", "订单呢？个人信息怎么改", "都系统自动发的吗", "就系统提示支付失败", "系列产品有优惠吗",
		"蚊帐什么时候发货", "驱蚊液能寄到国外吗", "屏幕好平整", "仲裁需要什么材料", "让你们经理出面处理",
		"喇叭坏了能换吗", "我好几天没收到", "几天能到", "点单后多久发货", "边框有划痕",
		"我想同你们经理说", "同一个地址能下几单", "平台的优惠券怎么用", "好的谢谢", "你们几点下班",
		"联系客服", "关系不大", "退货退款要多久", "发票怎么开", "转人工",
	} {
		want := Simplify(s)
		if s == "我想同你们经理说" {
			want = "我想跟你们经理说" // 同 + a pronoun: the same in Mandarin
		}
		if got := Fold(s); got != want {
			t.Errorf("Fold(%q) = %q, want %q", s, got, want)
		}
	}
}
