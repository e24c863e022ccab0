// Wire types of the desktop app: the JSON shapes of protocol/protocol.go and of
// the bound Go methods (package app). Field names are the JSON names, exactly.

/** Roles of a {@link User} or message {@link Sender} (protocol.Role*). */
export type Role = 'customer' | 'agent' | 'supervisor' | 'admin' | 'bot' | 'system';

/** An authenticated participant (protocol.User). */
export interface User {
  id: string;
  role: Role | string;
  name: string;
  teams?: string[];
}

/** Message kinds (protocol.Kind*). */
export type MessageKind = 'text' | 'event' | 'image' | 'file' | 'voice' | 'card';

/** The file of an image, file or voice message (protocol.Attachment). */
export interface Attachment {
  id: string;
  name: string;
  size: number;
  mime: string;
  width?: number;
  height?: number;
  duration_ms?: number;
  has_thumb?: boolean;
}

/** Structured content of a card message (protocol.Card). */
export interface Card {
  type: string;
  version: number;
  data: Record<string, unknown>;
  fallback?: string;
}

/**
 * Message visibilities (protocol.Visibility*): internal is an agents' note,
 * whisper a message between supervisors and the agent; the customer sees
 * neither.
 */
export type Visibility = 'public' | 'internal' | 'whisper';

/** Event types of an `event` message (protocol.Event*). */
export type EventType =
  | 'opened'
  | 'handoff'
  | 'assigned'
  | 'waiting'
  | 'resumed'
  | 'resolved'
  | 'closed'
  | 'reopened'
  | 'transferred'
  | 'handed_back'
  | 'offered'
  | 'declined'
  | 'offer_expired'
  | 'transfer_requested'
  | 'transfer_accepted'
  | 'rated'
  | 'joined'
  | 'left'
  | 'taken_over'
  | 'reassigned'
  | 'assist_raised'
  | 'assist_answered'
  | 'assist_lowered';

/** Conversation states (protocol.State*). */
export type ConversationState =
  'bot' | 'queued' | 'active' | 'waiting_customer' | 'resolved' | 'closed';

/** All conversation states, in lifecycle order. */
export const CONVERSATION_STATES: readonly ConversationState[] = [
  'bot',
  'queued',
  'active',
  'waiting_customer',
  'resolved',
  'closed',
];

/** Who wrote a message (protocol.Sender). */
export interface Sender {
  role: Role | string;
  id?: string;
  name?: string;
}

/** The body of an `event` message: a state change (protocol.Event). */
export interface ConversationEvent {
  type: EventType | string;
  from?: string;
  to?: string;
  reason?: string;
  actor?: string;
  /** card_action events: the card message acted on, its type, the action and its inputs. */
  card_seq?: number;
  card_type?: string;
  action?: string;
  values?: Record<string, unknown>;
}

/**
 * One message of a conversation (protocol.Message). A message the desktop
 * app has not yet had acknowledged by the server has `seq` 0.
 */
export interface Message {
  conversation_id: string;
  seq: number;
  client_msg_id: string;
  sender: Sender;
  kind: MessageKind | string;
  visibility: Visibility | string;
  text?: string;
  event?: ConversationEvent;
  attachment?: Attachment;
  card?: Card;
  ext?: Record<string, string>;
  /** Unix milliseconds. */
  created_at: number;
}

/** A conversation's current state (protocol.Conversation). */
export interface Conversation {
  id: string;
  customer_id: string;
  customer_name: string;
  channel: string;
  state: ConversationState | string;
  team?: string;
  assignee_id?: string;
  assignee_name?: string;
  handoff_reason?: string;
  /** Business fields the page passed: unverified. */
  ext?: Record<string, string>;
  /** Fields the site's signed identity token vouched for. */
  verified?: Record<string, string>;
  epoch: number;
  last_seq: number;
  last_text?: string;
  /** Unix milliseconds. */
  created_at: number;
  /** Unix milliseconds. */
  updated_at: number;
  /** Queue priority, highest first (1 for a VIP customer). */
  priority?: number;
  /** When the conversation last entered the queue (unix ms). */
  queued_at?: number;
  /** The agent the conversation is offered to, until offer_expires_at. */
  offer_agent_id?: string;
  offer_agent_name?: string;
  /** When the offer runs out (unix ms, server clock). */
  offer_expires_at?: number;
  /** Set when the offer is a transfer from that agent (who keeps it until accepted). */
  transfer_from_id?: string;
  /** The customer's rating, 1–5 (absent: not rated). */
  rating?: number;
  rating_comment?: string;
  /** The customer has seen every message up to this seq. */
  customer_read_seq?: number;
  /** The assignee has seen every message up to this seq. */
  agent_read_seq?: number;
  /** Labels agents put on the conversation, sorted (null or absent: none). */
  tags?: string[] | null;
  /** Supervisors who barged in and may write next to the assignee. */
  joined?: Sender[] | null;
  /** When the assignee asked the supervisors for help (unix ms; absent: no request up). */
  assist_at?: number;
  /** When the current assignee got the conversation (unix ms). */
  assigned_at?: number;
  /** When the assignee first replied publicly since (unix ms; absent: not yet). */
  first_reply_at?: number;
  /** When the customer's oldest unanswered message was written (unix ms; absent: none). */
  awaiting_since?: number;
}

