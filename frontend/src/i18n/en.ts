// English UI strings: the source dictionary. Every other language must have
// the same keys (checked by the type of zh.ts).

/** English strings, keyed by message id. `{name}` marks a parameter. */
export const en = {
  'app.name': 'Switchboard',
  'app.tagline': 'Agent workspace',
  'app.loading': 'Starting…',
  'app.bootFailed': 'The app could not start: {message}',

  'lang.label': 'Language',
  'lang.en': 'English',
  'lang.zh-CN': '中文',

  'signin.title': 'Sign in',
  'signin.subtitle': 'Sign in with your agent account to start answering customers.',
  'signin.server': 'Server address',
  'signin.serverHint': 'e.g. http://127.0.0.1:8080',
  'signin.username': 'Username',
  'signin.password': 'Password',
  'signin.submit': 'Sign in',
  'signin.submitting': 'Signing in…',
  'signin.required': 'Enter the server address, username and password.',
  'signin.ended': 'Your session ended ({reason}). Sign in again.',

  'conn.online': 'Online',
  'conn.connecting': 'Connecting',
  'conn.offline': 'Offline',

  'header.signOut': 'Sign out',

  'role.agent': 'Agent',
  'role.supervisor': 'Supervisor',
  'role.admin': 'Admin',
  'role.customer': 'Customer',
  'role.bot': 'Bot',
  'role.system': 'System',

  'tabs.mine': 'Mine',
  'tabs.queue': 'Queue',
  'tabs.label': 'Conversation lists',
  'list.emptyMine': 'No conversations assigned to you.',
  'list.emptyQueue': 'Nobody is waiting. Nice.',
  'list.waiting': 'Waiting {duration}',
  'list.noText': 'No messages yet',

  'duration.lessThanMinute': '<1 min',
  'duration.minutes': '{n} min',
  'duration.hours': '{h} h {m} min',
  'duration.days': '{d} d {h} h',

  'state.bot': 'Bot',
  'state.queued': 'Queued',
  'state.active': 'Active',
  'state.waiting_customer': 'Waiting for customer',
  'state.resolved': 'Resolved',
  'state.closed': 'Closed',

  'conv.empty': 'Select a conversation',
  'conv.emptyHint': 'Pick one from “Mine”, or take the next customer from the queue.',
  'conv.notFound': 'This conversation is no longer available.',
  'conv.accept': 'Accept',
  'conv.accepting': 'Accepting…',
  'conv.resolve': 'Resolve',
  'conv.resolving': 'Resolving…',
  'conv.assignedTo': 'Assigned to {name}',
  'conv.unassigned': 'Unassigned',
  'conv.team': 'Team {team}',
  'conv.loading': 'Loading transcript…',
  'conv.noMessages': 'No messages yet.',
  'conv.transcript': 'Transcript',
  'conv.dismiss': 'Dismiss',

  'msg.pending': 'Sending…',
  'msg.failed': 'Not sent: {reason}',
  'msg.internal': 'Internal note',
  'msg.unknownSender': 'Unknown',

  'event.opened': 'Conversation started',
  'event.handoff': 'Handed over to a human agent',
  'event.handoffReason': 'Handed over to a human agent · {reason}',
  'event.assigned': '{actor} accepted the conversation',
  'event.assignedAnon': 'Conversation assigned',
  'event.resolved': '{actor} resolved the conversation',
  'event.resolvedAnon': 'Conversation resolved',
  'event.other': 'Conversation changed: {type}',

  'composer.placeholder': 'Reply to {name}… (Enter to send, Shift+Enter for a new line)',
  'composer.disabledQueued': 'Accept the conversation to reply.',
  'composer.disabledOther': 'You can reply only in active conversations assigned to you.',
  'composer.send': 'Send',
  'composer.label': 'Reply',
  'composer.tooLong': '{count} / {max} characters',

  'ctx.title': 'Customer',
  'ctx.conversation': 'Conversation',
  'ctx.business': 'Details from the page',
  'ctx.noExt': 'The page passed no details.',
  'ctx.customer_name': 'Name',
  'ctx.customer_id': 'Customer ID',
  'ctx.channel': 'Channel',
  'ctx.state': 'State',
  'ctx.team': 'Team',
  'ctx.assignee': 'Assignee',
  'ctx.handoff_reason': 'Handoff reason',
  'ctx.created_at': 'Started',
  'ctx.none': '—',
  'ctx.empty': 'Customer details appear here.',

  'ext.source': 'Source page',
  'ext.order_no': 'Order no.',
  'ext.user_id': 'User ID',
  'ext.ticket_no': 'Ticket no.',
  'ext.vip': 'VIP',
  'ext.email': 'Email',
  'ext.phone': 'Phone',
  'ext.locale': 'Language',
  'ext.referrer': 'Referrer',
  'ext.product': 'Product',
  'ext.sku': 'SKU',

  'channel.web': 'Web chat',
  'channel.widget': 'Web chat',

  'team.presales': 'Presales',
  'team.aftersales': 'After-sales',

  'error.malformed_frame': 'The request could not be read.',
  'error.unknown_type': 'The server did not understand the request.',
  'error.invalid_request': 'The request is invalid.',
  'error.frame_too_large': 'The message is too large.',
  'error.text_too_long': 'The message is too long (at most 4000 characters).',
  'error.unsupported_version': 'This app version is not supported by the server. Please update.',
  'error.hello_required': 'The connection is not ready yet. Try again.',
  'error.already_authenticated': 'Already signed in on this connection.',
  'error.unauthenticated': 'You are not signed in. Sign in again.',
  'error.token_expired': 'Your session expired. Sign in again.',
  'error.bad_credentials': 'Wrong username or password',
  'error.forbidden': 'You are not allowed to do that.',
  'error.not_found': 'Conversation not found.',
  'error.illegal_transition':
    'Not possible in the conversation’s current state — someone else may have taken it.',
  'error.conflict': 'That message was already sent differently.',
  'error.rate_limited': 'Too many requests. Wait a moment and try again.',
  'error.internal': 'Something went wrong on the server. Try again.',
  'error.unavailable': 'Cannot reach the server. Check the address and your network.',
  'error.unknown': 'Something went wrong: {message}',
} as const;

/** A message id. */
export type MessageKey = keyof typeof en;

/** A dictionary with every message id. */
export type Dictionary = Record<MessageKey, string>;
