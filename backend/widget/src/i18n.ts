// All strings the widget shows, in Simplified Chinese and English, and the
// few rules that turn protocol data into a line of text.

import type { ConversationEvent, QueueInfo } from './protocol';

/** A language the widget speaks. */
export type Locale = 'zh' | 'en';

const zh = {
  launcher: '在线客服',
  store: '云杉商城',
  tagline: '云杉小助手 · 人工客服 9:00–21:00',
  close: '收起聊天窗口',
  greeting: '您好，欢迎光临云杉商城！请问有什么可以帮您？需要人工服务可输入“转人工”。',
  placeholder: '输入消息，Enter 发送',
  send: '发送',
  inputLabel: '消息',
  you: '我',
  pending: '发送中…',
  statusConnecting: '正在连接…',
  statusOnline: '已连接',
  statusOffline: '连接已断开，正在重试…',
  eventHandoff: '已转入人工客服队列',
  eventAssigned: '客服 {name} 为您服务',
  eventAssignedNoName: '人工客服已接入',
  eventResolved: '会话已结束',
  eventResolvedNoReply: '由于长时间未收到您的回复，会话已结束',
  eventReopened: '会话已重新打开，客服将继续为您服务',
  eventTransferred: '正在为您转接其他同事，请稍候…',
  eventTransferAccepted: '{name} 正在为您服务',
  eventTransferAcceptedNoName: '新的客服正在为您服务',
  eventHandedBack: '已为您转回智能助手',
  eventRated: '感谢您的评价',
  eventOther: '会话状态已更新',
  eventJoined: '{name} 加入了会话',
  eventJoinedNoName: '一位主管加入了会话',
  eventLeft: '{name} 离开了会话',
  eventLeftNoName: '一位主管离开了会话',
  queueWaiting: '正在为您排队',
  queuePosition: '您前面还有 {ahead} 位',
  queueNext: '您是下一位',
  queueWait: '{where}，预计等待约 {min} 分钟',
  queueNoAgents: '当前没有客服在线',
  queueAfterHours: '现在是非工作时间',
  leaveTitle: '您可以给我们留言，客服上线后会尽快回复您。',
  leaveText: '留言内容',
  leavePlaceholder: '请描述您的问题',
  leaveContact: '联系方式（选填）',
  leaveContactPlaceholder: '手机号或邮箱',
  leaveSubmit: '提交留言',
  leaveSending: '正在提交…',
  leaveDone: '留言已收到，客服上线后会尽快回复您',
  ratingTitle: '请为本次服务打分',
  ratingStars: '评分',
  ratingStar: '{n} 星',
  ratingComment: '评价内容（选填）',
  ratingCommentPlaceholder: '还有什么想告诉我们的吗？',
  ratingSubmit: '提交评价',
  ratingSending: '正在提交…',
  ratingThanks: '感谢您的评价，祝您购物愉快！',
  ratingNotSent: '评价未能提交，请稍后重试',
  ratingWindowOver: '本次会话已无法评价',
  feedbackAsk: '这个回答有帮助吗？',
  feedbackUp: '有帮助',
  feedbackDown: '没有帮助',
  feedbackThanks: '感谢反馈',
  feedbackNotSent: '反馈未能提交，请重试',
  quickReplies: '您可能想问',
  unread: '{n} 条新消息',
  undelivered: '消息未能送达',
  agentFallbackName: '客服',
  botFallbackName: '云杉小助手',
  errorFallback: '出错了，请稍后再试',
  attach: '发送文件或图片',
  dropHere: '松开即可发送文件',
  uploading: '正在上传 {name}',
  uploadCancel: '取消上传',
  uploadRetry: '重试',
  uploadDismiss: '关闭',
  uploadFailed: '{name} 上传失败：{reason}',
  uploadNetwork: '网络中断，上传未完成',
  uploadNotReady: '正在连接，请稍后再发送文件',
  uploadResumeHint: '{name} 上传未完成，重新选择该文件即可继续',
  imageAlt: '图片 {name}',
  imageOpen: '查看大图',
  imageClose: '关闭大图',
  imageLoadFailed: '图片加载失败',
  fileDownload: '下载',
  fileDownloadFailed: '文件下载失败',
  voiceMessage: '语音消息',
  voicePlay: '播放语音',
  voicePause: '暂停',
  voiceRecord: '录制语音',
  voiceStop: '停止录音并发送',
  voiceRecording: '正在录音 {time}',
  voiceDenied: '无法使用麦克风，请在浏览器中允许录音',
  unknownKind: '[暂不支持的消息，请升级后查看]',
  cardView: '查看商品',
  cardBuy: '立即购买',
  cardBuySent: '已通知客服为您下单',
  cardViewSent: '已打开商品页面',
  cardOrderNo: '订单号 {no}',
  cardOrderItems: '商品',
  cardEta: '预计送达 {date}',
  orderStatus: {
    pending: '待付款',
    paid: '已付款',
    shipped: '已发货',
    delivered: '已送达',
    cancelled: '已取消',
    refunded: '已退款',
  } as Record<string, string>,
  cardRatingComment: '补充说明（选填）',
  cardRatingSubmit: '提交',
  cardRatingDone: '已提交：{n} 星',
  cardSending: '正在提交…',
  transcriptMenu: '聊天记录',
  transcriptDownloadHtml: '下载聊天记录（网页）',
  transcriptDownloadText: '下载聊天记录（文本）',
  transcriptEmailLabel: '通过邮件发送聊天记录',
  transcriptEmailPlaceholder: '您的邮箱地址',
  transcriptEmailSend: '发送邮件',
  transcriptDownloading: '正在下载…',
  transcriptDownloaded: '聊天记录已下载',
  transcriptEmailing: '正在发送…',
  transcriptEmailed: '聊天记录已发送至 {to}',
  transcriptEmailInvalid: '请输入有效的邮箱地址',
  transcriptFailed: '操作失败，请稍后重试',
  errors: {
    malformed_frame: '请求格式有误',
    unknown_type: '不支持的请求',
    invalid_request: '请求无效',
    frame_too_large: '消息太大，无法发送',
    text_too_long: '消息太长（最多 4000 字）',
    unsupported_version: '客服组件版本过旧，请刷新页面',
    hello_required: '连接未就绪，正在重试…',
    already_authenticated: '连接状态异常，正在重试…',
    unauthenticated: '身份已失效，正在重新连接…',
    token_expired: '身份已过期，正在重新连接…',
    bad_credentials: '身份验证失败',
    refresh_reused: '登录已在别处使用，请重新登录',
    account_disabled: '该账号已停用',
    identity_invalid: '无法验证您的登录身份，已按访客接入',
    identity_expired: '登录身份已过期，请刷新页面',
    forbidden: '没有权限执行此操作',
    not_found: '会话不存在或已结束',
    illegal_transition: '会话当前状态不允许此操作',
    conflict: '消息重复，已忽略',
    at_capacity: '客服当前忙碌，请稍候',
    target_unavailable: '暂时无法转接，请稍候',
    file_too_large: '文件太大，无法发送',
    type_not_allowed: '不支持发送此类型的文件',
    upload_not_found: '文件上传已失效，请重新发送',
    invalid_card: '操作无效，请刷新后重试',
    email_unavailable: '暂不支持邮件发送',
    unknown_variable: '快捷回复中有未知的变量',
    duplicate_shortcut: '这个快捷词已被使用',
    rate_limited: '发送太频繁，请稍后再试',
    quota_exceeded: '上传太多，请等当前文件发送完或明天再试',
    internal: '服务器出错，请稍后再试',
    unavailable: '服务器正在维护，正在重新连接…',
  },
};