/** Why the bot handed over (protocol.Trigger*). */
export type HandoffTrigger =
  | 'asked'
  | 'low_confidence'
  | 'negative_sentiment'
  | 'vip_customer'
  | 'rule'
  | 'bot_unavailable'
  | 'reopened'
  | 'other';

/** What the bot handed over with a conversation (protocol.HandoffPacket). */
export interface HandoffPacket {
  trigger: HandoffTrigger | string;
  reason?: string;
  intent?: string;
  /** The bot's confidence in the intent, 0–1. */
  confidence: number;
  /** The intent named for people by language ("zh", "en"): the entry's first sample question. */
  intent_label?: Record<string, string>;
  locale?: string;
  /** Facts the bot picked out: order_no, email, phone. */
  collected?: Record<string, string>;
  /** The customer's latest messages before the handoff, quoted. */
  summary?: string;
  /** The customer's text messages before the handoff (0 in older packets). */
  customer_messages?: number;
  /** The bot's answers from the knowledge base, and its replies without one. */
  bot_answered?: number;
  bot_unsure?: number;
  previous_agent_id?: string;
  previous_agent_name?: string;
  /** Unix milliseconds. */
  at: number;
}

/** What is known about a customer (protocol.Profile). */
export interface Profile {
  id: string;
  name: string;
  created_at: number;
  /** All of the customer's conversations, this one included. */
  conversations: number;
}

/** One of the customer's other conversations (protocol.PastConversation). */
export interface PastConversation {
  id: string;
  state: ConversationState | string;
  team?: string;
  assignee_name?: string;
  handoff_reason?: string;
  last_text?: string;
  rating?: number;
  created_at: number;
  updated_at: number;
}

/**
 * A note agents keep about a customer (protocol.CustomerNote): it stays with
 * the customer across their conversations and the customer never sees it.
 */
export interface CustomerNote {
  id: string;
  customer_id: string;
  author_id: string;
  author_name: string;
  text: string;
  /** Unix milliseconds. */
  created_at: number;
}

/** The answer of Context (protocol.ContextData). */
export interface ContextData {
  conversation_id: string;
  packet?: HandoffPacket | null;
  customer: Profile;
  ext?: Record<string, string> | null;
  verified?: Record<string, string> | null;
  previous: PastConversation[] | null;
  /** The conversation's tags, sorted. */
  tags?: string[] | null;
  /** Notes about the customer, newest first (at most 50). */
  notes?: CustomerNote[] | null;
}

/** Agent routing statuses (protocol.Status*). */
export type AgentStatus = 'online' | 'away' | 'offline';

/** All agent statuses, in the order the switch lists them. */
export const AGENT_STATUSES: readonly AgentStatus[] = ['online', 'away', 'offline'];

/** An agent as the transfer dialog shows them (protocol.AgentInfo). */
export interface AgentInfo {
  id: string;
  name: string;
  role: Role | string;
  status: AgentStatus | string;
  /** Conversations worked plus offers pending. */
  load: number;
  capacity: number;
  teams: string[] | null;
  skills?: string[];
}

/** A team as the transfer dialog shows it (protocol.TeamInfo). */
export interface TeamInfo {
  id: string;
  name: string;
  skills?: string[];
  queue_length: number;
  agents_online: number;
}

/** The answer of Directory (protocol.DirectoryData). */
export interface DirectoryData {
  agents: AgentInfo[] | null;
  teams: TeamInfo[] | null;
}

/** Where a conversation goes in Transfer: exactly one of agent and team. */
export type TransferTarget = { agentId: string } | { team: string };

/** The server's answer to a send, once the message is durable (protocol.AckData). */
export interface AckData {
  conversation_id: string;
  client_msg_id: string;
  seq: number;
  epoch: number;
  created_at: number;
  duplicate?: boolean;
}

/**
 * Filters of ListConversations (protocol.List*): teams is every worked
 * conversation of a supervisor's teams (an admin's: all).
 */
export type ListFilter = 'mine' | 'queue' | 'teams';

/**
 * The tabs of the conversation list: the two server lists, plus "waiting"
 * (mine, waiting for the customer) and "resolved" (mine, resolved today).
 */
export type ListTab = 'mine' | 'queue' | 'waiting' | 'resolved';

