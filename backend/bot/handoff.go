package bot

import (
	"maps"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"switchboard/backend/hanzi"
	"switchboard/backend/kb"
	"switchboard/backend/kb/wordvec"
	"switchboard/backend/lexicon"
)

// A request for a person is an intent, not a word: "转人工", "有活人吗",
// "叫你们经理出来", "别自动回复了", "I'd rather talk to staff", "please
// have someone call me", "escalate this" all ask for one. handoffIntent
// reads a message as one of three intents:
//
//   - intentHandoff: the customer asks for a person. A person word that
//     asks by itself (人工, 真人, 活人, "human", "agent", "operator"…), a
//     request verb with a person noun (找客服, 叫经理, 换个人, "talk to
//     staff", "get me a manager", "can a member of your team contact me"),
//     a call back (给我打个电话, "have someone call me"), a refusal of
//     the bot (不想跟机器人聊, 别自动回复了, "stop the bot", "no more
//     robots"), a doubt about it (你是真人吗, "are you a bot?") or a call
//     into the void ("hello? anybody?", 有人吗).
//     Asking whether there is a person at all is asking for one, in
//     both languages: 你们有人工客服吗, "do you have human agents?", "is
//     there a real person I can talk to".
//   - intentAboutPeople: a question about when or how the human service
//     works (人工客服几点上班？, 客服节假日有人值班吗, "are your agents
//     around on weekends", "until what time can I reach live support").
//     It must not hand over: the business-hours entry answers it. In Chinese an
//     outright request (我要, 转, 找…) still wins ("人工客服什么时候能接
//     通，我要投诉"); in English the time question wins, since "when can I
//     reach an agent" is asked by someone planning ahead.
//   - intentAboutAbility: a question about what the human service can do
//     rather than when it works, the languages its people speak
//     (你们客服能讲英文吗, "do your agents speak Spanish?"), or what they
//     are (你们的客服是真人还是机器人; 你是真人吗 doubts the bot at hand and
//     asks for a person). The knowledge
//     base has no entry for it: it neither hands over nor is answered from
//     the hours entry. An outright request still wins (我要找会说粤语的客服,
//     "I need an agent who speaks English").
//   - intentNone: anything else, including a person word negated (不用转
//     人工, "I don't need an agent"), inside another word ("agency",
//     人工智能, 人工费) or in a question about the word ("What is an agent
//     fee?").
//
// Unsure cases lean towards a request: an unneeded handoff costs an agent a
// minute, a refused one loses the customer.
type intent int

const (
	intentNone intent = iota
	intentHandoff
	intentAboutPeople
	intentAboutAbility
)

// Chinese patterns, matched as substrings.
var (
	// zhPersonAlone ask for a person by themselves.
	zhPersonAlone = []string{"人工", "真人", "活人", "问的是人", "找的是人", "我要问人", "听听人怎么说", "想听人怎么说", "听人怎么说", "没有员工", "没员工", "真的人", "真实的人", "真正的人", "会说话的来", "能说话的来", "人类客服", "转接", "懂的人", "能解决的人", "能做主的人",
		// Whoever understands, someone to come out and explain, the bot's
		// authority doubted: "有没有懂的", "你们得有人出来解释", "你做得了主吗".
		"有没有懂的", "有懂的吗", "有人出来", "出来解释", "出来说明", "出来给个说法", "做得了主吗", "能做主吗", "你说了算吗",
		// 找个能做决定的人, 这种事得有人拍板: someone to decide.
		"能做决定的人", "能做决定的", "有人拍板", "找人拍板", "能拍板的",
		"找售后", "转售后", "联系售后", "接售后",
		"谁能处理", "谁来处理", "谁来管", "谁管这事", "有没有人管", "没人管", "叫人来", "派个人", "找你们的人", "谁能负责",
		// 能帮我升级处理吗: an escalation asked for.
		"升级处理", "升级投诉", "投诉升级",
		"来个人", "找个人", "叫个人", "跟人说", "和人说", "跟人聊", "和人聊", "跟人对话", "和人对话",
		"跟人沟通", "和人沟通", "跟人交流", "和人交流", "跟人讲", "和人讲",
		// Someone who can decide or understand, named by what they can do.
		"能解决问题的", "能解决的", "明白人", "懂行的", "能说上话的", "说得上话的", "说了算的", "能拍板的",
		"上面的人", "真人客服", "客服介入", "平台介入", "小二介入", "申请介入", "要求介入", "人工介入",
		"找人聊", "找人说", "找人问", "能沟通的人", "能交流的人", "接线员", "话务员",
		"找人看", "找人处理", "找人帮", "负责的人", "管事的人", "转给售后", "转到售后", "转接售后", "交给售后",
		// The seller or the shop's owner, asked for by a verb of talking.
		"和卖家说", "跟卖家说", "和卖家聊", "跟卖家聊", "联系卖家", "找卖家", "联系一下卖家", "卖家出来",
		"联系店主", "找店主", "跟店主说", "和店主说", "联系一下店主", "店主出来",
		"联系商家", "找商家", "跟商家说", "和商家说", "联系一下商家",
		"和店家说", "跟店家说", "联系店家", "找店家", "店家出来", "联系一下店家",
		"和卖家沟通", "跟卖家沟通", "和商家沟通", "跟商家沟通", "和店主沟通", "跟店主沟通", "和店家沟通", "跟店家沟通",
		// Called, or spoken with directly: "帮我叫一下卖家", "我想和商家直接谈".
		"叫卖家", "叫一下卖家", "喊卖家", "叫商家", "叫一下商家", "叫店主", "叫一下店主", "叫店家", "叫一下店家",
		"和卖家直接", "跟卖家直接", "和商家直接", "跟商家直接", "和店主直接", "跟店主直接", "和店家直接", "跟店家直接",
		"和卖家谈", "跟卖家谈", "和商家谈", "跟商家谈",
		// 售后 after a request verb and a short filler: 转一下售后.
		"转一下售后", "转下售后", "转个售后", "找一下售后", "找下售后", "联系一下售后", "联系下售后",
		"找你们售后", "找一下你们售后", "找你们的售后", "联系你们售后", "转你们售后",
		// 售后 spoken to or called: "我想和售后沟通一下", "帮忙叫下售后".
		"和售后沟通", "跟售后沟通", "和售后说", "跟售后说", "和售后聊", "跟售后聊", "和售后谈", "跟售后谈",
		"叫售后", "叫下售后", "叫一下售后", "喊售后", "喊下售后", "喊一下售后", "让售后",
		// Someone else than the bot: "换别人", "让别人来处理"; not
		// "积分能转给别人用吗", "能不能让别人帮我去门店自提".
		"换别人", "换个别人", "找别人", "叫别人来", "让别人来", "换其他人", "换个其他人",
		// Another of the service's people: "让别的客服来", "换其他客服".
		"让别的客服", "叫别的客服", "换别的客服", "换个别的客服", "让其他客服", "叫其他客服", "换其他客服", "换个其他客服",
		// A person asked to do a task, or to be argued with: "人工帮我看看",
		// "这个情况需要人来判断一下", "我要找你们理论". Not 客服 addressed
		// ("客服帮我查一下物流到哪了" asks whoever answers).
		"人工帮我", "客服核实", "需要人来", "得人来", "要人来看", "人来判断", "人来处理",
		"找你们理论", "跟你们理论", "和你们理论",
		// An account demanded: "能不能让人给我个说法"; and the service set to a
		// task: "能让客服看一下我的聊天记录吗".
		"给我个说法", "给个说法", "要个说法", "讨个说法", "给我一个说法",
		// A ticket, an escalation, whoever can answer, dealing with people,
		// the agent of before: "帮我开个工单", "我需要升级这个问题", "你回答不了，
		// 谁能回答", "我更想跟人打交道", "能继续跟之前的客服聊吗".
		"开个工单", "开工单", "提工单", "提个工单", "提交工单", "建工单", "建个工单", "创建工单",
		"升级这个问题", "把问题升级", "问题升级", "升级我的问题", "升级我的投诉", "升级一下这个问题",
		"谁能回答", "谁能解答", "谁能解决", "谁可以回答", "谁可以解决", "谁可以解答",
		"跟人打交道", "和人打交道",
		"跟之前的客服", "和之前的客服", "找之前的客服", "跟刚才的客服", "和刚才的客服", "找刚才的客服",
		"跟上次的客服", "和上次的客服", "找上次的客服", "跟昨天的客服", "找昨天的客服",
		// Nobody minding, a message left for the people, whom to turn to, a
		// number to ring, a letter, a talk face to face or on the phone,
		// someone to answer for it: "等了好久都没人理我", "能给你们的人留个言吗",
		// "这个很急，我该找谁", "打你们电话打哪个", "我写信给你们的人", "这事我得当面谈",
		// "电话里说吧", "得有人为这个负责".
		"没人理", "没有人理", "没人搭理", "没人帮忙", "没有人帮忙", "没人回应", "没人解决", "没有人解决",
		// Nobody handling it, a follow-up gone silent, the people gone:
		// "一直没人处理我的问题", "有人管管吗", "客服说会跟进，结果没下文了",
		// "人都去哪了", "等了两个小时，一个人都没有", "没人上班吗".
		"没人处理", "没有人处理", "有人管管", "没下文", "没有下文", "人都去哪", "人都哪去了",
		// Reaching someone, waiting for one, told when one is free, the
		// message read: "怎么才能联系上人", "我等下一个客服", "还在等人回我",
		// "有客服了告诉我一声", "有人看到我的消息了吗".
		"联系上人", "联系到人", "联系上客服", "联系到客服", "等下一个客服", "等人回", "等客服回", "等人工回",
		"有客服了", "有人工了", "客服空了", "人工空了", "有空的客服",
		"看到我的消息", "看我的消息", "回我消息", "回我的消息",
		// Someone needed for a task, an appeal, service one to one,
		// something shown to the people, a talk over terms: "我需要有人核实我的
		// 身份", "我要对处理结果提出申诉", "我需要一对一服务", "这个得给你们工作人员
		// 看看", "我想找人谈谈价格", "合作的事找谁谈".
		"我需要有人", "需要有人帮我", "需要有人给我", "需要有人核实", "需要有人处理", "需要有人手动", "有人手动帮我", "人工手动",
		// Escalated to someone: "这个需要升级给能跟快递公司调查的人".
		"升级给",
		// Someone arranged, someone who can explain, business to deal with:
		// "请尽快安排人处理", "我想找个能说清楚的人问问", "请安排商务对接".
		"安排人处理", "安排人来", "安排人跟进", "安排人联系", "安排专人", "安排人员",
		"能说清楚的人", "说得清的人", "找个能说清楚的", "能说明白的人",
		"商务对接", "安排商务", "安排对接",
		"提出申诉", "我要申诉", "申诉一下", "要申诉", "需要一对一", "要一对一", "想要一对一",
		"给你们工作人员看", "给工作人员看", "给客服看", "给人工看", "给人看一下", "给人看看",
		"找人谈", "跟人谈", "和人谈", "找谁谈", "找谁聊", "跟谁谈", "和谁谈",
		// A word for the manager: "我想给你们经理提个意见".
		"给你们经理提", "给经理提意见", "跟你们经理反映", "向你们经理反映", "向经理反映", "给你们领导提", "向领导反映", "跟领导反映",
		"给你们的人留", "给客服留言", "给客服留个言", "给人工留言", "留言给客服", "留言给你们",
		"我该找谁", "应该找谁", "找谁处理", "找谁解决", "该找谁",
		// A live one: "来个活的" (not 海鲜是活的吗).
		"来个活的", "找个活的", "要个活的", "换个活的",
		// Someone found: "有什么办法能找到人".
		"能找到人", "找得到人", "找到人工", "找到真人",
		// Someone sent: "望贵公司派人核实".
		"派人核实", "派人处理", "派人跟进", "派人来", "派人联系", "派人查",
		// People to help: "我需要人帮忙", "你们的人能帮我吗". Not "谁能帮帮我",
		// a call for help that names nobody, nor "安装需要人帮忙吗".
		"我需要人帮忙", "你们的人能帮", "你们的人可以帮",
		// After-sales wanted as a service of people: "我要售后".
		"我要售后", "我想要售后", "要求售后", "需要售后", "我要找售后",
		// Whom to ask: "我可以问谁", "这事该问谁".
		"我可以问谁", "可以问谁", "该问谁", "应该问谁", "能问谁", "找谁问",
		// Spoken with, not a program: "我要跟你们说话，不是跟程序".
		"跟你们说话", "和你们说话", "不是跟程序", "不想跟程序", "不跟程序",
		"打你们电话", "打哪个号", "拨打哪个",
		"写信给你们", "给你们写信", "客服邮箱", "你们的邮箱",
		"当面谈", "当面说清", "面谈", "好好谈谈", "好好谈一谈",
		"电话里说", "电话里谈", "电话里讲", "打个电话说", "打个电话简单说",
		"为这个负责", "为此负责", "烂摊子谁负责",
		// The shop's people asked to help: "麻烦你们的人帮我问问".
		"你们的人帮我", "你们的人帮忙", "你们的同事帮我", "你们的工作人员帮我",
		// Someone hoped for: "希望有工作人员尽快处理".
		"希望有工作人员", "希望有客服", "希望有人工", "希望有专人", "希望有人来", "希望有人能", "希望有人尽快",
		"希望工作人员", "希望客服能", "希望客服尽快", "希望人工",
		"让客服看", "让客服查", "让客服处理", "让客服帮", "让客服联系", "让客服跟进",
		// The service called twice over: "客服客服，看下我的问题".
		"客服客服", "人工人工",
		// A human being, as against the machine: "我要和人类说话".
		"和人类", "跟人类", "同人类", "找人类", "要人类", "转人类",
		// Nobody to talk to: "就没个人能说话吗"; someone found to follow a
		// matter up: "麻烦找人跟进一下我的退款".
		"没个人", "没人能说话", "没有人能说话", "没人可以说话", "没有人可以说话", "能说话的人",
		"找人跟进", "找人查", "找人核实", "找人对接", "找人解释", "找人回复",
		// A colleague found to help: "麻烦找个同事帮我处理".
		"找个同事帮", "找同事帮", "找个同事来", "让你们同事",
		// The chat taken over: "想请他接一下这个对话".
		"接一下这个对话", "接一下对话", "接手这个对话", "接这个对话", "接手对话",
		// The shop's finance or warehouse asked for: "能帮我找一下财务吗".
		"找一下财务", "找下财务", "找你们财务", "联系你们财务", "联系下你们仓库", "联系一下你们仓库", "联系你们仓库",
		// A member of staff to do a task: "最好是有个工作人员帮我核对一下".
		"工作人员帮我",
		// Left with a machine, or nobody at all: "就让我跟机器说？", "你们公司是没人了吗".
		"让我跟机器说", "就让我跟机器", "只能跟机器", "是没人了吗", "没人了吗",
		// Someone to look, wished for: "要是有人能帮我看下就好了".
		"有人能帮我看下", "有人帮我看下",
		// Slang for getting someone: "整个人来呗", "来个喘气的", "摇人".
		"整个人", "整个客服", "来个喘气", "喘气的来", "摇人",
		// After-sales arranged, called or summoned: "安排售后跟进", "召唤售后".
		"找个售后", "安排售后", "召唤售后", "呼叫售后",
		// A department put through: "帮我接仓库"; anyone at all: "只要是人就行".
		"接仓库", "接财务", "接物流", "接一下仓库", "接一下财务", "接一下物流",
		"只要是人", "是个人就行", "是人就行",
		// "那换个是人的来", "能不能让人来接待我", "答不上来就交给同事处理吧".
		"是人的来", "换个是人的", "人来接待", "交给同事", "转给同事", "交给你们同事", "转给你们同事",
		// Someone assigned, wanted, or to judge: "希望有专人来调查", "我要的是人",
		// "由你们的工作人员来判断", "不是机器", "升级到二线处理", a call handed
		// to a boss ("把电话给你们领导"), typing to a program complained of.
		"专人来", "专人跟进", "专人处理", "专人调查", "要的是人", "要的是真人", "人员来判断", "不是机器",
		"升级到二线", "转二线", "二线处理", "电话给你们领导", "电话给领导", "电话给你们经理",
		"跟程序打字", "跟程序聊", "和程序聊", "跟程序说", "和程序说", "跟程序对话"}
	// zhPersonNouns ask for a person with a request verb.
	zhPersonNouns = []string{"客服", "经理", "主管", "负责人", "工作人员", "店长", "老板", "卖家本人", "商家本人", "卖家亲自", "卖家来回答", "卖家来回复", "卖家来解释", "卖家出来", "小二", "专员", "售后人员", "个人",
		"你们领导", "你们上级", "坐席", "你们同事", "客服人员", "售后客服", "你们的人", "能处理的人", "小姐姐", "小哥哥", "专人", "值班的", "管事的", "管理层", "你们管理人员", "能做主的", "负责的", "专业的人", "专业人员", "专业人士",
		"店里的人", "店里人", "你们店的人", "店家", "你们公司的人", "公司的人", "卖东西的人", "懂技术的人", "懂技术的",
		// "需要马上跟你们的安全人员联系".
		"安全人员", "安全团队", "值班主任",
		// The shop's departments or their people: 找物流部门, 跟仓库的人说;
		// not a company buyer's own (采购部门要发票, 财务要正规的票).
		"物流部门", "售后部门", "投诉部门", "客服部门", "退款部门", "相关部门", "你们部门", "你们的部门", "店主", "仓库的人", "物流的人", "发货的人", "仓库的同事",
		"掌柜", "客服妹妹", "客服mm", "客服小哥", "客服姐姐", "售前", "值班客服", "客服妹子", "值班经理", "客服专员",
		// 叫你们运营来, 你们技术支持在吗.
		"你们运营", "你们的运营", "技术支持", "你们技术",
		// A person named by their work: "负责售后的同事", "售后的人".
		"售后的同事", "客服的同事", "负责的同事", "售后的人", "客服的人", "客服部的", "售后部的",
		"部门的人", "部门的同事", "售后部门", "客服部门", "员工", "技术人员", "相关人员", "懂这个的", "同事来",
		// The shop's staff by their post: "我要跟你们店员聊", "让处理退款的同事跟我说".
		"店员", "导购", "营业员", "售货员", "处理退款的同事", "处理的同事", "管退款的",
		// Sales people: "大批量采购的事想跟业务员谈", "我需要和你们的销售聊一下合作".
		// "你要是不会就转给会的人"; whoever runs the bot: "让你的主人来",
		// "操作你的人在吗", "叫你们程序员来".
		"会的人", "你的主人", "操作你的人", "管你的人", "程序员",
		"业务员", "你们的销售", "你们销售", "销售人员", "销售顾问", "客户经理", "你们商务", "你们的商务", "商务部", "商务经理",
		// The shop's people by their side or department: "安排你们的同事查一下",
		// "让仓库那边的人给我回个话", "物流部的人在吗", "请质检的同事看看",
		// "你背后的人".
		// A consultant, a tech: "可以帮我转顾问吗", "换个技术来看看".
		"顾问", "个技术", "职员", "客户服务人员", "客户服务",
		// Whoever helped before: "还是找昨天帮我处理的那位吧", "我想继续跟刚才的人聊",
		// "能帮我接回原来那位吗", "负责我售后的那个小哥".
		"的那位", "那位客服", "那位同事", "刚才的人", "之前的人", "上次的人", "刚才那个人", "之前那个人", "上次那个人",
		"原来那位", "原来的客服", "原来那个客服", "的那个小哥", "的那个小姐姐", "接待我的客服",
		"你们的同事", "你们那边的人", "仓库那边的人", "售后那边的人", "财务那边的人", "物流那边的人",
		"部的人", "部的同事", "质检的同事", "质检的人", "财务的同事", "物流的同事", "相关同事", "背后的人", "你们的员工",
		// "把我交给一个会思考的人类", "把对话交给你的同事".
		"人类", "你的同事",
		// "有没有专业一点的人", "跟售后同事确认", "找个审核人员跟我解释",
		// "你们的上级是谁".
		"专业一点的人", "专业点的人", "售后同事", "客服同事", "审核人员", "审核的人", "你们的上级", "你们的领导",
		// "让你们后台的同事看一下", "交给你们售后的老师", "安排对接人员", "叫个管事儿的来".
		"后台的同事", "后台的人", "后台人员", "售后的老师", "客服老师", "对接人员", "对接人", "管事儿的"}
	zhNotRequest = []string{"人工智能", "人工费", "人工成本", "个人信息", "个人资料", "个人隐私", "个人账号", "个人发票", "个人中心",
		// Things made by people rather than nature (人工草坪, 人工降雨), and
		// 真人 of shows, games, photos and hair (真人秀, 真人实拍, 真人发).
		"人工草", "人工耳蜗", "人工湖", "人工河", "人工岛", "人工林", "人工瀑布", "人工沙滩", "人工冰", "人工造雪", "人工降雨", "人工增雨",
		// Materials and goods made by people: 真皮还是人工皮, 人工钻石.
		"人工皮", "人工革", "人工合成", "人工宝石", "人工钻石", "人工养殖", "人工种植", "人工色素", "人工香料",
		// The customer saying what they are: "我是人，不是机器".
		"我是人，不是机器", "我是人不是机器", "我是真人，不是机器", "我是真人不是机器", "我不是机器人",
		"人工合成", "人工养殖", "人工种植", "人工栽培", "人工培育", "人工饲养", "人工繁殖", "人工孵化", "人工授精", "人工流产",
		"人工呼吸", "人工心脏", "人工关节", "人工晶体", "人工牙", "人工骨", "人工肝", "人工肾", "人工泪液", "人工髋",
		"人工色素", "人工香料", "人工香精", "人工甜味剂", "人工皮革", "人工钻石", "人工宝石", "人工水晶",
		"真人秀", "真人cs", "真人版", "真人电影", "真人游戏", "真人实拍", "真人试穿", "真人模特", "真人上身", "真人图", "真人照",
		"真人发", "真人头发", "真人娃娃", "真人手办", "真人比例",
		// 叫 of a name, not of a call: 你们老板叫什么名字; a missed call
		// returned.
		"叫什么", "叫啥", "名字叫", "给未接来电回电话", "回未接来电",
		// A company's staff as those it buys for: 公司要买100件当员工福利.
		"员工福利", "员工礼品", "员工礼物", "员工价", "员工的福利", "给员工", "每个员工", "全体员工",
		// A call or a request that was made before: "昨天那个工作人员打电话给我了",
		// "上次找人工等了很久".
		"打电话给我了", "给我打电话了", "给我打过电话", "给我打了电话", "打过电话给我",
		"上次找人工", "之前找人工", "上次找客服", "之前找客服", "上次转人工", "之前转人工",
		// The shop itself, as someone told the customer to contact it:
		// "快递员说让我直接找商家"; a transfer refused: "不用转人工，我就是想问一下".
		"让我直接找商家", "让我找商家", "让我联系商家", "让我直接联系商家", "让我找卖家", "让我联系卖家",
		"叫我找商家", "叫我联系商家", "让我找你们", "叫我找你们",
		"不用转人工", "不需要转人工", "不要转人工", "别转人工", "不用给我转", "不用转"}
	zhRequest = []string{"转", "找", "寻", "要", "联系", "接", "换", "叫", "请", "给我", "让", "来个", "出来", "跟我说", "和我说", "跟我聊", "和我聊", "帮我处理", "来处理",
		// Formal asking: "有劳客服处理", "恳请人工处理".
		"有劳", "劳驾", "烦请", "恳请", "敬请",
		"喊", "安排", "对接", "我想跟", "我想和", "我跟", "我和", "派", "来一个",
		"要跟", "要和", "跟进", "回复我", "回我一句", "回我一下",
		// "有问题想咨询客服", "我要跟客服反映个问题"
		"咨询", "反映", "反馈给", "反馈问题给",
		// "能和你们工作人员对话吗", "召唤客服", "蹲一个客服" (waiting for one).
		"能和", "能跟", "可以和", "可以跟", "能不能和", "能不能跟", "召唤", "蹲一个", "蹲个",
		// The matter handed on: "把我的问题交给你们的员工吧", "转达给相关同事".
		"交给", "转交", "转达",
		// "帮我升级到高级客服", "能不能发邮件给你们的人".
		"升级到", "发邮件给", "写邮件给",
		// "摇个管事的来", "搞个技术来", "求售后小姐姐出现", "通知客服来一下".
		"摇个", "搞个", "求", "通知",
		// The chat's calls: "cue一下客服", "客服call我一下", "在线等客服",
		// "麻烦客服看到留言后处理一下" (@客服: zhPeopleHeard).
		"cue一下", "cue下", "call我", "call一下", "在线等", "看到留言后", "看到留言请", "看到留言回", "看到消息后", "看到后处理", "看到后回复"}
	// zhStrongRequest outweigh a time question.
	zhStrongRequest = []string{"转", "找", "我要", "要人工", "叫", "让", "给我", "出来",
		// The customer's own turn: "人工客服什么时候能接我".
		"能接我", "接待我", "轮到我",
		// "你们专员什么时候能来跟我对接？我现在就要".
		"跟我对接", "现在就要",
		// Someone now, not later: "现在有人工吗，明天再说就晚了".
		"现在有人工", "现在有客服", "现在有人吗", "现在有没有人", "就晚了", "等不了",
		// Someone needed for it, whatever the day: "包裹明天就发了，需要有人手动帮我改一下".
		"需要有人",
		// The message read, whenever: "人工什么时候看我的消息".
		"看我的消息", "回我的消息", "看到我的消息",
		// Waited for too long: "什么时候才能跟真人说上话".
		"才能跟", "才能和", "说上话", "才能转"}
	// zhHypothetical suppose rather than ask: 如果晚点想找人工，你们几点下班
	// asks about the hours.
	zhHypothetical = []string{"如果", "要是", "万一", "假如", "假设", "的话"}
	zhNegation     = []string{"不用", "不需要", "不要", "不必", "无需", "别", "不想", "不是要", "不是想"}
	// zhRefusedAfter refuse the person named before them: "人工就不用了",
	// "客服先不用".
	zhRefusedAfter = []string{"就不用了", "不用了", "不需要了", "就算了", "先不用", "不必了", "就不必"}
	// zhPraise thank or praise the people who helped: "上次帮我处理的客服小姐姐人超好，点个赞".
	zhPraise = []string{"点个赞", "点赞", "人超好", "人很好", "人真好", "态度很好", "态度超好", "服务很好", "很耐心", "好评", "印象不错", "挺及时", "很及时", "处理得很快"}
	// zhBotStrict name the bot or its replies unmistakably; zhBotRepeat
	// beside them complain that it is all they get ("怎么老是自动回复").
	// Not with 机器 alone, which is also a customer's appliance
	// ("机器老是死机").
	zhBotStrict  = []string{"机器人", "自动回复", "智能客服", "ai客服", "人机", "机器回复", "机器回答", "机器客服", "自动应答"}
	zhBotRepeat  = []string{"老是", "总是", "一直", "又是", "全是", "都是", "怎么是", "还是"}
	zhBotRefusal = []string{"不想", "不要", "别", "受够", "够了", "烦", "不跟", "不和", "停", "关掉", "讨厌", "没用", "听不懂", "答非所问", "笨", "破", "垃圾", "废物", "不懂",
		"蠢", "傻", "智障", "弱智", "糊弄", "敷衍", "回复", "回答", "聊", "说话", "对话", "沟通",
		// 跳过机器人, 绕过自动回复: past the bot; 我不信机器人能解决.
		"跳过", "绕过", "绕开", "越过", "不信", "退出",
		// 我跟机器人说不明白: the bot cannot be made to understand.
		"说不明白", "说不清", "讲不明白", "讲不清", "说不通",
		// 这事我不放心交给机器人.
		"不放心", "交给机器人",
		// 这个问题机器人解决不了: the bot cannot do it.
		"解决不了", "处理不了", "搞不定", "帮不了"}
	// zhBotComplaint complain that the bot does not understand, with or
	// without naming it: the customer wants someone who does.
	zhBotComplaint = []string{
		// Answers that do not fit: "你的回答不适用我的情况", "这些选项都不符合我的情况",
		// "标准答案没用", "你给的答案都没用", "你说的方法我都试过了，没用".
		"回答不适用", "答案不适用", "不适用我的情况", "不适合我的情况", "不符合我的情况", "情况特殊", "标准答案",
		"答案都没用", "答案没用", "回答没用", "回答都没用", "都试过了", "试过了没用",
		"听不懂人话", "答非所问", "你太笨", "你好笨", "笨死了", "你根本不懂", "你听不懂", "说了半天", "牛头不对马嘴", "驴唇不对马嘴", "鸡同鸭讲", "你没理解", "你不明白", "没法沟通",
		"跟你说不清", "和你说不清", "你解决不了", "你处理不了", "解决不了问题", "问了也白问", "白问", "跟机器说不通",
		"智障", "弱智", "说人话", "听得懂人话吗", "听懂人话", "废话", "什么玩意", "驴头不对马嘴", "问东答西", "所答非所问",
		"跟机器说不清", "和机器说不清", "跟机器讲不清", "和机器讲不清", "跟机器说不明白", "和机器说不明白", "跟机器讲不明白", "和机器讲不明白",
		"复制粘贴", "一直在重复", "重复的回答", "车轱辘话", "翻来覆去", "套话", "模板回复", "你蠢", "你真蠢", "好蠢", "你傻", "傻子一样", "看不懂我说的",
		// An answer to another question: "我问的不是这个", "回答的什么啊".
		"听得懂吗", "到底懂不懂", "你懂不懂", "你明白吗", "你明白我的意思吗", "说了多少遍", "又是这句", "又是这些", "说了三遍", "说了两遍", "说了好几遍", "说了好多遍",
		"回答没用", "回复没用", "别发链接", "不要再发链接", "不要再给我发这些",
		"我问的不是这个", "我问的不是这", "不是我要问的", "不是我问的", "没回答我的问题", "没回答我问题", "回答的什么啊", "回答的什么东西",
		"回的什么", "文不对题", "乱回答", "瞎回答", "乱回复", "瞎回复", "胡说八道", "又答错了", "回答错了", "回复错了",
		// The bot's offers refused or not enough: "你说的都没用", "这些选项都不是我要的",
		// "我的问题不在这里面", "说了你也不懂".
		"你说的都没用", "你说的没用", "说的都没用", "别给我发链接", "不要给我发链接", "别再发链接",
		"选项都不是", "这些都不是我要", "都不是我要问的", "选项里没有", "没理解我", "没明白我", "没懂我", "不理解我的意思",
		"重复同样的话", "重复一样的话", "说同样的话", "一样的回复", "解决不了我的问题", "解决不了我问题", "没解决我的问题",
		"问题不在这里面", "问题不在里面", "不在这些里面", "没有我要问的", "我要说的是别的", "我说的是别的", "我问的是别的",
		"说了你也不懂", "跟你说了也没用", "和你说了也没用", "说了也白说"}
	// zhBotFailed say in a construction what zhBotComplaint lists: the bot
	// does not understand, however put ("你根本听不懂我在说什么", "跟你说不
	// 明白"), gives the same reply again ("问三遍了还是这个回复"), knows a
	// few lines only ("你是不是只会这几句话"), said nothing ("你这回答跟没说
	// 一样"), or is told to stop its templates ("别再发这些模板了").
	zhBotFailed = regexp.MustCompile(`你(?:根本|完全|压根|压根儿|就|到底|真的|好像|是不是)?(?:就)?(?:听不懂|看不懂|听不明白|看不明白|不明白|理解不了|不理解)` +
		`|(?:跟|和)你(?:说|讲|聊|解释)(?:不清|不明白|不通|不懂|不了)` +
		`|(?:还是|又是|总是|老是|一直是|都是)(?:这个|这句|这些|这几句|同样的|一样的|同一个|那句)(?:回复|回答|话|答案|模板)` +
		`|只会(?:说)?(?:这几句|这一句|这些话|这两句|复读|重复)` +
		`|(?:跟|和)没说一样|等于没说|说了等于没说` +
		`|(?:别|不要|不用)(?:再)?(?:发|回|给我发)(?:这些|这种|那些)?(?:模板|套话|自动回复|官方回复|话术)`)
	// zhRejections, a clause by themselves, refuse the bot's offers: "都不是".
	zhRejections = []string{"都不是", "都不对", "都不是这些", "以上都不是", "不是这些", "都不是的",
		// The bot itself refused, as a whole clause: "我不要跟你说".
		"我不要跟你说", "不要跟你说", "不想跟你说", "不想和你说", "不想跟你聊", "不想和你聊", "不想跟你聊了", "不想和你聊了",
		"不跟你聊了", "不和你聊了", "不跟你说了", "不和你说了", "我不跟你说", "我不和你说"}
	// zhServiceKind name the shop's service as a whole, of which a doubt
	// asks what it is ("你们的客服是真人吗") rather than doubting the bot
	// at hand ("你是真人吗").
	zhServiceKind = []string{"你们的客服", "你们客服", "你们的人工", "你们人工", "人工客服是", "人工客服都", "客服都是", "客服人员是",
		"客服人员都", "你们的坐席", "你们坐席", "你们的售后", "你们售后",
		"你们家客服", "你们家的客服", "你们的在线客服", "你们在线客服"}
	// zhAtWorkNow ask whether anyone is at work now.
	zhAtWorkNow = []string{"有人在上班吗", "有没有人在上班", "还有人在上班", "有人上班吗", "有没有人上班", "没人上班"}
	// zhPlaceAsks ask where the service's people are.
	zhPlaceAsks = []string{"哪个城市", "哪座城市", "什么城市", "哪个省", "哪个国家", "在哪上班", "在哪里上班", "在哪办公", "在哪里办公", "哪里办公"}
	// zhKindAsked ask what the service's people are: 是真人还是机器人.
	zhKindAsked = []string{"真人还是", "还是机器人", "还是ai", "还是人工智能", "是ai吗", "是人工智能吗", "都是真人", "是不是ai", "机器人还是人", "还是真人"}
	zhDoubt     = []string{"是机器人吗", "是不是机器人", "是人吗", "是不是人", "是真人吗", "是不是真人",
		"你是机器", "你是不是机器", "你们是机器", "都是机器", "你是ai", "你是不是ai", "你是人工智能", "你是不是人工智能", "是自动回复吗"}
	// zhPersonWhere follow a person noun to ask where the person is:
	// "你们领导呢", "客服都死哪去了", "叫你们经理出来".
	zhPersonWhere = []string{"呢", "在吗", "在不在", "哪去了", "去哪了", "哪儿去了", "死哪", "在哪", "出来", "过来", "上线",
		// "小哥哥快来救我", "店员小姐姐能来一下吗", "掌柜的亲自来", "出现".
		"快来", "来一下", "亲自来", "出现",
		// "接待我的客服还在线吗", "工号5120现在有空吗".
		"在线吗", "还在线", "有空吗"}
	// zhBosses are asked for only after a request verb or where a person
	// is asked for: "叫你们领导来", "你们领导呢", not "领导让我买的".
	zhBosses = []string{"领导", "上级", "上司", "上头"}
	// zhOwnWork are the customer's own job: the boss of 想换工作怎么跟领导说 is
	// the customer's.
	zhOwnWork = []string{"换工作", "辞职", "离职", "跳槽", "请假", "加薪", "涨工资", "上班迟到", "年终奖", "绩效", "报销", "差旅"}
	// zhOwnWorkPeople blank the people of one's own work (zhOwnWork).
	zhOwnWorkPeople = strings.NewReplacer("老板", "  ", "经理", "  ", "主管", "  ", "同事", "  ")
	zhBossBefore    = []string{"叫", "找", "让", "请", "要见", "喊", "换", "给我", "转", "我要跟", "我要和"}
	// zhMachineRefusal refuse 机器 named alone, which may be the customer's
	// appliance ("这个机器没用几天就坏了"), only in words of a conversation.
	zhMachineRefusal = []string{"不想", "不要", "别", "受够", "够了", "不跟", "不和", "聊", "说话", "对话", "沟通", "回复", "回答", "蠢", "傻", "智障", "说不通"}
	// zhShortCallMeasured ends a clause in a call for a person with a
	// measure of the call between ("帮我叫一下人", "给我找下人", "喊个人吧").
	zhShortCallMeasured = regexp.MustCompile(`(?:叫|找|喊|请)(?:一下|下|一个|个)人(?:吧|啊|呀|来|过来)?$`)
	// zhSomeoneHadDo have someone do the customer's task: "退货流程太复杂
	// 了，让人帮我弄". Whom to go to with a task named ("发票找谁开", "地址写错
	// 了找谁改") asks how the task is done, and is answered from its entry.
	zhSomeoneHadDo = regexp.MustCompile(`让人(?:帮|给|替)我`)
	// zhShortCalls are clauses that ask for a person by themselves:
	// "问题没解决，找人".
	zhShortCalls = []string{"找人", "来人", "叫人", "要人", "换人", "换个人", "转人", "求人工", "召唤人工", "呼叫人工",
		// Someone sent for: "你别说了，让人来" (not "能让人来取件吗", which
		// goes on past the call).
		"让人来", "让人过来", "派人来", "派个人来", "换人来", "换个人来",
		// A transfer on a condition: "机器人能解决吗？不能就转".
		"就转", "就转吧", "那就转",
		// 我还是想问问人; "算了我还是问人吧".
		"问问人", "问下人", "问一下人", "问人", "问人吧",
		// Someone who knows the trade: "能不能请个专业的来回答".
		"请个专业的", "找个专业的", "叫个专业的", "来个专业的", "换个专业的",
		// Someone who understands, or the transfer itself: "换个懂的", "麻烦转一下".
		"换个懂的", "找个懂的", "来个懂的", "帮我转一下", "帮我转过去", "给我转过去",
		// "客服有权限退款吗？有的话帮我转".
		"帮我转", "给我转", "那就转", "就转吧", "转吧",
		// Someone who can talk at all: "找个能说话的", "换个会说话的来".
		"找个能说话的", "换个能说话的", "来个能说话的", "找个会说话的", "换个会说话的", "来个会说话的",
		// Any of them: "多少个客服在线？随便来一个".
		"随便来一个", "随便来个", "随便哪个都行", "随便谁都行", "谁都行",
		// Someone who knows the trade sent for to answer: "请个专业的来回答".
		"专业的来回答", "专业的人来回答", "专业的来解答", "专业的人来解答", "专业的来处理", "专业的人来处理",
		// Nobody come yet: "我等了二十分钟还没人来？" (not "还没人来取件").
		"没人来",
		// The call or the transfer asked for: "找人来", "叫一个来", "帮我接通";
		// whoever was just named called: "你们的上级是谁，让他来".
		"找人来", "叫一个来", "叫一个过来", "找一个来", "帮我接通", "给我接通", "让他来", "叫他来", "让他出来", "叫他出来"}
	zhCallBack = []string{"客服回访", "回访我", "安排回访", "约个回访", "约回访", "给我打电话", "给我打个电话", "打电话给我", "回个电话", "回电话", "回电", "来电话", "打给我", "电话联系我", "回拨", "致电我", "打我电话",
		"打电话给你们", "给你们打电话", "客服电话", "人工电话", "热线电话", "电话可以打", "打哪个电话", "电话打不通",
		// A voice or video call, or a number to call: "可以语音吗", "能视频吗", "留个电话给我".
		"语音通话", "可以语音", "能语音", "打语音", "视频通话", "能视频", "可以视频", "打电话沟通", "电话沟通", "电话联系",
		"留个电话", "留个联系方式", "你们电话多少", "你们的电话", "你们电话是",
		// In writing: "请回邮件给我".
		"回邮件给我", "给我回邮件", "发邮件给我", "给我发邮件", "邮件联系我", "邮件回复我",
		// "能不能打个电话过来"
		"打个电话过来", "打电话过来", "来个电话", "给个电话", "售后电话", "售后的电话",
		// A hotline, a call or an email to the shop, whoever to send the case
		// to: "我想打电话咨询", "有热线吗", "你们邮箱是什么", "我把情况发给谁".
		"打电话咨询", "电话咨询", "有热线", "热线是", "热线多少", "400电话", "你们邮箱", "你们的邮箱", "发邮件说",
		"怎么才能找到你们", "才能找到你们", "可以找到人", "能找到人", "找得到人",
		"情况发给谁", "照片发给谁", "截图发给谁", "资料发给谁", "凭证发给谁", "证据发给谁",
		// "下午有空的时候联系我一下", "能不能周一让人联系我"
		"联系我一下", "联系一下我", "人联系我", "来联系我",
		// "请联系我，电话138…": asked outright, politely or in haste.
		"请联系我", "麻烦联系我", "尽快联系我", "赶紧联系我", "速联系我", "快联系我",
		// "能不能打个电话给我", "让仓库那边的人给我回个话".
		"打个电话给我", "回个话",
		// Someone at the shop to call the customer's family: "麻烦有工作人员
		// 打个电话给她" (not "我打个电话给她问问").
		"人员打个电话给", "人员给她打", "人员给他打", "客服打个电话给", "客服给她打", "客服给他打",
		"让人打个电话给", "派人打个电话给", "找人打个电话给",
		// "麻烦安排个回访电话"
		"回访电话", "电话回访", "安排回访"}
	zhAnyoneThere = []string{"有人吗", "有没有人", "有人在吗", "有人在线吗", "有人在线么", "人呢",
		// Which of them is free: "哪位客服有空帮我看一下".
		"哪位客服有空", "哪个客服有空", "有客服吗", "客服在吗", "客服呢", "客服在不在", "客服在哪",
		// Whichever of them is there: "哪位客服在，回一下".
		"哪位客服在", "哪个客服在", "哪位在",
		// Whether anyone is on duty: "现在有人值班吗" (when, if a time is
		// asked: "周末有人值班吗").
		"有人值班",
		// Busy, and waited for: "客服在忙吗？我等着"; the shop's people asked
		// after: "店里的人在吗".
		"你们的人在吗", "店里的人在吗", "店铺的人在吗", "商城的人在吗", "商家的人在吗", "官方的人在吗", "平台的人在吗",
		"你们的人在不在", "店里的人在不在", "你们的工作人员在吗",
		"客服在忙", "客服忙吗", "客服很忙吗", "人工在忙", "人工忙吗",
		"人工在哪", "有没有客服", "客服人呢", "有人管吗", "有人回吗", "怎么没人回", "没人回",
		"有人能帮帮我", "有人能帮我吗", "有没有人能帮我", "有人帮帮我", "有谁能帮", "有个人来", "有人来帮我", "来个人帮",
		// Someone on the shop's side, or for a task: "你们那边有人能帮我看看吗"; not
		// "我家里有人能帮我签收吗".
		"那边有人能帮", "你们有人能帮", "有人能帮我看看", "有人能帮我处理", "有人能帮我查",
		"需要有人帮", "需要有人处理", "得有人帮", "要有人帮", "需要人帮我查", "需要人帮我看", "需要人帮我处理",
		// 有人看消息吗, 有没有人在上班啊 (now, not when), 我要人回复我.
		"有人看消息", "有人看吗", "有人在看吗", "要人回复", "让人回复", "派人回复",
		// "有的话出来说句话".
		"出来说句话", "出来说话",
		// "能加一下你们售后的微信吗".
		"售后的微信", "售后微信", "客服的微信",
		// The shop's own ways in: 客服邮箱是多少, 怎么才能联系到人, 我想给
		// 客服留言, 帮我提交一个工单.
		"客服邮箱", "客服热线", "热线电话", "客服微信", "加客服",
		// 加个微信聊吧; 有喘气的没 (anyone breathing there).
		"加个微信", "加微信聊", "加你微信", "加一下微信", "加你们微信", "有喘气的", "喘气的呢",
		// 你们有没有活的 (anyone alive there); 我要当面跟你们说清楚 (face to
		// face, not 当面验货 or 当面签收).
		"有没有活的", "有活的吗", "来个活的", "找个活的", "当面跟你们说", "当面和你们说", "当面跟你说", "当面和你说",
		"当面谈", "当面聊", "当面说清楚", "当面讲清楚", "当面理论",
		"联系到人", "客服团队", "给客服留言", "留言给客服", "提工单", "提交工单", "提交一个工单", "提个工单", "工单怎么提",
		// "有人能回我一下吗": someone to answer at all.
		"有人能回我", "有人回我", "有人理我", "有人能理我", "有没有人回", "谁能回我", "谁来回我",
		// The service not answering: "客服怎么还没回复，等了半天了".
		"怎么还没回复", "怎么还不回复", "也不回复", "也不回我", "还不回我", "还没回我", "不回消息", "不回信息", "也不回",
		// The shop's people asked after by name: "店家在吗，出来一下".
		"店家在吗", "卖家在吗", "商家在吗", "店主在吗", "老板在吗", "掌柜在吗",
		"店家在不在", "卖家在不在", "商家在不在", "店主在不在", "老板在不在", "掌柜在不在"}
	// zhCallWords make a message that calls for the service by name alone
	// ("客服", "客服客服!", "客服在吗"): with zhCallFiller and punctuation
	// nothing else is in it. The shop's own people called the same way:
	// "专员", "店长", "掌柜的", "老板在吗".
	zhCallWords    = []string{"客服专员", "售后专员", "专员", "店长", "店主", "店家", "老板", "掌柜的", "掌柜", "卖家", "商家", "人工客服", "在线客服", "客户服务人员", "客服人员", "客服", "售后", "人工", "经理", "主管", "工作人员", "小二"}
	zhCallFiller   = []string{"在吗", "在不在", "您好", "你好", "请问", "麻烦", "快点", "快", "呢", "啊", "呀", "吧", "哎", "喂", "嗨", "亲", "请"}
	zhTimeQuestion = []string{"几点", "上班", "下班", "工作时间", "营业时间", "服务时间", "什么时候", "时间", "节假日", "假期", "周末", "晚上", "早上", "值班", "几号", "24小时",
		// Days and seasons: "周日有客服在线吗", "过年期间有人工吗" ask when.
		"周一", "周二", "周三", "周四", "周五", "周六", "周日", "周天", "星期", "礼拜", "过年", "春节", "国庆", "五一", "中秋", "元旦", "放假", "期间",
		"半夜", "凌晨", "中午", "夜里", "夜间", "今晚", "明天",
		// "啥时候有真人客服在线啊", "人工客服今天休息吗".
		"啥时候", "啥时", "几时", "休息"}
)