/** Strings is the shape of one language's table. */
export type Strings = typeof zh;

const en: Strings = {
  launcher: 'Chat with us',
  store: 'Spruce Mall',
  tagline: 'Spruce Assistant · agents 9:00–21:00',
  close: 'Minimize chat',
  greeting:
    'Hi, welcome to Spruce Mall! How can we help? Type “human” any time to reach a person.',
  placeholder: 'Type a message, Enter to send',
  send: 'Send',
  inputLabel: 'Message',
  you: 'You',
  pending: 'Sending…',
  statusConnecting: 'Connecting…',
  statusOnline: 'Connected',
  statusOffline: 'Connection lost — retrying…',
  eventHandoff: 'You are now in the queue for an agent',
  eventAssigned: '{name} has joined',
  eventAssignedNoName: 'An agent has joined',
  eventResolved: 'This conversation has been resolved',
  eventResolvedNoReply: 'This conversation was closed because we did not hear back',
  eventReopened: 'The conversation is open again; an agent will continue',
  eventTransferred: 'Transferring you to a colleague, one moment…',
  eventTransferAccepted: 'You’re now chatting with {name}',
  eventTransferAcceptedNoName: 'You’re now chatting with another agent',
  eventHandedBack: 'You’re back with the assistant',
  eventRated: 'Thanks for your rating',
  eventOther: 'The conversation was updated',
  eventJoined: '{name} joined the conversation',
  eventJoinedNoName: 'A supervisor joined the conversation',
  eventLeft: '{name} left the conversation',
  eventLeftNoName: 'A supervisor left the conversation',
  queueWaiting: 'You’re in the queue',
  queuePosition: 'You are number {n} in line',
  queueNext: 'You’re next',
  queueWait: '{where} — expected wait about {min} min',
  queueNoAgents: 'No agents are online right now',
  queueAfterHours: 'We’re outside business hours right now',
  leaveTitle: 'Leave us a message and an agent will get back to you as soon as one is available.',
  leaveText: 'Your message',
  leavePlaceholder: 'How can we help?',
  leaveContact: 'Contact (optional)',
  leaveContactPlaceholder: 'Phone or email',
  leaveSubmit: 'Leave message',
  leaveSending: 'Sending…',
  leaveDone: 'Message received — an agent will get back to you as soon as one is available',
  ratingTitle: 'How did we do?',
  ratingStars: 'Rating',
  ratingStar: '{n} of 5 stars',
  ratingComment: 'Comment (optional)',
  ratingCommentPlaceholder: 'Anything else you’d like to tell us?',
  ratingSubmit: 'Submit rating',
  ratingSending: 'Sending…',
  ratingThanks: 'Thank you for your feedback!',
  ratingNotSent: 'Your rating was not sent; please try again',
  ratingWindowOver: 'This conversation can no longer be rated',
  feedbackAsk: 'Was this helpful?',
  feedbackUp: 'Helpful',
  feedbackDown: 'Not helpful',
  feedbackThanks: 'Thanks for your feedback',
  feedbackNotSent: 'Your feedback was not sent; please try again',
  quickReplies: 'You might ask',
  unread: '{n} new messages',
  undelivered: 'Message could not be delivered',
  agentFallbackName: 'Agent',
  botFallbackName: 'Spruce Assistant',
  errorFallback: 'Something went wrong; please try again',
  attach: 'Send a file or picture',
  dropHere: 'Drop to send the file',
  uploading: 'Uploading {name}',
  uploadCancel: 'Cancel upload',
  uploadRetry: 'Retry',
  uploadDismiss: 'Dismiss',
  uploadFailed: '{name} was not sent: {reason}',
  uploadNetwork: 'the connection dropped before the upload finished',
  uploadNotReady: 'Still connecting; please send the file in a moment',
  uploadResumeHint: '{name} did not finish uploading; choose the file again to continue',
  imageAlt: 'Picture {name}',
  imageOpen: 'View full size',
  imageClose: 'Close picture',
  imageLoadFailed: 'The picture could not be loaded',
  fileDownload: 'Download',
  fileDownloadFailed: 'The file could not be downloaded',
  voiceMessage: 'Voice message',
  voicePlay: 'Play voice message',
  voicePause: 'Pause',
  voiceRecord: 'Record a voice message',
  voiceStop: 'Stop and send',
  voiceRecording: 'Recording {time}',
  voiceDenied: 'The microphone is not available; allow recording in your browser',
  unknownKind: '[This message cannot be shown here yet]',
  cardView: 'View',
  cardBuy: 'Buy now',
  cardBuySent: 'An agent will help you place the order',
  cardViewSent: 'Product page opened',
  cardOrderNo: 'Order {no}',
  cardOrderItems: 'Items',
  cardEta: 'Expected {date}',
  orderStatus: {
    pending: 'Awaiting payment',
    paid: 'Paid',
    shipped: 'Shipped',
    delivered: 'Delivered',
    cancelled: 'Cancelled',
    refunded: 'Refunded',
  } as Record<string, string>,
  cardRatingComment: 'Comment (optional)',
  cardRatingSubmit: 'Submit',
  cardRatingDone: 'Sent: {n} of 5 stars',
  cardSending: 'Sending…',
  transcriptMenu: 'Transcript',
  transcriptDownloadHtml: 'Download transcript (web page)',
  transcriptDownloadText: 'Download transcript (text)',
  transcriptEmailLabel: 'Email transcript',
  transcriptEmailPlaceholder: 'Your email address',
  transcriptEmailSend: 'Send email',
  transcriptDownloading: 'Downloading…',
  transcriptDownloaded: 'Transcript downloaded',
  transcriptEmailing: 'Sending…',
  transcriptEmailed: 'Transcript sent to {to}',
  transcriptEmailInvalid: 'Please enter a valid email address',
  transcriptFailed: 'That did not work; please try again later',
  errors: {
    malformed_frame: 'The request was malformed',
    unknown_type: 'Unsupported request',
    invalid_request: 'The request was invalid',
    frame_too_large: 'Message is too large to send',
    text_too_long: 'Message is too long (max 4000 characters)',
    unsupported_version: 'This chat is out of date; please reload the page',
    hello_required: 'Not connected yet; retrying…',
    already_authenticated: 'Connection out of step; retrying…',
    unauthenticated: 'Could not verify this chat; reconnecting…',
    token_expired: 'Chat access expired; reconnecting…',
    bad_credentials: 'Could not verify your identity',
    refresh_reused: 'This sign-in was used elsewhere; sign in again',
    account_disabled: 'This account is disabled',
    identity_invalid: 'Could not verify your sign-in; chatting as a guest',
    identity_expired: 'Your sign-in has expired; please reload the page',
    forbidden: 'Not allowed',
    not_found: 'Conversation not found or already ended',
    illegal_transition: 'Not possible in the conversation’s current state',
    conflict: 'Duplicate message ignored',
    at_capacity: 'Our agents are busy; please wait a moment',
    target_unavailable: 'Cannot transfer right now; please wait a moment',
    file_too_large: 'The file is too large to send',
    type_not_allowed: 'Files of this type cannot be sent',
    upload_not_found: 'The upload expired; please send the file again',
    invalid_card: 'That action is not possible; please reload and try again',
    email_unavailable: 'Email is not available here',
    unknown_variable: 'The canned response has an unknown variable',
    duplicate_shortcut: 'That shortcut is already taken',
    rate_limited: 'You’re sending too fast; please wait a moment',
    quota_exceeded: 'Too many uploads; wait for the current ones to finish, or try again tomorrow',
    internal: 'Server error; please try again later',
    unavailable: 'Server is restarting; reconnecting…',
  },
};

