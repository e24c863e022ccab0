package kb

import "testing"

func TestOwnPost(t *testing.T) {
	checkAdds(t, "ownPost", ownPost, "elsewhere-services", map[string]bool{
		"我寄给我妈的快递怎么查":                                  true,
		"我给我爸寄的东西怎么查物流":                                true,
		"我自己寄给老家的快递还没到":                                true,
		"how do I track a package I sent to my friend": true,
		"I mailed a gift to my dad last week":          true,
		"where is the box I sent my brother":           true,
		// The shop sending to them, asked to, or sent back to.
		"你们寄给我妈的快递到哪了":                         false,
		"帮我寄给我妈，地址改一下":                         false,
		"我让你们寄给我妈的东西到了吗":                       false,
		"我给我妈的礼物还没到":                           false,
		"我寄回给你们的退货怎么查":                         false,
		"where is the gift you sent to my mom": false,
		"I had it shipped to my mom":           false,
		"I sent the item back to you":          false,
		"can you ship it to my mom instead":    false,
	})
}