// English words, lowercased, apostrophes dropped.
var (
	// enPersonAlone ask for a person by themselves; the plurals are
	// nearly always about the people ("when are agents available?").
	enPersonAlone = [][]string{
		{"human"}, {"agent"}, {"representative"}, {"rep"}, {"operator"}, {"real", "person"},
		{"live", "person"}, {"real", "human"}, {"actual", "person"}, {"someone", "real"}, {"somebody", "real"}, {"anyone", "real"}, {"anybody", "real"},
		{"human", "being"}, {"live", "agent"}, {"real", "people"}, {"actual", "human"},
		{"live", "human"}, {"human", "support"}, {"real", "ppl"}, {"real", "support"}, {"actual", "support"},
		// "whoever is in charge of refunds, please".
		{"whoever", "is", "in", "charge"}, {"whoevers", "in", "charge"},
		// Misspelt the way people type them in a hurry.
		{"huamn"}, {"humna"}, {"hooman"}, {"agnet"}, {"agant"}, {"representitive"},
		{"representive"}, {"repesentative"}, {"represntative"}, {"operater"},
		// 人工, 转人工 and 真人 in pinyin, typed without an input method.
		{"rengong"}, {"renggong"}, {"rengongg"}, {"ren", "gong"}, {"kefu"}, {"ke", "fu"}, {"zhuanrengong"}, {"zhenren"}, {"zhen", "ren"},
		// 人工服务 and 人工客服 put word for word into English: "transfer to
		// manual service", "artificial customer service".
		{"manual", "service"}, {"manual", "customer", "service"}, {"manual", "agent"}, {"manual", "support"},
		{"manual", "customer", "support"}, {"artificial", "service"}, {"artificial", "customer", "service"},
		{"artificial", "agent"}, {"artificial", "support"}, {"person", "service"}, {"people", "service"},
		// "someone from support, please"
		{"someone", "from", "support"}, {"somebody", "from", "support"}, {"anyone", "from", "support"},
		{"someone", "from", "customer", "service"}, {"someone", "from", "your", "team"},
		{"someone", "from", "your", "support", "team"}, {"someone", "from", "the", "support", "team"},
		{"someone", "from", "the", "shop"}, {"someone", "from", "your", "shop"}, {"someone", "from", "the", "store"},
		// "is a living being reading this?", "need a CSR" (a customer
		// service representative).
		{"living", "being"}, {"living", "person"}, {"living", "human"}, {"csr"}, {"csrs"},
		// "a real employee", "a person's judgement", "manual handling by
		// your staff", "a manual review", "beyond what a bot can do".
		{"real", "employee"}, {"actual", "employee"}, {"real", "staff"}, {"actual", "staff"},
		{"persons", "judgement"}, {"persons", "judgment"}, {"human", "judgement"}, {"human", "judgment"},
		{"manual", "handling"}, {"manual", "review"}, {"manual", "check"}, {"handled", "manually"},
		{"beyond", "what", "a", "bot"}, {"beyond", "what", "the", "bot"}, {"beyond", "a", "bot"},
		{"limits", "of", "what", "automated"}, {"override", "the", "system"},
		// "if someone from the actual team read my message".
		{"the", "actual", "team"}, {"your", "actual", "team"}, {"a", "real", "team", "member"},
	}
	// enPersonNouns ask for a person with a request verb.
	enPersonNouns = [][]string{
		{"person"}, {"someone"}, {"somebody"}, {"anyone"}, {"anybody"}, {"people"}, {"staff"},
		{"manager"}, {"supervisor"}, {"employee"}, {"humans"}, {"agents"}, {"team", "member"},
		{"member", "of", "your", "team"}, {"member", "of", "staff"}, {"customer", "service"},
		{"one", "of", "your", "people"}, {"one", "of", "your", "staff"}, {"one", "of", "your", "colleagues"},
		{"support", "team"}, {"your", "team"}, {"boss"}, {"owner"}, {"specialist"},
		{"advisor"}, {"adviser"}, {"consultant"}, {"associate"}, {"colleague"}, {"clerk"},
		{"attendant"}, {"superior"}, {"manger"}, {"supervisior"}, {"superviser"}, {"ppl"},
		{"customer", "care"}, {"customer", "support"}, {"live", "support"}, {"live", "chat"},
		{"support", "staff"}, {"support", "agent"}, {"tech", "support"}, {"helpdesk"},
		{"help", "desk"}, {"in", "charge"}, {"higher", "up"}, {"higher", "ups"},
		// "the higher authority", "whoever's above you".
		{"higher", "authority"}, {"higher", "authorities"}, {"above", "you"},
		// The plurals of the person nouns: "get one of your colleagues",
		// "let me talk to one of your reps". ("people" and "agents" are
		// above.)
		// "can a professional answer this", "your management", "the
		// support lead" (not "lead time").
		{"professional"}, {"professionals"}, {"expert"}, {"experts"}, {"management"},
		{"support", "lead"}, {"team", "lead"}, {"team", "leader"}, {"support", "leader"},
		// The shop's teams: "I'd like the finance team to confirm my
		// refund", "can the warehouse team check my parcel".
		{"finance", "team"}, {"billing", "team"}, {"warehouse", "team"}, {"returns", "team"}, {"logistics", "team"},
		{"shipping", "team"}, {"accounts", "team"}, {"quality", "team"}, {"tech", "team"}, {"technical", "team"},
		{"finance", "department"}, {"billing", "department"}, {"returns", "department"}, {"accounts", "department"},
		{"colleagues"}, {"managers"}, {"supervisors"}, {"employees"}, {"representatives"},
		{"reps"}, {"advisors"}, {"advisers"}, {"consultants"}, {"specialists"}, {"staffers"},
		{"team", "members"}, {"operators"}, {"associates"}, {"clerks"},
		{"flesh", "and", "blood"},
		// "an appropriate member of your staff", "a responsible officer",
		// "a direct point of contact", "your executive", "somebody with
		// access to the warehouse records", "one of the people who work
		// there", "whoever's in charge".
		{"member", "of", "your", "staff"}, {"officer"}, {"officers"}, {"point", "of", "contact"},
		{"your", "executive"}, {"your", "executives"}, {"an", "executive", "to"}, {"with", "access", "to"}, {"with", "authority"}, {"with", "actual", "authority"},
		{"people", "who", "work", "there"}, {"people", "who", "work", "for", "you"}, {"whoevers"},
		{"one", "of", "the", "people", "who", "work"}, {"one", "of", "your", "people"},
		{"account", "manager"}, {"account", "specialist"}, {"account", "specialists"},
		// "let me speak to whoever handles refunds", "can i talk to ur team"
		{"whoever"}, {"ur", "team"}, {"ur", "staff"},
		// "I need to speak to the returns department"
		{"department"}, {"departments"}, {"dept"}, {"sales", "team"}, {"salesperson"}, {"billing", "team"},
		// "I need your worker", "your service people"
		{"worker"}, {"workers"}, {"service", "people"}, {"service", "person"},
		// "CS" for customer service: "connect to CS", "transfer to CS team".
		{"cs"}, {"cs", "team"}, {"cs", "agent"}, {"cs", "staff"},
		// The shop's staff by their post: "I'd like to talk to the shop
		// assistant".
		{"assistant"}, {"assistants"}, {"salesperson"}, {"cashier"},
		{"service", "man"}, {"service", "men"}, {"serviceman"}, {"service", "guy"},
		// "link me with a staffer", "a real lady or gentleman", "a
		// carbon-based lifeform".
		{"staffer"}, {"real", "lady"}, {"real", "gentleman"}, {"carbon", "based"}, {"lifeform"}, {"real", "bloke"},
		// Whoever helped before: "can you get the lady who helped me this
		// morning".
		// "a lady or gentleman who works there": anyone at all.
		{"lady", "or", "gentleman"}, {"gentleman", "or", "lady"}, {"man", "or", "woman"}, {"woman", "or", "man"},
		// "a member of your support team", "a staff member", "your
		// support folks", "an available executive" (India's "customer
		// care executive"), "your service team".
		{"member", "of", "your", "support"}, {"member", "of", "your", "customer"}, {"member", "of", "your", "service"},
		{"member", "of", "the", "support"}, {"member", "of", "the", "team"}, {"member", "of", "the", "staff"},
		{"staff", "member"}, {"staff", "members"}, {"service", "team"},
		{"support", "folks"}, {"service", "folks"}, {"your", "folks"}, {"ur", "folks"},
		{"available", "executive"}, {"care", "executive"}, {"support", "executive"}, {"service", "executive"},
		// "continue with the same person I spoke to"
		{"same", "person"}, {"same", "agent"}, {"same", "lady"}, {"same", "guy"}, {"same", "rep"}, {"same", "staff"},
	}
	enRequest = map[string]bool{
		"talk": true, "speak": true, "chat": true, "connect": true, "transfer": true, "get": true,
		"want": true, "need": true, "reach": true, "contact": true, "call": true, "give": true,
		"put": true, "let": true, "see": true, "message": true, "text": true, "email": true,
		"phone": true, "ring": true, "handle": true, "rather": true, "prefer": true,
		"bring": true, "send": true, "escalate": true, "switch": true, "pass": true, "forward": true,
		"demand": true, "request": true, "find": true, "wanna": true, "access": true,
		"hand": true, "deal": true, "gimme": true, "refer": true, "touch": true,
		"raise": true, "complain": true, "complaint": true,
		// "please flag this for a staff member", "notify your team"
		"flag": true, "notify": true, "alert": true,
		"redirect": true, "route": true, "involve": true, "ask": true, "letting": true,
		// "I would like to be contacted by your staff"
		"contacted": true,
		// "could I have a word with a manager"
		"word": true,
		// "loop in a colleague", "hook me up with your team"
		"loop": true, "hook": true,
		// "discuss my order with someone", "report a problem to your
		// staff", "consult an agent", "explain my problem to someone"
		"discuss": true, "report": true, "consult": true, "explain": true,
		// "page an attendant", "ping customer care", "link me with a
		// staffer", "bump me to a specialist", "fetch your supervisor",
		// "grab an actual employee", "summon the helpdesk", "assign a
		// specialist to my case", "mind getting a colleague of yours",
		// "I'll take your supervisor".
		"page": true, "ping": true, "link": true, "bump": true, "fetch": true, "fetching": true, "grab": true,
		"summon": true, "assign": true, "getting": true,
		// "how would I go about reaching a supervisor right now"
		"reaching": true,
		// "can revert me to your service team staff" (India's and
		// Singapore's "revert": answer, get back to), "continue with the
		// same person".
		"revert": true, "continue": true,
		// "endorse my concern to your team" (the Philippines' "endorse":
		// pass on), "arrange for an account manager", "I must insist on
		// speaking with a person", "a conversation with one of your
		// specialists", "require a point of contact".
		"endorse": true, "arrange": true, "follow": true, "speaking": true, "talking": true, "conversation": true, "require": true, "liaise": true,
	}
	// enStrongRequest ask by themselves: "escalate this please".
	enStrongRequest = map[string]bool{"escalate": true, "escalation": true, "escalated": true, "callback": true}
	// enStrongPhrases ask by themselves too: "transfer me", "can I get
	// transferred", "call me back".
	enStrongPhrases = [][]string{
		{"transfer", "me"}, {"connect", "me"}, {"put", "me", "through"}, {"get", "transferred"},
		{"transferring", "me"}, {"connecting", "me"}, {"putting", "me", "through"}, {"passing", "me", "on"},
		{"get", "me", "through", "to"}, {"getting", "me", "through", "to"},
		// "patch me through to a consultant", "hand me off to a real one",
		// "how about a human instead?", "can I swap you for a person?",
		// "gimme a real one".
		{"reconnect", "me"}, {"put", "me", "back", "with"}, {"put", "me", "back", "through"},
		// "bring back the agent I spoke to an hour ago".
		{"bring", "back", "the", "agent"}, {"bring", "back", "the", "person"}, {"bring", "back", "the", "lady"}, {"bring", "back", "the", "guy"},
		// "put me trough to billing": a real word, so no typo to fix.
		{"put", "me", "trough"}, {"get", "me", "trough"},
		// The queue for a person: "please add me to the queue", "put me in
		// line for the next available person".
		{"add", "me", "to", "the", "queue"}, {"put", "me", "in", "the", "queue"}, {"put", "me", "in", "line"},
		{"put", "me", "in", "the", "line"}, {"add", "me", "to", "the", "line"}, {"queue", "me"},
		{"next", "available", "person"}, {"next", "available", "agent"}, {"next", "available", "rep"},
		{"next", "available", "representative"}, {"next", "available", "staff"}, {"next", "available", "human"},
		{"next", "available", "advisor"}, {"next", "available", "operator"}, {"next", "available", "executive"},
		{"next", "available", "team", "member"},
		// "I'm looking for your customer service".
		{"looking", "for", "your", "customer", "service"}, {"looking", "for", "customer", "service"},
		{"looking", "for", "your", "customer", "support"}, {"looking", "for", "customer", "support"},
		{"looking", "for", "a", "human"}, {"looking", "for", "an", "agent"}, {"looking", "for", "a", "person", "to"},
		{"looking", "for", "someone", "to", "talk"}, {"looking", "for", "a", "live", "agent"}, {"looking", "for", "your", "support"},
		{"looking", "for", "a", "rep"}, {"looking", "for", "a", "representative"}, {"looking", "for", "an", "operator"},
		// A call to talk it over: "could we have a quick call", "let's
		// discuss this on the phone".
		{"quick", "call"}, {"quick", "phone", "call"}, {"discuss", "this", "on", "the", "phone"}, {"discuss", "it", "on", "the", "phone"},
		{"talk", "on", "the", "phone"}, {"talk", "over", "the", "phone"}, {"speak", "on", "the", "phone"}, {"speak", "over", "the", "phone"},
		{"hop", "on", "a", "call"}, {"jump", "on", "a", "call"},
		// "who's responsible for this mess", "who is accountable".
		{"responsible", "for", "this", "mess"}, {"who", "is", "accountable"}, {"whos", "accountable"}, {"who", "takes", "responsibility"},
		// "can you speed up the queue for a human".
		{"queue", "for", "a", "human"}, {"queue", "for", "an", "agent"}, {"queue", "for", "a", "person"},
		{"queue", "for", "a", "rep"}, {"queue", "for", "someone"}, {"queue", "for", "the", "agents"},
		// "kindly connect to executive", "do the needful and transfer to
		// concerned person".
		{"connect", "to", "executive"}, {"connect", "to", "an", "executive"}, {"connect", "to", "concerned"},
		{"transfer", "to", "concerned"}, {"transfer", "to", "executive"}, {"transfer", "to", "an", "executive"},
		// "this has to go to somebody with access to the records".
		{"go", "to", "somebody"}, {"go", "to", "someone"}, {"go", "to", "a", "person"}, {"go", "to", "a", "human"},
		{"go", "to", "a", "member"}, {"go", "to", "your", "team"}, {"go", "to", "a", "supervisor"}, {"go", "to", "a", "manager"},
		{"patch", "me", "through"}, {"pop", "me", "through"}, {"send", "me", "through"}, {"hand", "me", "off"}, {"link", "me", "up"}, {"hook", "me", "up"}, {"chuck", "me", "through"},
		{"how", "about", "a", "human"}, {"how", "about", "a", "person"}, {"how", "about", "a", "real"}, {"how", "about", "someone"},
		{"swap", "you", "for"}, {"replace", "you", "with"}, {"exchange", "you", "for"},
		{"gimme", "a", "real", "one"}, {"get", "me", "a", "real", "one"},
		// "why is nobody answering": the service's silence, as 怎么没人回.
		{"nobody", "answering"}, {"nobody", "is", "answering"}, {"no", "one", "answering"}, {"no", "one", "is", "answering"},
		{"nobody", "replying"}, {"nobody", "is", "replying"}, {"no", "one", "replying"}, {"no", "one", "is", "replying"},
		{"nobody", "responding"}, {"nobody", "is", "responding"}, {"no", "one", "responding"}, {"no", "one", "is", "responding"},
		{"be", "transferred"}, {"call", "back"}, {"call", "me", "back"}, {"ring", "me", "back"},
		{"hand", "me", "over"}, {"hand", "this", "over"}, {"pass", "me", "on"},
		{"a", "word", "with", "someone"}, {"someone", "who", "can", "help"},
		// A call: "can I get a phone call", "can I speak to you on the
		// phone", "do you have a phone number".
		{"get", "a", "phone", "call"}, {"have", "a", "phone", "call"}, {"do", "a", "phone", "call"},
		{"get", "a", "call", "from"}, {"a", "call", "from", "support"}, {"a", "call", "from", "your"},
		{"speak", "to", "you", "on", "the", "phone"}, {"talk", "to", "you", "on", "the", "phone"},
		{"speak", "on", "the", "phone"}, {"talk", "on", "the", "phone"},
		{"your", "phone", "number"}, {"you", "have", "a", "phone", "number"}, {"whats", "your", "number"},
		// 人工 said word for word: "please help me transfer to artificial".
		{"transfer", "to", "artificial"}, {"switch", "to", "artificial"}, {"turn", "to", "artificial"}, {"connect", "to", "artificial"},
		{"artificial", "service"}, {"artificial", "customer", "service"}, {"artificial", "agent"},
		// Human support switched on, a key pressed for a person, the
		// people asked after: "I want to enable live support", "which key
		// do I press for a human", "where are the people".
		{"enable", "live", "support"}, {"enable", "human", "support"}, {"activate", "live", "support"}, {"activate", "human", "support"},
		{"turn", "on", "live", "support"}, {"switch", "on", "live", "support"}, {"turn", "on", "human", "support"}, {"switch", "on", "human", "support"},
		{"press", "for", "a", "human"}, {"press", "for", "an", "agent"}, {"press", "for", "a", "person"}, {"press", "for", "an", "operator"},
		{"key", "for", "a", "human"}, {"button", "for", "a", "human"}, {"option", "for", "a", "human"}, {"number", "for", "a", "human"},
		{"where", "are", "the", "people"}, {"where", "are", "your", "people"}, {"where", "are", "the", "humans"}, {"where", "are", "the", "staff"},
		{"where", "are", "your", "staff"}, {"where", "is", "everyone"}, {"where", "is", "everybody"},
		// The bot's authority doubted: "I want compensation, can you even
		// approve that?"
		{"can", "you", "even", "approve"}, {"do", "you", "have", "the", "authority"}, {"are", "you", "authorised", "to"},
		{"are", "you", "authorized", "to"}, {"who", "has", "the", "authority"},
		// Another way to reach them: "how do I contact you", "what's your
		// email, I'll write", "do you have a WhatsApp number", "who do I
		// send the details to".
		{"how", "do", "i", "contact", "you"}, {"how", "can", "i", "contact", "you"}, {"how", "to", "contact", "you"},
		{"whats", "your", "email"}, {"what", "is", "your", "email"}, {"your", "email", "address"},
		{"whatsapp", "number"}, {"you", "on", "whatsapp"},
		{"who", "do", "i", "send", "the", "details"}, {"who", "should", "i", "send", "the", "details"}, {"who", "do", "i", "send", "my", "details"},
		{"who", "do", "i", "send", "the", "photos"}, {"who", "do", "i", "send", "photos"}, {"who", "do", "i", "send", "the", "evidence"},
		{"anyone", "who", "can", "help"}, {"somebody", "who", "can", "help"},
		// "someone help me", "send me to someone", "need to talk to sales",
		// "let me chat to a real one", "does anyone work there?"
		{"someone", "help", "me"}, {"somebody", "help", "me"},
		{"send", "me", "to", "someone"}, {"send", "me", "to", "somebody"}, {"send", "me", "to", "a", "person"},
		{"send", "me", "to", "a", "human"}, {"send", "me", "to", "an", "agent"},
		{"talk", "to", "sales"}, {"speak", "to", "sales"}, {"talk", "with", "sales"}, {"speak", "with", "sales"},
		{"talk", "to", "billing"}, {"speak", "to", "billing"}, {"talk", "with", "billing"}, {"speak", "with", "billing"},
		// "chat with support", "speak to support"
		{"talk", "to", "support"}, {"speak", "to", "support"}, {"chat", "to", "support"}, {"chat", "with", "support"},
		{"talk", "with", "support"}, {"speak", "with", "support"}, {"message", "support"},
		{"reach", "support"}, {"contact", "support"}, {"reach", "your", "support"}, {"contact", "your", "support"},
		{"chat", "to", "a", "real", "one"}, {"talk", "to", "a", "real", "one"}, {"speak", "to", "a", "real", "one"},
		{"anyone", "work", "there"}, {"anyone", "work", "here"}, {"anybody", "work", "there"}, {"anybody", "work", "here"},
		// "this needs someone with authority"
		{"someone", "with", "authority"}, {"somebody", "with", "authority"}, {"person", "with", "authority"},
		{"needs", "someone"}, {"needs", "a", "person"}, {"needs", "a", "human"},
		{"anybody", "who", "can", "help"},
		// "who's in charge here", "an answer from a person".
		{"whos", "in", "charge"}, {"who", "is", "in", "charge"},
		{"answer", "from", "a", "person"}, {"answer", "from", "a", "human"}, {"answer", "from", "a", "real"},
		{"reply", "from", "a", "person"}, {"reply", "from", "a", "human"}, {"reply", "from", "a", "real"},
		{"help", "from", "a", "person"}, {"help", "from", "a", "human"}, {"help", "from", "a", "real"},
		// "your bot can't help, who else can", "give me a number to call"
		{"who", "else", "can"}, {"number", "to", "call"}, {"number", "to", "ring"},
		// "a proper conversation with someone"
		{"conversation", "with", "someone"}, {"conversation", "with", "somebody"},
		{"conversation", "with", "a", "person"}, {"conversation", "with", "a", "human"},
		{"conversation", "with", "a", "real"}, {"conversation", "with", "an", "agent"},
		// To be contacted, by a call or in writing: "please get in touch
		// with me", "I'd like to be contacted", "can I book a call with
		// support", "is there a number I can ring", "follow up with me".
		{"in", "touch", "with", "me"}, {"be", "contacted"}, {"reach", "out", "to", "me"}, {"reach", "out", "to", "us"},
		{"like", "a", "call"}, {"have", "a", "call"}, {"book", "a", "call"}, {"schedule", "a", "call"}, {"arrange", "a", "call"},
		{"set", "up", "a", "call"}, {"like", "a", "phone", "call"}, {"video", "call"}, {"voice", "call"},
		{"with", "you", "on", "the", "phone"}, {"number", "i", "can", "ring"}, {"number", "i", "can", "call"},
		{"your", "hotline"}, {"follow", "up", "with", "me"}, {"take", "over"},
		// "I have a question for customer service"
		{"question", "for", "customer"}, {"question", "for", "a", "human"}, {"question", "for", "a", "person"},
		{"question", "for", "an", "agent"}, {"question", "for", "your", "team"}, {"question", "for", "your", "staff"},
		{"question", "for", "staff"}, {"question", "for", "someone"}, {"question", "for", "support"},
		// Through to the service, as on a telephone line: "how do I get
		// through to you guys", "put me on to billing".
		{"i", "get", "through", "to"}, {"we", "get", "through", "to"}, {"cant", "get", "through", "to"},
		// Nobody to talk to: "why is there nobody to talk to".
		{"nobody", "to", "talk", "to"}, {"no", "one", "to", "talk", "to"}, {"noone", "to", "talk", "to"},
		{"nobody", "to", "speak", "to"}, {"no", "one", "to", "speak", "to"}, {"no", "human", "to"},
		// A person to do it: "can I have a human review this", "have
		// someone call me", "please respond as a human".
		{"have", "a", "human"}, {"have", "a", "person"}, {"have", "a", "real"}, {"have", "an", "agent"},
		{"have", "someone", "call"}, {"have", "someone", "look"}, {"have", "someone", "check"},
		{"have", "someone", "contact"}, {"have", "someone", "review"}, {"have", "someone", "get", "back"},
		{"as", "a", "human"}, {"as", "a", "person"},
		{"put", "me", "on", "to"}, {"put", "me", "onto"},
		// Whom to ask, the service rung, a colleague asked: "who can I ask
		// about this?", "can I call you guys", "check with your colleague".
		{"who", "can", "i", "ask"}, {"who", "could", "i", "ask"}, {"who", "should", "i", "ask"}, {"who", "do", "i", "ask"},
		{"can", "i", "call", "you", "guys"}, {"could", "i", "call", "you", "guys"}, {"can", "i", "ring", "you", "guys"}, {"can", "i", "phone", "you", "guys"},
		{"can", "i", "call", "your", "team"}, {"can", "i", "call", "your", "support"}, {"can", "i", "call", "your", "staff"}, {"can", "i", "call", "your", "customer"},
		{"check", "with", "your", "colleague"}, {"check", "with", "a", "colleague"}, {"ask", "your", "colleague"}, {"ask", "a", "colleague"},
		{"check", "with", "your", "colleagues"}, {"ask", "your", "colleagues"},
		// Someone called on to help; after-sales service wanted; someone on
		// the line: "someone help", "I want after-sales service", "get
		// support on the line".
		{"someone", "help"}, {"somebody", "help"}, {"help", "me", "someone"}, {"help", "me", "somebody"},
		{"help", "me", clauseBreak, "someone"}, {"help", "me", clauseBreak, "somebody"},
		{"wont", "anyone", "help"}, {"wont", "anybody", "help"}, {"wont", "someone", "help"}, {"wont", "somebody", "help"},
		{"help", "from", "someone"}, {"help", "from", "somebody"}, {"help", "from", "a", "person"}, {"help", "from", "a", "human"},
		{"help", "from", "your", "team"}, {"help", "from", "your", "staff"}, {"help", "from", "an", "agent"}, {"help", "from", "a", "real"},
		{"help", "from", "customer"}, {"help", "from", "support"}, {"assistance", "from", "customer"}, {"assistance", "from", "support"},
		{"assistance", "from", "your"}, {"assistance", "from", "someone"}, {"assistance", "from", "a"}, {"assistance", "from", "an"},
		// A reply awaited from a person: "I await a response from a member
		// of your team".
		{"response", "from", "a", "member"}, {"response", "from", "someone"}, {"response", "from", "a", "person"},
		{"response", "from", "a", "human"}, {"response", "from", "your"}, {"reply", "from", "someone"}, {"reply", "from", "a", "human"},
		{"reply", "from", "a", "person"}, {"reply", "from", "your"}, {"reply", "from", "a", "member"},
		// People doubted or waited for: "are there even humans working
		// there?", "do real people read these messages?", "when someone's
		// free, please ping me".
		{"even", "humans"}, {"humans", "working", "there"}, {"humans", "working", "at"}, {"real", "people", "read"}, {"real", "people", "reading"},
		{"humans", "read"}, {"humans", "reading"}, {"human", "reads"}, {"human", "reading"},
		{"when", "someone", "free"}, {"when", "someone", "is", "free"}, {"once", "someone", "is", "free"}, {"when", "somebody", "free"},
		{"when", "somebody", "is", "free"}, {"when", "someone", "frees", "up"},
		// The way past the bot asked: "how do I get past the bot", "which
		// button gets me a human".
		{"past", "the", "bot"}, {"past", "this", "bot"}, {"past", "the", "chatbot"}, {"skip", "the", "bot"}, {"bypass", "the", "bot"},
		{"gets", "me", "a", "human"}, {"gets", "me", "a", "person"}, {"gets", "me", "an", "agent"}, {"gets", "me", "to", "a"}, {"gets", "me", "through"},
		// Support wanted: "I want support", "urgent support needed".
		{"i", "want", "support"}, {"i", "need", "support"}, {"need", "support", "asap"}, {"support", "needed"}, {"urgent", "support"},
		{"want", "after", "sales"}, {"need", "after", "sales"}, {"want", "aftersales"}, {"need", "aftersales"},
		{"support", "on", "the", "line"}, {"someone", "on", "the", "line"}, {"person", "on", "the", "line"},
		{"human", "on", "the", "line"}, {"agent", "on", "the", "line"}, {"somebody", "on", "the", "line"},
	}
	// enSellers are asked for only with a verb of talking ("can I message
	// the seller", not "can I get a refund from the seller").
	enSellers = map[string]bool{"seller": true, "sellers": true, "vendor": true, "merchant": true, "shopkeeper": true}
	// enToSeller may stand between them: not "talk about the shop order".
	enToSeller = map[string]bool{"to": true, "with": true, "the": true, "your": true, "a": true, "this": true}
	enTalk     = map[string]bool{"talk": true, "speak": true, "chat": true, "message": true, "contact": true, "reach": true, "email": true}
	// enShops are asked for only with a verb of speaking ("can I chat with
	// the store"), not of reaching ("how do I reach your Shanghai store").
	enShops     = map[string]bool{"store": true, "shop": true}
	enSpeakOnly = map[string]bool{"talk": true, "speak": true, "chat": true, "message": true}
	// enShopEnd may follow the shop spoken to: "message the shop directly".
	enShopEnd = map[string]bool{clauseBreak: true, "directly": true, "now": true, "please": true, "pls": true, "plz": true}
	// enNotHelping complain that the bot does not understand or help:
	// "you're not helping", "you don't understand".
	enNotHelping = [][]string{
		// "my issue is too complex for a bot"
		{"too", "complex", "for", "a", "bot"}, {"too", "complicated", "for", "a", "bot"}, {"too", "complex", "for", "the", "bot"},
		{"too", "complicated", "for", "the", "bot"}, {"too", "complex", "for", "a", "chatbot"}, {"too", "complicated", "for", "a", "chatbot"},
		{"too", "complex", "for", "a", "robot"},
		{"too", "complicated", "for", "a", "robot"}, {"too", "complex", "for", "a", "machine"}, {"too", "complicated", "for", "a", "machine"},
		{"not", "helping"}, {"not", "helpful"}, {"isnt", "helping"}, {"isnt", "helpful"},
		{"arent", "helping"}, {"dont", "understand", "me"}, {"you", "dont", "understand"},
		{"not", "understanding"}, {"arent", "understanding"}, {"isnt", "understanding"}, {"doesnt", "understand"}, {"no", "help", "at", "all"},
		{"useless"}, {"pointless"}, {"going", "in", "circles"}, {"not", "getting", "anywhere"},
		{"canned", "answers"}, {"canned", "responses"}, {"same", "answer"},
		{"cant", "understand", "me"}, {"dont", "get", "it"}, {"doesnt", "get", "it"},
		{"keep", "repeating"}, {"repeating", "yourself"}, {"not", "answering"},
		{"didnt", "answer", "my"}, {"doesnt", "answer", "my"}, {"dont", "answer", "my"},
		{"not", "what", "i", "asked"}, {"not", "what", "i", "meant"}, {"keep", "sending", "the", "same"},
		{"make", "no", "sense"}, {"makes", "no", "sense"}, {"going", "nowhere"},
		{"wrong", "answer", "again"}, {"just", "a", "bot"}, {"only", "a", "bot"},
		// The same reply again, a few lines only, copied, no help, going
		// round: "I've asked three times and get the same reply", "is that
		// the only thing you can say", "stop copy pasting the FAQ".
		{"same", "thing", "again"},
		{"only", "thing", "you", "can", "say"}, {"all", "you", "can", "say"}, {"only", "thing", "you", "say"},
		{"youre", "no", "help"}, {"you", "are", "no", "help"}, {"no", "help", "whatsoever"}, {"of", "no", "help"},
		{"getting", "nowhere"}, {"around", "in", "circles"}, {"round", "in", "circles"},
		{"you", "even", "reading"}, {"you", "even", "listening"}, {"you", "even", "read"},
		// An answer to another question: "you keep giving me the wrong
		// answer", "that's not my question".
		{"wrong", "answer"}, {"wrong", "answers"}, {"wrong", "reply"}, {"wrong", "replies"},
		{"not", "my", "question"}, {"not", "listening"}, {"arent", "listening"},
		{"irrelevant", "answer"}, {"irrelevant", "answers"}, {"answer", "is", "irrelevant"},
		{"answers", "are", "irrelevant"}, {"not", "relevant", "to", "my"}, {"arent", "relevant", "to", "my"},
		{"isnt", "relevant", "to", "my"},
		{"nothing", "to", "do", "with", "my", "question"}, {"not", "what", "im", "asking"},
		// "you're not getting it", "I've said this three times", "that
		// answer didn't help", "stop sending me links".
		{"not", "getting", "it"}, {"said", "this", "three", "times"}, {"said", "this", "twice"},
		{"said", "it", "three", "times"}, {"said", "it", "twice"}, {"told", "you", "already"},
		{"already", "told", "you"}, {"didnt", "help"}, {"doesnt", "help"}, {"isnt", "helping"},
		{"stop", "sending", "me", "links"}, {"stop", "sending", "links"}, {"none", "of", "these", "options"},
		{"none", "of", "those", "options"}, {"none", "of", "the", "options"},
		// The bot's offers refused or not enough: "my question isn't on your
		// list", "I need more help than this", "can't you understand", "this
		// automated chat can't solve my problem", "my problem is different
		// from those".
		{"question", "isnt", "on"}, {"question", "is", "not", "on"}, {"problem", "isnt", "on"}, {"problem", "is", "not", "on"},
		{"question", "isnt", "there"}, {"question", "isnt", "listed"}, {"problem", "isnt", "listed"},
		{"no", "more", "links"},
		{"more", "help", "than", "this"}, {"more", "help", "than", "that"},
		{"cant", "you", "understand"}, {"can", "you", "not", "understand"},
		{"you", "cant", "solve"}, {"you", "cannot", "solve"}, {"you", "cant", "fix"}, {"you", "cannot", "fix"},
		{"chat", "cant", "solve"}, {"chat", "cannot", "solve"}, {"system", "cant", "solve"}, {"system", "cannot", "solve"},
		{"different", "from", "those"}, {"different", "from", "these"}, {"different", "from", "all", "of"},
		{"none", "of", "those", "fit"}, {"none", "of", "these", "fit"}, {"none", "of", "them", "fit"},
		// Answers that do not fit the case: "your answer doesn't cover my
		// case", "these options don't apply to me", "the standard answer
		// won't work", "none of your answers help", "I've tried all your
		// suggestions, nothing worked".
		{"doesnt", "cover", "my"}, {"dont", "cover", "my"}, {"doesnt", "apply", "to", "me"}, {"dont", "apply", "to", "me"},
		{"doesnt", "apply", "to", "my"}, {"dont", "apply", "to", "my"}, {"wont", "work", "for", "me"}, {"standard", "answer"},
		{"standard", "answers"}, {"generic", "answer"}, {"generic", "answers"}, {"none", "of", "your", "answers"},
		{"none", "of", "your", "suggestions"}, {"none", "of", "these", "answers"}, {"tried", "all", "your", "suggestions"},
		{"tried", "everything", "you"}, {"tried", "all", "of", "that"}, {"tried", "all", "that"}, {"nothing", "worked"},
		{"none", "of", "it", "worked"}, {"none", "of", "that", "worked"},
		// Threats until someone comes: "I'll post about this unless someone
		// contacts me"; a decision appealed.
		{"unless", "someone"}, {"unless", "somebody"}, {"unless", "a", "person"}, {"unless", "a", "human"}, {"unless", "an", "agent"},
		{"unless", "a", "manager"}, {"appeal", "the", "decision"}, {"appeal", "this", "decision"}, {"appeal", "against"},
		{"dispute", "the", "decision"}, {"contest", "the", "decision"}, {"challenge", "the", "decision"},
		// "not a question for a bot".
		{"question", "for", "a", "bot"}, {"not", "for", "a", "bot"}, {"not", "something", "for", "a", "bot"},
		{"not", "a", "job", "for", "a", "bot"}, {"question", "for", "a", "robot"}, {"question", "for", "a", "machine"},
		// Put off rather than helped: "stop brushing me off", "you're
		// fobbing me off".
		{"brushing", "me", "off"}, {"brush", "me", "off"}, {"brushed", "me", "off"}, {"fobbing", "me", "off"},
		{"fob", "me", "off"}, {"fobbed", "me", "off"}, {"palming", "me", "off"}, {"palm", "me", "off"},
		{"stonewalling", "me"}, {"giving", "me", "the", "runaround"}, {"the", "runaround"},
	}
	// enRejections, the whole of a message, refuse the bot's offers: "no,
	// none of those", "neither".
	enRejections = [][]string{{"none", "of", "those"}, {"none", "of", "these"}, {"none", "of", "them"}, {"neither"},
		{"neither", "of", "those"}, {"neither", "of", "these"}, {"neither", "of", "them"}, {"none"}, {"nope", "none", "of", "those"}}
	enNegation = map[string]bool{
		"dont": true, "not": true, "no": true, "never": true, "without": true, "doesnt": true,
		"didnt": true, "wont": true, "cant": true, "neednt": true, "nobody": true,
	}
	enBot = map[string]bool{"bot": true, "robot": true, "bots": true, "robots": true, "machine": true, "automated": true, "ai": true, "chatbot": true, "computer": true, "script": true,
		// "I've had enough of the auto-replies" (joined by enAutoReplies).
		"autoreplies": true, "autoreply": true}
	enBotRefusal = map[string]bool{
		"stop": true, "dont": true, "not": true, "no": true, "enough": true, "hate": true,
		"tired": true, "sick": true, "done": true, "quit": true, "useless": true, "stupid": true,
		"instead": true, "than": true, "more": true, "talking": true, "helping": true,
		"helpful": true, "working": true, "dumb": true, "annoying": true,
		// "skip the bot", "can I bypass this automated thing"
		"skip": true, "bypass": true, "avoid": true, "escape": true, "exit": true, "out": true,
		// "I doubt a robot can fix this", "this isn't something a bot can
		// handle"
		"doubt": true, "isnt": true,
	}
	// enBotTalk near a bot word refuse it when a refusal comes earlier in
	// the clause: "I don't want to chat with a machine", not "can I talk
	// about my computer order".
	enBotTalk = map[string]bool{
		"chat": true, "chatting": true, "talk": true, "speak": true, "speaking": true,
		"texting": true, "messaging": true, "typing": true, "arguing": true,
	}
	// enAsking and enLookInto make "can someone look into this".
	// "is a real person able to look into this" asks with "is" too.
	enAsking   = map[string]bool{"can": true, "could": true, "will": true, "would": true, "please": true, "need": true, "is": true, "like": true}
	enLookInto = map[string]bool{"chase": true, "follow": true, "update": true, "expedite": true, "amend": true, "correct": true, "look": true, "check": true, "read": true, "approve": true, "verify": true, "override": true, "telephone": true, "help": true, "handle": true, "review": true, "sort": true, "deal": true, "fix": true, "investigate": true, "contact": true, "call": true, "reach": true, "reply": true, "respond": true, "answer": true, "assist": true, "explain": true, "email": true, "text": true, "message": true, "ring": true, "phone": true, "touch": true,
		// "can a member of staff get back to me"
		"back": true,
		// "if a person could double-check this", "can one of your finance
		// people confirm", "could someone step in".
		"double": true, "confirm": true, "step": true, "take": true, "jump": true}
	// enPersonLead may stand between an asking word and the person:
	// "can a real person check", "could your colleague handle this".
	enPersonLead = map[string]bool{"a": true, "an": true, "your": true, "the": true, "real": true, "actual": true, "live": true, "proper": true,
		// "could a nice person at the shop help me"
		"nice": true, "kind": true, "young": true, "friendly": true, "helpful": true, "senior": true, "qualified": true, "competent": true, "knowledgeable": true}
	// enTeamHelps are what "your team" is asked to do when the customer asks
	// for its people: "can your team help me", "could your team look into it".
	enTeamHelps = map[string]bool{"help": true, "assist": true, "look": true, "check": true, "call": true, "ring": true, "phone": true,
		"contact": true, "review": true, "handle": true, "investigate": true, "talk": true, "speak": true}
	enAnyone           = map[string]bool{"anyone": true, "anybody": true, "someone": true, "somebody": true, "humans": true, "people": true}
	enPresence         = map[string]bool{"there": true, "here": true, "home": true, "alive": true, "awake": true, "listening": true, "out": true, "actually": true, "reading": true, "online": true, "around": true, "available": true}
	enGreeting         = map[string]bool{"hello": true, "hi": true, "hey": true, "yo": true, "helo": true, "hallo": true, "excuse": true, "me": true, "please": true}
	enQuestionOpeners  = map[string]bool{"what": true, "when": true, "where": true, "why": true, "how": true, "who": true, "which": true, "is": true, "are": true, "was": true, "were": true, "do": true, "does": true, "did": true}
	enHoursStrongTimes = map[string]bool{"when": true, "hours": true, "hour": true, "time": true, "times": true, "weekend": true, "weekends": true, "holiday": true, "holidays": true, "morning": true, "mornings": true, "evening": true, "evenings": true, "night": true, "nights": true, "sunday": true, "sundays": true, "saturday": true, "saturdays": true, "until": true, "till": true, "schedule": true, "247": true, "opening": true, "tonight": true,
		// Holidays: "is your customer service open on christmas"
		"christmas": true, "xmas": true, "easter": true, "thanksgiving": true, "diwali": true, "deepavali": true, "cny": true, "ramadan": true}
	// enImperative ask now even inside a time question: "connect me".
	enImperative = [][]string{{"speed", "up"}, {"hurry", "up"}, {"connect", "me"}, {"transfer", "me"}, {"put", "me"}, {"get", "me"}, {"give", "me"}, {"let", "me"}, {"let", "someone"}, {"let", "a", "person"}, {"let", "a", "human"}, {"let", "an", "agent"}, {"i", "want"}, {"i", "need"}, {"now"}, {"asap"},
		// "it's the weekend and I still need a human to sort my order"
		{"still", "need"}, {"need", "a", "human"}, {"need", "a", "person"}, {"need", "an", "agent"}, {"need", "someone"}}
	// enOurs name the shop or speak to it.
	enOurs = map[string]bool{"you": true, "your": true, "u": true, "ur": true, "yours": true, "shop": true, "store": true, "stores": true, "shops": true}
	// enServiceWords make a time question one about the human service.
	enServiceWords = map[string]bool{"support": true, "service": true, "agents": true, "agent": true, "staff": true, "human": true, "humans": true, "people": true, "someone": true, "anyone": true, "anybody": true, "somebody": true, "person": true, "team": true, "representative": true, "representatives": true, "operators": true, "operator": true, "live": true, "chat": true, "help": true, "desk": true, "open": true, "reach": true, "contact": true}
)