/** STRINGS holds every language's table. */
export const STRINGS: Record<Locale, Strings> = { zh, en };

/**
 * pickLocale chooses the widget language: the explicit option if given,
 * otherwise Chinese for any zh-* browser language and English for the rest.
 */
export function pickLocale(option?: string | null, browser?: string | null): Locale {
  const tag = (option || browser || '').toLowerCase();
  return tag.startsWith('zh') ? 'zh' : 'en';
}

/** localeTag is the BCP 47 tag sent to the server for a widget language. */
export function localeTag(l: Locale): string {
  return l === 'zh' ? 'zh-CN' : 'en';
}

/** format replaces {key} placeholders with values. */
export function format(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (m, k: string) =>
    Object.prototype.hasOwnProperty.call(values, k) ? String(values[k]) : m,
  );
}

/** errorText is the translated line shown for an error code. */
export function errorText(s: Strings, code: string): string {
  const table = s.errors as Record<string, string>;
  return Object.prototype.hasOwnProperty.call(table, code) ? table[code] : s.errorFallback;
}

/**
 * queueText is the queue banner's line. zh counts the people ahead
 * (position − 1), en names the place in line; position 1 is next.
 */
export function queueText(s: Strings, q: Pick<QueueInfo, 'position' | 'expected_wait_ms' | 'open' | 'business_hours'>): string {
  if (!q.open) return q.business_hours ? s.queueNoAgents : s.queueAfterHours;
  const where =
    q.position === 1
      ? s.queueNext
      : q.position > 1
        ? format(s.queuePosition, { n: q.position, ahead: q.position - 1 })
        : s.queueWaiting;
  if (!(q.expected_wait_ms > 0)) return where;
  const min = Math.max(1, Math.ceil(q.expected_wait_ms / 60_000));
  return format(s.queueWait, { where, min });
}

