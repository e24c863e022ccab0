package kb

import "testing"

func TestOtherSense(t *testing.T) {
	checkAdds(t, "otherSense", otherSense, "elsewhere-device", map[string]bool{
		"怎么给手机换电池":                                                true,
		"电脑越来越卡怎么办":                                               true,
		"how do I replace the battery in my phone":                true,
		"why is my laptop so slow":                                true,
		"my iphone gets really hot when charging, is that normal": true,
		"the phone I bought here gets really hot when charging":   false,
		"my tv screen is cracked, how do I fix it":                true,
		"how do I reduce the size of a pdf":                       true,
		"pdf太大怎么压缩":                                               true,
		"平板屏幕碎了去哪修":                                               true,
		"收到的平板屏幕是碎的，能换吗":                                          false,
		// The device came from the shop, or the phone is the account's.
		"你们寄来的手机电池怎么换":                                   false,
		"the laptop I ordered from you is so slow":       false,
		"my new phone arrived with a cracked screen":     false,
		"how do I change the phone number on my account": false,
		"手机号怎么换":                                         false,
		"what size should I order":                       false,
	})
	checkAdds(t, "otherSense", otherSense, "elsewhere-life", map[string]bool{
		"how much should I tip a waiter":    true,
		"how much do you tip a hairdresser": true,
		"给服务员多少小费合适":                        true,
		"how do I cancel a zoom meeting":    true,
		"取消明天的会议":                           true,
		"how do I track my sleep":           true,
		"can I cancel my order":             false,
		"cancel my delivery appointment":    false,
		"how do I track my order":           false,
		"any tips for choosing a size":      false,
	})
	checkAdds(t, "otherSense", otherSense, "elsewhere-services", map[string]bool{
		"how do I exchange foreign coins":            true,
		"what's the exchange rate for yen today":     true,
		"how do I cancel a wire transfer":            true,
		"which mobile carrier has the best coverage": true,
		"手机卡怎么换号":                                    true,
		"手机号怎么销号":                                    true,
		"京东白条怎么还款":                                   true,
		"怎么换绑手机号":                                    false,
		"可以用花呗吗":                                     false,
		"I changed mobile providers and have a new number, how do I update my account": false,
		"can I exchange it for a bigger size":                                          false,
		"can I pay by bank transfer":                                                   false,
	})
	checkAdds(t, "otherSense", otherSense, "elsewhere-cooking", map[string]bool{
		"is it safe to eat raw cookie dough": true,
		"how to bake chocolate chip cookies": true,
		"does your website use cookies":      false,
		"are the cookie jars in stock":       false,
		"do you sell oatmeal cookies":        false,
		"can I turn off cookies":             false,
	})
}