// IsHandoffRequest reports whether text asks for a person, in Chinese or
// English (case-insensitive); see handoffIntent.
func IsHandoffRequest(text string) bool { return handoffIntent(text) == intentHandoff }

// IsAboutPeople reports whether text asks about the human service's hours
// rather than for a person; see handoffIntent.
func IsAboutPeople(text string) bool { return handoffIntent(text) == intentAboutPeople }

// AsksOthersContact reports whether text asks how to reach another
// business's service (中通快递的客服电话是多少, 银行客服怎么联系, "how do I
// contact FedEx customer service", "the DHL helpline number"): no entry
// of the shop answers it, and it asks for none of the shop's people. What
// another business's service said ("顺丰客服说包裹退回了") is not such a
// question.
func AsksOthersContact(text string) bool {
	text = hanzi.Fold(text)
	return asksOthersContact(text, enProperNames(text))
}

// asksOthersContact is AsksOthersContact on text already folded, with the
// names written in it (enProperNames).
func asksOthersContact(text string, names map[string]bool) bool {
	text = strings.ToLower(text)
	if dropOthersService(text) != text && containsAny(text, zhContactAsks) && !containsAny(text, zhRelayed) {
		return true
	}
	if zhDropOthersAsked(text) != text {
		return true
	}
	ws := words(text)
	// "how do I reach a human at my bank"
	for i := range ws {
		if n := personSpan(ws[i:]); n > 0 && enAtOthers(ws, i+n) && anyOf(ws[:i], enAskReach) {
			return true
		}
	}
	if len(enDropOthersService(ws, names)) == len(ws) {
		return false
	}
	for _, w := range ws {
		if enRelayed[w] {
			return false
		}
	}
	for _, w := range ws {
		if enContactAsks[w] {
			return true
		}
	}
	return false
}

// zhContactAsks and enContactAsks ask for a way to reach a service;
// zhRelayed and enRelayed tell what the service said ("UPS support told
// me to contact you", 顺丰客服让我联系你们), which is the customer's
// problem with the shop, not a question about the other service, or name
// the shop's own (你们京东的客服电话, the shop's store on a marketplace).
var (
	zhRelayed     = []string{"说", "让我", "叫我", "告诉我", "要我", "你们", "你家"}
	enRelayed     = map[string]bool{"said": true, "says": true, "told": true, "tells": true, "asked": true, "advised": true, "your": true}
	zhContactAsks = []string{"电话", "热线", "号码", "联系", "多少", "怎么找", "在哪", "邮箱"}
	// enAskReach before a person placed elsewhere ask how to reach them.
	enAskReach    = map[string]bool{"reach": true, "talk": true, "speak": true, "contact": true, "get": true, "call": true, "chat": true}
	enContactAsks = map[string]bool{"number": true, "phone": true, "contact": true, "reach": true, "call": true,
		"email": true, "helpline": true, "hotline": true, "get": true}
)

// handoffIntent reads text as a request for a person, a question about the
// human service's hours, or neither.
func handoffIntent(text string) intent {
	text = hanzi.Fold(text)
	named := enAsksByName(text)
	names := enProperNames(text)
	folded := text
	text = enAutoReplies.ReplaceAllString(text, "autoreplies")
	if mostlyEnglish(text) {
		// "need kf asap": the shop chat's abbreviations too.
		text = zhAbbrev.ReplaceAllStringFunc(strings.ToLower(text), zhAbbrevWords.Replace)
		text = zhPeopleInEnglish.Replace(text)
	}
	ws := enInPerson(fixPersonTypos(fixTextspeak(joinSplitPronouns(words(text)))))
	if zhAsksAbility(text) || enAsksAbility(ws) || zhAsksAboutService(text) || enAsksAboutService(ws) {
		return intentAboutAbility
	}
	if z := zhIntent(text); z != intentNone {
		return z
	}
	// A name that is another business's ("how do I get through to
	// Airbnb's agents") asks for none of the shop's people.
	if named && !asksOthersContact(folded, names) {
		return intentHandoff
	}
	// A way to reach the shop's people asked for, read before another
	// business's service is dropped from the words (enDropServiceAtOthers):
	// "is there a phone number for Spotify support" is Spotify's.
	if enChannelAsked(ws) && !asksOthersContact(folded, names) {
		return intentHandoff
	}
	return enIntentNamed(ws, names)
}

// enProperNames are the words of text, folded as words folds them, that
// begin with a capital letter inside a sentence: the names of businesses
// ("a human at Huawei support", "Expedia's customer service", "the DMV"),
// which no list holds them all. Not a sentence's first word, nor "I".
func enProperNames(text string) map[string]bool {
	var names map[string]bool
	start := true
	var w []rune
	flush := func() {
		if len(w) > 1 && unicode.IsUpper(w[0]) && !start {
			if names == nil {
				names = make(map[string]bool)
			}
			names[strings.ToLower(string(w))] = true
		}
		if len(w) > 0 {
			start = false
		}
		w = w[:0]
	}
	for _, r := range text {
		switch {
		case unicode.IsLetter(r) && !unicode.Is(unicode.Han, r), unicode.IsDigit(r):
			w = append(w, r)
		case r == '\'' || r == '’':
		default:
			flush()
			if strings.ContainsRune(".!?。！？\n", r) {
				start = true
			}
		}
	}
	flush()
	return names
}

// enByName ask for one of the shop's people by name, as a customer asks
// for the agent who helped them before: "can I talk to Lisa again?", "is
// Wang Fang there?", "put me through to Tom". The name is a capitalised
// word that enNotNames does not hold.
var (
	enByName = []*regexp.Regexp{
		regexp.MustCompile(`\b(?:[Tt]alk|[Ss]peak|[Cc]hat|[Tt]alking|[Ss]peaking|[Cc]hatting)\s+(?:to|with)\s+([A-Z][a-z]{1,14})(?:\s+[A-Z][a-z]{1,14})?(?:\s+(?:again|please|now|back)|\s*[?.!,]|\s*$)`),
		// Not "is Nike available in size 10", "is Genshin Impact free to
		// play": a brand's or a game's.
		regexp.MustCompile(`\b[Ii]s\s+([A-Z][a-z]{1,14})(?:\s+[A-Z][a-z]{1,14})?\s+(?:there|around|online|on duty|still there|still around|(?:free|in)(?:\s+(?:today|now))?\s*(?:[?!.,]|$))`),
		regexp.MustCompile(`\b(?:put me through to|connect me (?:to|with)|transfer me to|put through to|reconnected with|connected with|get back to|continue with|resume (?:my |the )?(?:conversation|chat) with|carry on with)\s+(?:a\s+)?([A-Z][a-z]{1,14})\b`),
		// "Is Sarah available?", "Is Kevin working today?", "is Michael on
		// shift right now?": a person's presence, not a product's ("Is Nike
		// available in size 10?").
		regexp.MustCompile(`\b[Ii]s\s+([A-Z][a-z]{1,14})\s+(?:available\s*(?:[?!.,]|$|now|today|to)|working(?:\s+today|\s+now)?\s*[?!.,]|on shift|on duty|still on|in the office)`),
		// "Can I have Jessica again?", "I want Ryan.", "Could Rachel continue
		// helping me".
		// "Is agent Wang availible?", "is consultant Li in today": a post
		// and a name, misspelt as customers type "available".
		regexp.MustCompile(`\b[Ii]s\s+(?:agent|staff|rep|representative|consultant|advisor|adviser|officer|manager|supervisor)\s+([A-Z][a-z]{1,14})\s+(?:avail[a-z]*|there|around|online|in|free|working|on duty)\b`),
		// "forward this conversation to Ms. Chen", "pass my case on to Mr
		// Li from your after-sales team".
		regexp.MustCompile(`\b(?:[Ff]orward|[Tt]ransfer|[Pp]ass|[Ss]end|[Aa]ssign|[Hh]and)\s+(?:this|the|my)\s+(?:conversation|chat|case|matter|ticket|issue|complaint)\s+(?:on\s+|over\s+|back\s+)?to\s+(?:(?:Ms|Mr|Mrs|Miss|Dr)\.?\s+)?([A-Z][a-z]{1,14})\b`),
		regexp.MustCompile(`\b(?:[Cc]an|[Cc]ould|[Mm]ay) I (?:have|get)\s+([A-Z][a-z]{1,14})\s+(?:again|back)\b|\bI want\s+([A-Z][a-z]{1,14})\s*[.!,]|\b[Cc]ould\s+([A-Z][a-z]{1,14})\s+(?:continue|carry on|keep helping|call me|take over)`),
	}
	enNotNames = map[string]bool{"I": true, "The": true, "A": true, "An": true, "You": true, "Your": true, "Someone": true,
		"Somebody": true, "Anyone": true, "Customer": true, "Support": true, "Sales": true, "Billing": true, "Human": true,
		"Agent": true, "Manager": true, "Staff": true, "Service": true, "Spruce": true, "Mall": true, "Me": true, "It": true,
		"This": true, "That": true, "Alipay": true, "Wechat": true, "WeChat": true, "Amazon": true, "Apple": true,
		"English": true, "Chinese": true, "Mandarin": true, "Cantonese": true, "Monday": true, "Tuesday": true,
		"Wednesday": true, "Thursday": true, "Friday": true, "Saturday": true, "Sunday": true, "Today": true, "Tomorrow": true}
)

// enAsksByName reports whether text asks for someone by name (enByName).
func enAsksByName(text string) bool {
	// A name is capitalised: a text without a capital after its first
	// letter names no one (and most texts are spared the expressions).
	if strings.IndexFunc(text[min(1, len(text)):], func(r rune) bool { return r >= 'A' && r <= 'Z' }) < 0 {
		return enAgainWithThem.MatchString(text) || strings.ContainsAny(text, "0123456789") && enStaffNumber.MatchString(text)
	}
	for _, re := range enByName {
		for _, m := range re.FindAllStringSubmatch(text, -1) {
			for _, name := range m[1:] {
				if name != "" && !enNotNames[name] {
					return true
				}
			}
		}
	}
	return enAgainWithThem.MatchString(text) || strings.ContainsAny(text, "0123456789") && enStaffNumber.MatchString(text)
}

// enAgainWithThem ask for someone named before, by a pronoun: "can I get
// him back?", "can I speak to her again?". enStaffNumber name one by
// number, asked for: "reconnected with staff ID 4471", "the one with ID
// 7702".
var (
	enAgainWithThem = regexp.MustCompile(`(?i)\bget (?:him|her|them) back\b|\b(?:speak|talk|chat) (?:to|with) (?:him|her) again\b|\bI want (?:him|her) again\b`)
	enStaffNumber   = regexp.MustCompile(`(?i)\b(?:with|to|want|like|need)\b[^.?!]{0,30}\b(?:agent|staff|employee|rep)?\s*(?:id|no\.?|number|#)\s*\d{3,6}\b`)
)

// enAutoReplies are the bot's replies named as such, written as one bot
// word (enBot): "I've had enough of the auto-replies".
var enAutoReplies = regexp.MustCompile(`(?i)\bauto[- ]?(?:replies|reply|responses|response|responder)\b|\bautomatic (?:replies|responses)\b|\bcanned (?:replies|responses)\b`)

// zhPeopleInEnglish writes the Chinese names of the shop's people as
// English words for the English reading of a text: "I need to talk to 客服"
// asks for a person as "I need to talk to customer service" does. Only in a text
// of English words with a few Chinese ones (mostlyEnglish): a Chinese text
// is zhIntent's to read, on its own words (人工智能, 人工费).
var zhPeopleInEnglish = strings.NewReplacer(
	"人工客服", " human agent ", "在线客服", " live agent ", "真人客服", " human agent ",
	"客服", " customer service ", "人工", " human ", "真人", " human ",
)

// Person words that name no one of the shop's: what a person of the
// shop said ("the agent told me I'd get a refund", "your rep said it ships
// today"), the customer's own people ("can my agent pick up the parcel"),
// other trades' agents ("my real estate agent needs an invoice", "I'm an
// agent for a company"), words in which the person word is no person
// ("human resources", "the operator manual", "the operator of the crane",
// "I'm only human") and a person of the customer's choosing ("a person I
// can nominate").
var (
	enReportVerbs = map[string]bool{"said": true, "says": true, "told": true, "tells": true, "promised": true,
		"promises": true, "mentioned": true, "confirmed": true, "assured": true, "informed": true, "claimed": true,
		"stated": true, "advised": true, "explained": true, "replied": true, "answered": true, "wrote": true,
		"emailed": true, "agreed": true, "offered": true, "guaranteed": true}
	enOwnPeople  = map[string]bool{"my": true, "his": true, "her": true, "their": true, "our": true}
	enAgentTrade = map[string]bool{"travel": true, "estate": true, "insurance": true, "shipping": true, "customs": true,
		"forwarding": true, "sales": true, "purchasing": true, "buying": true, "booking": true, "ticket": true,
		"ticketing": true, "letting": true, "leasing": true, "rental": true, "property": true, "secret": true,
		"free": true, "sourcing": true, "procurement": true, "import": true, "export": true, "freight": true}
	enPersonNotPerson = map[string]map[string]bool{
		"human":     {"resources": true, "resource": true, "hair": true, "rights": true, "error": true, "body": true, "skin": true, "nature": true, "grade": true},
		"operator":  {"manual": true, "guide": true, "instructions": true, "handbook": true, "of": true},
		"operators": {"manual": true, "guide": true, "instructions": true, "handbook": true, "of": true},
	}
	// enOnlyHuman are what makes "only human" the idiom: "I'm only human",
	// "we're all just human".
	enOnlyHuman = map[string]bool{"im": true, "am": true, "are": true, "is": true, "were": true, "was": true, "youre": true,
		"theyre": true, "its": true, "all": true, "everyones": true, "hes": true, "shes": true}
	// enNamedBy are what a customer does to a person of their own choosing:
	// "a person I can nominate for the delivery".
	enNamedBy = map[string]bool{"nominate": true, "name": true, "designate": true, "authorize": true, "authorise": true,
		"add": true, "choose": true, "list": true, "send": true}
	enIAmA = map[string]bool{"im": true, "am": true, "as": true, "was": true, "were": true, "are": true, "work": true}
)

// enOursAt are the shop's own places: "someone at the store".
var enOursAt = map[string]bool{"shop": true, "store": true, "warehouse": true, "company": true, "support": true, "team": true, "customer": true, "desk": true}

// enSomeone are anyone at all, placed elsewhere by what follows.
var enSomeone = map[string]bool{"someone": true, "somebody": true, "anyone": true, "anybody": true}

// enAtBusiness reports whether ws[k:] places a person at or from another
// business by its name ("at UPS", "from PayPal"); the shop's own name
// ("anyone from Spruce there?") is none of enOtherBusinesses.
func enAtBusiness(ws []string, k int) bool {
	return k+1 < len(ws) && (ws[k] == "at" || ws[k] == "from") && enOtherBusinesses[ws[k+1]]
}

// enAtOthers reports whether ws at k place the person word before it
// somewhere else: "a human at my bank", "someone at the airline", "a
// person from the tax office"; not "someone at the store", "someone from
// your team".
func enAtOthers(ws []string, k int) bool {
	if k+2 >= len(ws) || ws[k] != "at" && ws[k] != "from" {
		return false
	}
	switch ws[k+1] {
	case "my", "his", "her", "their":
		return true
	case "the", "a", "an":
		// "agents at the weekend" are the shop's, at a time.
		return !enOursAt[ws[k+2]] && !enHoursStrongTimes[ws[k+2]] && ws[k+2] != "moment"
	}
	return false
}

// enDropOthersPeople returns ws with the person words that name no one of
// the shop's (above) blanked, unless a request verb comes before them in
// their clause ("I want to talk to the agent who said…", "put me through
// to my agent").
func enDropOthersPeople(ws []string) []string {
	var out []string
	for i := 0; i < len(ws); i++ {
		n := personSpan(ws[i:])
		if n == 0 && enSomeone[ws[i]] && (enAtOthers(ws, i+1) || enAtBusiness(ws, i+1)) {
			// "how can I speak to someone at my bank"
			n = 1
		}
		if n == 0 {
			continue
		}
		w := ws[i]
		drop := enAtOthers(ws, i+n) || enAtBusiness(ws, i+n) || i > 0 && enOwnPeople[ws[i-1]] && enOwnActAsked(ws, i) && !enAssigned[w]
		if !drop && requestedBefore(ws, i) {
			i += n - 1
			continue
		}
		switch {
		case drop:
		case i > 0 && enOwnPeople[ws[i-1]]:
			drop = true
		case i > 0 && enAgentTrade[ws[i-1]] && (w == "agent" || w == "agents"):
			drop = true
		case i+n < len(ws) && enPersonNotPerson[w][ws[i+n]]:
			drop = true
		case i > 1 && (ws[i-1] == "a" || ws[i-1] == "an") && enIAmA[ws[i-2]]:
			drop = true
		case w == "human" && i > 1 && (ws[i-1] == "only" || ws[i-1] == "just") && enOnlyHuman[ws[i-2]]:
			drop = true
		case (w == "person" || w == "someone" || w == "somebody") && i+n+2 < len(ws) && ws[i+n] == "i" &&
			(ws[i+n+1] == "can" || ws[i+n+1] == "could" || ws[i+n+1] == "may") && enNamedBy[ws[i+n+2]]:
			drop = true
		default:
			for j := i + n; j < len(ws) && j <= i+n+4 && ws[j] != clauseBreak; j++ {
				if enReportVerbs[ws[j]] {
					drop = true
					break
				}
			}
		}
		if !drop {
			i += n - 1
			continue
		}
		if out == nil {
			out = slices.Clone(ws)
		}
		for j := i; j < i+n; j++ {
			out[j] = "·"
		}
		i += n - 1
	}
	if out == nil {
		return ws
	}
	return out
}

// personSpan is the length of the longest person word or phrase ws starts
// with (enPersonAlone, enPersonNouns), 0 if none.
func personSpan(ws []string) int {
	n := 0
	for _, list := range [][][]string{enPersonAlone, enPersonNouns} {
		for _, p := range list {
			if len(p) > n && hasPrefix(ws, p) {
				n = len(p)
			}
		}
	}
	return n
}

// requestedBefore says whether a request verb comes before ws[i] in its
// clause.
func requestedBefore(ws []string, i int) bool {
	for j := i - 1; j >= 0 && ws[j] != clauseBreak; j-- {
		if enRequest[ws[j]] || enStrongRequest[ws[j]] {
			return true
		}
	}
	return false
}

// enAssigned are the person words that, with "my", may name someone of the
// shop's assigned to the customer: "how do I reach my agent".
var enAssigned = map[string]bool{"agent": true, "agents": true, "account": true, "rep": true, "representative": true}

// enOwnActAsked reports whether the clause before i asks how the customer is
// to do something, or whether they should ("how do I ask my boss for a
// raise", "should I tell my manager"): what follows is the customer's own
// act, asked about, not a request.
func enOwnActAsked(ws []string, i int) bool {
	for j := i - 1; j > 0 && ws[j] != clauseBreak; j-- {
		switch ws[j-1] {
		case "how":
			switch ws[j] {
			case "to", "do", "can", "should", "would", "could":
				return true
			}
		case "should":
			if ws[j] == "i" {
				return true
			}
		}
	}
	return false
}

// enDropTellMe returns ws without a leading ask for information ("can
// someone tell me", "could anyone let me know", "would you explain"): what
// follows is the question ("can someone tell me when my order ships" asks
// when it ships, not when the people work). A request after it still asks
// ("can someone tell me how to reach a manager").
func enDropTellMe(ws []string) []string {
	i := 0
	if i < len(ws) && (enAsking[ws[i]] || ws[i] == "please" || ws[i] == "pls") {
		i++
	}
	if i >= len(ws) || !(enAnyone[ws[i]] || ws[i] == "you" || ws[i] == "u") {
		return ws
	}
	i++
	switch {
	case i+1 < len(ws) && (ws[i] == "tell" || ws[i] == "explain" || ws[i] == "confirm" || ws[i] == "advise" || ws[i] == "show") && ws[i+1] == "me":
		i += 2
	case i+2 < len(ws) && ws[i] == "let" && ws[i+1] == "me" && ws[i+2] == "know":
		i += 3
	default:
		return ws
	}
	if i >= len(ws) {
		return ws
	}
	return ws[i:]
}

// pinyinNotPerson says whether ws, which starts with 人工 in pinyin, goes
// on as a word that is no person, as zhNotRequest does for the
// characters: "rengong zhineng" (人工智能), "ren gong fei" (人工费).
func pinyinNotPerson(ws []string) bool {
	n := 1
	if len(ws) > 1 && ws[0] == "ren" && ws[1] == "gong" {
		n = 2
	} else if ws[0] != "rengong" {
		return false
	}
	if len(ws) <= n {
		return false
	}
	switch ws[n] {
	case "zhineng", "zhi", "fei", "chengben", "cheng":
		return true
	}
	return false
}

// personTypoTargets are the words of a request for a person that a
// misspelling of them is read as ("humn", "reprisentative", "cusomer
// service", "speek to someon"), beyond the common slips enPersonAlone
// lists: a customer who wants a person types in a hurry.
var personTypoTargets = []string{"human", "agent", "representative", "operator", "customer", "service",
	"support", "person", "someone", "somebody", "manager", "supervisor", "speak", "talk",
	// "tranfer me to suport", "is ther a real persom"
	"transfer", "connect", "there",
	// "lemme tlak 2 ur staf"
	"staff",
	// "have someone email me pleae", "is agent Wang availible"
	"please", "available"}

// enBareContractions are contractions typed without the apostrophe,
// which the word vectors do not know as words ("aren't" is "are" and
// "n't" to them): "they arent comfortable" names no agent.
var enBareContractions = map[string]bool{
	"dont": true, "doesnt": true, "didnt": true, "isnt": true, "arent": true, "wasnt": true,
	"werent": true, "hasnt": true, "havent": true, "hadnt": true, "couldnt": true, "shouldnt": true,
	"wouldnt": true, "mustnt": true, "neednt": true, "cant": true, "wont": true, "youre": true,
	"theyre": true, "youve": true, "weve": true, "theyve": true, "youll": true, "theyll": true,
	"itll": true, "thats": true, "theres": true, "whats": true, "wheres": true, "hows": true,
}

// enTextspeak are a person and "to" as a hurried customer types them:
// "need 2 speak to sum1". "2" is read as "to" only after a verb of
// talking or getting through, so "2 items" stays a number.
var (
	enTextspeak = map[string]string{"sum1": "someone", "some1": "someone", "sm1": "someone", "any1": "anyone", "ne1": "anyone", "ppl": "people",
		// "lemme tlak 2 ur staf"
		"lemme": "let", "tlak": "talk", "tak": "talk", "spk": "speak", "spaek": "speak"}
	enTextspeak2 = map[string]bool{"talk": true, "speak": true, "chat": true, "need": true, "want": true, "through": true, "me": true, "go": true, "tlak": true, "tak": true, "spk": true}
)

// enInPerson returns ws with the "person" of "in person" written as one
// word with its "in": a product seen in person names no person to talk to
// ("can I see the product in person somewhere"), while "someone" in "talk to
// someone in person" still does.
func enInPerson(ws []string) []string {
	return rewrite(ws, func(ws []string, i int) (string, bool) {
		return "inperson", i > 0 && ws[i] == "person" && ws[i-1] == "in"
	})
}

// rewrite returns ws with each word that rule gives another for written as
// that one; ws itself, not a copy, when rule gives none.
func rewrite(ws []string, rule func(ws []string, i int) (string, bool)) []string {
	var out []string
	for i := range ws {
		w, ok := rule(ws, i)
		if !ok {
			continue
		}
		if out == nil {
			out = slices.Clone(ws)
		}
		out[i] = w
	}
	if out == nil {
		return ws
	}
	return out
}

// fixTextspeak returns ws with enTextspeak's words written out.
// joinSplitPronouns returns ws with "some one", "any one", "some body" and
// "any body" written as one word: "need to speek to some one". Not "any
// one of", which picks one of several.
func joinSplitPronouns(ws []string) []string {
	out := ws[:0:0]
	for i := 0; i < len(ws); i++ {
		if (ws[i] == "some" || ws[i] == "any") && i+1 < len(ws) && (ws[i+1] == "one" || ws[i+1] == "body") &&
			(i+2 == len(ws) || ws[i+2] != "of") {
			out = append(out, ws[i]+ws[i+1])
			i++
			continue
		}
		out = append(out, ws[i])
	}
	return out
}

func fixTextspeak(ws []string) []string {
	return rewrite(ws, func(ws []string, i int) (string, bool) {
		if full, ok := enTextspeak[ws[i]]; ok {
			return full, true
		}
		return "to", ws[i] == "2" && i > 0 && enTextspeak2[ws[i-1]]
	})
}