// Event types the customer is not shown: the opening, the timers' quiet
// moves, and the agent-side routing events (which the server keeps internal).
const HIDDEN_EVENTS = new Set([
  'opened',
  'waiting',
  'resumed',
  'closed',
  'offered',
  'declined',
  'offer_expired',
  'transfer_requested',
  // A supervisor's help is between them and the agent.
  'assist_raised',
  'assist_answered',
  'assist_lowered',
]);

/**
 * eventLine is the line shown for a state change, or null to show nothing.
 * assignee names the agent when the event does not. A type this version
 * does not know gets a neutral line.
 */
export function eventLine(s: Strings, ev: ConversationEvent, assignee = ''): string | null {
  switch (ev.type) {
    case 'handoff':
      return s.eventHandoff;
    case 'assigned': {
      const name = ev.actor || assignee;
      return name ? format(s.eventAssigned, { name }) : s.eventAssignedNoName;
    }
    case 'resolved':
      return ev.reason === 'no_reply' ? s.eventResolvedNoReply : s.eventResolved;
    case 'reopened':
      return s.eventReopened;
    case 'transferred':
      return s.eventTransferred;
    case 'transfer_accepted': {
      const name = ev.actor || assignee;
      return name ? format(s.eventTransferAccepted, { name }) : s.eventTransferAcceptedNoName;
    }
    case 'taken_over': {
      // The supervisor who took over now serves the customer.
      const name = ev.actor || assignee;
      return name ? format(s.eventTransferAccepted, { name }) : s.eventTransferAcceptedNoName;
    }
    case 'reassigned': {
      // Reason names the agent the conversation was given to.
      const name = ev.reason || assignee;
      return name ? format(s.eventTransferAccepted, { name }) : s.eventTransferAcceptedNoName;
    }
    case 'joined':
      return ev.actor ? format(s.eventJoined, { name: ev.actor }) : s.eventJoinedNoName;
    case 'left':
      return ev.actor ? format(s.eventLeft, { name: ev.actor }) : s.eventLeftNoName;
    case 'handed_back':
      return s.eventHandedBack;
    case 'rated':
      return s.eventRated;
    case 'card_action':
      // The card itself shows what was chosen.
      return null;
    default:
      return HIDDEN_EVENTS.has(ev.type) ? null : s.eventOther;
  }
}
