// Package benchdata makes a realistic agent's cache for the desktop
// benchmarks: conversations in English and Chinese between customers, the
// bot and the agent, with order numbers, files and business fields, the same
// every run (a fixed random seed).
package benchdata

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"switchboard/app/cache"
	"switchboard/protocol"
)

var (
	customerEN = []string{
		"Hello, where is my order %d?",
		"I want a refund for order %d, the item arrived broken",
		"Can you send me the invoice for 2024?",
		"The tracking page says delivered but I have nothing",
		"How long does shipping to Shanghai take?",
		"My coupon code does not work at checkout",
		"Can I change the delivery address of order %d?",
		"The size is wrong, can I exchange it?",
		"Thanks, that solved it!",
		"I was charged twice for the same order",
	}
	customerZH = []string{
		"你好，我的订单 %d 到哪里了？",
		"我想申请退款，订单号是 %d",
		"发票什么时候可以开？",
		"快递显示已签收，但是我没收到",
		"优惠券用不了，怎么回事？",
		"可以修改收货地址吗？订单 %d",
		"尺码不对，可以换货吗？",
		"谢谢，问题解决了！",
		"同一个订单被扣了两次款",
		"退货和退款有什么区别？",
	}
	agentEN = []string{
		"Thanks for waiting. Let me check order %d for you.",
		"I have started the refund; it reaches your account in 3–5 working days.",
		"The invoice is on its way to your email.",
		"I have asked the courier to call you today.",
		"Could you send a photo of the damaged item, please?",
	}
	agentZH = []string{
		"感谢您的耐心等待，我来帮您查一下订单 %d。",
		"已为您发起退款，3–5 个工作日内到账。",
		"发票已发送到您的邮箱。",
		"已联系快递员今天给您回电。",
		"麻烦您拍一张破损商品的照片，谢谢。",
	}
	names = []string{"Li Lei", "Han Meimei", "Wang Fang", "Zhang Wei", "Emma Brown", "Noah Smith", "Olivia Chen", "Liam Wang"}
)

func line(r *rand.Rand, lines []string) string {
	l := lines[r.IntN(len(lines))]
	if strings.Contains(l, "%d") {
		return fmt.Sprintf(l, 100000+r.IntN(900000))
	}
	return l
}

// Seed fills c with messages across conversations assigned to agent, the
// first of which holds big of them (0: an even share); the rest are spread
// evenly. Times end now, a minute apart per conversation.
func Seed(ctx context.Context, c *cache.Cache, agent protocol.User, messages, conversations, big int) error {
	r := rand.New(rand.NewPCG(1, 2))
	now := time.Now().UnixMilli()
	if conversations < 1 {
		conversations = 1
	}
	if big <= 0 || big > messages {
		big = messages / conversations
	}
	rest := messages - big
	for i := range conversations {
		n := big
		if i > 0 {
			n = rest / (conversations - 1)
			if i <= rest%(conversations-1) {
				n++
			}
		}
		id := fmt.Sprintf("conv-%05d", i)
		zh := i%2 == 0
		start := now - int64(n)*60_000 - int64(i)*1000
		conv := protocol.Conversation{
			ID: id, CustomerID: fmt.Sprintf("v-%05d", i), CustomerName: names[i%len(names)],
			Channel: "web", State: protocol.StateActive, Team: "support",
			AssigneeID: agent.ID, AssigneeName: agent.Name, Epoch: 1,
			Ext:       map[string]string{"order_no": fmt.Sprint(100000 + r.IntN(900000))},
			CreatedAt: start, UpdatedAt: start,
		}
		if i >= conversations/2 {
			conv.State = protocol.StateResolved
		}
		if _, _, err := c.PutConversation(ctx, conv); err != nil {
			return err
		}
		const batch = 2000
		page := make([]protocol.Message, 0, batch)
		for seq := 1; seq <= n; seq++ {
			m := protocol.Message{ConversationID: id, Seq: int64(seq), ClientMsgID: fmt.Sprintf("%s-%d", id, seq),
				Kind: protocol.KindText, Visibility: protocol.VisibilityPublic, CreatedAt: start + int64(seq)*60_000}
			switch {
			case seq%2 == 1:
				m.Sender = protocol.Sender{ID: conv.CustomerID, Role: protocol.RoleCustomer, Name: conv.CustomerName}
				m.Text = line(r, map[bool][]string{true: customerZH, false: customerEN}[zh])
			default:
				m.Sender = protocol.Sender{ID: agent.ID, Role: protocol.RoleAgent, Name: agent.Name}
				m.Text = line(r, map[bool][]string{true: agentZH, false: agentEN}[zh])
			}
			if seq%50 == 0 {
				m.Kind, m.Text = protocol.KindFile, ""
				m.Attachment = &protocol.Attachment{ID: fmt.Sprintf("f-%s-%d", id, seq),
					Name: fmt.Sprintf("invoice-2024-%02d.pdf", 1+seq%12), MIME: "application/pdf", Size: 48_213}
			}
			if seq == 1 {
				m.Ext = map[string]string{"source": "https://shop.example.com/orders", "order_no": conv.Ext["order_no"]}
			}
			page = append(page, m)
			if len(page) == batch || seq == n {
				if _, err := c.PutMessages(ctx, page); err != nil {
					return err
				}
				page = page[:0]
			}
		}
	}
	return nil
}
