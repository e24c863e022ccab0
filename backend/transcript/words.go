package transcript

import (
	"fmt"
	"strings"

	"switchboard/protocol"
)

// lexicon holds a language's words of a transcript.
type lexicon struct {
	lang         string
	title        string
	conversation string
	started      string
	zone         string
	empty        string
	internal     string
	card         string
	subject      string
	intro        string

	customer, bot, agent, supervisor, system string
	image, file, voice                       string

	events map[string]string // by event type; %s is the actor or reason
}

var en = lexicon{
	lang:         LangEN,
	title:        "Conversation transcript",
	conversation: "Conversation: ",
	started:      "Started: ",
	zone:         "Times are in ",
	empty:        "No messages.",
	internal:     "Internal",
	card:         "[Card]",
	subject:      "Your conversation transcript",
	intro:        "Here is the transcript of your conversation with us.",
	customer:     "Customer",
	bot:          "Bot",
	agent:        "Agent",
	supervisor:   "Supervisor",
	system:       "System",
	image:        "Image: ",
	file:         "File: ",
	voice:        "Voice message: ",
	events: map[string]string{
		protocol.EventOpened:           "The conversation started.",
		protocol.EventHandoff:          "Handed over to a person; waiting for an agent.",
		protocol.EventAssigned:         "An agent joined: %s",
		protocol.EventWaiting:          "Waiting for the customer.",
		protocol.EventResumed:          "The conversation resumed.",
		protocol.EventResolved:         "The conversation was resolved.",
		protocol.EventClosed:           "The conversation was closed.",
		protocol.EventReopened:         "The conversation was reopened.",
		protocol.EventTransferred:      "Transferred to another team.",
		protocol.EventHandedBack:       "Handed back to the bot.",
		protocol.EventTransferAccepted: "An agent joined: %s",
		protocol.EventRated:            "Rated %s of 5.",
		protocol.EventCardAction:       "The customer answered a card.",
		protocol.EventJoined:           "An agent joined: %s",
		protocol.EventLeft:             "An agent left: %s",
		protocol.EventTakenOver:        "An agent joined: %s",
		protocol.EventReassigned:       "An agent joined: %s",
		// Internal events: in the agents' export only.
		protocol.EventOffered:           "Offered to %s.",
		protocol.EventDeclined:          "Offer declined.",
		protocol.EventOfferExpired:      "Offer expired.",
		protocol.EventTransferRequested: "Transfer requested to %s.",
		protocol.EventAssistRaised:      "Assistance requested.",
		protocol.EventAssistAnswered:    "Assistance answered.",
		protocol.EventAssistLowered:     "Assistance request withdrawn.",
	},
}

var zh = lexicon{
	lang:         LangZH,
	title:        "会话记录",
	conversation: "会话编号：",
	started:      "开始时间：",
	zone:         "时区：",
	empty:        "没有消息。",
	internal:     "内部",
	card:         "[卡片]",
	subject:      "您的会话记录",
	intro:        "以下是您与我们的会话记录。",
	customer:     "客户",
	bot:          "机器人",
	agent:        "客服",
	supervisor:   "主管",
	system:       "系统",
	image:        "图片：",
	file:         "文件：",
	voice:        "语音：",
	events: map[string]string{
		protocol.EventOpened:            "会话开始。",
		protocol.EventHandoff:           "已转人工，正在等待客服。",
		protocol.EventAssigned:          "客服已加入：%s",
		protocol.EventWaiting:           "等待客户回复。",
		protocol.EventResumed:           "会话继续。",
		protocol.EventResolved:          "会话已解决。",
		protocol.EventClosed:            "会话已关闭。",
		protocol.EventReopened:          "会话已重新打开。",
		protocol.EventTransferred:       "已转接到其他团队。",
		protocol.EventHandedBack:        "已转回机器人。",
		protocol.EventTransferAccepted:  "客服已加入：%s",
		protocol.EventRated:             "评分：%s / 5。",
		protocol.EventCardAction:        "客户回复了卡片。",
		protocol.EventJoined:            "客服已加入：%s",
		protocol.EventLeft:              "客服已离开：%s",
		protocol.EventTakenOver:         "客服已加入：%s",
		protocol.EventReassigned:        "客服已加入：%s",
		protocol.EventOffered:           "已分配给 %s。",
		protocol.EventDeclined:          "分配被拒绝。",
		protocol.EventOfferExpired:      "分配已超时。",
		protocol.EventTransferRequested: "请求转接给 %s。",
		protocol.EventAssistRaised:      "已请求协助。",
		protocol.EventAssistAnswered:    "协助请求已响应。",
		protocol.EventAssistLowered:     "协助请求已撤回。",
	},
}

func words(lang string) lexicon {
	if lang == LangZH {
		return zh
	}
	return en
}

// sender is the CSS role and the label of a message's sender.
func (w lexicon) sender(s protocol.Sender) (role, label string) {
	switch s.Role {
	case protocol.RoleCustomer:
		return "customer", w.customer
	case protocol.RoleBot:
		return "bot", w.bot
	case protocol.RoleAgent, protocol.RoleSupervisor, protocol.RoleAdmin:
		if s.Name != "" {
			return "agent", w.agent + " · " + s.Name
		}
		return "agent", w.agent
	}
	return "system", w.system
}

func (w lexicon) attachment(kind string) string {
	switch kind {
	case protocol.KindImage:
		return w.image
	case protocol.KindVoice:
		return w.voice
	}
	return w.file
}

// event is the sentence of an event, false for a type this package does
// not know (left out: it may be internal).
func (w lexicon) event(e protocol.Event) (string, bool) {
	f, ok := w.events[e.Type]
	if !ok {
		return "", false
	}
	var arg string
	switch e.Type {
	case protocol.EventRated, protocol.EventOffered, protocol.EventTransferRequested, protocol.EventReassigned:
		arg = e.Reason
	default:
		arg = e.Actor
	}
	if e.Type == protocol.EventReassigned && arg == "" {
		arg = e.Actor
	}
	if !strings.Contains(f, "%s") {
		return f, true
	}
	if arg == "" {
		arg = "-"
	}
	return fmt.Sprintf(f, arg), true
}