/** The tabs in the order the list shows them. */
export const LIST_TABS: readonly ListTab[] = ['mine', 'queue', 'waiting', 'resolved'];

/** A page of a transcript, oldest first (app.MessagePage). */
export interface MessagePage {
  messages: Message[];
  /** There are older messages before the first. */
  has_more: boolean;
}

/**
 * One answer of SearchMessages (app.SearchHit): a cached message that
 * matches, with its conversation as cached.
 */
export interface SearchHit {
  message: Message;
  conversation: Conversation;
}

/** Connection states reported by the `conn:state` event. */
export type ConnStateName = 'connecting' | 'online' | 'offline';

/** Payload of the `conn:state` event (app.ConnState). */
export interface ConnState {
  state: ConnStateName;
  error?: string;
  /** Messages written but not yet acknowledged by the server (the outbox). */
  pending?: number;
  /** The server's clock minus this machine's (ms), measured at the last welcome. */
  clock_offset_ms?: number;
  /** The agent's routing status as the app keeps it. */
  status?: AgentStatus | string;
}

/** The signed-in agent (app.Session). */
export interface Session {
  server_url: string;
  user: User;
}

/** What the UI needs at start (app.BootState). */
export interface BootState {
  signed_in: boolean;
  session: Session | null;
  default_server_url: string;
  /** The last username signed in with, to prefill the form. */
  default_username?: string;
  conn: ConnState;
}

/** Payload of the `conversation:removed` event: the agent no longer lists it. */
export interface ConversationRemoved {
  conversation_id: string;
}

/** Payload of the `send:failed` event: the server refused a pending message for good. */
export interface SendFailure {
  conversation_id: string;
  client_msg_id: string;
  code: string;
  message: string;
}

/** Payload of the `session:ended` event. */
export interface SessionEnded {
  reason: string;
}

/** A team's service-level thresholds in ms, 0 meaning none (protocol.SLA). */
export interface SLA {
  first_response_ms: number;
  wait_ms: number;
  next_response_ms: number;
}

/** A team's queue at one moment (protocol.FloorSample). */
export interface FloorSample {
  at: number;
  queue: number;
  longest_wait_ms: number;
}

/** One team's figures on the floor (protocol.FloorTeam). */
export interface FloorTeam {
  id: string;
  name: string;
  sla: SLA;
  queue: number;
  longest_wait_ms: number;
  median_wait_ms: number;
  /** Queued conversations waiting longer than sla.wait_ms. */
  queue_over_sla: number;
  /** Worked conversations past the first or next response threshold. */
  response_over_sla: number;
  offers_out: number;
  agents_online: number;
  agents_away: number;
  agents_offline: number;
  load: number;
  capacity: number;
  missed_offers: number;
  /** Conversations whose agent asked for help, unanswered. */
  assists: number;
  /** The queue over the last hour, oldest first, about once a minute. */
  history: FloorSample[];
}

/** A conversation an agent works, as the floor shows it (protocol.FloorConversation). */
export interface FloorConversation {
  id: string;
  customer_name: string;
  state: ConversationState | string;
  team?: string;
  /** How long the customer's oldest unanswered message has waited (0: none). */
  awaiting_ms: number;
  /** How long the assignee took (responded) or has been taking to first reply. */
  first_response_ms: number;
  responded: boolean;
  /** Thresholds it is past: "first_response", "next_response". */
  over_sla?: string[] | null;
  monitored?: boolean;
  assist?: boolean;
}

/** One agent on the floor (protocol.FloorAgent). */
export interface FloorAgent {
  id: string;
  name: string;
  role: Role | string;
  teams: string[];
  status: AgentStatus | string;
  /** Since when (unix ms; absent or 0: unknown). */
  status_since?: number;
  load: number;
  capacity: number;
  missed_offers: number;
  /** The server set the agent away for missing offers. */
  auto_away?: boolean;
  conversations: FloorConversation[];
}

/** The floor at `at` (protocol.FloorData): complete each time. */
export interface FloorData {
  at: number;
  teams: FloorTeam[];
  agents: FloorAgent[];
}

/** Who monitors a conversation now (protocol.MonitorState). */
export interface MonitorState {
  conversation_id: string;
  monitors: Sender[];
}

/** The draft of the agent of a monitored conversation (protocol.DraftPush). */
export interface DraftPush {
  conversation_id: string;
  sender: Sender;
  text: string;
  at: number;
}

/** An agent asking for help (active) or no longer (protocol.AssistPush). */
export interface AssistPush {
  conversation_id: string;
  team?: string;
  agent: Sender;
  customer_name?: string;
  active: boolean;
  answerer?: string;
  at: number;
}

/** A status the server set on its own (protocol.StatusData with a reason). */
export interface StatusPush {
  status: AgentStatus | string;
  /** missed_offers: set away after letting offers expire. */
  reason?: string;
}