// fixPersonTypos returns ws with each word that is no English word the
// word vectors know (so neither "stuff" for staff nor "manages" for
// manager, nor a name such as "hunan") read as the one personTypoTargets
// word it is a misspelling of: the same first letter, one edit away (two
// from a word of nine letters or more), and no other target as near.
func fixPersonTypos(ws []string) []string {
	vec, err := wordvec.Load()
	if err != nil {
		return ws
	}
	return rewrite(ws, func(ws []string, i int) (string, bool) {
		w := ws[i]
		if len(w) < 4 || !asciiLower(w) {
			return "", false
		}
		if _, known := vec.Rank(w); known || enBareContractions[w] {
			return "", false
		}
		best, bestDist, tie := "", 3, false
		for _, t := range personTypoTargets {
			if t[0] != w[0] {
				continue
			}
			maxDist := 1
			if len(t) >= 9 {
				maxDist = 2
			}
			d := kb.EditDistance(w, t, maxDist)
			switch {
			case d > maxDist || d > bestDist:
			case d < bestDist:
				best, bestDist, tie = t, d, false
			default:
				tie = true
			}
		}
		return best, best != "" && !tie
	})
}

func asciiLower(w string) bool {
	for i := 0; i < len(w); i++ {
		if w[i] < 'a' || w[i] > 'z' {
			return false
		}
	}
	return true
}

func zhIntent(text string) intent {
	if zhChannelAsked(strings.ToLower(text)) || zhThereUrgent(text) || zhByVoice.MatchString(text) {
		return intentHandoff
	}
	text = zhPeopleHeard(strings.ToLower(text))
	text = zhAbbrev.ReplaceAllStringFunc(text, zhAbbrevWords.Replace)
	if !mostlyEnglish(text) {
		text = zhEnglishPeople.ReplaceAllStringFunc(text, func(m string) string {
			return strings.TrimSpace(zhEnglishPeopleWords.Replace(m))
		})
	}
	text = zhJoinVocative(text)
	text = zhDropLeadingCall(text)
	text = zhDropServiceJob(text)
	// The merchant's own service, named even in what another business
	// said: "支付宝说订单异常，让我联系商家客服" asks for the shop's people.
	for _, c := range zhClauses(text) {
		// Asked for, not asked about: not "商家客服几点上班".
		if i := firstIndex(c, zhShopService); i >= 0 && !zhNegated(c[:i]) && containsAny(c[:i], zhRequest) {
			return intentHandoff
		}
	}
	if containsAny(text, zhServiceKind) && (containsAny(text, zhDoubt) || containsAny(text, zhKindAsked)) {
		// 你们的客服是真人还是机器人: what the service is, asked, as
		// what its people can do is (intentAboutAbility); a request
		// beside it still asks.
		for _, l := range [][]string{zhDoubt, zhKindAsked, zhServiceKind, {"人工客服", "客服"}} {
			for _, w := range l {
				text = strings.ReplaceAll(text, w, " ")
			}
		}
		if it := zhIntent(text); it != intentNone {
			return it
		}
		return intentAboutAbility
	}
	if containsAny(text, zhDoubt) {
		return intentHandoff
	}
	if containsAny(text, zhPraise) && !containsAny(text, zhPraiseThenAsk) && !containsAny(text, zhPersonAlone) {
		return intentNone
	}
	for _, s := range zhNotRequest {
		text = strings.ReplaceAll(text, s, " ")
	}
	text = zhRobotGoodsBlank.Replace(text)
	text = zhDropReported(text)
	text = zhDropOwnPeople(text)
	text = zhWorkPerson.ReplaceAllString(text, "工作人员")
	// Another business's service is dropped unless asked for outright
	// (我要找顺丰的客服); asked how to reach, it is a question about that
	// business (宽带的人工客服怎么转).
	text = zhDropOthersReached(text)
	if !containsAny(zhHowToReach.ReplaceAllString(text, " "), zhStrongRequest) {
		text = dropOthersService(text)
	}
	text = zhDropOthersAsked(text)
	ask := false
	for _, c := range zhClauses(text) {
		if zhClauseAsks(c) {
			ask = true
			break
		}
	}
	if zhIfAnyone(text) || zhOnlyPerson(text) || zhCallsOut(text) || zhByPhone.MatchString(text) {
		return intentHandoff
	}
	mentions := containsAny(text, zhPersonAlone) || containsAny(text, zhPersonNouns) || containsAny(text, zhAnyoneThere)
	// 有没有人在上班啊: anyone at work now, not when they are.
	if containsAny(text, zhAtWorkNow) && !containsAny(strings.ReplaceAll(text, "上班", ""), zhTimeQuestion) {
		return intentHandoff
	}
	// 你们客服在哪个城市上班: where the people work, not when.
	if mentions && containsAny(text, zhPlaceAsks) && !containsAny(zhDropReach(text), zhStrongRequest) {
		return intentAboutAbility
	}
	// Whoever helped before, or a named one, asked after before the hours
	// are read: "李经理今天上班吗？我要找他" asks for him.
	if zhHelperAsked.MatchString(text) || zhFindThem.MatchString(text) && zhSomeoneNamed.MatchString(text) || zhBotNoGood.MatchString(text) ||
		zhSisterLooks(text) || zhHelperByName.MatchString(text) && containsAny(text, zhHelpedBefore) || zhAsksDepartment(text) {
		return intentHandoff
	}
	if containsAny(zhOnDuty.Replace(text), zhTimeQuestion) && mentions && !containsAny(text, zhOrderActions) {
		if ask && containsAny(zhDropReach(text), zhStrongRequest) && !containsAny(text, zhHypothetical) {
			return intentHandoff
		}
		// 有没有人值班，急事: whether someone is there now, because it
		// cannot wait; not when (你们几点有人，不急).
		if zhUrgent(text) && !containsAny(strings.NewReplacer("值班", "", "上班", "", "现在", "").Replace(text), zhTimeQuestion) {
			return intentHandoff
		}
		return intentAboutPeople
	}
	if ask || zhCallsByName(text) || zhNicknamed.MatchString(text) || zhEarlierOne.MatchString(text) || zhEarlierNamed.MatchString(text) && zhAskThemAgain.MatchString(text) {
		return intentHandoff
	}
	return intentNone
}

// zhChannel name a way to reach someone; zhChannelAsk ask for one;
// zhReachUs ask how to reach the shop; zhNotOurChannel make the way the
// customer's own, a parcel's number or someone else's.
var (
	zhChannel       = regexp.MustCompile(`电话|热线|邮箱|邮件地址|微信号|微信客服|客服微信|客服号|联系方式|号码|qq`)
	zhChannelAsk    = regexp.MustCompile(`多少|是什么|是啥|是几|给个|给一个|留个|留一个|有没有|有吗|在哪|告诉我|发我|发一下`)
	zhReachUs       = regexp.MustCompile(`(?:联系上|联系到|联络上|找到)你们|你们.{0,2}(?:联系上|联系到)`)
	zhOurMarkers    = []string{"你们", "客服", "售后", "人工", "店", "商家", "卖家", "官方", "贵司", "公司"}
	zhNotOurChannel = regexp.MustCompile(`不用|不要|别|我的|我(?:手机|电话|邮箱)|改|换|绑|验证码|收不到|注册|登录|填错|写错|归属地|陌生|单号|订单|运单|快递单|话费|电话费|快递员|骑手|司机|配送员|报警|急救`)
)

// zhChannelAsked reports whether text asks for a way to reach the shop's
// people, its number, hotline, email or WeChat ("你们的微信客服号是多少",
// "给个邮箱，我把照片发过去"), or how to reach them ("怎么才能跟你们联系上");
// not the customer's own (我的手机号怎么改), a parcel's number, or another
// business's (顺丰的热线多少, AsksOthersContact's).
func zhChannelAsked(text string) bool {
	if zhReachUs.MatchString(text) {
		return true
	}
	loc := zhChannel.FindStringIndex(text)
	if loc == nil || zhNotOurChannel.MatchString(text) || !zhChannelAsk.MatchString(text) {
		return false
	}
	// Whose way it is, if said: 你们的, 客服的; not 税务局的电话.
	if pre := text[:loc[0]]; strings.Contains(pre, "的") && !containsAny(pre, zhOurMarkers) {
		return false
	}
	// 微信客服 is also WeChat's own service: the shop's when it is yours
	// (你们的微信客服号是多少).
	return strings.Contains(text, "你们") || zhDropOthersAsked(text) == text && !asksOthersContact(text, nil)
}

// zhThereUrgent reports whether a short text asks whether anyone is there
// and says it cannot wait: "在吗在吗在吗，急", "在不在，很急"; not "在吗" alone,
// which greets whoever answers, nor "在吗？不急".
func zhThereUrgent(text string) bool {
	if utf8.RuneCountInString(text) > 16 || !strings.Contains(text, "在吗") && !strings.Contains(text, "在不在") {
		return false
	}
	return zhUrgent(text) || strings.HasSuffix(zhBare(zhNotUrgent.Replace(text)), "急")
}

// zhSignedFor are a parcel taken in by someone: "能有人帮我签收吗" asks who
// can take it in, not for the shop's people.
var zhSignedFor = []string{"签收", "代收", "收快递", "收货", "取件", "拿快递", "取快递"}

// zhByVoice asks to go on by phone or voice because typing or reading is
// hard: "我年纪大了，打字慢，能不能打电话", "看不清字，能语音吗".
var zhByVoice = regexp.MustCompile(`(?:打字|看不清|不识字|不会写字).{0,12}(?:打电话|电话|语音)`)

// zhUrgentWords say that a matter cannot wait; zhNotUrgent say it can.
var (
	zhUrgentWords = []string{"急事", "很急", "着急", "紧急", "急死", "挺急", "比较急", "有点急", "急急", "火急", "急着"}
	zhNotUrgent   = strings.NewReplacer("不急", "", "不着急", "", "不是很急", "", "不太急", "", "不用急", "", "别着急", "")
)

// zhUrgent reports whether text says its matter cannot wait.
func zhUrgent(text string) bool {
	return containsAny(zhNotUrgent.Replace(text), zhUrgentWords)
}

// zhShopService name the merchant's own service.
var zhShopService = []string{"商家客服", "店家客服", "卖家客服", "店铺客服", "你们客服", "你们的客服", "你们家客服", "你们的人工客服", "你们人工客服"}

// zhHelperByName asks after one of the shop's people by the 小 and given
// name they go by, with zhHelpedBefore saying they helped before:
// "小美在吗？她之前帮过我".
var (
	zhHelperByName = regexp.MustCompile(`^小[\p{Han}](?:今天|现在)?(?:在吗|在不在|在线吗|还在吗)`)
	zhHelpedBefore = []string{"帮过我", "接待过我", "处理过", "之前", "上次", "昨天"}
)

// zhDepartments are the shop's departments, asked for by zhToDepartment
// before them: "能转到财务吗", "帮我转退货部门", "我想让财务确认一下退款",
// "能让仓库的人查一下我的包裹吗". Not a department named in passing
// ("财务上怎么开发票").
var (
	zhDepartments = []string{"财务", "仓库的人", "仓库那边的人", "退货部门", "售后部门", "物流部门", "技术部门", "技术人员", "质检部门",
		"投诉部门", "客服部", "相关部门", "负责部门", "采购部", "商务部门", "法务",
		// Teams: "请尽快帮我联系你们的支付团队".
		"支付团队", "支付部门", "财务团队", "售后团队", "物流团队", "客服团队", "技术团队", "质检团队"}
	zhToDepartment = []string{"让", "转到", "转给", "转接", "转", "找", "联系", "叫", "请"}
)

// zhAsksDepartment reports whether text asks for one of zhDepartments.
func zhAsksDepartment(text string) bool {
	for _, d := range zhDepartments {
		for i := strings.Index(text, d); i >= 0; {
			before := strings.TrimSuffix(strings.TrimSuffix(strings.TrimSuffix(text[:i], "的"), "你们"), "一下")
			before = strings.TrimSuffix(before, "下")
			for _, v := range zhToDepartment {
				if strings.HasSuffix(before, v) && !zhNegated(before) {
					return true
				}
			}
			j := strings.Index(text[i+len(d):], d)
			if j < 0 {
				break
			}
			i += len(d) + j
		}
	}
	return false
}

// zhHelperAsked asks after or for whoever helped the customer before, by
// what they did or by name: "之前处理我换货的小美还在吗", "上周五帮我处理保修的师傅能再
// 联系我吗", "昨天晚上接待我的客服还在线吗", "帮我接一下售后的阿强".
var zhHelperAsked = regexp.MustCompile(`(?:帮我|给我|接待我|处理我|跟我聊|跟我说)[^，。？！?!,]{0,10}的(?:那个|那位)?(?:客服|小姐姐|小哥哥|小哥|师傅|同事|工作人员|专员|经理|主管|人|小[\p{Han}]|阿[\p{Han}])(?:今天|现在)?(?:还在吗|还在线吗|在吗|在线吗|在不在|还在不在|能再联系我|能不能再联系我|再联系我|上班吗|有空吗|呢)|` +
	`(?:接通|接一下|帮我接|转接)(?:一下)?(?:售后|客服)?的?(?:阿[\p{Han}]|小[\p{Han}])`)

// zhSisterLook asks one of the shop's people, by the chat's word for a
// young woman or man, to look into something: "麻烦客服小姐姐帮忙看看", "客服妹妹
// 帮我看下". Those words name a person, not the bot.
// The customer's own sister (让我妹妹帮我看看) is not asked.
var zhSisterLook = regexp.MustCompile(`(?:小姐姐|小哥哥|妹妹|妹子|小哥)(?:帮忙|帮我|给我)(?:看看|看一下|看下|查查|查一下|查下|处理一下|处理下|处理)`)

func zhSisterLooks(text string) bool {
	for _, m := range zhSisterLook.FindAllStringIndex(text, -1) {
		before := text[:m[0]]
		if !strings.HasSuffix(before, "我") && !strings.HasSuffix(before, "我的") && !strings.HasSuffix(before, "我家") {
			return true
		}
	}
	return false
}

// zhBotNoGood tells the bot it cannot help and asks for another: "你不行，
// 换一个" (not "颜色不喜欢，换一个", an exchange).
var zhBotNoGood = regexp.MustCompile(`(?:你|机器人)(?:不行|不懂|没用|太笨|听不懂|不会|搞不定)[啊呀吧]?[，,。\s]*(?:换一个|换个|换一个来|换个来)[吧啊]?[。！!]?$`)

// zhFindThem ask to find someone just named: "我要找他", "我想找她".
// zhSomeoneNamed are the shop's people by post, number or nickname.
var (
	zhFindThem     = regexp.MustCompile(`(?:我要|我想|我得|我需要)找(?:他|她)(?:$|[，。！？!?,]|聊|说|谈)`)
	zhSomeoneNamed = regexp.MustCompile(`经理|主管|客服|工号|师傅|同事|小姐姐|小哥|阿[\p{Han}]|小[\p{Han}]`)
)

// zhPraiseThenAsk ask for someone beside praise: "客服人很好，帮我转一下".
var zhPraiseThenAsk = []string{"转", "找", "叫", "我要", "让", "给我", "换", "接通", "在吗", "在不在", "呢", "请", "协助", "帮我看", "帮我查"}

// zhSurnames are the commonest surnames, which a nickname of 小 or a
// title (李姐, 王经理) goes with.
const zhSurnames = `李王张刘陈杨赵黄周吴徐孙胡朱高林何郭罗梁宋郑谢韩唐冯董程曹袁邓许沈曾彭吕苏卢蒋蔡贾丁魏薛叶潘杜戴夏钟汪田任姜范方姚谭廖邹熊陆郝孔崔康邱秦江顾侯邵孟段雷汤尹黎常乔贺赖龚`

// zhNicknamed ask for one of the shop's people by the 小 and surname they
// go by, asked after or asked for: "上次那个小李在吗", "找一下小王".
var zhNicknamed = regexp.MustCompile(`(?:阿[\p{Han}]|[` + zhSurnames + `](?:姐|哥|经理|主管|总|师傅)|工号\s*\d{2,6})(?:今天|现在)?(?:在吗|在线吗|在不在|还在吗|上班吗|值班吗|有空吗|呢)|(?:找|转一下|转给|转到|接通|接一下|帮我接|跟|和)(?:一下|下)?(?:阿[\p{Han}]|[` + zhSurnames + `](?:姐|哥|经理|主管|总|师傅)|工号\s*\d{2,6})|(?:转一下|转给|转到|接通|接一下|帮我接)小[\p{Han}]|(?:跟|和)小[\p{Han}](?:继续|直接)?(?:沟通|聊|说|谈)|` +
	`(?:^|[^大])小[` + zhSurnames + `](?:今天)?(?:在吗|在不在|还在吗|呢|在哪|来一下|出来|上班吗)|(?:找|叫|转给|转到)(?:一下|下)?小[` + zhSurnames + `](?:$|[^子家区])`)

// zhEarlierOne call back one of the shop's people the customer had
// before, or one by name to come: "还是之前那位客服吧", "找一下刚才那个小李",
// "叫刚才那个妹子回来", "麻烦让阿美来跟我说"; not "上次那个客服态度很好", which
// calls no one.
// zhEarlierNamed names one of the shop's people who served the customer
// before; zhAskThemAgain asks for them by a pronoun after it: "上次那个客服处
// 理得很好，能再找她吗".
var (
	zhEarlierNamed = regexp.MustCompile(`(?:刚才|之前|上次|昨天|刚刚|前面|早上)(?:那个|那位|的|接待我的)?(?:客服|小姐姐|小哥|同事|妹子)`)
	zhAskThemAgain = regexp.MustCompile(`(?:再|还)(?:找|联系|叫|转给|接)(?:一下)?(?:她|他)|(?:找|联系|叫|转给)(?:一下)?(?:她|他)(?:吗|吧|呢|$|[，。？！?!,])`)
)

var zhEarlierOne = regexp.MustCompile(`(?:找|叫|让|要|转给|转到|换回|还是|接)(?:一下|下)?(?:刚才|之前|上次|昨天|刚刚|前面|早上)(?:那个|那位|的|接待我的)?(?:客服|人|妹子|小姐姐|小哥|同事|` + zhNickname + `)` +
	`|让` + zhNickname + `(?:来|过来|跟我|和我|给我|回)`)

// zhNickname is one of the shop's people by the 小 or 阿 and the name they
// go by: 小李, 阿美; not 小孩, 小票, 阿姨.
const zhNickname = `(?:小[` + zhSurnames + `美丽芳红玲]|阿[美丽芳红玲强伟明华杰军娟珍])`

// Languages a customer may ask the service to speak, and the verbs that
// ask whether its people can.
var (
	zhLanguages = []string{"粤语", "广东话", "白话", "英语", "英文", "普通话", "国语", "中文", "方言", "日语", "日文", "韩语", "韩文",
		"闽南话", "闽南语", "台语", "客家话", "上海话", "潮汕话", "四川话", "外语", "马来语", "泰语", "法语", "德语", "西班牙语", "俄语"}
	zhAbility   = []string{"会说", "能说", "会讲", "能讲", "说", "讲", "懂", "听得懂", "听懂", "会", "能用", "用"}
	enLanguages = map[string]bool{
		"english": true, "chinese": true, "mandarin": true, "cantonese": true, "hokkien": true, "spanish": true,
		"french": true, "german": true, "italian": true, "portuguese": true, "russian": true, "arabic": true,
		"malay": true, "bahasa": true, "indonesian": true, "tagalog": true, "hindi": true, "tamil": true,
		"bengali": true, "urdu": true, "japanese": true, "korean": true, "thai": true, "vietnamese": true,
		"language": true, "languages": true,
	}
	enSpeak = map[string]bool{"speak": true, "speaks": true, "talk": true, "understand": true, "understands": true, "know": true, "knows": true, "use": true, "write": true, "read": true}
	// enAbilityPeople are the people of the service in a question about
	// what they can do; not "someone" or "anyone", whom a customer asks
	// for ("can someone speak Chinese with me").
	enAbilityPeople = map[string]bool{
		"agent": true, "agents": true, "staff": true, "human": true, "humans": true, "team": true, "support": true,
		"service": true, "reps": true, "rep": true, "representatives": true, "people": true, "operators": true,
		"advisors": true, "advisers": true, "staffs": true, "employees": true, "care": true,
	}
)

// zhOnDuty are the people on duty named: "值班的在哪，喊一下", "喊值班经理过来"
// ask for them, not when someone is on duty. Dropped before a time is
// looked for.
var zhOnDuty = strings.NewReplacer("值班的", "", "值班经理", "", "值班客服", "", "值班人员", "")

// zhAsksAbility reports whether text asks which language the human service
// speaks: a person word, after it a verb of speaking and a language, and no
// outright request (转, 找, 我要…).
func zhAsksAbility(text string) bool {
	if containsAny(text, zhStrongRequest) || containsAny(text, zhCallBack) || zhAsksThere(text) {
		return false
	}
	person := len(text)
	for _, ps := range [][]string{zhPersonAlone, zhPersonNouns, zhCallWords} {
		for _, p := range ps {
			if i := strings.Index(text, p); i >= 0 && i < person {
				person = i
			}
		}
	}
	if person == len(text) {
		return false
	}
	rest := text[person:]
	for _, l := range zhLanguages {
		i := strings.Index(rest, l)
		if i > 0 && containsAny(rest[:i], zhAbility) {
			return true
		}
	}
	return false
}

// Questions about how the human service works rather than for it: how long
// its queue is, whether it keeps the chat, how to rate it, how many people
// it has ("人工客服一般要等多久", "给客服打分在哪里", "how long is the wait
// to get an agent", "do agents see my chat history"). No entry answers
// them; like the languages the service speaks, they are neither handed
// over nor answered. Said with urgency or a request ("我要人工，要等多久",
// "I need an agent now, how long is the queue") they still ask for one.
var (
	zhServiceQuestions = []string{"等多久", "排队多久", "排多久", "多久能接通", "多久接通", "多久回复", "多久能回复", "回复一般要多久",
		"回复要多久", "多久才回", "聊天记录", "打分", "评分", "评价客服", "给客服评价", "接多少", "多少个客服", "多少客服", "客服多少人",
		"几个客服", "客服的工号", "客服工号",
		// What its people see of the customer: "人工客服能看到我刚才和机器人说的话吗".
		"看到我刚才", "看得到我刚才", "看到我之前", "看得到我之前", "看到我和机器人", "看得到我和机器人",
		"看到我的订单", "看得到我的订单",
		// Who answers and how: "每次接待我的是同一个客服吗", "一个客服同时接几个人",
		// "双十一会加客服人手吗", "客服有没有权限直接给补偿", "人工客服回消息一般多快",
		// "客服是按接待量拿提成的吗".
		"同一个客服", "同时接几个", "接几个人", "同时接待", "客服人手", "有没有权限", "有权限", "多快", "提成", "接待量"}
	zhServiceAsked  = []string{"客服", "人工", "坐席"}
	zhServiceUrgent = []string{"我要", "给我", "帮我", "麻烦", "请", "快", "赶紧", "马上", "立刻", "现在", "等了", "半天", "还没", "怎么还", "到底", "急",
		"说", "让我", "叫我",
		// The service set to it: "能让客服看一下我的聊天记录吗".
		"让客服", "让人工",
		// Any of them, however long: "排队多久我都等，转人工", "多少个客服在线？随
		// 便来一个", "同一个客服接待我就行，转过去", "有权限的客服来一下".
		"转过去", "来一个", "来一下", "随便", "都等", "无所谓", "就行"}
	enServiceOpeners   = map[string]bool{"how": true, "do": true, "does": true, "can": true, "will": true, "where": true, "are": true, "is": true, "what": true, "whats": true, "once": true}
	enServicePeople    = map[string]bool{"agent": true, "agents": true, "human": true, "humans": true, "support": true, "staff": true, "representative": true, "representatives": true, "rep": true, "reps": true, "operator": true, "operators": true}
	enServiceQuestions = [][]string{{"queue"}, {"wait", "time"}, {"waiting", "time"}, {"chat", "history"}, {"export"}, {"rate", "the"},
		{"rate", "an"}, {"rate", "my"}, {"feedback"}, {"how", "many", "agents"}, {"how", "many", "staff"}, {"how", "many", "people", "work"},
		{"see", "my", "chat"}, {"see", "my", "messages"}, {"read", "my", "chat"}, {"keep", "my", "chat"}, {"chat", "be", "kept"}, {"chat", "history", "be", "kept"},
		// What its people see or know of the customer, and who they are:
		// "do your agents see my order history", "will the agent know what
		// I already told you", "is your support team outsourced".
		{"see", "my", "order"}, {"see", "my", "orders"}, {"see", "what", "i"}, {"know", "what", "i"}, {"outsourced"},
		// Who answers and how: "can the agent see what I've typed", "is it
		// the same agent every time", "do agents handle more than one
		// customer at a time", "do agents have the authority to give
		// compensation", "will I have to repeat my whole question".
		{"see", "what", "ive"}, {"same", "agent"}, {"same", "person"}, {"more", "than", "one", "customer"},
		{"more", "than", "one", "chat"}, {"authority"}, {"repeat", "my"}, {"repeat", "the", "question"}}
	// enServiceHowLong ask how long to get the service: "how long does
	// it take to get through to an agent", "how fast do agents reply".
	enServiceHowLong = [][]string{{"how", "long"}, {"how", "fast"}, {"how", "quickly"}, {"how", "soon"}}
	// enServiceTask, after the person, give them a task: "can an agent see
	// my order and fix it" asks for one.
	enServiceTask  = map[string]bool{"fix": true, "sort": true, "handle": true, "deal": true, "investigate": true, "resolve": true, "solve": true, "check": true, "help": true, "change": true, "cancel": true, "refund": true}
	enServiceReach = map[string]bool{"get": true, "reach": true, "through": true, "for": true, "until": true, "till": true, "wait": true, "queue": true, "reply": true, "respond": true, "answer": true}
)

// enAskToTalk ask to talk, which no question about how the service works
// does: "can I talk to the same agent as yesterday" asks for that agent;
// "will the agent I talk to see my order" asks how it works.
var enAskToTalk = [][]string{{"can", "i", "talk"}, {"could", "i", "talk"}, {"can", "i", "speak"}, {"could", "i", "speak"},
	{"may", "i", "speak"}, {"may", "i", "talk"}, {"can", "i", "chat"}, {"could", "i", "chat"}, {"let", "me", "talk"},
	{"let", "me", "speak"}, {"want", "to", "talk"}, {"want", "to", "speak"}, {"like", "to", "talk"}, {"like", "to", "speak"},
	{"can", "i", "get"}, {"could", "i", "get"}, {"can", "i", "have"}, {"could", "i", "have"}}

// zhAsksAboutService reports whether a Chinese text asks how the human
// service works (above).
func zhAsksAboutService(text string) bool {
	text = strings.ReplaceAll(text, "请问", "")
	// What was said (说的话) is no urgency of the saying: "能看到我刚才和机器人说的话吗".
	text = strings.ReplaceAll(text, "说的话", "的话")
	// 多快 asks how fast, it urges nothing: "人工客服回消息一般多快".
	return containsAny(text, zhServiceAsked) && containsAny(text, zhServiceQuestions) &&
		!containsAny(strings.ReplaceAll(text, "多快", ""), zhServiceUrgent) && !containsAny(text, zhDoubt)
}

// enAsksAboutService reports whether ws ask how the human service works
// (above): a question about a person of the service, not said with a
// request, about its hours (those are intentAboutPeople's) or with a second
// clause.
func enAsksAboutService(ws []string) bool {
	if len(ws) == 0 || !enServiceOpeners[ws[0]] {
		return false
	}
	person := -1
	for i, w := range ws {
		switch {
		case w == clauseBreak && i < len(ws)-1:
			return false
		case (enHoursStrongTimes[w] && !enTimeSpent(ws, i)) || w == "available" || w == "open" || w == "online":
			return false
		case enServicePeople[w] && person < 0:
			person = i
		}
	}
	if person < 0 {
		return false
	}
	for i := range ws {
		if matchAny(ws[i:], enImperative) || matchAny(ws[i:], enAskToTalk) || ws[i] == "waiting" && i > 0 && (ws[i-1] == "been" || ws[i-1] == "im") ||
			i > person && enServiceTask[ws[i]] {
			return false
		}
	}
	for i := range ws {
		if matchAny(ws[i:], enServiceQuestions) {
			return true
		}
		if matchAny(ws[i:], enServiceHowLong) && i < person {
			for _, w := range ws[i+2 : person+1] {
				if enServiceReach[w] {
					return true
				}
			}
			for _, w := range ws[person+1:] {
				if enServiceReach[w] {
					return true
				}
			}
		}
	}
	return false
}

// enAsksAbility reports whether ws ask which language the human service
// speaks: a question that opens with an auxiliary or "what", a person of
// the service, a verb of speaking after it and a language in the message;
// not when the customer is in it ("can I speak to an agent in English",
// "I need someone who speaks Chinese").
func enAsksAbility(ws []string) bool {
	if len(ws) == 0 {
		return false
	}
	switch ws[0] {
	case "do", "does", "can", "could", "will", "would", "are", "is", "what", "which":
	default:
		return false
	}
	// "is there an agent who speaks Mandarin" asks whether there is
	// one: a request (enAsksWhetherThere).
	for _, opener := range [][]string{{"is", "there"}, {"are", "there"}, {"do", "you", "have"}, {"do", "you", "guys", "have"}} {
		if hasPrefix(ws, opener) {
			return false
		}
	}
	lang := false
	for _, w := range ws {
		if w == "i" || w == "me" || w == "im" || w == "my" || w == "we" || w == "us" {
			return false
		}
		lang = lang || enLanguages[w]
	}
	if !lang {
		return false
	}
	for i, w := range ws {
		if !enAbilityPeople[w] {
			continue
		}
		for j := i + 1; j < len(ws) && j <= i+3; j++ {
			if enSpeak[ws[j]] {
				return true
			}
		}
	}
	return false
}

// zhSomeoneToHelp open a clause that asks for someone to help, guide or
// teach: "有人能帮我确认一下吗", "能不能有人带我操作一下", "有人能指导一下吗".
var zhSomeoneToHelp = regexp.MustCompile(`^(?:你们(?:这边|那边|这里|那里|店里)?)?(?:能不能|可不可以|能否|可以|能)?(?:有没有人|有人)(?:能|可以|来)?(?:帮|带|指导|教|陪|处理|解决|负责|管)`)

// zhFindSomeoneTo ask the shop to find someone to settle or do the
// customer's matter: "需要找人协商一下赔偿", "能找人远程帮我吗". Not someone to
// take in a parcel (zhSignedFor).
var zhFindSomeoneTo = regexp.MustCompile(`找(?:个|一个|位)?人(?:来)?(?:远程|直接|当面|跟我|和我)?(?:协商|沟通|谈|聊|处理|解决|核实|确认|对接|帮我|帮忙)`)

// zhShopDemanded demand that the shop act or answer for it, urgently or as
// a duty: "请你们尽快处理", "你们赶紧给我处理", "你们必须给我一个交代", "你们要对此
// 负责"; or ask which of them answers for it: "你们那边谁负责这个", "你们谁能做主".
// Not a question of how or when ("你们怎么处理退款", "你们多久处理"), nor goods
// asked for (你们尽快发货: the entries answer it).
var zhShopDemanded = regexp.MustCompile(`你们[^，。！？,.!?怎如多几]{0,6}?(?:尽快|赶紧|马上|立刻|立即|必须|务必)[^，。！？,.!?怎如多几]{0,4}?(?:处理|解决|负责|交代|答复|说法)|你们(?:要|得|必须|应该)对此负责|你们(?:这边|那边|这里|那里)?(?:谁|哪位)(?:负责|能做主|说了算|管这|能处理|能解决)`)

// zhOtherThanBot ask for the service besides the bot: "除了你还有别的客服吗",
// "你们除了机器人还有什么客服".
var zhOtherThanBot = regexp.MustCompile(`除了(?:你|机器人|机器|ai|智能客服|自动回复)[^，。！？,.!?]{0,8}?(?:客服|人工|真人)`)

// zhSomeoneWho ask for someone described by what they can do: "能换个会思考的
// 来吗", "给我找个有脑子的", "能不能换个说普通话的人", "叫个懂产品的来". Not goods
// described ("换个大一号的", "能换个会发光的吗", "想给孩子找个会说话的玩具").
var zhSomeoneWho = regexp.MustCompile(`(?:换|找|叫|来|要|派)(?:一)?个(?:会(?:思考|说话|说人话|听|处理|解决|办事|回答)|能(?:回答|解决|处理|做主|听懂|说清楚|答上来)|懂|有脑子|聪明|明白|说普通话|说中文|说英语|听得懂|能听懂)[^，。！？,.!?]{0,6}的(?:$|来|人|客服|同事|吗|吧|[，。！？,.!?\s])`)

// zhCourierCalls are whoever delivers, whose calls the customer misses;
// zhThirdPersons someone else called. zhNobodyPicksUp and zhNotASoul say
// that no one answers or is there (zhClauseAsks).
var (
	zhCourierCalls  = []string{"快递", "骑手", "司机", "派送", "配送", "送货"}
	zhThirdPersons  = []string{"他", "她"}
	zhNobodyPicksUp = []string{"没人接", "没有人接"}
	zhNotASoul      = []string{"一个人都没有", "一个人也没有"}
)

// zhHowToReach ask how to reach someone, no outright request.
var zhHowToReach = regexp.MustCompile(`(?:怎么|如何|怎样|咋)(?:才能|能|可以)?(?:转|找|联系|叫|接通|投诉)`)

// zhOtherBusinesses are businesses other than the shop whose service a
// customer may ask about: "京东的客服电话是多少" asks for no person here.
var (
	zhOtherBusinesses = []string{"京东", "淘宝", "天猫", "拼多多", "抖音", "快手", "美团", "饿了么", "唯品会", "苏宁", "亚马逊", "闲鱼",
		"顺丰", "中通", "圆通", "韵达", "申通", "极兔", "邮政", "快递公司", "银行", "移动", "联通", "电信", "微信", "支付宝",
		"滴滴", "医院", "携程", "去哪儿", "飞猪", "12306", "航空公司", "社保", "医保", "运营商", "物业", "保险公司", "电力公司", "燃气公司",
		"苹果", "耐克", "宽带", "小米", "华为", "荣耀", "联想", "海尔", "美的", "格力"}
	zhServiceWords = []string{"快递员电话", "快递员的电话", "快递小哥电话", "快递小哥的电话", "派送员电话", "网点电话", "客服电话", "客服热线", "投诉电话", "投诉热线", "人工客服", "客服", "人工", "售后", "热线", "电话"}
	// zhBusinessKinds may follow a business's name before its service:
	// 中通快递的客服电话, 顺丰速运客服, 京东物流的人工.
	zhBusinessKinds = []string{"快递公司", "快递", "速运", "速递", "快运", "物流", "公司", "官网", "信用卡"}
)

// dropOthersService returns text without the service of another business
// it names (京东的客服电话, 银行客服), which a question about it does not ask
// for; handoffIntent leaves an outright request as it is.
func dropOthersService(text string) string {
	for _, b := range zhOtherBusinesses {
		for i := strings.Index(text, b); i >= 0; {
			rest := text[i+len(b):]
			// A kind is skipped where a service word begins: 顺丰快递员电话.
			for _, k := range zhBusinessKinds {
				if strings.HasPrefix(rest, k) && !hasPrefixAny(rest, zhServiceWords) {
					rest = rest[len(k):]
					break
				}
			}
			rest = strings.TrimPrefix(rest, "的")
			for _, w := range zhServiceWords {
				if strings.HasPrefix(rest, w) {
					end := len(text) - len(rest) + len(w)
					text = text[:i] + " " + text[end:]
					break
				}
			}
			j := strings.Index(text[i+1:], b)
			if j < 0 {
				break
			}
			i += 1 + j
		}
	}
	return text
}

// zhRengongTyped, zhRugong and zhSpacedOut read 人工 typed oddly back
// (zhPeopleHeard).
var (
	zhMention      = regexp.MustCompile(`[@＠]\s*(客服|人工|卖家|店家|掌柜|老板|店主|小二)`)
	zhRengongTyped = strings.NewReplacer("ren工", "人工", "人gong", "人工", "人エ", "人工")
	zhRugong       = regexp.MustCompile(`(^|[转找要叫接求])入工($|客服|服务|[^\p{Han}])`)
	zhSpacedOut    = regexp.MustCompile(`\p{Han}(?:[ \-—–_.·*/~]+\p{Han}){2,}`)
	// zhSpacedWord is a person word of two characters spelt apart: 人 工.
	zhSpacedWord = regexp.MustCompile(`(人|客|真)[ \-—–_.·*/~]+(工|服|人)`)
)

// zhHeard are the person words a homophone typo is read back to: 转人共,
// 我要人攻客服, 找个真仁 ask as 转人工 does. Not 克服 ("overcome"), a word
// of its own; 客fu is 客服 half in pinyin.
var zhHeard = []string{"人工", "真人", "客服", "人员",
	// 售厚的人, 经里呢, 主关, 联细一下售后, 工做人员, 回个点话, 物流步门, 财物的人,
	// 你门店长, 根客服聊聊: the other words of a request, misheard.
	"售后", "经理", "主管", "联系", "工作", "电话", "部门", "财务", "你们", "跟客",
	// 有活仁吗, 找你们店涨.
	"活人", "店长"}

// zhHeardWords are words of their own that sound like a word of zhHeard:
// 经历 is no 经理 misheard, nor 主观 主管, 练习 联系, 守候 售后, 收货人 活人
// or 店章 店长.
var zhHeardWords = []string{"克服", "经历", "精力", "主观", "练习", "守候", "受够", "公主", "货人", "伙人", "店章"}

