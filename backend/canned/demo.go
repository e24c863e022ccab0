package canned

import (
	"context"
	"fmt"

	"switchboard/backend/store"
)

// Demo are the canned responses of the demo data: global ones and some of
// the demo teams presales and aftersales, in both languages. They replace
// the desktop app's former built-in defaults as the starting set.
var Demo = []store.CannedResponse{
	{ID: "demo-hello", Title: "Greeting", Shortcut: "hello",
		TextZH: "您好 {customer.name}，我是 {agent.name}，很高兴为您服务。请问有什么可以帮您？",
		TextEN: "Hello {customer.name}, this is {agent.name}. Thanks for waiting. How can I help you today?"},
	{ID: "demo-moment", Title: "One moment", Shortcut: "moment",
		TextZH: "请稍等，我正在为您查询。", TextEN: "One moment please, I am checking that for you."},
	{ID: "demo-thanks", Title: "Goodbye", Shortcut: "thanks",
		TextZH: "感谢您的咨询，祝您生活愉快！", TextEN: "Thank you for contacting us. Have a nice day!"},
	{ID: "demo-presales-discount", Team: "presales", Title: "Current offer", Shortcut: "discount",
		TextZH: "本周新客户首单享 9 折优惠，下单时自动生效。", TextEN: "New customers get 10% off their first order this week; it applies at checkout."},
	{ID: "demo-aftersales-order", Team: "aftersales", Title: "Ask for the order number", Shortcut: "order",
		TextZH: "请提供一下您的订单号，谢谢。", TextEN: "Could you tell me your order number, please?"},
	{ID: "demo-aftersales-shipping", Team: "aftersales", Title: "Shipping status", Shortcut: "shipping",
		TextZH: "您的订单 {order_no} 通常在 24 小时内发货，2–4 天送达。", TextEN: "Your order {order_no} ships within 24 hours and arrives in 2–4 days."},
	{ID: "demo-aftersales-refund", Team: "aftersales", Title: "Refund started", Shortcut: "refund",
		TextZH: "已为订单 {order_no} 发起退款，3–5 个工作日内到账。", TextEN: "I have started the refund for order {order_no}; it reaches your account in 3–5 working days."},
}

// SeedDemo stores the Demo responses when the store has no canned response
// yet, so that a restart of a demo server keeps what staff edited.
func SeedDemo(ctx context.Context, st store.CannedResponses) error {
	have, err := st.CannedResponses(ctx)
	if err != nil || len(have) > 0 {
		return err
	}
	for _, r := range Demo {
		r.UpdatedBy = "demo"
		if _, err := st.PutCannedResponse(ctx, r); err != nil {
			return fmt.Errorf("seed canned response %s: %w", r.Shortcut, err)
		}
	}
	return nil
}
