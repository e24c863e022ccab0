package bot

import "testing"

func TestPraiseOnly(t *testing.T) {
	for text, want := range map[string]bool{
		"the refund was fast, thank you":                         true,
		"快递员很负责，谢谢你们":                                            true,
		"包装很用心，好评":                                               true,
		"你们的物流真快，赞":                                              true,
		"the delivery guy was really nice, just wanted to say":   true,
		"really impressed with how fast the refund came through": true,
		"your customer service is excellent":                     true,
		"退款到账了，感谢":                                               true,
		// A question, a request or trouble beside the praise.
		"thanks, how long will the refund take":                      false,
		"great service, where is my parcel though":                   false,
		"delivery was fast but the item arrived broken":              false,
		"the fit is lovely but I need to exchange for a bigger size": false,
		"is the delivery fast":                                       false,
		"thanks, can I talk to a person":                             false,
		"谢谢，退款多久到账":                                                  false,
		"质量很好，但是尺码小了":                                                false,
		"客服态度很好，我的快递到哪了":                                             false,
		"物流很快，可是东西坏了":                                                false,
		"很好，帮我转人工":                                                   false,
		"不满意":                                                        false,
		"我的快递到哪了":                                                    false,
		"where is my order":                                          false,
		"":                                                           false,
	} {
		if got := praiseOnly(text); got != want {
			t.Errorf("praiseOnly(%q) = %v, want %v", text, got, want)
		}
	}
}