// zhHeardNext are words whose first character, after a person word's
// first, would read as a homophone of its second (人远程 as 人员).
var zhHeardNext = []string{"远程", "原因", "原来", "原价", "原装", "原件", "原路", "愿意", "元旦", "园区", "援助"}

// zhKefuHeard is 克服 after a verb that asks for someone, or before a
// question of whether they are there.
var zhKefuHeard = regexp.MustCompile(`(找|转|叫|接|喊|联系|人工)克服()|()克服(在吗|在不在|人员|电话)`)

// zhPeopleHeard returns text with the homophone typos of zhHeard written
// as them (lexicon.SoundsLike: one character at its place, the other read
// alike).
func zhPeopleHeard(text string) string {
	text = strings.ReplaceAll(text, "客fu", "客服")
	// The service mentioned as a chat mentions someone: "@客服 出来一下"
	// calls 客服.
	text = zhMention.ReplaceAllString(text, "叫$1")
	// 人工 typed half in pinyin, or with a look-alike: 转ren工, 找人エ (a
	// katakana e), 转入工 (入 for 人; not 转入工资卡).
	text = zhRengongTyped.Replace(text)
	text = zhRugong.ReplaceAllString(text, "${1}人工${2}")
	// Spelt out a character at a time: 转—人—工, 转-人-工, 转.人.工.
	text = zhSpacedOut.ReplaceAllStringFunc(text, func(m string) string {
		return strings.Map(func(r rune) rune {
			if unicode.Is(unicode.Han, r) {
				return r
			}
			return -1
		}, m)
	})
	text = zhSpacedWord.ReplaceAllStringFunc(text, func(m string) string {
		sub := zhSpacedWord.FindStringSubmatch(m)
		if w := sub[1] + sub[2]; w == "人工" || w == "客服" || w == "真人" {
			return w
		}
		return m
	})
	// 克服 is 客服 misheard where a person is asked for: 找克服, 人工克服,
	// 克服在吗; not 我能克服.
	text = zhKefuHeard.ReplaceAllString(text, "${1}${3}客服${2}${4}")
	// 人 written 银, as the chat slang has it: "找个真银".
	text = strings.ReplaceAll(text, "真银", "真人")
	return zhFixHeard(text, zhHeard, zhHeardWords)
}

// zhFixHeard returns text with each pair of characters that sounds like one
// of words (lexicon.SoundsLike, one character kept at its place) written as
// that word, unless the pair is one of real, words of their own.
func zhFixHeard(text string, words, real []string) string {
	rs := []rune(text)
	changed := false
	for i := 0; i+1 < len(rs); i++ {
		for _, w := range words {
			// SoundsLike keeps one of the two characters at its place:
			// a pair with neither, or the word itself, is not asked.
			wr := []rune(w)
			if rs[i] != wr[0] && rs[i+1] != wr[1] || rs[i] == wr[0] && rs[i+1] == wr[1] {
				continue
			}
			// 几个人共用 is 共用 (shared), not 人工 misheard.
			if i+2 < len(rs) && strings.ContainsRune("用享同有计", rs[i+2]) && rs[i+1] == '共' {
				continue
			}
			// 找人远程帮我, 个人原因: the second character begins a word
			// with the next one, and is not misheard.
			if i+2 < len(rs) && slices.Contains(zhHeardNext, string(rs[i+1:i+3])) {
				continue
			}
			if pair := string(rs[i : i+2]); !slices.Contains(real, pair) && lexicon.SoundsLike(pair, w) {
				copy(rs[i:i+2], wr)
				changed = true
				i++
				break
			}
		}
	}
	if !changed {
		return text
	}
	return string(rs)
}

// zhDropOthersReached returns text without each clause that names another
// business's own service and asks how to reach it (银行客服怎么转人工, 宽带客服
// 怎么转人工): its 转人工 is that service's, and the way asked would read as a
// transfer asked for. A clause telling what the other said (顺丰客服说…,
// 让我联系你们) is kept.
func zhDropOthersReached(text string) string {
	for _, c := range zhClauses(text) {
		if containsAny(c, zhRelayed) || !zhHowToReach.MatchString(c) {
			continue
		}
		if d := dropOthersService(c); d != c {
			for _, w := range zhServiceWords {
				d = strings.ReplaceAll(d, w, " ")
			}
			text = strings.Replace(text, c, zhHowToReach.ReplaceAllString(d, " "), 1)
		}
	}
	return text
}

// zhHow ask how or where: with another business named before them, the
// service words after it are that business's ("移动怎么转人工", "滴滴怎么联系
// 人工客服", "医院挂号怎么找人工").
var zhHow = []string{"怎么", "如何", "怎样", "咋", "在哪", "哪里"}

// zhShopMatter are the shop's matters: between another business's name and
// a question of how to reach a person, they make the person the shop's.
// Not 支付, which is a business's own service too (微信支付的客服怎么联系).
var zhShopMatter = []string{"退款", "退货", "退钱", "付款", "付不了", "扣款", "扣了", "订单", "下单", "发货", "收货", "签收",
	"物流", "包裹", "发票", "优惠券", "失败", "没到", "到账"}

// zhDropOthersAsked returns text without the service words of each clause
// that names another business and then asks how to reach a service, unless
// the clause names the shop's own (你们, 你家) or tells what the other
// said (顺丰客服说…).
func zhDropOthersAsked(text string) string {
	for _, c := range zhClauses(text) {
		if containsAny(c, zhRelayed) {
			continue
		}
		first := firstIndex(c, zhOtherBusinesses)
		if first < 0 {
			continue
		}
		how := firstIndex(c[first:], zhHow)
		if how < 0 {
			continue
		}
		// The shop's matter between them is the shop's to reach a person
		// about: 银行卡退款怎么转人工, 移动支付失败了怎么转人工.
		between := c[first : first+how]
		n := 0
		for _, b := range zhOtherBusinesses {
			if strings.HasPrefix(between, b) {
				n = max(n, len(b))
			}
		}
		if containsAny(between[n:], zhShopMatter) {
			continue
		}
		rest := c[first:]
		blank := rest
		for _, w := range zhServiceWords {
			blank = strings.ReplaceAll(blank, w, " ")
		}
		if blank != rest {
			text = strings.Replace(text, c, c[:first]+blank, 1)
		}
	}
	return text
}

// zhReach ask whether a person can be reached, not for one: "几点之前能找到
// 人工" asks when.
var zhReach = []string{"能找到", "找得到", "可以找到", "能联系到", "联系得到", "可以联系到"}

// zhDropReach returns text without zhReach.
func zhDropReach(text string) string {
	for _, r := range zhReach {
		text = strings.ReplaceAll(text, r, " ")
	}
	return text
}

// zhCallsByName reports whether text only names the service: "客服",
// "客服客服", "人工！", "售后在吗".
func zhCallsByName(text string) bool {
	rest := text
	for _, w := range zhCallWords {
		rest = strings.ReplaceAll(rest, w, "")
	}
	if rest == text {
		return false
	}
	for _, w := range zhCallFiller {
		rest = strings.ReplaceAll(rest, w, "")
	}
	return strings.TrimFunc(rest, func(r rune) bool { return unicode.IsPunct(r) || unicode.IsSpace(r) || unicode.IsSymbol(r) }) == ""
}

// zhClauses splits text at punctuation and spaces.
func zhClauses(text string) []string {
	return strings.FieldsFunc(text, func(r rune) bool {
		return unicode.IsPunct(r) || unicode.IsSpace(r) || strings.ContainsRune("，。！？；、~～", r)
	})
}

// zhServiceJob are the service's work as a job, asked about: "客服要什么学历",
// "客服是几班倒", "你们客服工资多少". zhDropServiceJob drops each clause with
// one, so that "你们客服拿着工资不干活，叫人来" still asks in its other clause.
var zhServiceJob = []string{"学历", "工资", "薪资", "薪水", "底薪", "提成", "待遇", "岗位", "招聘", "面试", "几班倒", "班倒", "当客服", "做客服", "干客服"}

func zhDropServiceJob(text string) string {
	if !containsAny(text, zhServiceJob) {
		return text
	}
	var b strings.Builder
	for _, c := range zhClauses(text) {
		if !containsAny(c, zhServiceJob) {
			b.WriteString(c)
			b.WriteString("，")
		}
	}
	return b.String()
}

// zhClauseAsks reports whether one Chinese clause asks for a person.
// zhRobotGoods are robots the shop may sell: 机器人 in them is a product,
// not the bot ("扫地机器人没用几天就坏了" is a broken item).
var zhRobotGoods = []string{"扫地机器人", "拖地机器人", "扫拖机器人", "扫拖一体机器人", "擦窗机器人", "洗地机器人", "割草机器人",
	"泳池机器人", "陪伴机器人", "早教机器人", "教育机器人", "编程机器人", "炒菜机器人", "烹饪机器人", "送餐机器人",
	"机器人玩具", "玩具机器人", "机器人吸尘器", "机器人模型", "变形机器人", "遥控机器人", "乐高机器人", "机器人套件"}

// zhRobotGoodsBlank replaces each of zhRobotGoods with a space.
var zhRobotGoodsBlank = func() *strings.Replacer {
	var pairs []string
	for _, g := range zhRobotGoods {
		pairs = append(pairs, g, " ")
	}
	return strings.NewReplacer(pairs...)
}()

// zhBreaks end a clause for zhDropLeadingCall and zhDropReported.
const zhBreaks = ",.;:!?~ ，。；：！？、～"

// zhReportVerbs after a person of the shop report what that person said
// or did ("客服说给我退款，怎么还没到", "售后让我寄回去"): a question
// about it, not a request for the person.
var (
	zhReportVerbs = []string{"说", "告诉我", "跟我说", "和我说", "答应", "承诺", "保证", "回复说", "回复我说", "讲", "让我", "叫我", "通知我", "同意", "确认", "表示",
		// What the person does for the customer: "客服给我发错货了".
		"给我发", "给我退", "给我寄", "给我补", "给我换", "给我打款", "给我处理"}
	// zhReporters are the persons such a report names.
	zhReporters = []string{"人工客服", "在线客服", "售后客服", "客服小姐姐", "客服妹子", "客服", "人工", "售后", "卖家", "店主", "商家", "店家", "经理", "主管", "店长", "老板", "小二", "工作人员", "快递员", "卖东西的人",
		// "刚才那个小姐姐说要等24小时发货，对吗".
		"小姐姐", "小哥哥", "小哥", "那位", "同事"}
	// zhReportBefore before the person make it a request after all:
	// "我要跟客服说", "让客服跟我说".
	zhReportBefore = []string{"跟", "和", "找", "转", "叫", "让", "要", "联系", "请", "给我", "同"}
	// zhReportLead may stand between the person and the verb.
	zhReportLead = []string{"之前", "刚才", "刚刚", "昨天", "上次", "当时", "明明", "都", "也", "已经", "一直", "明确", "亲口",
		// Asking when or whether the person will do it: "客服什么时候给我退款".
		"什么时候", "啥时候", "几时", "多久", "几天", "能不能", "可不可以", "可以", "能", "会"}
)

// zhOrderActions are what the shop does with an order. A question of when
// one happens asks about the order, not the hours of the people who do it
// ("客服什么时候发货" is when it ships), and a person who does it for the
// customer ("客服给我发错货了", "售后什么时候给我退款") is named in a report,
// not asked for.
var zhOrderActions = []string{"发货", "发出", "寄出", "退款", "退钱", "到账", "打款", "审核", "派送", "送达", "揽收", "取件", "补发", "发错", "退回"}

// zhLeadCalls open a message the way a customer greets the shop before
// the question ("在吗，这个还有货吗", "老板在吗？包邮吗", "有人吗，什么时候发货"):
// followed by a question, they call for an answer, which the bot can
// give; alone, they call for a person.
var zhLeadCalls = []string{"在吗", "在不在", "在么", "在嘛", "有人吗", "有人在吗", "有人么", "有人在么", "有人在线吗", "客服在吗", "客服在不在", "客服在么",
	"老板在吗", "老板在不在", "老板在么", "掌柜的在吗", "掌柜在吗", "亲在吗", "店家在吗", "卖家在吗", "商家在吗"}

// zhVocativeCalls open the short clause after a person named alone:
// "小二，出来一下", "经理，过来", "客服，在吗", "客服亲，在线吗".
var zhVocativeCalls = []string{"出来", "过来", "快来", "来一下", "在吗", "在不在", "在么", "在线", "出现", "上线"}

// zhJoinVocative returns text with a person named alone, as a call, joined
// to the short call after it ("小二，出来一下" reads as 小二出来一下), so
// that the person and the call are one clause. Not a person named in a
// longer clause ("经理，出来的发票不对" has no short call).
func zhJoinVocative(text string) string {
	i := strings.IndexAny(text, zhBreaks)
	if i <= 0 {
		return text
	}
	head := strings.TrimSuffix(strings.TrimRight(strings.TrimSpace(text[:i]), "啊呀"), "亲")
	head = strings.TrimSuffix(head, "的")
	if head == "个人" || head == "别人" || !slices.Contains(zhPersonNouns, head) && !slices.Contains(zhBosses, head) {
		return text
	}
	rest := strings.TrimLeft(text[i:], zhBreaks)
	next := rest
	if j := strings.IndexAny(rest, zhBreaks); j >= 0 {
		next = rest[:j]
	}
	if utf8.RuneCountInString(next) > 6 {
		return text
	}
	for _, call := range zhVocativeCalls {
		if strings.HasPrefix(next, call) {
			return head + rest
		}
	}
	return text
}

// zhQuestionMarks say that a clause asks something.
var zhQuestionMarks = []string{"?", "？", "吗", "么", "呢", "怎么", "什么", "多久", "几", "哪", "能不能", "可不可以", "可以", "是不是", "有没有", "如何", "咋"}

// zhDropLeadingCall returns text without a leading call (zhLeadCalls, with
// greetings before it) when a question follows it.
func zhDropLeadingCall(text string) string {
	i := strings.IndexAny(text, zhBreaks)
	if i < 0 {
		return text
	}
	head := strings.TrimSpace(text[:i])
	for _, g := range []string{"你好", "您好", "哈喽", "喂", "嗨", "亲", "请问"} {
		head = strings.TrimPrefix(head, g)
	}
	if !slices.Contains(zhLeadCalls, head) {
		return text
	}
	rest := strings.TrimLeft(text[i:], zhBreaks)
	if rest == "" || !containsAny(rest, zhQuestionMarks) {
		return text
	}
	return rest
}

// zhOwnPeople before a person noun make it the customer's own (我的老板,
// 我同事, 我们公司的经理), no one of the shop's to be put through to.
var zhOwnPeople = []string{"我的", "我家的", "我朋友的", "我们公司的", "我们单位的", "我"}

// zhOwnPeopleBlank blanks each of zhOwnPeople before a person noun or a
// boss, as many spaces as bytes: one pass over the text, built once.
var zhOwnPeopleBlank = func() *strings.Replacer {
	var pairs []string
	for _, ps := range [][]string{zhPersonNouns, zhBosses} {
		for _, p := range ps {
			if p == "个人" || p == "别人" {
				continue
			}
			for _, own := range zhOwnPeople {
				pairs = append(pairs, own+p, strings.Repeat(" ", len(own+p)))
			}
		}
	}
	return strings.NewReplacer(pairs...)
}()

// zhAbbrev are the shop chat's Latin abbreviations of the service, alone
// between other than Latin letters: 找kf, 转rg, kf在吗 (not the rg of
// "large").
var (
	zhAbbrev      = regexp.MustCompile(`(?:^|[^a-z])(?:rgkf|zrg|kf|rg)(?:$|[^a-z])`)
	zhAbbrevWords = strings.NewReplacer("rgkf", "人工客服", "zrg", "转人工", "kf", "客服", "rg", "人工")
)

// zhEnglishPeople are the shop's people named in English inside a Chinese
// text, read as their Chinese names: "我要找你们 boss", "客服 manager 在吗",
// and whether they are "online" (客服 online 吗).
// Not in a text of English words (mostlyEnglish), which enIntent reads.
var (
	zhEnglishPeople      = regexp.MustCompile(`(?:^|[^a-z])(?:manager|boss|supervisor|human|agent|staff|customer service|real person|online)(?:$|[^a-z])`)
	zhEnglishPeopleWords = strings.NewReplacer("manager", "经理", "boss", "老板", "supervisor", "主管", "human", "人工", "agent", "客服",
		"staff", "工作人员", "customer service", "客服", "real person", "真人", "online", "在线")
)

// zhWorkPerson names a person by the work they do: 处理退款的人, 负责发货
// 的同事, 管售后的人; read as 工作人员.
// Not across 你 (安排你们的同事: the colleague is the object).
var zhWorkPerson = regexp.MustCompile(`(?:处理|负责|管|能安排|能解决|能决定)[^，。？！?!,\s你]{0,4}?的(?:人|同事|工作人员)`)

// zhDropOwnPeople returns text with the customer's own people blanked.
func zhDropOwnPeople(text string) string { return zhOwnPeopleBlank.Replace(text) }

// zhDropReported returns text with each report of what a person of the
// shop said blanked, person and verb, unless a request verb comes before
// the person in its clause.
func zhDropReported(text string) string {
	for _, p := range zhReporters {
		from := 0
		for {
			i := strings.Index(text[from:], p)
			if i < 0 {
				break
			}
			i += from
			end := i + len(p)
			rest := text[end:]
			for _, l := range zhReportLead {
				rest = strings.TrimPrefix(rest, l)
			}
			verb := ""
			for _, v := range zhReportVerbs {
				if strings.HasPrefix(rest, v) && len(v) > len(verb) {
					verb = v
				}
			}
			start := strings.LastIndexAny(text[:i], zhBreaks) + 1
			if verb == "" || containsAny(text[start:i], zhReportBefore) {
				from = end
				continue
			}
			cut := len(text) - len(rest) + len(verb)
			text = text[:i] + strings.Repeat(" ", cut-i) + text[cut:]
			from = cut
		}
	}
	return text
}

// zhThereAtEnd end a clause that asks whether anyone is there (喂喂喂，有人没);
// within a clause they begin another question (有人没收到货吗).
var zhThereAtEnd = []string{"有人没", "有人没有", "有人在没", "有人在没有"}

// zhBare is clause c without its spaces and final marks and particles.
func zhBare(c string) string {
	return strings.TrimRight(strings.TrimSpace(c), "?？!！。.~～啊呀啦")
}

// zhEndsThere reports whether clause c ends with one of zhThereAtEnd, its
// marks and particles aside.
func zhEndsThere(c string) bool {
	c = zhBare(c)
	for _, e := range zhThereAtEnd {
		if strings.HasSuffix(c, e) {
			return true
		}
	}
	return false
}

// zhCallBackAsked reports whether clause c asks for a call or a message
// back (zhCallBack) not refused: "给我回个电话", not "不用给我打电话，文字回复
// 就行".
func zhCallBackAsked(c string) bool {
	for _, w := range zhCallBack {
		if i := strings.Index(c, w); i >= 0 && !zhNegated(c[:i]) {
			return true
		}
	}
	return false
}

// zhBotFailedIn reports whether clause c finds the bot wanting
// (zhBotFailed), not only supposing it ("你不理解也没关系").
func zhBotFailedIn(c string) bool {
	loc := zhBotFailed.FindStringIndex(c)
	if loc == nil {
		return false
	}
	rest := strings.TrimLeft(c[loc[1]:], "的我说话这个")
	return !slices.ContainsFunc(zhNoMatter, func(p string) bool { return strings.HasPrefix(rest, p) })
}

// zhNoMatterAfter, anywhere in a clause, let a complaint of the bot pass:
// "你不明白也没事，帮我查下物流".
var zhNoMatterAfter = []string{"也没关系", "也没事", "也不要紧"}

// zhNoMatter follow a supposition that does not matter.
var zhNoMatter = []string{"也没关系", "没关系", "也没事", "没事", "的话", "也不要紧", "不要紧", "也行"}

func zhClauseAsks(c string) bool {
	// "人工就不用了": the person refused after being named.
	if containsAny(c, zhRefusedAfter) {
		return false
	}
	if containsAny(c, zhDoubt) || zhCallBackAsked(c) || containsAny(c, zhAnyoneThere) && !zhOwnPeopleOnly(c) || zhEndsThere(c) || (containsAny(c, zhBotComplaint) || zhBotFailedIn(c)) && !containsAny(c, zhNoMatterAfter) ||
		slices.Contains(zhRejections, zhBare(trimFiller(c))) {
		return true
	}
	// 聊天机器人 is the bot's name, its 聊 no refusal: "聊天机器人用的是什么技术".
	if cb := strings.ReplaceAll(c, "聊天机器人", "机器人"); containsAny(cb, zhBotRefusal) && containsAny(c, zhBotStrict) ||
		strings.Contains(c, "机器") && containsAny(cb, zhMachineRefusal) {
		return true
	}
	if containsAny(c, zhBotStrict) && containsAny(c, zhBotRepeat) {
		return true
	}
	// "不想跟AI聊了": AI written alone, not inside a Latin word ("email").
	if zhNamesAI(c) && containsAny(c, zhBotRefusal) {
		return true
	}
	if zhAsksThere(c) {
		return true
	}
	// "有没有能帮我的客服": asking whether there is a person at all.
	if i := strings.Index(c, "有没有"); i >= 0 {
		for _, p := range zhPersonNouns {
			if p != "个人" && p != "别人" && strings.Contains(c[i:], p) && !zhNegated(c[:i]) {
				return true
			}
		}
	}
	// "麻烦转一下", "请转下": the transfer alone, politely.
	switch strings.TrimSpace(trimFiller(c)) {
	case "转一下", "转下", "转一下吧", "转下吧":
		return true
	}
	// Nobody picks up the customer's calls: "打了十几个电话都没人接". Not a
	// courier's call the customer missed ("快递员打电话没人接"), nor someone
	// else called ("给她打电话没人接").
	if containsAny(c, zhNobodyPicksUp) && !containsAny(c, zhCourierCalls) && !containsAny(c, zhThirdPersons) {
		return true
	}
	// Not a soul there: "等了两个小时，一个人都没有"; not at home ("我家一个人都
	// 没有，快递放哪").
	if containsAny(c, zhNotASoul) && !strings.Contains(c, "家") && !containsAny(c, zhCourierCalls) {
		return true
	}
	// Someone, a person, asked to help, first in the clause: "有人能帮我确认
	// 一下吗"; not someone at home ("我家里有人能帮我签收吗").
	if (zhSomeoneToHelp.MatchString(strings.TrimSpace(trimFiller(c))) || zhFindSomeoneTo.MatchString(c)) && !containsAny(c, zhSignedFor) || zhShopDemanded.MatchString(c) || zhOtherThanBot.MatchString(c) || zhSomeoneWho.MatchString(c) {
		return true
	}
	// "问题没解决，找人", "我要找人": a clause that ends in a short call,
	// or in a call with a measure of it ("帮我叫一下人", "喊个人").
	for _, call := range zhShortCalls {
		if strings.HasSuffix(strings.TrimSpace(trimFiller(c)), call) {
			return true
		}
	}
	if zhShortCallMeasured.MatchString(strings.TrimSpace(trimFiller(c))) || zhSomeoneHadDo.MatchString(c) {
		return true
	}
	// A negation reaches every person word after it in the clause:
	// "不需要人工客服" refuses 客服 too.
	first := len(c)
	for _, ps := range [][]string{zhPersonAlone, zhPersonNouns, zhBosses} {
		for _, p := range ps {
			if i := strings.Index(c, p); i >= 0 && i < first {
				first = i
			}
		}
	}
	if first < len(c) && zhNegated(c[:first]) {
		return false
	}
	for _, p := range zhBosses {
		if containsAny(c, zhOwnWork) {
			break
		}
		if i := strings.Index(c, p); i >= 0 && (containsAny(c[:i], zhBossBefore) || containsAny(c[i+len(p):], zhPersonWhere)) {
			return true
		}
	}
	if containsAny(c, zhPersonAlone) || zhSellerToTalk.MatchString(c) || zhDepartment.MatchString(c) || zhPersonHelp.MatchString(c) || zhInCharge.MatchString(c) || zhBossContact.MatchString(c) && !containsAny(c, zhOwnWork) {
		return true
	}
	// The customer's own work names their own boss: 怎么找老板报销差旅费.
	if containsAny(c, zhOwnWork) && !strings.Contains(c, "你们") {
		c = zhOwnWorkPeople.Replace(c)
	}
	// 要是 supposes ("要是客服也说错了怎么办"); its 要 asks for nothing.
	asked := containsAny(strings.ReplaceAll(c, "要是", ""), zhRequest)
	for _, p := range zhPersonNouns {
		i := strings.Index(c, p)
		if i < 0 {
			continue
		}
		if (asked || zhTalkWith(c, i, p)) && !zhOwnStaffTold(c, i, p) {
			return true
		}
		// 个人 and 别人 are too often someone else ("别人签收了，我的快递呢").
		if p != "个人" && p != "别人" && containsAny(c[i+len(p):], zhPersonWhere) {
			return true
		}
	}
	return false
}

// zhDepartment ask to be put through to a part of the shop named by what it
// is: "帮我接一下法务部", "找你们的客户关系部", "能联系到你们的总部吗", "想找你们的
// 品牌方聊聊". Not a place looked in ("在订单中心找不到", "找不到订单中心") or
// asked about ("你们总部在哪").
var zhDepartment = regexp.MustCompile(`(?:找|接|转|转接|联系|联系到|接通)(?:一下|下)?(?:你们|贵公司)?的?[^\P{Han}不全一]{0,5}?(?:部门|部|组|总部|品牌方|主任)(?:$|[^\p{Han}]|的人|的同事|聊|谈|说|沟通|吗|吧|呢|一下)`)

// zhByPhone ask to go on by phone, voice or WeChat, or to be reached at a
// number given: "打字太累了，能电话说吗", "我想通过电话解决", "方便语音吗",
// "给我个电话号码，我打过去", "我的电话是139xxxx，请联系", "微信号是abc123，加我一下".
// Read on the whole text: the number and the ask are often two clauses. Not a
// phone bought ("这个手机能打电话吗"), nor another's number ("快递员的电话是…").
var zhByPhone = regexp.MustCompile(`(?:能|可以|想|通过|用)(?:打)?(?:电话|语音)(?:说|聊|沟通|解决|谈|讲|联系)|方便(?:打)?(?:电话|语音)吗|(?:^|[，。！？,.!?\s])(?:能|可以)(?:给我)?打(?:个)?电话吗|我(?:直接)?打过去|我打给你们|我的?(?:电话|手机|号码|手机号)(?:是|:|：)?\s*1[3-9][0-9x*]{5,}.*(?:联系|回电|打给我|打我)|微信(?:号)?(?:是|:|：)?\s*[a-z0-9_-]{4,}.*加我`)

// zhSellerToTalk ask that the seller talk to or reach the customer: "让卖家跟我说",
// "请商家直接联系我". Not the seller asked to do something else ("能让卖家发顺丰吗")
// or reported ("卖家跟我说可以退").
var zhSellerToTalk = regexp.MustCompile(`(?:让|叫|请)(?:卖家|商家|店主|店家|卖东西的人?)(?:直接)?(?:(?:跟|和|同)我(?:说|聊|谈|沟通|讲)|联系我|给我打电话|打电话给我|回我|回复我)`)

// zhPersonHelp ask the service's people to help: "客服能帮我一下吗", "人工可以帮帮我吗",
// "客服有空的话能帮我吗". Not what they did ("客服帮我改了地址"): asked, with 能 or
// 可以, or 一下. Not the bot called 客服 and asked to look something up
// ("客服帮我查一下物流到哪了").
var zhPersonHelp = regexp.MustCompile(`(?:客服|人工|工作人员|你们的同事|专员|值班经理)(?:有空|有空的话|在的话)?(?:(?:能|可以|能不能|可不可以)帮(?:帮)?(?:我|忙)|帮(?:我|忙)一下)` +
	// Now, not whether they ever can: "问题很急，客服现在能处理吗", not
	// "客服能处理退款吗".
	`|(?:客服|人工|工作人员|专员)(?:现在|马上|立刻|今天)(?:能|可以|能不能|可不可以)(?:帮我)?(?:处理|解决|看一下|看看|回复)`)

// zhInCharge ask for whoever is in charge of a part of the shop's work:
// "我要找你们负责售后的", "让负责退款的人来". Not the customer's own task
// ("我负责收货的").
var zhInCharge = regexp.MustCompile(`(?:找|叫|让|请|要|转给|转|联系|换)(?:一下|下)?(?:你们|贵店)?的?负责\p{Han}{1,6}?的(?:人|同事|客服|经理|那位|$|[，。！？,.!?\s])`)

// zhBossContact ask for a boss's way to be reached: "你们领导电话多少", "给我你们
// 主管的联系方式". Not the customer's own boss (zhOwnWork, 我领导的电话).
var zhBossContact = regexp.MustCompile(`(?:^|[^我])(?:领导|经理|主管|店长|负责人|上级)的?(?:电话|手机号|手机|联系方式|联系电话|微信)`)

// zhTalkWith reports whether the person word p at i of c is talked with:
// "我还是跟工作人员聊吧", "想和你们的员工直接谈". Not 个人 or 别人, too often
// someone else ("跟别人说过了").
func zhTalkWith(c string, i int, p string) bool {
	if p == "个人" || p == "别人" {
		return false
	}
	before := strings.TrimSuffix(strings.TrimSuffix(c[:i], "的"), "你们")
	if !strings.HasSuffix(before, "跟") && !strings.HasSuffix(before, "和") && !strings.HasSuffix(before, "同") {
		return false
	}
	after := strings.TrimPrefix(c[i+len(p):], "直接")
	// Or settle something with them: "只想跟你们的人确认一下".
	for _, v := range []string{"聊", "说", "谈", "沟通", "讲", "对话", "交流", "确认", "核实", "核对"} {
		if strings.HasPrefix(after, v) {
			return true
		}
	}
	return false
}

// zhKin are the customer's own people; zhShopSide names the shop's.
var (
	zhKin      = []string{"老公", "老婆", "男朋友", "女朋友", "男友", "女友", "对象", "朋友", "同学", "妈妈", "我妈", "爸爸", "我爸", "孩子", "儿子", "女儿", "家人", "室友", "闺蜜", "兄弟"}
	zhShopSide = []string{"你们", "客服", "商家", "卖家", "店家", "人工", "售后"}
)

// zhOwnPeopleOnly reports whether clause c names someone of the customer's
// own and nobody of the shop's: "老公总是不回消息" is not the service silent.
func zhOwnPeopleOnly(c string) bool {
	return containsAny(c, zhKin) && !containsAny(c, zhShopSide)
}

// zhOwnStaffTold reports whether the staff word p at i in c are the
// customer's own, to be told something: "公司年会取消了怎么跟员工说" asks how,
// not for the shop's staff.
func zhOwnStaffTold(c string, i int, p string) bool {
	if p != "员工" || strings.Contains(c, "你们") {
		return false
	}
	before := strings.TrimSuffix(strings.TrimSuffix(c[:i], "的"), "跟")
	return strings.HasSuffix(before, "怎么") || strings.HasSuffix(before, "如何") || strings.HasSuffix(before, "怎样") || strings.Contains(c, "公司")
}

// zhAsksThere reports whether c asks whether there is a person of the
// service, of some kind: "有会说英语的客服吗", "你们有值班经理吗".
func zhAsksThere(c string) bool {
	c = strings.TrimSpace(c)
	for _, lead := range []string{"请问", "那", "你们", "这边", "现在", "还"} {
		c = strings.TrimPrefix(c, lead)
	}
	if !strings.HasPrefix(c, "有") || !(strings.HasSuffix(c, "吗") || strings.HasSuffix(c, "么") || strings.HasSuffix(c, "吗?") || strings.HasSuffix(c, "吗？")) {
		return false
	}
	for _, p := range zhPersonNouns {
		if p != "个人" && p != "别人" && strings.Contains(c, p) {
			return true
		}
	}
	return false
}

// zhNamesAI reports whether c has "ai" with no Latin letter beside it.
func zhNamesAI(c string) bool {
	for i := strings.Index(c, "ai"); i >= 0; {
		before := i == 0 || !isASCIILetter(c[i-1])
		after := i+2 >= len(c) || !isASCIILetter(c[i+2])
		if before && after {
			return true
		}
		j := strings.Index(c[i+1:], "ai")
		if j < 0 {
			break
		}
		i += 1 + j
	}
	return false
}

func isASCIILetter(b byte) bool { return 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z' }

// trimFiller drops zhCallFiller from a clause.
func trimFiller(c string) string {
	for _, w := range zhCallFiller {
		c = strings.ReplaceAll(c, w, "")
	}
	return c
}

// zhNegated reports whether the few characters before a person word
// negate it: 不用转人工, 不需要人工.
func zhNegated(before string) bool {
	r := []rune(before)
	if len(r) > 4 {
		r = r[len(r)-4:]
	}
	return containsAny(string(r), zhNegation)
}

func enIntent(ws []string) intent { return enIntentNamed(ws, nil) }

// enIntentNamed is enIntent with the words of the text that were written as
// names (enProperNames), which may name another business.
func enIntentNamed(ws []string, names map[string]bool) intent {
	if len(ws) == 0 {
		return intentNone
	}
	if ws[0] == "hypothetically" {
		// A case supposed, not a request made.
		return intentNone
	}
	ws = enDropTellMe(ws)
	// Another business's service is no question of the shop's people,
	// their hours included ("what are Tesco's customer service hours").
	ws = enDropOthersService(ws, names)
	// The person had before, asked for again, whenever that was ("the
	// same person as last time").
	if enEarlierOne(ws) {
		return intentHandoff
	}
	// "when will a human get to my message" waits for one, whenever.
	if enAboutPeople(ws) && !enAnyoneReads(ws) {
		return intentAboutPeople
	}
	ws = enDropOthersPeople(ws)
	if enAsksWhetherThere(ws) || enAsks(ws) || enCallsByName(ws) || enByPhone(ws) || enShopDemanded(ws) || enBesidesBot(ws) {
		return intentHandoff
	}
	return intentNone
}

// enBesidesBot reports whether ws ask for the service besides the bot, or
// for someone who speaks a language, please: "is there any support besides
// you", "someone who speaks Mandarin please". Not whether the agents speak
// one ("do your agents speak Spanish?", intentAboutAbility).
func enBesidesBot(ws []string) bool {
	for i := 0; i+1 < len(ws); i++ {
		besides := ws[i] == "besides" || ws[i] == "except" || ws[i] == "apart" && ws[i+1] == "from" || ws[i] == "other" && ws[i+1] == "than"
		if !besides {
			continue
		}
		k := i + 1
		if ws[i] == "apart" || ws[i] == "other" {
			k++
		}
		if k < len(ws) && ws[k] == "the" || k < len(ws) && ws[k] == "this" {
			k++
		}
		if k >= len(ws) || ws[k] != "you" && !enChatOnly[ws[k]] && ws[k] != "robot" && ws[k] != "ai" {
			continue
		}
		for _, w := range ws {
			if w == "support" || w == "agent" || w == "agents" || w == "human" || w == "humans" || w == "person" || w == "people" || w == "staff" || w == "someone" || w == "anyone" {
				return true
			}
		}
	}
	if len(ws) > 3 && ws[len(ws)-1] == "please" && (ws[0] == "someone" || ws[0] == "somebody" || ws[0] == "anyone") && ws[1] == "who" {
		return true
	}
	return false
}

// enDemandLeads make what follows a demand of the shop: "you need to fix
// this now", "I expect you to deal with this today".
var enDemandLeads = [][]string{{"you", "need", "to"}, {"you", "must"}, {"you", "have", "to"}, {"you", "should"}, {"you", "better"},
	{"i", "expect", "you", "to"}, {"i", "need", "you", "to"}, {"i", "want", "you", "to"}, {"youd", "better"}, {"you", "guys", "need", "to"}}

// enDemandActs are what is demanded, and enDemandedThings what of: the case
// itself, never an order's detail that an entry answers ("you need to
// change my address" is change-address's).
var (
	enDemandActs     = map[string]bool{"fix": true, "sort": true, "resolve": true, "deal": true, "handle": true, "solve": true, "settle": true, "address": true}
	enDemandedThings = map[string]bool{"this": true, "it": true, "that": true, "things": true, "problem": true, "issue": true, "case": true,
		"situation": true, "complaint": true, "mess": true}
)

// enShopDemanded reports whether ws demand that the shop act on the case or
// answer for it, or ask who among its people does: "please sort this out
// immediately", "you must take responsibility for this", "who can make a
// decision on your side", "is there no staff at your company".
func enShopDemanded(ws []string) bool {
	demandedAct := func(k int) bool {
		if k >= len(ws) || !enDemandActs[ws[k]] {
			return false
		}
		for j := k + 1; j < len(ws) && j <= k+4 && ws[j] != clauseBreak; j++ {
			if enDemandedThings[ws[j]] {
				return true
			}
		}
		return false
	}
	for i := range ws {
		for _, lead := range enDemandLeads {
			if hasPrefix(ws[i:], lead) && (demandedAct(i+len(lead)) || hasPrefix(ws[i+len(lead):], []string{"take", "responsibility"})) {
				return true
			}
		}
	}
	// "please sort this out immediately": please, an act, now.
	if len(ws) > 2 && ws[0] == "please" && demandedAct(1) {
		for _, w := range ws {
			if w == "immediately" || w == "now" || w == "today" || w == "asap" || w == "urgently" {
				return true
			}
		}
	}
	for i := 0; i+2 < len(ws); i++ {
		// "who's in charge", "who is responsible", "who can make a decision",
		// with the shop named: "over there", "on your side", "at your company".
		if ws[i] == "who" || ws[i] == "whos" {
			end := min(len(ws), i+8)
			asked := has(ws[i+1:end], "charge") || has(ws[i+1:end], "responsible") || has(ws[i+1:end], "decision") || has(ws[i+1:end], "decisions")
			ours := has(ws[i+1:end], "your") || has(ws[i+1:end], "there")
			if asked && ours {
				return true
			}
		}
	}
	// "is there no staff", "do you have no employees".
	for i := 1; i+1 < len(ws); i++ {
		if (ws[i-1] == "there" || ws[i-1] == "have" || ws[i-1] == "got") && ws[i] == "no" &&
			(ws[i+1] == "staff" || ws[i+1] == "employees" || ws[i+1] == "humans") {
			return true
		}
	}
	return false
}

// enPhoneWays are the ways of going on by phone: "over the phone", "by
// phone", "on a call".
var enPhoneWays = [][]string{{"over", "the", "phone"}, {"by", "phone"}, {"by", "telephone"}, {"on", "a", "call"}, {"on", "the", "phone"}, {"via", "phone"}}

// enPhoneTalk are what is done by phone that a person does: discussing,
// sorting out, talking it through. Not ordering or paying ("can I order by
// phone", "do you take orders by phone").
var enPhoneTalk = map[string]bool{"discuss": true, "sort": true, "talk": true, "speak": true, "handle": true, "deal": true,
	"resolve": true, "settle": true, "explain": true, "continue": true, "chat": true, "fix": true}

// enByPhone reports whether ws ask to go on by phone or a chat app, or to
// call the shop's number: "can we do this over the phone", "I'd rather
// discuss this by phone", "add me on WhatsApp", "give me a phone number and
// I'll call".
func enByPhone(ws []string) bool {
	if i := findAny(ws, enPhoneWays); i >= 0 {
		for j := i - 1; j >= 0 && j >= i-6 && ws[j] != clauseBreak; j-- {
			if enPhoneTalk[ws[j]] || ws[j] == "do" && j+1 < i && (ws[j+1] == "this" || ws[j+1] == "it" || ws[j+1] == "that") {
				return true
			}
		}
	}
	for i := 0; i+2 < len(ws); i++ {
		if ws[i] == "add" && ws[i+1] == "me" && (ws[i+2] == "on" || ws[i+2] == "to") && i+3 < len(ws) && enChatApps[ws[i+3]] {
			return true
		}
	}
	if has(ws, "number") && (findAny(ws, [][]string{{"ill", "call"}, {"i", "will", "call"}, {"i", "can", "call"}, {"ill", "ring"}, {"i", "will", "ring"}}) >= 0) {
		return true
	}
	return false
}

// enOtherBusinesses are businesses other than the shop whose service a
// customer may ask about ("how do I contact FedEx customer service", "the
// bank's helpline"), and enOthersService the words of that service.
var (
	enOtherBusinesses = map[string]bool{"dhl": true, "dhls": true, "fedex": true, "fedexs": true, "ups": true, "usps": true, "tnt": true,
		"courier": true, "couriers": true, "carrier": true, "carriers": true, "bank": true, "banks": true,
		"factory": true, "factories": true, "manufacturer": true, "manufacturers": true,
		"airline": true, "airlines": true, "amazon": true, "amazons": true, "ebay": true, "ebays": true, "paypal": true, "paypals": true,
		"google": true, "googles": true, "apple": true, "apples": true, "nike": true, "nikes": true, "tesco": true, "tescos": true,
		"walmart": true, "walmarts": true, "netflix": true, "uber": true, "ubers": true, "airbnb": true, "facebook": true,
		"microsoft": true, "microsofts": true, "samsung": true, "samsungs": true, "alibaba": true, "aliexpress": true, "temu": true, "shein": true}
	enOthersService = map[string]bool{"customer": true, "service": true, "services": true, "support": true, "care": true,
		"helpline": true, "hotline": true, "team": true, "agent": true, "agents": true, "live": true, "chat": true}
	// enOutright ask to be put through: "I want to speak to DHL customer
	// service" still asks for a person, as 我要找顺丰的客服 does.
	enOutright = map[string]bool{"speak": true, "talk": true, "transfer": true, "connect": true}
)

// enDropOthersService returns ws without the service of another business
// named right before it ("fedex customer service", "the banks support"),
// which a question about it does not ask for, unless the text asks to be
// put through outright.
func enDropOthersService(ws []string, names map[string]bool) []string {
	for _, w := range ws {
		if enOutright[w] {
			return ws
		}
	}
	ws = enDropServiceAtOthers(ws, names)
	var out []string
	for i := 0; i < len(ws); i++ {
		// A business named by a word (enOtherBusinesses), or by a name of
		// a word or two ("Uber Eats customer service", "Airbnb's agents").
		n := 0
		if enOtherBusinesses[ws[i]] {
			n = 1
		} else {
			for i+n < len(ws) && n < 2 && enNamedOther(ws[i+n], names) {
				n++
			}
		}
		if n > 0 && i+n < len(ws) && enOthersService[ws[i+n]] {
			j := i + n
			for j < len(ws) && enOthersService[ws[j]] {
				j++
			}
			i = j - 1
			continue
		}
		out = append(out, ws[i])
	}
	return out
}

// enAtPreps attach a service or a person to whoever's it is: "a human at my
// internet provider", "the seller on ebay", "a complaint with my energy
// supplier", "the customer service email for nike".
var enAtPreps = map[string]bool{"at": true, "on": true, "with": true, "for": true, "from": true, "of": true, "to": true}

// enServiceThings are what a business's service is reached by, besides its
// people: "the customer service email for nike", "a complaint with".
var enServiceThings = map[string]bool{"email": true, "number": true, "line": true, "complaint": true, "phone": true,
	"address": true, "seller": true, "sellers": true, "chat": true, "helpdesk": true, "ticket": true, "case": true}

// enDropServiceAtOthers returns ws without a service or a person that a
// preposition right after attaches to another business, with the business
// (enAtPreps): "how do I get through to a human at my internet provider"
// asks nothing of the shop's people, nor does the rest of its clause. "my"
// names the customer's own
// provider, supplier or bank; a business is named (enOtherBusinesses) or
// after "the".
func enDropServiceAtOthers(ws []string, names map[string]bool) []string {
	for i := 1; i+1 < len(ws); i++ {
		if !enAtPreps[ws[i]] {
			continue
		}
		end := 0
		switch {
		// The customer's own business only at or from it ("a human at
		// my bank"), or a complaint with it: not "an agent for my refund",
		// "a human on my case".
		case (ws[i] == "at" || ws[i] == "from" || ws[i] == "with" && ws[i-1] == "complaint") &&
			(ws[i+1] == "my" || ws[i+1] == "his" || ws[i+1] == "her" || ws[i+1] == "their"):
			end = i + 2
			for end < len(ws) && end < i+4 && ws[end] != clauseBreak {
				end++
			}
		case enOtherBusinesses[ws[i+1]]:
			end = i + 2
		case ws[i+1] == "the" && i+2 < len(ws) && enOtherBusinesses[ws[i+2]]:
			end = i + 3
		// A name at, to or from which: "a human at Huawei support", "the
		// DMV"; not "for" (a product: "a human for my Dyson").
		case (ws[i] == "at" || ws[i] == "to" || ws[i] == "from") && enNamedOther(ws[i+1], names):
			end = i + 2
		case (ws[i] == "at" || ws[i] == "to" || ws[i] == "from") && ws[i+1] == "the" && i+2 < len(ws) && enNamedOther(ws[i+2], names):
			end = i + 3
		default:
			continue
		}
		// The service or person right before the preposition.
		start := -1
		switch {
		case enOthersService[ws[i-1]] || enServiceThings[ws[i-1]]:
			start = i - 1
			for start > 0 && (enOthersService[ws[start-1]] || enServiceThings[ws[start-1]]) {
				start--
			}
		default:
			for j := max(0, i-3); j < i; j++ {
				if n := personSpan(ws[j:]); n > 0 && j+n == i {
					start = j
					break
				}
			}
		}
		// The business's service named after it: "for fedex customer
		// service", "to Airbnb's agents".
		served := end
		for end < len(ws) && enOthersService[ws[end]] {
			end++
		}
		// The business's own people or service reached: "how do I get
		// through to Airbnb's agents".
		if start < 0 && end > served {
			start = i
		}
		if start < 0 {
			continue
		}
		// What the clause asks before it is asked of that business too:
		// "how do I get through to", "how do I escalate".
		for start > 0 && ws[start-1] != clauseBreak {
			start--
		}
		return enDropServiceAtOthers(append(ws[:start:start], ws[end:]...), names)
	}
	return ws
}

// enNamedOther reports whether w was written as a name (enProperNames) and
// names no one of the shop's: not the shop itself, nor a word of its service
// capitalised for emphasis ("I want a HUMAN", "Customer Service please").
func enNamedOther(w string, names map[string]bool) bool {
	return names[w] && !enShopNamed[w] && !enOthersService[w] && !enServiceThings[w] && personSpan([]string{w}) == 0 &&
		!enPresence[w] && !enRequest[w] && !enStrongRequest[w]
}

// enServiceNames name the human service; enCallFiller may stand beside
// them in a message that only calls for it ("customer service please",
// "support!!", "live agent now").
var (
	enServiceNames = map[string]bool{"customer": true, "service": true, "support": true, "care": true, "team": true, "helpdesk": true, "help": true, "desk": true, "staff": true, "live": true, "chat": true, "agent": true, "human": true, "person": true, "manager": true, "supervisor": true, "representative": true, "rep": true, "operator": true}
	enCallFiller   = map[string]bool{"please": true, "pls": true, "plz": true, "now": true, "asap": true, "the": true, "a": true, "your": true, "hello": true, "hi": true, "hey": true, "contact": true, "urgent": true, "urgently": true, clauseBreak: true,
		// Called out to: "customer service, come out", "support, where
		// are you", "customer service are you there".
		"come": true, "out": true, "where": true, "are": true, "you": true, "there": true, "respond": true, "answer": true, "reply": true}
)

// enCallsByName reports whether ws only call for the service by its
// name: "customer service please", "contact support", "support!!". A
// word that says what the customer wants of it makes it a question for
// the search instead ("support for my warranty").
func enCallsByName(ws []string) bool {
	named := false
	for _, w := range ws {
		switch {
		case w == "support" || w == "service" || w == "helpdesk" || w == "staff" || w == "care" || w == "cs" || w == "transfer" ||
			w == "manager" || w == "supervisor":
			named = true
		case enServiceNames[w] || enCallFiller[w]:
		default:
			return false
		}
	}
	return named
}

// enAsksWhetherThere reports whether ws ask whether there is a person at
// all ("is there a human service", "do you have live agents?", "are
// there real people there?", "have you got any staff I could message"):
// a customer who asks that wants one, and is handed over, as in Chinese
// (你们有人工客服吗). Only a question about when or how the service works
// is answered (enAboutPeople, checked first: "do you have agents on
// weekends?"). Only enWhetherBefore may come between the opener and the
// person word, so that a person named in passing is not one asked for
// ("do you have jackets for people over 190 cm").
func enAsksWhetherThere(ws []string) bool {
	if enAnyPersonThere(ws) || enPersonOnline(ws) {
		return true
	}
	// Each clause may open the question: "It's not going to arrive in
	// time. Is there anyone who can expedite this?"
	return anyClause(ws, enWhetherThereAt)
}

// enWhetherThereAt reports whether ws open by asking whether there is a
// person at all (enAsksWhetherThere).
func enWhetherThereAt(ws []string) bool {
	var rest []string
	// "got staff or not?": the same asked the Singaporean way.
	for _, opener := range [][]string{{"is", "there"}, {"are", "there"}, {"do", "you", "have"}, {"do", "you", "offer"}, {"have", "you", "got"}, {"do", "you", "guys", "have"}, {"got"}} {
		if hasPrefix(ws, opener) {
			rest = ws[len(opener):]
			break
		}
	}
	for _, w := range rest {
		switch {
		case enWhetherPerson[w]:
			return true
		case !enWhetherBefore[w]:
			return false
		}
	}
	return false
}

// enAnyPersonThere reports whether a clause of ws is only "any" and a person,
// perhaps where: "any humans?", "any agents online?", "any staff around".
// Not "any people who bought this", which goes on.
func enAnyPersonThere(ws []string) bool {
	return anyClause(ws, func(c []string) bool {
		return len(c) >= 2 && len(c) <= 3 && c[0] == "any" && enWhetherPerson[c[1]] && c[1] != "people" && c[1] != "someone" && c[1] != "somebody" &&
			(len(c) == 2 || enPresence[c[2]])
	})
}

// anyClause reports whether f holds for one of the clauses of ws (the
// words between clause breaks).
func anyClause(ws []string, f func(c []string) bool) bool {
	for start := 0; start <= len(ws); {
		end := start
		for end < len(ws) && ws[end] != clauseBreak {
			end++
		}
		if f(ws[start:end]) {
			return true
		}
		start = end + 1
	}
	return false
}

// enPersonOnline reports whether ws open by asking whether a person is
// there now: "is a human agent online?", "are any reps around", "is your
// support team available". A question of when (enAboutPeople) is found
// first.
func enPersonOnline(ws []string) bool {
	if len(ws) < 3 || ws[0] != "is" && ws[0] != "are" {
		return false
	}
	person := false
	for i := 1; i < len(ws); i++ {
		w := ws[i]
		switch {
		case w == clauseBreak:
			return false
		case enWhetherPerson[w] && w != "people" && w != "live" || w == "team" || w == "support" && person:
			person = true
		case (w == "service" || w == "support") && (ws[i-1] == "customer" || ws[i-1] == "live"):
			// "is customer service busy", "is live support online".
			person = true
		case person && (w == "online" || w == "there" || w == "around" || w == "available" || w == "here" || w == "free" || w == "busy" || w == "working"):
			return true
		case !person && (enWhetherBefore[w] || w == "the" || w == "your" || w == "live"):
		default:
			return false
		}
	}
	return false
}

// enWhetherBefore may stand between the opener and the person word: "is
// there a real live person", "do you have any customer service staff".
var enWhetherBefore = map[string]bool{
	"a": true, "an": true, "any": true, "some": true, "real": true, "actual": true, "proper": true,
	"customer": true, "service": true, "support": true, "care": true, "chat": true, "english": true, "speaking": true,
	// "is there not a single human being I can speak to", "a
	// carbon-based lifeform".
	"not": true, "single": true, "carbon": true, "based": true,
}

// enWhetherPerson are the person words of enAsksWhetherThere.
var enWhetherPerson = map[string]bool{
	"human": true, "humans": true, "agent": true, "agents": true, "live": true, "people": true, "staff": true,
	"person": true, "someone": true, "somebody": true, "anyone": true, "anybody": true,
	"representative": true, "representatives": true, "rep": true, "reps": true, "operator": true, "operators": true,
	"lifeform": true,
}

// enOrderActions are what the shop does with an order: a question of when
// one happens asks about the order ("when will someone ship my order",
// "will your staff process my refund before the weekend"), not the hours
// of the people who do it.
var enOrderActions = map[string]bool{"ship": true, "ships": true, "shipped": true, "dispatch": true, "dispatches": true,
	"dispatched": true, "deliver": true, "delivers": true, "refund": true, "refunds": true, "refunded": true,
	"approve": true, "approves": true, "approved": true, "process": true, "processes": true, "processed": true,
	"send": true, "sends": true, "restock": true, "restocks": true}

// enCounts say how often before "times": "I've asked three times" counts
// tries, it asks no hours.
var enCounts = map[string]bool{"two": true, "three": true, "four": true, "five": true, "six": true, "ten": true,
	"many": true, "several": true, "multiple": true, "few": true, "countless": true, "numerous": true}

// enDuration reports whether the word at i is "hours" or "hour" counting a
// wait: "two hours waiting and not a single person". Not 24 of them, which
// ask whether the service never closes.
func enDuration(ws []string, i int) bool {
	if ws[i] != "hours" && ws[i] != "hour" || i == 0 {
		return false
	}
	p := ws[i-1]
	return enCounts[p] || p == "an" || p == "half" || p != "24" && p != "" && strings.Trim(p, "0123456789") == ""
}

// enRepeated reports whether the word at i is "times" counting tries.
func enRepeated(ws []string, i int) bool {
	if ws[i] != "times" || i == 0 {
		return false
	}
	p := ws[i-1]
	return enCounts[p] || p != "" && strings.Trim(p, "0123456789") == ""
}

// enContrastWhen reports whether ws[i] is a "when" that sets what happened
// against what is so, not one that asks a time: "my parcel says delivered
// when it isn't", "charged twice when I only ordered once". A negation or
// "only" follows it closely.
func enContrastWhen(ws []string, i int) bool {
	if ws[i] != "when" || i == 0 || ws[i-1] == clauseBreak || enQuestionOpeners[ws[i-1]] {
		return false
	}
	for _, w := range ws[i+1 : min(len(ws), i+4)] {
		if enNegation[w] || w == "isnt" || w == "wasnt" || w == "havent" || w == "hasnt" || w == "arent" || w == "werent" || w == "only" {
			return true
		}
	}
	return false
}

// enClauseWhen reports whether ws[i] is a "when" that opens a clause about
// what others do, not one that asks a time: "what do people say when they
// exchange vows". Not after a verb of knowing ("let me know when they are
// back" asks when).
func enClauseWhen(ws []string, i int) bool {
	if ws[i] != "when" || i == 0 || i+1 >= len(ws) || ws[i-1] == clauseBreak || enQuestionOpeners[ws[i-1]] {
		return false
	}
	switch ws[i-1] {
	case "know", "me", "us", "ask", "tell", "see", "out", "wondering", "wonder", "sure":
		return false
	}
	switch ws[i+1] {
	case "they", "theyre", "people", "someone", "somebody", "we", "he", "she":
		return true
	}
	return false
}

// enTimeBefore, before "time", make it time spent or saved, not a time of
// day: "that would save us both a lot of time", "a waste of my time",
// "thanks for your time".
var enTimeBefore = map[string]bool{"of": true, "my": true, "our": true, "your": true, "waste": true, "wasting": true,
	"wasted": true, "save": true, "saves": true, "saving": true, "spend": true, "spent": true, "much": true, "more": true,
	"enough": true, "no": true, "little": true,
	// "is it the same agent every time", "more than one customer at a
	// time", "at the same time".
	"every": true, "a": true, "same": true}

// enTimeSpent reports whether ws[i] is a "time" spent rather than asked.
func enTimeSpent(ws []string, i int) bool {
	// "at this time" is now: "am I able to speak to a representative at
	// this time?" asks for one.
	return ws[i] == "time" && i > 0 && (enTimeBefore[ws[i-1]] || ws[i-1] == "this" && i > 1 && ws[i-2] == "at")
}

// enWaitUntil reports whether ws[i] is the "until" or "till" of "how long
// until I can" or "until I get": the customer's wait, not the time the
// service stops ("how long until I can talk to someone" asks for a person
// as "how long before" does; "until what time can I reach live support"
// and "how long until your support opens" ask the hours).
func enWaitUntil(ws []string, i int) bool {
	// "how long until", "how much longer until".
	asked := i >= 2 && ws[i-2] == "how" && ws[i-1] == "long" || i >= 3 && ws[i-3] == "how" && ws[i-2] == "much" && ws[i-1] == "longer"
	return (ws[i] == "until" || ws[i] == "till") && asked &&
		i+2 < len(ws) && ws[i+1] == "i" && (ws[i+2] == "can" || ws[i+2] == "get")
}

// enAboutPeople reports whether ws ask when the human service works.
func enAboutPeople(ws []string) bool {
	var time, service, ours, open, both bool
	for _, w := range ws {
		if enOrderActions[w] {
			return false
		}
	}
	pleasantry := enPleasantries(ws)
	for _, w := range ws {
		ours = ours || enOurs[w]
	}
	for i, w := range ws {
		if w == clauseBreak {
			// A time and the service in one clause: "human support
			// please! … I have a wedding this weekend" asks no hours.
			// "open" alone says whose hours only with the shop named or
			// spoken to: "when are you open", not "what time does the
			// bank open".
			both = both || time && (service || open && ours)
			time, service, open = false, false, false
			continue
		}
		// "how late are your people working": late asks for a time
		// only after how ("my order is late, agent!" does not). A time
		// in a greeting asks none ("Morning! Can I get a human please?",
		// "hope the weekend treats you well").
		// "during chinese new year": a holiday of two words.
		time = time || w == "year" && i > 0 && ws[i-1] == "new" ||
			enHoursStrongTimes[w] && !enRepeated(ws, i) && !enDuration(ws, i) && !enWaitUntil(ws, i) && !enTimeSpent(ws, i) && !pleasantry[i] && !enPastContact(ws, i) && !enContrastWhen(ws, i) && !enClauseWhen(ws, i) || w == "late" && i > 0 && ws[i-1] == "how" || enClockTime(w) ||
			w == "24" && i+1 < len(ws) && ws[i+1] == "7"
		open = open || w == "open"
		service = service || (enServiceWords[w] && w != "open") ||
			// "how late can I ring you", "what are your phone hours"
			enReachVerbs[w] && i+1 < len(ws) && (ws[i+1] == "you" || ws[i+1] == "your" || ws[i+1] == "u") ||
			(w == "phone" || w == "call") && i+1 < len(ws) && (ws[i+1] == "hours" || ws[i+1] == "line" || ws[i+1] == "lines" || ws[i+1] == "centre" || ws[i+1] == "center")
		ours = ours || enOurs[w]
	}
	if !both && !(time && (service || open && ours)) {
		return false
	}
	for i := range ws {
		// A call back at a time asks for it: "can someone ring me
		// tomorrow morning", "please call me back after 6pm".
		if matchAny(ws[i:], enCallMe) && !enHypothetical(ws, i) {
			return false
		}
		for _, p := range enImperative {
			if hasPrefix(ws[i:], p) && !enHypothetical(ws, i) {
				return false
			}
		}
	}
	return true
}

// enAfterReachMe may follow "call me" and the like when the call is what is
// asked for.
var enAfterReachMe = map[string]bool{clauseBreak: true, "about": true, "regarding": true, "please": true, "pls": true,
	"plz": true, "back": true, "asap": true, "today": true, "tomorrow": true, "now": true, "on": true, "at": true}

// enCallMe ask the shop to call or write to the customer.
var enCallMe = [][]string{{"ring", "me"}, {"phone", "me"}, {"call", "me"}, {"contact", "me"}, {"callback"},
	// "give us a bell when someone's free", "ping me when a human is
	// available".
	{"give", "us", "a", "bell"}, {"give", "me", "a", "bell"}, {"give", "me", "a", "ring"}, {"give", "us", "a", "ring"},
	{"give", "me", "a", "buzz"}, {"ping", "me", "when"}, {"notify", "me", "when"}, {"let", "me", "know", "when", "someone"},
	{"let", "me", "know", "when", "a"}, {"let", "me", "know", "when", "an"},
	{"call", "back"}, {"get", "back", "to", "me"}, {"email", "me"}, {"text", "me"}, {"schedule", "a", "call"},
	{"book", "a", "call"}, {"arrange", "a", "call"}, {"in", "touch", "with", "me"}}

// enWhoCan, ending a clause, ask for a person able to do what the bot
// could not.
var enWhoCan = [][]string{{"someone", "who", "can"}, {"somebody", "who", "can"}, {"anyone", "who", "can"},
	{"anybody", "who", "can"}, {"someone", "that", "can"}, {"somebody", "that", "can"}}

// enWhoKnows ask for a person who knows or understands, as a request of its
// own ("someone who knows what they're doing please", "I need somebody who
// understands returns"); not a question whether anyone knows something
// ("does anyone know if this comes in blue").
var enWhoKnows = [][]string{{"someone", "who", "knows"}, {"somebody", "who", "knows"}, {"someone", "that", "knows"},
	{"somebody", "that", "knows"}, {"someone", "who", "understands"}, {"somebody", "who", "understands"},
	{"someone", "that", "understands"}, {"somebody", "that", "understands"}, {"someone", "who", "actually"},
	{"somebody", "who", "actually"}, {"a", "person", "who", "knows"}, {"a", "human", "who", "knows"},
	{"a", "person", "who", "understands"}, {"a", "human", "who", "understands"}}

// enHypotheticalLeads open a clause that supposes rather than asks: "if I
// need to talk to a person later, until what time are your staff
// around?" asks about the hours.
var enHypotheticalLeads = map[string]bool{"if": true, "incase": true, "whenever": true, "suppose": true, "supposing": true}

// enHypothetical reports whether the clause of ws[i] has a hypothetical
// lead before it.
func enHypothetical(ws []string, i int) bool {
	for j := i - 1; j >= 0 && !clauseEnd(ws[j]); j-- {
		if enHypotheticalLeads[ws[j]] || ws[j] == "case" && j > 0 && ws[j-1] == "in" {
			return true
		}
	}
	return false
}

// enReachVerbs before "you" ask when the shop can be reached.
var enReachVerbs = map[string]bool{"call": true, "ring": true, "phone": true, "message": true, "text": true, "email": true, "reach": true, "contact": true}

// enClockTime reports whether w is a time of day: "11pm", "9am", "930pm",
// "noon", "midnight".
func enClockTime(w string) bool {
	if w == "noon" || w == "midnight" || w == "weekday" || w == "weekdays" {
		return true
	}
	d, ok := strings.CutSuffix(w, "pm")
	if !ok {
		d, ok = strings.CutSuffix(w, "am")
	}
	if !ok || d == "" || len(d) > 4 {
		return false
	}
	return strings.Trim(d, "0123456789") == ""
}

// enAsks reports whether ws ask for a person.
func enAsks(ws []string) bool {
	// "are you a bot?", "am I talking to a human?": a customer who doubts
	// the bot wants a person.
	if len(ws) > 2 && (hasPrefix(ws, []string{"are", "you"}) || hasPrefix(ws, []string{"am", "i"}) || hasPrefix(ws, []string{"is", "this"})) {
		for _, w := range ws[2:] {
			if enBot[w] {
				return true
			}
		}
		// The question's own clause: "are you hiring? I'd like to work as
		// an agent" does not ask whether the bot is one.
		first := ws[2:]
		if k := slices.Index(first, clauseBreak); k >= 0 {
			first = first[:k]
		}
		if findAny(first, enPersonAlone) >= 0 {
			return true
		}
	}
	// "are you real?", "you're a robot, aren't you"
	if hasPrefix(ws, []string{"are", "you", "real"}) && (len(ws) == 3 || ws[3] == clauseBreak) {
		return true
	}
	if i := findAny(ws, [][]string{{"youre"}, {"you", "are"}}); i >= 0 {
		for _, w := range ws[i+1 : min(len(ws), i+5)] {
			if enBot[w] {
				return true
			}
		}
	}
	// "is there no one working there I can talk to": nobody, and then,
	// a few words on, talking to them.
	if i := findAny(ws, [][]string{{"no", "one"}, {"nobody"}, {"noone"}}); i >= 0 {
		for j := i + 1; j+1 < len(ws) && j <= i+7 && ws[j] != clauseBreak; j++ {
			if (ws[j] == "talk" || ws[j] == "speak" || ws[j] == "chat") && (ws[j+1] == "to" || ws[j+1] == "with") {
				return true
			}
		}
	}
	// "where is your manager?"
	if i := findAny(ws, [][]string{{"where"}, {"wheres"}}); i >= 0 {
		// "where's your after-sales specialist"
		for j := i + 1; j < len(ws) && j <= i+4; j++ {
			if ws[j] != "people" && matchAny(ws[j:], enPersonNouns) {
				return true
			}
		}
	}
	// "can someone look into this", "could a person check my case"
	for i := 0; i+1 < len(ws); i++ {
		// "would it be possible to have a member of staff look into this"
		if !enAsking[ws[i]] && !(ws[i] == "to" && i > 0 && ws[i-1] == "possible") {
			continue
		}
		k := i + 1
		// "I'd like to have someone check"
		if ws[k] == "to" && k+1 < len(ws) && (ws[k+1] == "have" || ws[k+1] == "get") {
			k++
		}
		for k+1 < len(ws) && k < i+3 && enPersonLead[ws[k]] {
			k++
		}
		// "can I have someone look at this", "could I get a person to check",
		// "please have someone email me", "can you get someone to call me"
		if (ws[k] == "i" || ws[k] == "we" || ws[k] == "you") && k+2 < len(ws) && (ws[k+1] == "have" || ws[k+1] == "get") {
			k += 2
			if ws[k] == "a" && k+1 < len(ws) {
				k++
			}
		} else if (ws[k] == "have" || ws[k] == "get") && k+1 < len(ws) {
			k++
			// "please have your finance team check".
			if (ws[k] == "a" || ws[k] == "your" || ws[k] == "the") && k+1 < len(ws) {
				k++
			}
		}
		// "could one of your colleagues check this"
		if hasPrefix(ws[k:], []string{"one", "of"}) && k+3 < len(ws) && (ws[k+2] == "your" || ws[k+2] == "the" || ws[k+2] == "you") &&
			ws[k+3] != "people" && matchAny(ws[k+3:], enPersonNouns) {
			k += 3
		} else if hasPrefix(ws[k:], []string{"one", "of"}) && k+4 < len(ws) && ws[k+2] == "your" && enTeamPeople[ws[k+4]] {
			// "can one of your finance people confirm"
			k += 4
		} else if hasPrefix(ws[k:], []string{"one", "of", "you"}) && k+3 < len(ws) && enTeamHelps[ws[k+3]] {
			// "could one of you help me out"
			return true
		} else if enTeamPeople[ws[k]] && ws[k] != "staff" && ws[k-1] == "your" {
			// "can your team help me", "could your guys look into this",
			// not "can your team email me the tracking number" (something
			// sent, asked of the shop).
			if k+1 < len(ws) && enTeamHelps[ws[k+1]] {
				return true
			}
			continue
		} else if !enAnyone[ws[k]] && ws[k] != "person" && ws[k] != "human" && !matchAny(ws[k:], enPersonNouns) || ws[k] == "people" {
			continue
		}
		for j := k + 1; j < min(len(ws), k+7); j++ {
			// "could whoever is in charge of refunds see this
			// conversation", not "can the agents see my previous chats"
			// (what they can see, asked).
			if enLookInto[ws[j]] || ws[j] == "see" && j+1 < len(ws) && (ws[j+1] == "this" || ws[j+1] == "it") {
				return true
			}
		}
	}
	// "if someone from your team could look at this": the person first,
	// then the asking word.
	for i := range ws {
		if !enAnyone[ws[i]] && !matchAny(ws[i:], enPersonNouns) || ws[i] == "people" || enNegatedBefore(ws, i) {
			continue
		}
		for j := i + 1; j+1 < len(ws) && j <= i+5; j++ {
			if ws[j] == clauseBreak {
				break
			}
			if (ws[j] == "could" || ws[j] == "can" || ws[j] == "would") && (enLookInto[ws[j+1]] || hasPrefix(ws[j+1:], []string{"get", "in", "touch"})) {
				return true
			}
			// "if one of your agents could pick this up": the matter, not
			// a parcel ("whether someone else can pick it up").
			if (ws[j] == "could" || ws[j] == "can" || ws[j] == "would") && hasPrefix(ws[j+1:], []string{"pick", "this", "up"}) {
				return true
			}
			// "someone from your security team needs to look at this";
			// "I'd feel better if an actual employee looked at it".
			// "a member of staff needs to see this".
			if (ws[j] == "needs" || ws[j] == "need" || ws[j] == "should" || ws[j] == "must") && j+2 < len(ws) && ws[j+1] == "to" &&
				(enLookInto[ws[j+2]] || ws[j+2] == "see" && j+3 < len(ws) && (ws[j+3] == "this" || ws[j+3] == "it")) ||
				(ws[j] == "should" || ws[j] == "must") && enLookInto[ws[j+1]] ||
				enLookedPast[ws[j]] && enHypothetical(ws, i) {
				return true
			}
		}
	}
	if enRejects(ws) || enBotRepeats(ws) || enWantsTransfer(ws) || enBotAtWork(ws) || enNobodyAnswers(ws) || enAnyoneReads(ws) || enPersonAvailableNow(ws) || enAnyFree(ws) || enPersonPlease(ws) || enTalkToThem(ws) ||
		enPassedOn(ws) || enAnyOfYouReal(ws) || enLoopIn(ws) || enLikePerson(ws) || enWaitingFor(ws) || enTakePerson(ws) ||
		enPassiveRequest(ws) || enWithOne(ws) || enLikeAWord(ws) || enMeetingWith(ws) || enAddOnApp(ws) || enCantReach(ws) || enOneOfThem(ws) || enPossibleFor(ws) {
		return true
	}
	// An adverb does not change the complaint: "you clearly don't
	// understand", "you're really not helping".
	plain := slices.DeleteFunc(slices.Clone(ws), func(w string) bool { return enSoftAdverbs[w] })
	for _, v := range [][]string{ws, plain} {
		for i := range v {
			if matchAny(v[i:], enNotHelping) && !((v[i] == "useless" || v[i] == "pointless") && complaintElsewhere(strings.Join(ws, " "), ws)) {
				return true
			}
		}
	}
	for i := range ws {
		// "my internet provider is useless": another's uselessness, not
		// the bot's (read only when the word is there).
		if matchAny(ws[i:], enStrongPhrases) && !enNegatedBefore(ws, i) && !enNounUse(ws, i) {
			return true
		}
		// Service of one's own, wanted: "I want personal service", "I
		// need one-on-one help"; not "do members get personal service".
		if (matchAny(ws[i:], [][]string{{"personal", "service"}, {"one", "on", "one"}})) && enWantedBefore(ws, i) && !enNegatedBefore(ws, i) {
			return true
		}
		// "if you can't help, I'd like someone who can": the help the
		// bot could not give, asked of a person.
		if matchAny(ws[i:], enWhoCan) && (i+3 == len(ws) || ws[i+3] == clauseBreak) && !enNegatedBefore(ws, i) {
			return true
		}
		if matchAny(ws[i:], enWhoKnows) && !enNegatedBefore(ws, i) && !enHypothetical(ws, i) && (i == 0 || ws[i-1] != "if") {
			return true
		}
	}
	// "I'd like this looked at by your staff", "can it be reviewed by a
	// human": what is asked done by a person.
	for i := 1; i+1 < len(ws); i++ {
		if ws[i] == "by" && enDoneBy[ws[i-1]] && !enNegatedBefore(ws, i-1) && enWantedBefore(ws, i) && enPersonWithin(ws, i+1, 3) {
			return true
		}
	}
	// "could I please be connected with an advisor": a person within a
	// few words of being connected to.
	for i := 0; i+2 < len(ws); i++ {
		if (ws[i] == "be" || ws[i] == "get") && ws[i+1] == "connected" && (ws[i+2] == "to" || ws[i+2] == "with") && enPersonWithin(ws, i+3, 3) {
			return true
		}
	}
	// The shop's own ways in, with no other business named.
	if !anyOf(ws, enOtherBusinesses) {
		for i := range ws {
			// "raise a ticket with Apple support" is theirs.
			if matchAny(ws[i:], enWaysIn) && !enWithOthers(ws[i:]) {
				return true
			}
		}
	}
	// "I need to sort this out with someone today": a matter to settle
	// with a person, wanted.
	for i := 1; i+1 < len(ws); i++ {
		n := 2
		if hasPrefix(ws[i+1:], []string{"one", "of"}) {
			// "sort this out with one of your colleagues"
			n = 5
		}
		if ws[i] != "with" || !enPersonWithin(ws, i+1, n) || !enWantedBefore(ws, i) {
			continue
		}
		for j := i - 1; j >= 0 && j >= i-7 && ws[j] != clauseBreak; j-- {
			if enSettle[ws[j]] {
				return true
			}
		}
	}
	// "you can't help me, can anyone?": the text ends asking for anyone.
	n := len(ws)
	for n > 0 && ws[n-1] == clauseBreak {
		n--
	}
	if n >= 2 && (ws[n-2] == "can" || ws[n-2] == "could") && (ws[n-1] == "anyone" || ws[n-1] == "anybody" || ws[n-1] == "someone" || ws[n-1] == "somebody") {
		return true
	}
	// "billing department please", "help desk pls": a person named and
	// asked for, nothing else.
	// "supervisor now", "manager asap" likewise.
	if n := len(ws); n >= 2 && n <= 4 && enPleaseNow[ws[n-1]] && findAny(ws[:n-1], enPersonNouns) >= 0 {
		return true
	}
	// "who can look into this?": whoever can, asked for.
	for i := 0; i+3 < len(ws); i++ {
		// Not "who can help me choose a size", which asks the help.
		if ws[i] == "who" && (ws[i+1] == "can" || ws[i+1] == "could" || ws[i+1] == "will") && enLookInto[ws[i+2]] && ws[i+2] != "help" &&
			(ws[i+3] == "this" || ws[i+3] == "it" || ws[i+3] == "into" || ws[i+3] == "me") {
			return true
		}
	}
	// "who can I talk to about this?"
	if i := findAny(ws, [][]string{{"who"}}); i >= 0 && i+4 < len(ws)+1 {
		for _, w := range ws[i+1 : min(len(ws), i+5)] {
			if w == "talk" || w == "speak" || w == "contact" || w == "reach" || w == "chat" {
				return true
			}
		}
	}
	for i, w := range ws {
		switch {
		case enStrongRequest[w]:
			return true
		case enBot[w] && enBotNearRefusal(ws, i) && !enRobotGoods(ws, i) && !enHypothetical(ws, i):
			return true
		case (w == "call" || w == "ring" || w == "phone") && i+1 < len(ws) && ws[i+1] == "me" && !enNegatedBefore(ws, i):
			// Not "no need to call me, just reply here".
			return true
		case w == "give" && hasPrefix(ws[i+1:], []string{"me", "a", "call"}):
			return true
		case w == "give" && hasPrefix(ws[i+1:], []string{"me", "a", "ring"}) && (i+4 == len(ws) || ws[i+4] == clauseBreak || ws[i+4] == "back" || ws[i+4] == "please") &&
			(findAny(ws[:i], enPersonNouns) >= 0 || has(ws[:i], "you")):
			// "I'd appreciate it if someone could give me a ring"; not a
			// ring given as a gift.
			return true
		case w == "contact" && i+1 < len(ws) && ws[i+1] == "me" && (findAny(ws[:i], enPersonNouns) >= 0 || has(ws[:i], "you") || anyOf(ws[:i], enSellers)):
			return true
		case w == "get" && hasPrefix(ws[i+1:], []string{"back", "to", "me"}) && (findAny(ws[:i], enPersonNouns) >= 0 || anyOf(ws[:i], enSellers) || has(ws[:i], "you")):
			// "can you get back to me by email"
			// "have the seller get back to me"
			return true
		case enContactMe(ws, i):
			return true
		case enAnyone[w] && enAnyoneThere(ws, i):
			return true
		case enPersonFree(ws, i), enPersonAround(ws, i):
			return true
		}
	}
	if enHelperAround(ws) {
		return true
	}
	// Read of the whole text once, for the loops below.
	whyCant, needAsked := enWhyCant(ws), enNeedAsked(ws)
	// A person word that asks by itself, unless negated or the message is
	// a question about the word ("what is an agent fee?").
	for i := range ws {
		if matchAny(ws[i:], enPersonAlone) && (!enNegatedBefore(ws, i) || whyCant) && !pinyinNotPerson(ws[i:]) &&
			!enRefusedVerb(ws, i) && !enPastContact(ws, i) && !enContactedAfter(ws, i) && !enAsJob(ws, i) && !enSupposedWould(ws, i) && !enPraised(ws, i) &&
			!needAsked {
			if !enQuestionOpeners[ws[0]] || enVerbBefore(ws, i) || has(ws, "there") || hasPrefix(ws, []string{"is", "it", "possible"}) {
				return true
			}
		}
	}
	// A person noun then a verb of talking within a few words: "is there
	// someone I can talk to", "a person to speak with".
	for i := range ws {
		if !matchAny(ws[i:], enPersonNouns) || enNegatedBefore(ws, i) || ws[i] == "people" {
			continue
		}
		// "is there a young lady or gentleman I could speak with".
		for j := i + 1; j < len(ws) && j <= i+5; j++ {
			if ws[j] == "talk" || ws[j] == "speak" || ws[j] == "chat" {
				return true
			}
			// Or to get in touch: "can your team email me", "could
			// someone phone me about my order"; not "can someone email
			// me the invoice", which asks for the invoice.
			if enReachVerbs[ws[j]] && j+1 < len(ws) && ws[j+1] == "me" && (j+2 == len(ws) || enAfterReachMe[ws[j+2]]) {
				return true
			}
		}
	}
	if enToldToAnswer(ws) || enWithPerson(ws) || enStaffThere(ws) || enThereUrgent(ws) || enStillBot(ws) || enEvenHave(ws) || enSomeoneForMe(ws) {
		return true
	}
	// A verb of talking then the seller or the shop: "can I message the
	// seller", "I want to speak to the store".
	for i := range ws {
		if !enTalk[ws[i]] || enNegatedBefore(ws, i) {
			continue
		}
		for j := i + 1; j < len(ws) && j <= i+3; j++ {
			if enSellers[ws[j]] || enShops[ws[j]] && enSpeakOnly[ws[i]] && (j+1 == len(ws) || enShopEnd[ws[j+1]]) {
				return true
			}
			if !enToSeller[ws[j]] {
				break
			}
		}
	}
	// Whoever does something asked after, then asked for as them: "who
	// handles complaints? let me talk to them".
	if len(ws) > 0 && ws[0] == "who" {
		for i := 1; i+2 < len(ws); i++ {
			if ws[i] == clauseBreak && enWhoThen(ws[i+1:]) {
				return true
			}
		}
	}
	// A request verb then a person noun within a few words: "talk to
	// staff", "get me a manager".
	for i := range ws {
		if !enRequest[ws[i]] || enNegatedBefore(ws, i) || enNounUse(ws, i) || enToKnow(ws, i) || enRefusedVerb(ws, i) || needAsked {
			continue
		}
		if enThanksPassed(ws, i) {
			// "please pass on my thanks to the agent".
			continue
		}
		if enGiveVerbs[ws[i]] && enGivesData(ws, i) {
			// "do you pass customers' numbers on to anyone", "do you
			// give my number to anyone" hand the customer's data on.
			continue
		}
		if ws[i] == "phone" && i+1 < len(ws) && (ws[i+1] == "number" || ws[i+1] == "numbers") {
			continue
		}
		last := i + 5
		for k := i + 1; k+1 < len(ws) && k <= i+3; k++ {
			// "get some help from an actual staff member": help asked of
			// the person further on.
			if (ws[k] == "help" || ws[k] == "assistance" || ws[k] == "support") && ws[k+1] == "from" {
				last = k + 5
			}
		}
		if ws[i] == "send" {
			// "send me someone", not "send a gift to someone"
			last = i + 2
		}
		for j := i + 1; j < len(ws) && j <= last; j++ {
			if enDoneWith[ws[j]] {
				// "I need to go shopping with someone", "I want to share
				// this with someone special": something to do with them.
				break
			}
			if (matchAny(ws[j:], enPersonNouns) || matchAny(ws[j:], enPersonAlone)) && !enJobPost(ws, i, j) && !enPersonAsObject[ws[j-1]] {
				return true
			}
		}
	}
	return false
}

// enDoneWith are things done together with someone, not asked of them.
var enDoneWith = map[string]bool{"go": true, "going": true, "share": true, "travel": true, "play": true, "live": true, "spend": true,
	"celebrate": true, "watch": true, "dance": true, "eat": true, "shopping": true, "date": true, "marry": true, "hang": true}

// enRefusedVerb reports whether the verb that asks for the person at i is
// refused: "please don't connect me to an agent", "I was going to ask
// for a person but I found the answer". The negation reaches further back
// than enNegatedBefore's, across the verb and its object, but not past
// "but".
func enRefusedVerb(ws []string, i int) bool {
	for j := i - 1; j >= 0 && j >= i-7; j-- {
		if enBot[ws[j]] || clauseEnd(ws[j]) || ws[j] == "but" {
			return false
		}
		// Only "don't" and "do not" refuse: "why can't I get a human"
		// still asks, as does "no cap i need a human rn".
		if ws[j] == "dont" || ws[j] == "not" && j > 0 && (ws[j-1] == "do" || ws[j-1] == "please") ||
			ws[j] == "going" && j > 0 && (ws[j-1] == "was" || ws[j-1] == "were") {
			return true
		}
	}
	return false
}

// personNotAsked reports whether text names a person only to refuse one
// or to describe one: "please don't connect me to an agent", "I was going
// to ask for a person but I found the answer", "gift for a person who has
// everything?", "is this toy suitable for a person aged 3?", or to praise
// one: "the agent yesterday was really helpful". Such a text
// may still resemble the handoff entry's questions closely enough to
// match it; it does not ask for a person.
func personNotAsked(text string) bool {
	if !mostlyEnglish(text) {
		return false
	}
	ws := words(strings.ToLower(text))
	for i := range ws {
		if findAny(ws[i:i+1], enPersonAlone) < 0 && findAny(ws[i:i+1], enPersonNouns) < 0 {
			continue
		}
		if enRefusedVerb(ws, i) || enDescribedPerson(ws, i) || enPraised(ws, i) {
			return true
		}
	}
	return false
}

// enDescribedPerson reports whether the person word at i is whom a thing
// is for or what they are like, asked for by no verb: "for a person with
// sensitive skin", "a person aged 3".
func enDescribedPerson(ws []string, i int) bool {
	if ws[i] != "person" || enVerbBefore(ws, i) {
		return false
	}
	if i >= 2 && ws[i-1] == "a" && ws[i-2] == "for" {
		return true
	}
	return i+1 < len(ws) && (ws[i+1] == "aged" || ws[i+1] == "with")
}

// enWhyCant reports whether ws complain that the customer cannot get what
// follows: "why can't I get a human", "how come I can't talk to anyone".
func enWhyCant(ws []string) bool {
	return hasPrefix(ws, []string{"why", "cant"}) || hasPrefix(ws, []string{"why", "wont", "you"}) ||
		hasPrefix(ws, []string{"how", "come", "i", "cant"}) ||
		// "is there no human being attending to customers here?"
		findAny(ws, [][]string{{"is", "there", "no"}, {"are", "there", "no"}, {"is", "there", "nobody"}}) >= 0
}

// enChannelAsked reports whether ws ask for a way to reach the shop's
// people: "what number can I ring", "is there an email I can write to",
// "do you have a helpline", "can I reach you on WhatsApp"; not a parcel's
// or the customer's own number, nor another business's.
func enChannelAsked(ws []string) bool {
	if enNamesOtherBusiness(ws) {
		return false
	}
	for i, w := range ws {
		if !enChannelWords[w] {
			continue
		}
		if i > 0 && enNotOurChannel[ws[i-1]] || i > 1 && enNotOurChannel[ws[i-2]] {
			continue
		}
		// Whose, if said after: "a number for your returns team", not
		// "a number for Spotify support", "what number do I call for the
		// police".
		if k := slices.Index(ws[i:], "for"); k > 0 && i+k+1 < len(ws) && !enForUs[ws[i+k+1]] {
			continue
		}
		// "is there an email", "do you have a number", "got a hotline?"
		for j := i - 1; j >= 0 && j >= i-6; j-- {
			if hasPrefix(ws[j:], []string{"is", "there"}) || hasPrefix(ws[j:], []string{"do", "you", "have"}) || hasPrefix(ws[j:], []string{"you", "got"}) {
				return true
			}
		}
		// "the best number to reach you on", "an email to contact support"
		if i+3 < len(ws) && ws[i+1] == "to" && enReachVerbs[ws[i+2]] && (ws[i+3] == "you" || ws[i+3] == "your" || ws[i+3] == "support" || ws[i+3] == "customer") {
			return true
		}
		// "what number can I ring", "which email do I write to"
		if i > 0 && (ws[i-1] == "what" || ws[i-1] == "which") && i+2 < len(ws) && (enAsking[ws[i+1]] || ws[i+1] == "do" || ws[i+1] == "should") && ws[i+2] == "i" {
			return true
		}
		// "can I reach you on WhatsApp", "contact you by email"
		if i > 2 && (ws[i-1] == "on" || ws[i-1] == "by" || ws[i-1] == "via") && ws[i-2] == "you" && (ws[i-3] == "reach" || ws[i-3] == "contact") {
			return true
		}
	}
	return false
}

var (
	// enChannelWords are ways to reach someone.
	enChannelWords = map[string]bool{"number": true, "phone": true, "email": true, "whatsapp": true, "hotline": true, "helpline": true,
		"wechat": true, "telephone": true, "line": true}
	// enForUs, after "for", make the way the shop's.
	enForUs = map[string]bool{"you": true, "your": true, "yours": true, "support": true, "customer": true, "returns": true,
		"complaints": true, "refunds": true, "orders": true, "this": true}
	// enNotOurChannel make the way another thing's or the customer's own.
	enNotOurChannel = map[string]bool{"my": true, "tracking": true, "order": true, "serial": true, "model": true, "reference": true,
		"emergency": true, "police": true, "courier": true, "driver": true, "mobile": true, "account": true, "part": true, "sort": true}
)

// enStaffThere reports whether ws ask whether some of the shop's people
// are there now: "any after-sales staff online?", "is a manager around";
// not when they are ("are agents available at weekends", the hours').
func enStaffThere(ws []string) bool {
	if len(ws) == 0 || ws[0] != "any" && ws[0] != "is" && ws[0] != "are" {
		return false
	}
	for _, w := range ws {
		if enHoursStrongTimes[w] {
			return false
		}
	}
	for i := range ws {
		n := personSpan(ws[i:])
		if n == 0 {
			continue
		}
		// The presence right after the person ("staff online", "a manager
		// currently around"), not a thing named after them ("the staff
		// discount available online").
		j := i + n
		if j < len(ws) && (ws[j] == "currently" || ws[j] == "now" || ws[j] == "still") {
			j++
		}
		if j < len(ws) && enPresence[ws[j]] && ws[j] != "out" && ws[j] != "actually" {
			return true
		}
		// "any humans about?", British for around; not "any staff about
		// returns".
		if j < len(ws) && ws[j] == "about" && (j+1 == len(ws) || ws[j+1] == clauseBreak) {
			return true
		}
	}
	return false
}

// enThereUrgent reports whether a short text asks whether anyone is there
// and says it cannot wait or needs a hand: "you there? you there? urgent",
// "hellooo? anyone? need a hand asap".
func enThereUrgent(ws []string) bool {
	if len(ws) > 14 {
		return false
	}
	there := findAny(ws, [][]string{{"you", "there"}, {"anyone", "there"}, {"anybody", "there"}, {"someone", "there"}}) >= 0
	// "hellooo? anyone? need a hand asap": the word alone as a clause.
	for i, w := range ws {
		if (w == "anyone" || w == "anybody" || w == "someone" || w == "somebody") &&
			(i == 0 || ws[i-1] == clauseBreak || enGreeting[ws[i-1]]) && (i+1 == len(ws) || ws[i+1] == clauseBreak) {
			there = true
		}
	}
	if !there {
		return false
	}
	return has(ws, "urgent") || has(ws, "urgently") || has(ws, "asap") || has(ws, "emergency") ||
		findAny(ws, [][]string{{"need", "a", "hand"}, {"need", "help"}, {"need", "some", "help"}}) >= 0
}

// enWithPerson reports whether ws want to go over the case with one of the
// shop's people: "I need to verify some details with one of your people",
// "I'd like to discuss my refund with someone"; not "I need to go shopping
// with someone".
func enWithPerson(ws []string) bool {
	for start := 0; start < len(ws); start++ {
		if start > 0 && ws[start-1] != clauseBreak {
			continue
		}
		c := ws[start:]
		if !hasPrefix(c, []string{"i", "need"}) && !hasPrefix(c, []string{"i", "want"}) && !hasPrefix(c, []string{"id", "like"}) &&
			!hasPrefix(c, []string{"i", "would", "like"}) && !hasPrefix(c, []string{"i", "have", "to"}) {
			continue
		}
		verb := false
		for i, w := range c {
			if w == clauseBreak {
				break
			}
			verb = verb || enGoOver[w]
			if !verb || w != "with" || i+1 >= len(c) {
				continue
			}
			// "with your people", "with one of your staff"
			k := i + 1
			if k < len(c) && (c[k] == "your" || c[k] == "the") && k+1 < len(c) && (c[k+1] == "people" || c[k+1] == "staff" || c[k+1] == "team") {
				return true
			}
			if matchAny(c[k:], enPersonNouns) {
				return true
			}
		}
	}
	return false
}

// enTeamNames name the shop's people as a service, which a directive may
// have answer as it may a person: "get support to handle this", "ask
// customer care to call me".
var enTeamNames = map[string]bool{"support": true, "care": true, "helpdesk": true, "service": true}

// enEarlierOne reports whether ws ask for the person the customer had
// before: "I'd like the same person as last time", "can the guy from before
// take this over"; not "the same person signed for it" or "the guy from
// before was lovely".
func enEarlierOne(ws []string) bool {
	if len(ws) == 0 || !enAsking[ws[0]] && ws[0] != "id" && ws[0] != "i" {
		return false
	}
	for i := 0; i+2 < len(ws); i++ {
		switch {
		case ws[i] == "same" && enEarlierPeople[ws[i+1]] && (enEarlierAfter[ws[i+2]] || ws[i+2] == clauseBreak):
			return true
		case enEarlierPeople[ws[i]] && ws[i+1] == "from" && enEarlierWhen[ws[i+2]]:
			return true
		}
	}
	return false
}

var (
	// enEarlierPeople are the person the customer had before.
	enEarlierPeople = map[string]bool{"person": true, "agent": true, "rep": true, "guy": true, "lady": true, "woman": true,
		"man": true, "girl": true, "advisor": true, "adviser": true, "representative": true}
	// enEarlierAfter follow "the same person" asked for.
	enEarlierAfter = map[string]bool{"as": true, "from": true, "i": true, "who": true, "again": true, "please": true}
	// enEarlierWhen say when the person was had.
	enEarlierWhen = map[string]bool{"before": true, "earlier": true, "yesterday": true, "last": true, "this": true, "previously": true}
)

// enSomeoneForMe reports whether ws ask someone to do the customer's task
// for them: "can someone change my delivery address for me", "the return
// process is too complicated, can someone do it for me"; not "can someone
// collect it for me", which asks whether another may.
func enSomeoneForMe(ws []string) bool {
	for i := 0; i+3 < len(ws); i++ {
		if (ws[i] != "someone" && ws[i] != "somebody" && ws[i] != "anyone") || !enAsking[ws[max(0, i-1)]] || !enCaseTasks[ws[i+1]] {
			continue
		}
		for j := i + 2; j+1 < len(ws) && j <= i+7 && ws[j] != clauseBreak; j++ {
			if ws[j] == "for" && ws[j+1] == "me" {
				return true
			}
		}
	}
	return false
}

var (
	// enCaseTasks are what someone is asked to do to the customer's case.
	enCaseTasks = map[string]bool{"change": true, "do": true, "fix": true, "process": true, "sort": true, "cancel": true, "check": true,
		"handle": true, "update": true, "amend": true, "correct": true, "edit": true, "look": true}
)

// enStillBot reports whether ws find the customer still with the bot,
// which says they want someone else: "still a bot? seriously", "am I still
// talking to a machine"; not "the robot is still broken".
func enStillBot(ws []string) bool {
	for i, w := range ws {
		if w != "still" {
			continue
		}
		j := i + 1
		if hasPrefix(ws[j:], []string{"talking", "to"}) || hasPrefix(ws[j:], []string{"chatting", "with"}) {
			j += 2
		}
		if j < len(ws) && (ws[j] == "a" || ws[j] == "the" || ws[j] == "an") {
			j++
		}
		if j < len(ws) && enBot[ws[j]] && (j+1 == len(ws) || ws[j+1] == clauseBreak) {
			return true
		}
	}
	return false
}

// enEvenHave reports whether ws doubt that the shop has anyone at all,
// which asks for them: "do you even have customer service", "does this
// shop even have staff".
func enEvenHave(ws []string) bool {
	for i := 0; i+2 < len(ws); i++ {
		if ws[i] != "even" || ws[i+1] != "have" {
			continue
		}
		for j := i + 2; j < len(ws) && j <= i+4 && ws[j] != clauseBreak; j++ {
			if enServicePeople[ws[j]] || ws[j] == "service" && ws[j-1] == "customer" || enAnyone[ws[j]] || ws[j] == "anyone" {
				return true
			}
		}
	}
	return false
}

// enGoOver are what is done with a person about the case.
var enGoOver = map[string]bool{"verify": true, "confirm": true, "check": true, "discuss": true, "clarify": true, "sort": true, "clear": true,
	"resolve": true, "raise": true, "deal": true, "review": true}

// enToldToAnswer reports whether ws tell the bot to have one of the shop's
// people answer or get in touch: "tell your staff to reply to me", "ask
// the seller to respond", "get your manager to call me"; not "ask the
// courier to leave it at the door" or "tell my wife the parcel came".
func enToldToAnswer(ws []string) bool {
	for i, w := range ws {
		if !enDirective[w] || i > 0 && ws[i-1] != clauseBreak && ws[i-1] != "please" && ws[i-1] != "pls" && ws[i-1] != "just" {
			continue
		}
		for j := i + 1; j < len(ws) && j <= i+4 && ws[j] != clauseBreak; j++ {
			if !matchAny(ws[j:], enPersonNouns) && !enSellers[ws[j]] && !enTeamNames[ws[j]] {
				continue
			}
			for k := j + 1; k+1 < len(ws) && k <= j+4 && ws[k] != clauseBreak; k++ {
				if ws[k] == "to" && (enAnswerVerbs[ws[k+1]] || enReachVerbs[ws[k+1]] || ws[k+1] == "get" && hasPrefix(ws[k+2:], []string{"back"})) {
					return true
				}
			}
		}
	}
	return false
}

var (
	// enDirective open a clause that has someone do something.
	enDirective = map[string]bool{"tell": true, "ask": true, "get": true, "have": true, "make": true, "let": true}
	// enAnswerVerbs are what the shop's people are told to do for the
	// customer.
	enAnswerVerbs = map[string]bool{"reply": true, "respond": true, "answer": true, "look": true, "check": true, "handle": true, "deal": true, "sort": true}
)

// enContactedAfter reports whether the person word at i is the one who
// helped before, as what follows it says: "the agent I spoke with
// yesterday was really helpful".
func enContactedAfter(ws []string, i int) bool {
	if enAsking[ws[0]] || has(ws, "again") || has(ws, "back") {
		// "can the rep who helped me earlier get back to me?"
		return false
	}
	for j := i + 1; j < len(ws) && j <= i+3 && ws[j] != clauseBreak; j++ {
		if enContacted[ws[j]] {
			return true
		}
	}
	return false
}

// enNeedAsked reports whether ws ask whether a person is needed for what
// the customer could do alone: "do I need an agent to cancel my order or
// can I do it myself?", "do I have to call someone to delete my account?".
func enNeedAsked(ws []string) bool {
	if !hasPrefix(ws, []string{"do", "i", "need"}) && !hasPrefix(ws, []string{"do", "i", "have", "to"}) &&
		!hasPrefix(ws, []string{"must", "i"}) && !hasPrefix(ws, []string{"is", "it", "necessary"}) {
		return false
	}
	if hasPrefix(ws[3:], []string{"to", "talk"}) || hasPrefix(ws[3:], []string{"to", "speak"}) || hasPrefix(ws[3:], []string{"to", "chat"}) {
		// "do I need to talk to someone to get a refund": to talk is
		// what the customer wants.
		return false
	}
	// A task after the person: "… someone to delete my account".
	for i := 3; i+1 < len(ws); i++ {
		if ws[i] == "to" && (ws[i+1] != "talk" && ws[i+1] != "speak" && ws[i+1] != "chat") && findAny(ws[3:i], enPersonNouns) >= 0 ||
			ws[i] == "to" && findAny(ws[3:i], enPersonAlone) >= 0 && ws[i+1] != "talk" && ws[i+1] != "speak" {
			return true
		}
	}
	return has(ws, "myself")
}

// enAsJob reports whether the person word at i is a job the customer would
// do: "I'd like to work as a customer service agent", "do you hire people
// to work as reps".
func enAsJob(ws []string, i int) bool {
	for j := i - 1; j >= 0 && j >= i-4; j-- {
		if ws[j] == "as" {
			for _, w := range ws[:j] {
				if w == "work" || w == "working" || w == "job" || w == "hiring" || w == "hire" || w == "apply" || w == "career" {
					return true
				}
			}
		}
	}
	return false
}

// enSupposedWould reports whether the person word at i is what would
// happen in a case supposed: "if I had a question the bot couldn't
// answer, would a human pick it up later?".
func enSupposedWould(ws []string, i int) bool {
	return len(ws) > 0 && (ws[0] == "if" || ws[0] == "hypothetically") && i >= 2 &&
		(ws[i-1] == "a" || ws[i-1] == "an") && ws[i-2] == "would"
}

// enThanksPassed reports whether the verb at i passes thanks on rather
// than asks for someone: "please pass on my thanks to the agent".
func enThanksPassed(ws []string, i int) bool {
	if ws[i] != "pass" && ws[i] != "send" && ws[i] != "give" && ws[i] != "forward" {
		return false
	}
	for _, w := range ws[i+1 : min(len(ws), i+5)] {
		switch w {
		case "thanks", "thank", "compliments", "regards", "gratitude", "appreciation", "praise", "love":
			return true
		}
	}
	return false
}

// enWhoThen reports whether clause ws, after a question of who does
// something, asks to talk to them: "let me talk to them", "I want to speak
// with him", "put me through to them".
func enWhoThen(ws []string) bool {
	for i, w := range ws {
		if w == clauseBreak {
			return false
		}
		if !enTalk[w] && w != "through" || enNegatedBefore(ws, i) {
			continue
		}
		for _, o := range ws[i+1 : min(len(ws), i+3)] {
			if o == "them" || o == "him" || o == "her" {
				return true
			}
		}
	}
	return false
}

// enPersonAsObject, before the person word, make the person what is
// reported rather than whom to tell: "how do I report a missing person",
// "report a suspicious person".
var enPersonAsObject = map[string]bool{"missing": true, "lost": true, "suspicious": true, "dead": true, "wanted": true, "homeless": true}

// enJobPost reports whether the person word at j, after the request verb
// at i, is a post someone would hold rather than a person to talk to: "I
// want to work as a manager", "I want to be an agent", "do you need a
// shop assistant", "a job as a staff member".
func enJobPost(ws []string, i, j int) bool {
	if i > 0 && ws[i-1] == "you" && (ws[i] == "need" || ws[i] == "want") {
		// The shop's own need: "do you need more staff".
		return true
	}
	for k := i + 1; k < j; k++ {
		switch ws[k] {
		case "as", "be", "become", "job", "jobs", "hiring", "hire", "position", "vacancy", "apply":
			return true
		}
	}
	return false
}

// enToKnow reports whether the request verb at i asks to know something,
// not for someone: "let me know your customer care hours", "I want to know
// when your staff are in", "I need to find out if your team works on
// Sundays" (nor is "find out" a find). A later verb may still ask for a
// person ("I want to know if I can talk to a manager").
func enToKnow(ws []string, i int) bool {
	next := func(k int) string {
		if i+k < len(ws) {
			return ws[i+k]
		}
		return ""
	}
	switch {
	case ws[i] == "let" && (next(1) == "me" || next(1) == "us") && next(2) == "know":
		return true
	case next(1) == "to" && (next(2) == "know" || next(2) == "find" && next(3) == "out"):
		return true
	case ws[i] == "find" && next(1) == "out":
		return true
	}
	return false
}

// enGiveVerbs hand something to someone; enData are what a customer
// worries the shop hands on.
var (
	enGiveVerbs = map[string]bool{"give": true, "pass": true, "forward": true, "send": true, "hand": true}
	enData      = map[string]bool{"number": true, "numbers": true, "data": true, "details": true, "detail": true,
		"information": true, "info": true, "address": true, "addresses": true, "email": true, "emails": true,
		"phone": true, "contact": true, "contacts": true, "name": true, "names": true, "personal": true}
)

// enGivesData reports whether the verb at i hands the customer's data or
// things to someone (a data word, or a possessive and a word that is no
// matter for a person, before the "to"), not the customer or their matter
// to a person: "give my number to anyone", "give my points to someone
// else", not "pass my case to a manager", "give this to someone".
func enGivesData(ws []string, i int) bool {
	for j := i + 1; j < len(ws) && j <= i+5 && ws[j] != clauseBreak; j++ {
		if ws[j] == "to" {
			return false
		}
		if enData[ws[j]] {
			return true
		}
		// Not "send a consultant my way".
		if (ws[j] == "my" || ws[j] == "our") && j+1 < len(ws) && ws[j+1] != "to" && ws[j+1] != "way" && !enMatters[ws[j+1]] {
			return true
		}
	}
	return false
}

// enMatters are what a customer hands to a person to be dealt with.
var enMatters = map[string]bool{"case": true, "complaint": true, "issue": true, "query": true, "problem": true,
	"question": true, "questions": true, "ticket": true, "chat": true, "message": true, "request": true,
	"conversation": true, "concern": true, "situation": true, "details": false}

// enContactMe reports whether ws at i tell the shop to get in touch:
// "contact me by phone please", "please email me"; not "email me when it
// is back in stock", which asks to be told of something.
func enContactMe(ws []string, i int) bool {
	switch ws[i] {
	case "contact", "email", "text", "message":
	default:
		return false
	}
	if i+1 >= len(ws) || ws[i+1] != "me" {
		return false
	}
	if i > 0 && ws[i-1] != "please" && ws[i-1] != "pls" && ws[i-1] != "plz" && ws[i-1] != clauseBreak {
		return false
	}
	for _, w := range ws[i+2:] {
		if w == clauseBreak {
			break
		}
		switch w {
		case "when", "if", "once", "after", "about", "with":
			return false
		}
	}
	return true
}

// enNounUse reports whether the request verb at i is a noun of what the
// customer received: "I got a text from someone", "had a call from
// somebody"; not "can I get a call from a manager".
func enNounUse(ws []string, i int) bool {
	// A verb that is also a thing, after a determiner or a thing's name:
	// "the link your staff sent", "the product page says".
	if enVerbNouns[ws[i]] && i > 0 && enBeforeNoun[ws[i-1]] {
		return true
	}
	for j := max(0, i-3); j < i; j++ {
		switch ws[j] {
		case "got", "had", "received", "receiving", "gotten", "getting", "keep":
			return true
		}
	}
	return false
}

// enVerbNouns are request verbs that are also things; enBeforeNoun, before
// one, make it the thing.
var (
	enVerbNouns  = map[string]bool{"link": true, "page": true, "ping": true, "grab": true, "bump": true}
	enBeforeNoun = map[string]bool{"the": true, "a": true, "an": true, "this": true, "that": true, "my": true, "your": true, "product": true, "web": true, "tracking": true, "payment": true, "home": true, "item": true}
)

// enGoodsAfterBot are what follows a bot word when it names goods the shop
// may sell: a robot vacuum, a machine wash, a computer desk.
var enGoodsAfterBot = map[string]bool{"vacuum": true, "vacuums": true, "cleaner": true, "mop": true, "mower": true,
	"lawnmower": true, "toy": true, "toys": true, "kit": true, "arm": true, "hoover": true, "wash": true, "washable": true,
	"desk": true, "chair": true, "case": true, "bag": true, "screen": true, "monitor": true}

// enWaysIn are the shop's own ways in: "how can I contact you directly",
// "do you have a hotline", "email address for support?", "I'd like to open a
// support ticket"; another business's ("the hotline for DHL") is not.
var enWaysIn = [][]string{
	{"contact", "you", "directly"}, {"contact", "you", "by"}, {"reach", "you", "by"}, {"get", "in", "touch", "with", "you"},
	{"support", "email"}, {"email", "address", "for", "support"}, {"email", "for", "support"}, {"hotline"},
	{"support", "ticket"}, {"open", "a", "ticket"}, {"raise", "a", "ticket"},
	{"customer", "service", "number"}, {"customer", "service", "phone"}, {"support", "number"}, {"helpline"},
	{"for", "customer", "service"}, {"for", "customer", "support"},
	// "what's your support contact", "contact details for support" (not
	// "change my contact details").
	{"support", "contact"}, {"your", "contact", "details"}, {"your", "contact", "info"}, {"contact", "details", "for", "support"},
	{"contact", "details", "for", "customer"}, {"contact", "info", "for", "support"}, {"contact", "information", "for", "support"},
	// "do you have a phone line", "is there a telephone line".
	{"a", "phone", "line"}, {"a", "telephone", "line"}, {"your", "phone", "line"}, {"your", "telephone", "line"},
}

// enSettle are the verbs of a matter settled with a person: "sort this
// out with someone", "discuss it with a manager", "go through it with an
// agent".
var enSettle = map[string]bool{"arrange": true, "organise": true, "organize": true, "sort": true, "discuss": true, "talk": true, "speak": true, "chat": true, "negotiate": true, "haggle": true, "bargain": true,
	"go": true, "deal": true, "resolve": true, "settle": true, "work": true, "raise": true, "check": true, "take": true,
	"clarify": true}

// enWithOthers reports whether ws, from a way in, go on to place it with
// someone other than the shop: "a ticket with Apple support".
func enWithOthers(ws []string) bool {
	i := slices.Index(ws, "with")
	return i >= 0 && i+1 < len(ws) && i <= 4 && !enOurs[ws[i+1]]
}

// enDoneBy are the participles of what a customer asks done by a person
// (enAsks): "looked at by", "reviewed by", "handled by".
var enDoneBy = map[string]bool{"at": true, "reviewed": true, "checked": true, "handled": true, "with": true,
	"seen": true, "examined": true, "escalated": true, "answered": true, "reviewd": true, "sorted": true, "resolved": true,
	// "flag this for manual review by your staff"
	"review": true}

// enWantWords ask for what follows them: "I want my case reviewed by",
// "could this be checked by"; not "was my refund reviewed by anyone yet".
var enWantWords = map[string]bool{"want": true, "wants": true, "like": true, "prefer": true, "need": true,
	"please": true, "pls": true, "can": true, "could": true, "would": true, "may": true, "should": true, "have": true,
	// "I'd rather sort this out with one of your colleagues", "let me take
	// this up with whoever deals with it".
	"rather": true, "let": true}

// enPersonWithin reports whether a person is named from one of the n words
// from i on: "by your staff", "connected with an advisor", "with someone".
func enPersonWithin(ws []string, i, n int) bool {
	for k := i; k < len(ws) && k < i+n; k++ {
		if matchAny(ws[k:], enPersonNouns) && ws[k] != "people" || matchAny(ws[k:], enPersonAlone) {
			return true
		}
	}
	return false
}

// enWantedBefore reports whether a word of enWantWords comes before i in
// its clause.
func enWantedBefore(ws []string, i int) bool {
	for j := i - 1; j >= 0 && ws[j] != clauseBreak; j-- {
		if enWantWords[ws[j]] {
			return true
		}
	}
	return false
}

// enRobotGoods reports whether the bot word at i names goods ("can I skip
// the robot vacuum setup"), as zhRobotGoods do in Chinese.
func enRobotGoods(ws []string, i int) bool {
	return i+1 < len(ws) && enGoodsAfterBot[ws[i+1]]
}

// enBotNearRefusal reports whether the bot word at i is refused: "stop the
// bot", "I don't want a robot", "no more bots", "talking to a machine".
func enBotNearRefusal(ws []string, i int) bool {
	for j := max(0, i-4); j < i; j++ {
		if enBotRefusal[ws[j]] {
			return true
		}
		if enBotTalk[ws[j]] {
			for k := j - 1; k >= 0 && ws[k] != clauseBreak; k-- {
				if enBotRefusal[ws[k]] && !enBotTalk[ws[k]] {
					return true
				}
			}
		}
	}
	if i+1 < len(ws) && (ws[i+1] == "is" || ws[i+1] == "isnt") && i+2 < len(ws) && enBotRefusal[ws[i+2]] {
		return true
	}
	// "this chatbot is driving me crazy", "the bot is a joke": the chat's
	// bot only (a robot may be goods, and broken).
	if enChatOnly[ws[i]] && i+2 < len(ws) && (ws[i+1] == "is" || ws[i+1] == "isnt" || ws[i+1] == "keeps") {
		for _, w := range ws[i+2 : min(len(ws), i+5)] {
			if enBotBad[w] {
				return true
			}
		}
	}
	// "a bot won't understand this": what the bot cannot do (not a
	// computer or a machine that will not start).
	if enChatBot[ws[i]] {
		for j := i + 1; j < len(ws) && j <= i+2 && ws[j] != clauseBreak; j++ {
			if enCannot[ws[j]] {
				return true
			}
		}
	}
	return false
}

// enNobodyAnswers reports whether ws complain that nobody of the shop
// answers or helps: "I've been waiting 20 minutes and nobody has
// answered", "been here an hour, no one helps". Not a door or a bell
// nobody answered ("nobody answered the door when the courier came").
func enNobodyAnswers(ws []string) bool {
	// "two hours waiting and not a single person", "not one agent".
	for i := 0; i+2 < len(ws); i++ {
		if ws[i] != "not" {
			continue
		}
		k := i + 1
		switch {
		case ws[k] == "a" && ws[k+1] == "single", ws[k] == "a" && ws[k+1] == "soul":
			k += 2
			if ws[k-1] == "soul" {
				return true
			}
		case ws[k] == "one":
			k++
		default:
			continue
		}
		if k < len(ws) && personSpan(ws[k:]) > 0 {
			return true
		}
	}
	for i := range ws {
		n := 0
		switch {
		case ws[i] == "nobody" || ws[i] == "noone":
			n = 1
		case ws[i] == "no" && i+1 < len(ws) && ws[i+1] == "one":
			n = 2
		default:
			continue
		}
		j := i + n
		for j < len(ws) && j < i+n+2 && (ws[j] == "has" || ws[j] == "is" || ws[j] == "ever" || ws[j] == "will" || ws[j] == "even" ||
			ws[j] == "actually" || ws[j] == "yet" || ws[j] == "was" || ws[j] == "had" || ws[j] == "have") {
			j++
		}
		if j < len(ws) && enNobodyDid[ws[j]] {
			next := ws[j+1 : min(len(ws), j+4)]
			if has(next, "door") || has(next, "bell") || has(next, "doorbell") ||
				// What the courier found: "nobody picked up the parcel".
				has(next, "parcel") || has(next, "package") || has(next, "order") || has(next, "delivery") {
				continue
			}
			return true
		}
	}
	return false
}

var enNobodyDid = map[string]bool{"answered": true, "answers": true, "answering": true, "replied": true, "replies": true, "replying": true,
	"responded": true, "responds": true, "responding": true, "helps": true, "helped": true, "helping": true, "cares": true,
	// "no one called me back", "nobody picked up", "no one is handling my
	// issue", "nobody has followed up".
	"called": true, "calls": true, "rang": true, "contacted": true, "picked": true, "handling": true, "handled": true,
	"dealt": true, "dealing": true, "followed": true, "bothered": true, "got": true}

// enAnyoneReads reports whether ws ask whether anyone is there to read:
// "does anyone read these messages", "hello? is this thing on?".
func enAnyoneReads(ws []string) bool {
	// "has anyone seen my message yet", "when will a human get to my
	// message": the customer's message, waiting for a person.
	for i, w := range ws {
		if !(w == "anyone" || w == "anybody" || w == "someone" || w == "somebody" || w == "human" || w == "agent" || w == "person") {
			continue
		}
		for j := i + 1; j+1 < len(ws) && j <= i+5 && ws[j] != clauseBreak; j++ {
			if ws[j] == "my" && (ws[j+1] == "message" || ws[j+1] == "messages") && j >= 1 && enMessageSeen[ws[j-1]] {
				return true
			}
		}
	}
	for i, w := range ws {
		if (w == "anyone" || w == "anybody" || w == "someone" || w == "somebody") && i+2 < len(ws) &&
			(ws[i+1] == "read" || ws[i+1] == "reading" || ws[i+1] == "see" || ws[i+1] == "check" || ws[i+1] == "monitor") &&
			(ws[i+2] == "these" || ws[i+2] == "this" || ws[i+2] == "my" || ws[i+2] == "the") && i > 0 && (ws[i-1] == "does" || ws[i-1] == "is" || ws[i-1] == "will" || ws[i-1] == "do") {
			return true
		}
	}
	return anyClause(ws, func(c []string) bool {
		return slices.ContainsFunc(enChatOn, func(r []string) bool { return equalWords(c, r) })
	})
}

// enChatOn, a clause by themselves, doubt that anyone is at the chat.
var enChatOn = [][]string{{"is", "this", "thing", "on"}, {"is", "this", "thing", "working"}, {"is", "this", "chat", "working"}, {"is", "this", "chat", "on"}}

// enWantsTransfer reports whether a clause of ws asks for a transfer and no
// more: "I want a transfer", "need a transfer please"; not "I want a bank
// transfer" or "a transfer of my points".
func enWantsTransfer(ws []string) bool {
	for i := 0; i+2 < len(ws); i++ {
		if (ws[i] == "want" || ws[i] == "need" || ws[i] == "like" || ws[i] == "request" || ws[i] == "get") &&
			(ws[i+1] == "a" || ws[i+1] == "the") && ws[i+2] == "transfer" &&
			(i+3 == len(ws) || ws[i+3] == clauseBreak || ws[i+3] == "please" || ws[i+3] == "pls" || ws[i+3] == "now" || ws[i+3] == "asap") {
			return true
		}
	}
	return false
}

// enBotAtWork reports whether ws open by asking whether a bot is the one
// answering: "is a bot replying to me", "is it a bot answering", "is the
// ai writing this".
func enBotAtWork(ws []string) bool {
	if len(ws) < 3 || ws[0] != "is" && ws[0] != "are" {
		return false
	}
	for i := 1; i < len(ws) && i <= 3; i++ {
		if enChatBot[ws[i]] || ws[i] == "machine" {
			if enRobotGoods(ws, i) {
				return false
			}
			for j := i + 1; j < len(ws) && j <= i+2; j++ {
				if enBotWorking[ws[j]] {
					return true
				}
			}
			return false
		}
	}
	return false
}

// enMessageSeen, before "my message", say it was or will be seen: "seen my
// message", "get to my message", "answer my messages".
var enMessageSeen = map[string]bool{"seen": true, "see": true, "read": true, "to": true, "answer": true, "answered": true,
	"reply": true, "check": true, "checked": true, "noticed": true, "at": true}

var enBotWorking = map[string]bool{"replying": true, "answering": true, "responding": true, "talking": true, "typing": true,
	"writing": true, "chatting": true, "speaking": true, "handling": true}

// enPossibleFor reports whether ws ask whether it is possible for a person
// to do something for the customer: "would it be possible for someone to
// restore it"; not for someone else to collect a parcel ("is it possible
// for someone to pick it up for me").
func enPossibleFor(ws []string) bool {
	for i := 0; i+3 < len(ws); i++ {
		if ws[i] != "possible" || ws[i+1] != "for" {
			continue
		}
		for j := i + 2; j < len(ws) && j <= i+6 && ws[j] != clauseBreak; j++ {
			if ws[j] == "to" && j+1 < len(ws) {
				return (enLookInto[ws[j+1]] || enRestore[ws[j+1]]) && enPersonWithin(ws, i+2, j-i-2)
			}
		}
	}
	return false
}

var enRestore = map[string]bool{"restore": true, "reinstate": true, "reactivate": true, "unlock": true, "reset": true, "process": true}

// enOneOfThem reports whether ws, having named the shop's people, ask one
// of them to do something: "your agents can see my order, so have one
// check it", "get one to call me".
func enOneOfThem(ws []string) bool {
	named := false
	for i, w := range ws {
		if w != "people" && matchAny(ws[i:], enPersonNouns) || w == "agents" || w == "reps" {
			named = true
			continue
		}
		if named && (w == "have" || w == "get" || w == "send") && i+2 < len(ws) && ws[i+1] == "one" &&
			(enLookInto[ws[i+2]] || ws[i+2] == "to" && i+3 < len(ws) && enLookInto[ws[i+3]]) {
			return true
		}
	}
	return false
}

// enCantReach reports whether ws tell of failing to reach a person of the
// shop: "I can't reach any of your people", "I can't find a human
// anywhere", "I keep failing to reach support". Not another business's
// ("I can't reach the courier").
func enCantReach(ws []string) bool {
	for i, w := range ws {
		if !enFailed[w] {
			continue
		}
		for j := i + 1; j < len(ws) && j <= i+3 && ws[j] != clauseBreak; j++ {
			if !enReachWords[ws[j]] {
				continue
			}
			for k := j + 1; k < len(ws) && k <= j+5 && ws[k] != clauseBreak; k++ {
				if enOtherBusinesses[ws[k]] {
					return false
				}
				if ws[k] == "support" || ws[k] == "human" || ws[k] == "agent" || ws[k] == "anyone" || ws[k] == "anybody" ||
					ws[k] != "people" && matchAny(ws[k:], enPersonNouns) || hasPrefix(ws[k:], []string{"your", "people"}) {
					return true
				}
			}
		}
	}
	return false
}

var (
	enFailed     = map[string]bool{"cant": true, "cannot": true, "unable": true, "failing": true, "failed": true, "couldnt": true, "impossible": true, "never": true}
	enReachWords = map[string]bool{"reach": true, "find": true, "contact": true, "get": true, "hold": true, "through": true}
)

// enAddOnApp reports whether ws ask to add the service on a messaging app,
// as a way to reach a person: "can I add customer service on WhatsApp",
// "add you on wechat?". Not "add my phone number on the app".
func enAddOnApp(ws []string) bool {
	for i, w := range ws {
		if w != "add" {
			continue
		}
		service := false
		for j := i + 1; j < len(ws) && j <= i+4 && ws[j] != clauseBreak; j++ {
			switch {
			case enServiceNames[ws[j]] || ws[j] == "you" || ws[j] == "u":
				service = true
			case (ws[j] == "on" || ws[j] == "via" || ws[j] == "in") && service && j+1 < len(ws) && enChatApps[ws[j+1]]:
				return true
			}
		}
	}
	return false
}

var enChatApps = map[string]bool{"whatsapp": true, "wechat": true, "line": true, "telegram": true, "skype": true,
	"messenger": true, "viber": true, "kakao": true, "kakaotalk": true, "qq": true, "signal": true, "wa": true}

// enChatOnly name the chat's bot and nothing else; enBotBad say what a
// customer fed up with it says of it.
var (
	enChatOnly = map[string]bool{"bot": true, "bots": true, "chatbot": true, "chatbots": true}
	enBotBad   = map[string]bool{"driving": true, "crazy": true, "mad": true, "joke": true, "rubbish": true, "garbage": true,
		"trash": true, "terrible": true, "awful": true, "hopeless": true, "pathetic": true, "ridiculous": true, "frustrating": true,
		"infuriating": true, "wasting": true, "worst": true, "broken": true, "crap": true, "clueless": true, "looping": true,
		"misunderstanding": true, "wrong": true, "waste": true, "useless": true, "dumb": true, "stupid": true, "annoying": true}
)

// enBotRepeats reports whether ws find the bot giving the same reply or
// a copied one: "I've asked three times and get the same reply", "stop copy
// pasting the FAQ"; not "the same reply from the courier" or "the copy
// paste function doesn't work".
func enBotRepeats(ws []string) bool {
	for i := 1; i < len(ws); i++ {
		before := ws[max(0, i-4):i]
		switch {
		case ws[i] == "same" && i+1 < len(ws) && enRepliesSaid[ws[i+1]] && slices.ContainsFunc(before, func(w string) bool { return enGivenAgain[w] }):
			return true
		case (ws[i] == "copy" || ws[i] == "copying") && i+1 < len(ws) && (ws[i+1] == "pasting" || ws[i+1] == "paste" || ws[i+1] == "and") &&
			slices.ContainsFunc(ws[max(0, i-2):i], func(w string) bool { return enKeepsDoing[w] }):
			return true
		}
	}
	return false
}

var (
	// enRepliesSaid are what the bot says.
	enRepliesSaid = map[string]bool{"reply": true, "replies": true, "response": true, "responses": true, "message": true, "messages": true, "answer": true, "answers": true}
	// enGivenAgain get or give a reply again.
	enGivenAgain = map[string]bool{"get": true, "getting": true, "got": true, "keep": true, "keeps": true, "giving": true, "give": true, "gave": true,
		"sending": true, "send": true, "you": true, "bot": true, "still": true}
	// enKeepsDoing stand before what the bot keeps doing.
	enKeepsDoing = map[string]bool{"stop": true, "keep": true, "keeps": true, "you": true, "youre": true, "just": true, "quit": true}
)

// enSoftAdverbs stand in a complaint of the bot without changing it.
var enSoftAdverbs = map[string]bool{"clearly": true, "really": true, "obviously": true, "simply": true, "totally": true,
	"honestly": true, "seriously": true, "literally": true, "completely": true, "still": true, "just": true, "actually": true}

// enChatBot are the bot words that name nothing a shop sells.
var enChatBot = map[string]bool{"bot": true, "bots": true, "chatbot": true, "robot": true, "robots": true, "ai": true}

// enCannot say what the bot cannot do after it: "a bot won't understand
// this", "the robot can't fix it".
var enCannot = map[string]bool{"cant": true, "cannot": true, "wont": true, "couldnt": true, "doesnt": true, "unable": true}

// enPersonFree reports whether the person word at i, with nothing but
// an asking lead before it, is asked to be free now: "any agents free
// right now?", "agents available?", "is a rep online". A question of when
// ("are agents available on weekends?") is about the hours, read before
// (enAboutPeople).
func enPersonFree(ws []string, i int) bool {
	if !enWhetherPerson[ws[i]] || i+1 >= len(ws) || !(enPresence[ws[i+1]] || ws[i+1] == "free") {
		return false
	}
	for _, w := range ws[:i] {
		if !enFreeLead[w] {
			return false
		}
	}
	return true
}

// enPersonAround reports whether the shop's person at i is asked after,
// with only "is"/"are" and a determiner before: "is the shop owner
// around", "is the manager there", "are the sellers online".
func enPersonAround(ws []string, i int) bool {
	if ws[0] != "is" && ws[0] != "are" || i+1 >= len(ws) || !enPresence[ws[i+1]] {
		return false
	}
	if i < 1 {
		return false
	}
	// "is there a team member around to help?"
	lead := ws[1:i]
	if i > 1 && ws[i] == "member" && (ws[i-1] == "team" || ws[i-1] == "staff") {
		lead = ws[1 : i-1]
	} else if !enSellers[ws[i]] && !matchAny(ws[i:i+1], enPersonNouns) {
		return false
	}
	for _, w := range lead {
		switch w {
		case "the", "your", "a", "any", "shop", "store", "there":
		default:
			return false
		}
	}
	return true
}

// enDoneTo are verbs whose object "someone" is no one called for
// (enAnyoneThere).
var enDoneTo = map[string]bool{"cancel": true, "cancelled": true, "canceled": true, "cancelling": true, "canceling": true,
	"block": true, "ban": true, "unfollow": true, "follow": true, "date": true, "dating": true, "meet": true,
	"know": true, "trust": true, "stalk": true, "troll": true, "mute": true, "bully": true}

// enFreeLead may come before the person word of enPersonFree.
var enFreeLead = map[string]bool{"any": true, "is": true, "are": true, "an": true, "a": true, "there": true,
	"excuse": true, "me": true, "sorry": true,
	"hi": true, "hello": true, "hey": true, "so": true, "ok": true, "okay": true, "um": true, clauseBreak: true}

// enAnyoneThere reports whether "anyone" at i calls into the void: "is
// anyone there", "hello? anybody?".
func enAnyoneThere(ws []string, i int) bool {
	// "what does it mean to cancel someone online": the one done
	// something to, not called.
	if i > 0 && enDoneTo[ws[i-1]] {
		return false
	}
	if i+1 < len(ws) && enPresence[ws[i+1]] {
		return true
	}
	// "is anyone on duty right now", "anyone on shift?"
	if i+2 < len(ws) && ws[i+1] == "on" && (ws[i+2] == "duty" || ws[i+2] == "shift") {
		return true
	}
	// "is anyone from the shop around"
	if i+1 < len(ws) && ws[i+1] == "from" {
		for j := i + 2; j < len(ws) && j <= i+5 && ws[j] != clauseBreak; j++ {
			if enPresence[ws[j]] {
				return true
			}
		}
	}
	// "someone please reply", "anybody going to answer?", "can someone
	// walk me through it", "could somebody guide me".
	for j := i + 1; j < len(ws) && j <= i+3 && ws[j] != clauseBreak; j++ {
		if ws[j] == "reply" || ws[j] == "respond" || ws[j] == "answer" ||
			(ws[j] == "walk" || ws[j] == "guide" || ws[j] == "talk" || ws[j] == "teach" || ws[j] == "show") && j+1 < len(ws) && ws[j+1] == "me" {
			return true
		}
	}
	for j, w := range ws {
		if j != i && !enGreeting[w] && w != "is" && w != "there" && w != clauseBreak {
			return false
		}
	}
	return true
}

// enNegatedBefore reports whether a negation precedes word i within its
// last few words, with no bot word between: "I don't need an agent", but
// not "no bot, I want a human".
func enNegatedBefore(ws []string, i int) bool {
	for j := i - 1; j >= 0 && j >= i-4; j-- {
		if enBot[ws[j]] || clauseEnd(ws[j]) {
			return false
		}
		if enNegation[ws[j]] {
			return true
		}
	}
	return false
}

// enVerbBefore reports whether a request verb comes before word i.
func enVerbBefore(ws []string, i int) bool {
	for _, w := range ws[:i] {
		if enRequest[w] {
			return true
		}
	}
	return false
}

func matchAny(ws []string, phrases [][]string) bool {
	for _, p := range phrases {
		if hasPrefix(ws, p) {
			return true
		}
	}
	return false
}

// findAny returns the first index of ws where one of phrases starts, or -1.
func findAny(ws []string, phrases [][]string) int {
	for i := range ws {
		if matchAny(ws[i:], phrases) {
			return i
		}
	}
	return -1
}

// anyOf reports whether any of ws is in set.
func anyOf(ws []string, set map[string]bool) bool {
	for _, w := range ws {
		if set[w] {
			return true
		}
	}
	return false
}

func has(ws []string, w string) bool {
	for _, x := range ws {
		if x == w {
			return true
		}
	}
	return false
}

// zhHandoffWords and enHandoffWords are removed from a handoff request
// before it is matched against the knowledge base for its topic: in
// "快递一直没到，转人工" only "快递一直没到" says where to route, and "agent"
// alone must not match "When are agents available?". Longer Chinese phrases
// come first so that 转人工 goes whole.
var (
	zhHandoffWords = []string{"转人工", "找人工", "人工客服", "人工服务", "人工", "真人"}
	enHandoffWords = map[string]bool{
		"human": true, "agent": true, "representative": true, "operator": true,
		"real": true, "live": true, "person": true, "someone": true, "somebody": true,
		"anyone": true, "anybody": true, "people": true, "talk": true, "speak": true, "chat": true,
	}
)

// topicText returns a handoff request without the words that ask for a
// person.
func topicText(text string) string {
	for _, s := range zhHandoffWords {
		text = strings.ReplaceAll(text, s, " ")
	}
	var out []string
	for _, w := range words(text) {
		if !enHandoffWords[w] && w != clauseBreak {
			out = append(out, w)
		}
	}
	// Han runs are dropped by words; keep them as they are.
	var han []rune
	for _, r := range text {
		if unicode.Is(unicode.Han, r) {
			han = append(han, r)
		} else if len(han) > 0 && han[len(han)-1] != ' ' {
			han = append(han, ' ')
		}
	}
	return strings.TrimSpace(string(han) + " " + strings.Join(out, " "))
}

// words returns the lowercased words of text: runs of letters and digits,
// apostrophes dropped ("don't" is "dont"), with clauseBreak where a comma,
// a full stop or the like ends a clause.
func words(text string) []string {
	var (
		out []string
		w   []rune
	)
	for _, r := range text {
		switch {
		case unicode.IsLetter(r) && !unicode.Is(unicode.Han, r), unicode.IsDigit(r):
			w = append(w, unicode.ToLower(r))
		case r == '\'' || r == '’':
		default:
			if len(w) > 0 {
				out = append(out, string(w))
				w = w[:0]
			}
			if strings.ContainsRune(",.;:!?，。；：！？", r) && len(out) > 0 && out[len(out)-1] != clauseBreak {
				out = append(out, clauseBreak)
			}
		}
	}
	if len(w) > 0 {
		out = append(out, string(w))
	}
	return out
}

// clauseBreak stands between two clauses in the words of a text: a
// negation does not reach across it ("your answers make no sense, let me
// speak to someone").
const clauseBreak = "|"

// clauseEnd reports whether w ends the clause before it when reading
// back from a word: a clause break, or the "then" of "if you can't help
// then I'd like someone who can", whose supposing and negation stay
// before it.
func clauseEnd(w string) bool { return w == clauseBreak || w == "then" }

func hasPrefix(ws, prefix []string) bool {
	if len(ws) < len(prefix) {
		return false
	}
	for i, p := range prefix {
		if ws[i] != p {
			return false
		}
	}
	return true
}

// firstIndex returns the index of the first of subs to occur in s, -1 if
// none does.
func firstIndex(s string, subs []string) int {
	first := -1
	for _, sub := range subs {
		if i := strings.Index(s, sub); i >= 0 && (first < 0 || i < first) {
			first = i
		}
	}
	return first
}

func containsAny(s string, subs []string) bool {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

// hasPrefixAny reports whether s begins with one of prefixes.
func hasPrefixAny(s string, prefixes []string) bool {
	for _, p := range prefixes {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}

// enRejects reports whether ws, a leading "no" and the marks aside, is one
// of enRejections: the whole message refuses what the bot offered.
func enRejects(ws []string) bool {
	for len(ws) > 1 && (ws[0] == clauseBreak || ws[0] == "no" || ws[0] == "nope" || ws[0] == "sorry" || ws[0] == "um" || ws[0] == "hmm") {
		ws = ws[1:]
	}
	for _, r := range enRejections {
		if equalWords(ws, r) {
			return true
		}
	}
	return false
}

// equalWords reports whether ws, its clause marks aside, are the words r.
func equalWords(ws, r []string) bool {
	j := 0
	for _, w := range ws {
		if w == clauseBreak {
			continue
		}
		if j == len(r) || w != r[j] {
			return false
		}
		j++
	}
	return j == len(r)
}

// enNow say that a person is wanted at once: "is a human agent available
// right now" asks for one, where "when are agents available" asks the
// hours.
var enNow = map[string]bool{"now": true, "currently": true}

// personBefore reports whether one of the three words before ws[i] is a
// person of enPersonNouns (not "people") or enPersonAlone.
func personBefore(ws []string, i int) bool {
	for j := max(0, i-3); j < i; j++ {
		p := ws[j : j+1]
		if ws[j] != "people" && matchAny(p, enPersonNouns) || matchAny(p, enPersonAlone) {
			return true
		}
	}
	return false
}

// enPersonAvailableNow reports whether ws asks whether a person is
// available now: a person within three words before "available", and
// "now" or "currently" within three words of it.
func enPersonAvailableNow(ws []string) bool {
	for i, w := range ws {
		if w != "available" || !personBefore(ws, i) {
			continue
		}
		for _, n := range ws[max(0, i-3):min(len(ws), i+4)] {
			if enNow[n] {
				return true
			}
		}
	}
	return false
}

// enAnyFree reports whether ws ask whether any of the service's people is
// free or available, in the present and with no time asked: "are any of
// your agents free", "is anyone available". "When are agents free" asks
// the hours.
func enAnyFree(ws []string) bool {
	if !hasPrefix(ws, []string{"are", "any"}) && !hasPrefix(ws, []string{"is", "anyone"}) && !hasPrefix(ws, []string{"is", "anybody"}) {
		return false
	}
	person := false
	for _, w := range ws[1:] {
		switch {
		case w == clauseBreak:
			return false
		case enWhetherPerson[w]:
			person = true
		case (w == "free" || w == "available") && person:
			return true
		}
	}
	return false
}

// enPersonPlease reports whether a clause of ws is a person asked for
// with nothing but a please ("person please", "someone pls", "a staff
// member please"), or another than the bot, with or without one ("not
// you, someone else"). It allocates nothing: a clause of more than three
// other words is none of these.
func enPersonPlease(ws []string) bool {
	start := 0
	for i := 0; i <= len(ws); i++ {
		if i < len(ws) && ws[i] != clauseBreak {
			continue
		}
		var buf [3]string
		n, asked := 0, false
		for _, w := range ws[start:i] {
			switch w {
			case "please", "pls", "plz":
				asked = true
			case "a", "an", "now":
			default:
				if n < len(buf) {
					buf[n] = w
				}
				n++
			}
		}
		start = i + 1
		if n == 0 || n > len(buf) {
			continue
		}
		rest := buf[:n]
		if asked && slices.ContainsFunc(enPleasePerson, func(p []string) bool { return slices.Equal(p, rest) }) ||
			slices.ContainsFunc(enSomeoneElse, func(p []string) bool { return slices.Equal(p, rest) }) {
			return true
		}
	}
	return false
}

// enSomeoneElse, a clause by themselves, ask for another than the bot
// with or without a please.
var enSomeoneElse = [][]string{
	{"someone", "else"}, {"somebody", "else"}, {"another", "person"}, {"different", "person"},
	{"another", "agent"}, {"different", "agent"}, {"real", "person", "instead"},
}

// enPleasePerson are the persons enPersonPlease takes with a please.
var enPleasePerson = [][]string{
	{"person"}, {"someone"}, {"somebody"}, {"staff"}, {"staff", "member"},
	{"member", "of", "staff"}, {"team", "member"}, {"real", "one"},
}

// enThem are the pronouns a request to talk to one of the shop's people,
// named before, ends with.
var enThem = map[string]bool{"them": true, "him": true, "her": true}

// enTalkToThem reports whether ws want to talk to "them", "him" or "her"
// after naming one of the shop's people: "if there's a supervisor
// available, I'd like to talk to them". Not past talks ("I spoke to
// them yesterday": no want before the verb) nor refused ones.
func enTalkToThem(ws []string) bool {
	for i := 2; i < len(ws); i++ {
		if !enThem[ws[i]] || ws[i-1] != "to" && ws[i-1] != "with" || !enSpeakOnly[ws[i-2]] ||
			!enWantedBefore(ws, i-2) || enNegatedBefore(ws, i-2) {
			continue
		}
		for k := 0; k < i-2; k++ {
			if ws[k] != "people" && (matchAny(ws[k:], enPersonNouns) || matchAny(ws[k:], enPersonAlone)) {
				return true
			}
		}
	}
	return false
}

// enLookedPast, after one of the shop's people in a supposing clause, wish
// for what they would do: "I'd feel better if an actual employee looked
// at my account".
var enLookedPast = map[string]bool{"looked": true, "checked": true, "reviewed": true, "handled": true, "took": true, "stepped": true}

// enTeamPeople, after "one of your" and a department, name its people:
// "one of your finance people", "one of your billing guys".
var enTeamPeople = map[string]bool{"people": true, "guys": true, "folks": true, "team": true, "staff": true}

// enPassOn are the verbs of handing a matter to someone.
var enPassOn = map[string]bool{"forward": true, "forwarded": true, "pass": true, "passed": true, "hand": true, "handed": true,
	"escalate": true, "escalated": true, "transfer": true, "transferred": true, "refer": true, "referred": true,
	"route": true, "routed": true, "assign": true, "assigned": true}

// enPassedOn reports whether ws ask for the matter to be handed to one of
// the shop's people: "I would be obliged if this enquiry could be
// forwarded to a member of your staff", "please pass my case to a
// manager". Not refused ("don't forward this to anyone"), nor asked about
// ("whether my details are passed on to anyone else").
func enPassedOn(ws []string) bool {
	for i, w := range ws {
		// Asked for (could, please) or told (forward this), not asked
		// about: "whether they are passed on to anyone else" is a question
		// about data.
		asked := i == 0 || ws[i-1] == clauseBreak
		for j := i - 1; j >= 0 && j >= i-3 && ws[j] != clauseBreak; j-- {
			asked = asked || enWantWords[ws[j]]
		}
		if !enPassOn[w] || !asked || enNegatedBefore(ws, i) {
			continue
		}
		for j := i + 1; j < len(ws) && j <= i+4 && ws[j] != clauseBreak; j++ {
			if ws[j] == "to" && enPersonWithin(ws, j+1, 5) {
				return true
			}
		}
	}
	return false
}

// enAnyOfYouReal reports whether ws doubt that any of the service is a
// person: "are any of you real or is it bots all the way down?".
func enAnyOfYouReal(ws []string) bool {
	if !hasPrefix(ws, []string{"are", "any", "of", "you"}) || len(ws) < 5 {
		return false
	}
	return ws[4] == "real" || ws[4] == "human" || ws[4] == "humans" || ws[4] == "people" || ws[4] == "bots"
}

// enLoopIn reports whether ws ask to loop in one of the shop's teams:
// "loop in your returns desk please".
func enLoopIn(ws []string) bool {
	for i := 0; i+1 < len(ws); i++ {
		if ws[i] != "loop" || ws[i+1] != "in" || enNegatedBefore(ws, i) {
			continue
		}
		for _, w := range ws[i+2 : min(len(ws), i+6)] {
			if w == "desk" || w == "team" || w == "department" || w == "staff" || w == "colleague" || w == "colleagues" || w == "manager" || w == "supervisor" {
				return true
			}
		}
		if enPersonWithin(ws, i+2, 4) {
			return true
		}
	}
	return false
}

// enLikePerson reports whether ws would like one of the shop's people:
// "I'd like the floor manager, please". Not "I like your staff".
func enLikePerson(ws []string) bool {
	for i := 1; i < len(ws); i++ {
		if ws[i] == "like" && (ws[i-1] == "id" || ws[i-1] == "would") && !enNegatedBefore(ws, i) &&
			i+1 < len(ws) && (ws[i+1] == "a" || ws[i+1] == "an" || ws[i+1] == "the" || ws[i+1] == "your") && enPersonWithin(ws, i+2, 2) {
			return true
		}
	}
	return false
}

// enPleasantryOpeners open a clause of greeting or good wishes; "hope" in a
// clause makes it one too.
var enPleasantryOpeners = map[string]bool{"good": true, "morning": true, "afternoon": true, "evening": true, "hope": true,
	"hoping": true, "happy": true, "enjoy": true, "hiya": true, "hi": true, "hello": true, "hey": true, "merry": true}

// enPleasantries marks the words of ws that stand in a clause of greeting
// or good wishes.
func enPleasantries(ws []string) []bool {
	marks := make([]bool, len(ws))
	for start := 0; start < len(ws); {
		end := start
		for end < len(ws) && ws[end] != clauseBreak {
			end++
		}
		greeting := end > start && enPleasantryOpeners[ws[start]]
		for _, w := range ws[start:end] {
			greeting = greeting || w == "hope" || w == "hoping"
		}
		for i := start; i < end; i++ {
			marks[i] = greeting
		}
		start = end + 1
	}
	return marks
}

// enWaitingFor reports whether ws tell of waiting for a person: "been
// waiting all day for someone to help me", "still waiting for an agent".
// Not waiting for a thing ("waiting for my refund").
func enWaitingFor(ws []string) bool {
	for i, w := range ws {
		// "happy to wait for a person", "I don't mind waiting for a
		// human": the wait is the customer's, the person wanted.
		minded := i > 0 && ws[i-1] == "mind"
		if w != "waiting" && w != "wait" || enNegatedBefore(ws, i) && !minded {
			continue
		}
		for j := i + 1; j < len(ws) && j <= i+4 && ws[j] != clauseBreak; j++ {
			if ws[j] == "for" {
				return enPersonWithin(ws, j+1, 3) && !enThingAfterFor(ws, j+1)
			}
		}
	}
	return false
}

// enThingAfterFor reports whether what follows "for" at i is a thing of
// the order, not a person: "waiting for my refund", "for the parcel".
func enThingAfterFor(ws []string, i int) bool {
	for j := i; j < len(ws) && j < i+3; j++ {
		switch ws[j] {
		case "refund", "parcel", "package", "order", "delivery", "reply", "email", "answer", "money", "response":
			return true
		}
	}
	return false
}

// enTakePerson reports whether ws take one of the shop's people as one
// takes an offer: "I'll take your supervisor, thanks". Not "how long does
// it take one person to assemble the wardrobe".
func enTakePerson(ws []string) bool {
	for i := 1; i+1 < len(ws); i++ {
		if ws[i] == "take" && (ws[i-1] == "ill" || ws[i-1] == "will" || ws[i-1] == "id") && ws[i+1] != "one" && enPersonWithin(ws, i+1, 3) {
			return true
		}
	}
	return false
}

// enPleaseNow end a short text that names a person: "billing department
// please", "supervisor now".
var enPleaseNow = map[string]bool{"please": true, "pls": true, "plz": true, "now": true, "asap": true, "immediately": true}

// enPassiveRequest reports whether the customer asks to be passed to a
// person in the passive: "I'd appreciate being handed over to one of your
// team members", "I request that this matter be referred to a member of
// staff".
func enPassiveRequest(ws []string) bool {
	for i := 1; i+1 < len(ws); i++ {
		if enPassedVerbs[ws[i]] && enPassiveLead[ws[i-1]] && !enNegatedBefore(ws, i-1) && enPersonWithin(ws, i+1, 6) {
			return true
		}
	}
	return false
}

var (
	enPassedVerbs = map[string]bool{"handed": true, "referred": true, "forwarded": true, "transferred": true, "passed": true,
		"routed": true, "redirected": true, "escalated": true, "put": true, "connected": true, "assigned": true}
	enPassiveLead = map[string]bool{"be": true, "being": true, "get": true, "getting": true}
)

// enWithOne reports whether a clause ends asking to talk with "one" after
// people were named: "Does Spruce Mall even employ people for support?
// I'd like to chat with one."
func enWithOne(ws []string) bool {
	for i := 1; i+2 < len(ws)+1; i++ {
		if i+2 > len(ws) || !enTalkOnly[ws[i-1]] || ws[i] != "with" && ws[i] != "to" || ws[i+1] != "one" {
			continue
		}
		if (i+2 == len(ws) || ws[i+2] == clauseBreak || enPleaseNow[ws[i+2]]) && enWantedBefore(ws, i) && findAny(ws[:i], enPersonNouns) >= 0 {
			return true
		}
	}
	return false
}

var enTalkOnly = map[string]bool{"talk": true, "speak": true, "chat": true}

// enLikeAWord reports whether a clause ends wanting "a word" after a
// person was named: "If a manager is around, I'd like a word."
func enLikeAWord(ws []string) bool {
	for i := 1; i+2 < len(ws); i++ {
		if (ws[i] == "like" || ws[i] == "want" || ws[i] == "need") && ws[i+1] == "a" && ws[i+2] == "word" &&
			(i+3 == len(ws) || ws[i+3] == clauseBreak) && findAny(ws[:i], enPersonNouns) >= 0 {
			return true
		}
	}
	return false
}

// enMeetingWith reports whether an appointment or a call with one of the
// shop's people is asked: "a telephone appointment with one of your
// consultants".
func enMeetingWith(ws []string) bool {
	for i := 1; i+1 < len(ws); i++ {
		if ws[i] == "with" && enMeeting[ws[i-1]] && enPersonWithin(ws, i+1, 5) {
			return true
		}
	}
	return false
}

var enMeeting = map[string]bool{"appointment": true, "meeting": true, "session": true, "consultation": true, "callback": true}

// enHelpers are whoever helped the customer before, as a person noun of
// enPersonNouns: "the fellow who handled my invoice", "the lady that
// helped me", "the rep who dealt with my return".
var enHelpers = []string{"lady", "guy", "woman", "man", "person", "one", "agent", "girl", "fellow", "gentleman",
	"rep", "representative", "staff", "chap", "bloke", "boy", "gal", "dude"}

func init() {
	// In a fixed order, as the lists are written.
	verbs := slices.Sorted(maps.Keys(enContacted))
	for _, n := range enHelpers {
		for _, rel := range []string{"who", "that"} {
			for _, v := range verbs {
				enPersonNouns = append(enPersonNouns, []string{n, rel, v})
			}
		}
	}
}

// enHelperAround reports whether text asks whether whoever helped the
// customer before is there: "is the lady who helped me with my blender
// still around?", "is the agent who changed my address yesterday
// available?".
func enHelperAround(ws []string) bool {
	if len(ws) < 5 || ws[0] != "is" && ws[0] != "are" || ws[1] != "the" && ws[1] != "that" {
		return false
	}
	if !slices.Contains(enHelpers, ws[2]) || ws[3] != "who" && ws[3] != "that" || !enContacted[ws[4]] && !enDidForMe[ws[4]] {
		return false
	}
	for j := 5; j < len(ws) && j <= 20 && ws[j] != clauseBreak; j++ {
		if enPresence[ws[j]] || ws[j] == "free" || ws[j] == "working" || ws[j] == "in" && j+1 < len(ws) && ws[j+1] == "today" {
			return true
		}
	}
	return false
}

// enDidForMe are what whoever helped did, besides talking (enContacted):
// "the agent who changed my address".
var enDidForMe = map[string]bool{"changed": true, "fixed": true, "sorted": true, "took": true}

// enPastContact reports whether the time at i is when the customer talked
// to someone before, not a time asked: "the same person I spoke to this
// morning", "the agent who helped me yesterday evening".
func enPastContact(ws []string, i int) bool {
	for j := i - 1; j >= 0 && j >= i-3 && ws[j] != clauseBreak; j-- {
		if enContacted[ws[j]] {
			return true
		}
	}
	return false
}

// enPraised reports whether the person word at i is praised rather than
// asked for: "thanks, the agent earlier was great", "your rep yesterday was
// so helpful". A request beside the praise ("she was great, can I talk to
// her again") is found by the other rules.
func enPraised(ws []string, i int) bool {
	j := i + 1
	for j < len(ws) && j <= i+3 && enPraiseWhen[ws[j]] {
		j++
	}
	if j >= len(ws) || ws[j] != "was" && ws[j] != "were" && ws[j] != "is" && ws[j] != "has" && ws[j] != "have" {
		return false
	}
	for k := j + 1; k < len(ws) && k <= j+3 && ws[k] != clauseBreak; k++ {
		if enPraise[ws[k]] {
			return true
		}
	}
	return false
}

var (
	// enPraiseWhen may stand between the person and the praise: "the
	// agent earlier was", "your rep I spoke to".
	enPraiseWhen = map[string]bool{"earlier": true, "before": true, "yesterday": true, "today": true, "last": true, "week": true,
		"from": true, "this": true, "morning": true, "who": true, "that": true, "i": true, "spoke": true, "talked": true, "to": true}
	enPraise = map[string]bool{"great": true, "helpful": true, "nice": true, "lovely": true, "amazing": true, "excellent": true,
		"kind": true, "brilliant": true, "fantastic": true, "awesome": true, "wonderful": true, "patient": true, "friendly": true,
		"superb": true, "perfect": true, "good": true, "polite": true, "professional": true, "fab": true, "outstanding": true}
)

var enContacted = map[string]bool{"spoke": true, "talked": true, "chatted": true, "helped": true, "handled": true,
	"called": true, "messaged": true, "emailed": true, "served": true, "assisted": true, "dealt": true}

// zhIfAnyone reports whether someone of the shop, supposed there, is asked
// to answer or look: "要是有人在的话，麻烦回我一下", "如果现在有值班的客服，请让他
// 看一下我的问题".
func zhIfAnyone(text string) bool {
	return containsAny(text, zhHypothetical) && containsAny(text, zhSupposedThere) && containsAny(text, zhAskedToAnswer)
}

var (
	zhSupposedThere = []string{"有人在", "有人看到", "有客服", "有值班", "有工作人员", "有人工", "有真人"}
	zhAskedToAnswer = []string{"回我", "回复我", "让他", "请他", "叫他", "让她", "请她", "叫她", "出来"}
)

// zhCallsOut reports whether text is only the chat's call for whoever is
// there: "在？", "在吗在不在".
func zhCallsOut(text string) bool {
	switch zhBare(strings.TrimSpace(text)) {
	case "在", "在不", "在嘛", "在么", "在不在", "在吗在吗", "在吗在不在":
		return true
	}
	return false
}

// zhOnlyPerson reports whether the only Chinese of text is 人, called out
// ("💢💢💢人！", "人人人").
func zhOnlyPerson(text string) bool {
	n := 0
	for _, r := range text {
		if unicode.Is(unicode.Han, r) {
			if r != '人' {
				return false
			}
			n++
		}
	}
	return n > 0
}
