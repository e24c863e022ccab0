// Wire types of the Switchboard protocol, mirrored from protocol/*.go.
// Field names are the JSON names used on the wire (snake_case).

/** Protocol version named in hello. */
export const PROTOCOL_VERSION = 1;

/** Limits the server enforces; checked here first to give a quick answer. */
export const MAX_TEXT_RUNES = 4000;

/** The longest rating comment, in characters (protocol.MaxRatingCommentRunes). */
export const MAX_RATING_COMMENT_RUNES = 1000;

/** Limits of a message's ext the server enforces (protocol.MaxExtKeys, MaxExtValueLen). */
export const MAX_EXT_KEYS = 32;
export const MAX_EXT_VALUE_LEN = 512;

/** Ext keys of a message left while no agent is available (protocol.ExtLeftMessage, ExtContact). */
export const EXT_LEFT_MESSAGE = 'left_message';
export const EXT_CONTACT = 'contact';

/** Conversation states (protocol.State*). */
export const ConversationState = {
  Bot: 'bot',
  Queued: 'queued',
  Active: 'active',
  WaitingCustomer: 'waiting_customer',
  Resolved: 'resolved',
  Closed: 'closed',
} as const;

/**
 * Every event type the server writes (protocol.Event*, same order). A
 * client shows one it does not know as a neutral line.
 */
export const EVENT_TYPES = [
  'opened',
  'handoff',
  'assigned',
  'waiting',
  'resumed',
  'resolved',
  'closed',
  'reopened',
  'transferred',
  'handed_back',
  'offered',
  'declined',
  'offer_expired',
  'transfer_requested',
  'transfer_accepted',
  'rated',
  'card_action',
  // protocol/supervise.go
  'joined',
  'left',
  'taken_over',
  'reassigned',
  'assist_raised',
  'assist_answered',
  'assist_lowered',
] as const;

/** A known event type. */
export type EventType = (typeof EVENT_TYPES)[number];

/** Every error code the server may send (protocol/errors.go, same order). */
export const ERROR_CODES = [
  'malformed_frame',
  'unknown_type',
  'invalid_request',
  'frame_too_large',
  'text_too_long',
  'unsupported_version',
  'hello_required',
  'already_authenticated',
  'unauthenticated',
  'token_expired',
  'bad_credentials',
  'refresh_reused',
  'account_disabled',
  'identity_invalid',
  'identity_expired',
  'forbidden',
  'not_found',
  'illegal_transition',
  'conflict',
  'at_capacity',
  'target_unavailable',
  'file_too_large',
  'type_not_allowed',
  'upload_not_found',
  'invalid_card',
  'rate_limited',
  'internal',
  'unavailable',
  'quota_exceeded',
] as const;

/** A protocol error code. */
export type ErrorCode = (typeof ERROR_CODES)[number];

/** WebSocket close codes the server uses (protocol/errors.go). */
export const CloseCode = {
  Shutdown: 4000,
  SlowConsumer: 4001,
  Unauthorized: 4500,
  Protocol: 4501,
} as const;

/** Frame is the envelope of every frame. */
export interface Frame<T = unknown> {
  type: string;
  id?: string;
  data?: T;
  error?: WireError;
}

/** WireError is a coded error as it crosses the wire. */
export interface WireError {
  code: string;
  message: string;
  retryable: boolean;
}

/** HelloData authenticates the connection. */
export interface HelloData {
  protocol: number;
  token: string;
  client?: string;
  locale?: string;
  resume?: Record<string, number>;
}

/** User is an authenticated participant. */
export interface User {
  id: string;
  role: string;
  name: string;
  teams?: string[];
}

/** WelcomeData answers hello. */
export interface WelcomeData {
  session_id: string;
  user: User;
  server_time: number;
  heartbeat_ms: number;
  conversations: Conversation[] | null;
}

/** OpenData asks for the customer's open conversation. */
export interface OpenData {
  ext?: Record<string, string>;
  locale?: string;
}

/** Message kinds (protocol.Kind*). */
export const MessageKind = {
  Text: 'text',
  Event: 'event',
  Image: 'image',
  File: 'file',
  Voice: 'voice',
  Card: 'card',
} as const;

/** AttachmentKind is a kind of message that carries an upload. */
export type AttachmentKind = 'image' | 'file' | 'voice';

/** SendData posts a message. */
export interface SendData {
  conversation_id: string;
  client_msg_id: string;
  kind: string;
  text?: string;
  /** The finished upload an image, file or voice message carries. */
  attachment_id?: string;
  visibility?: string;
  ext?: Record<string, string>;
}

/** Attachment describes a stored file as a message carries it (protocol.Attachment). */
export interface Attachment {
  id: string;
  name: string;
  size: number;
  /** The type the server sniffed from the content. */
  mime: string;
  width?: number;
  height?: number;
  duration_ms?: number;
  has_thumb?: boolean;
}

/** Card is structured content of a registered type and version (protocol.Card). */
export interface Card {
  type: string;
  version: number;
  data: unknown;
  fallback?: string;
}

/** Card types and actions the widget knows (protocol/cards.go). */
export const CardType = {
  Product: 'product',
  OrderStatus: 'order_status',
  RatingForm: 'rating_form',
} as const;

export const CardAction = {
  View: 'view',
  Buy: 'buy',
  Submit: 'submit',
} as const;

/** CardActionData is the customer acting on the card message card_seq. */
export interface CardActionData {
  conversation_id: string;
  client_msg_id: string;
  card_seq: number;
  action: string;
  values?: Record<string, unknown>;
}

/** HTTP paths of files (docs/protocol.md "Files"). */
export const UPLOADS_PATH = '/api/v1/uploads/';
export const FILES_PATH = '/api/v1/files/';

/** AckData answers send once the message is durably stored. */
export interface AckData {
  conversation_id: string;
  client_msg_id: string;
  seq: number;
  epoch: number;
  created_at: number;
  duplicate?: boolean;
}

/** SyncData reads messages with seq > after_seq. */
export interface SyncData {
  conversation_id: string;
  after_seq: number;
  limit?: number;
}

/** HistoryData answers sync. */
export interface HistoryData {
  conversation_id: string;
  epoch: number;
  messages: Message[] | null;
  has_more: boolean;
}

/** Sender says who wrote a message. */
export interface Sender {
  role: string;
  id?: string;
  name?: string;
}

/** Event is the body of an event message. */
export interface ConversationEvent {
  type: string;
  from?: string;
  to?: string;
  reason?: string;
  actor?: string;
  /** The fields of a card_action event. */
  card_seq?: number;
  card_type?: string;
  action?: string;
  values?: Record<string, unknown>;
}

/** Message is one stored message of a conversation. */
export interface Message {
  conversation_id: string;
  seq: number;
  client_msg_id: string;
  sender: Sender;
  kind: string;
  visibility: string;
  text?: string;
  event?: ConversationEvent;
  /** The file of an image, file or voice message. */
  attachment?: Attachment;
  /** The content of a card message. */
  card?: Card;
  ext?: Record<string, string>;
  /** Answers the bot suggests, shown as buttons under its newest message. */
  quick_replies?: string[];
  created_at: number;
}

/** Conversation is a conversation's current state. */
export interface Conversation {
  id: string;
  customer_id: string;
  customer_name: string;
  channel: string;
  state: string;
  team?: string;
  assignee_id?: string;
  assignee_name?: string;
  handoff_reason?: string;
  ext?: Record<string, string>;
  epoch: number;
  last_seq: number;
  last_text?: string;
  /** Highest first; omitted when zero. */
  priority?: number;
  /** When it last entered the queue; omitted when zero. */
  queued_at?: number;
  offer_agent_id?: string;
  offer_agent_name?: string;
  offer_expires_at?: number;
  transfer_from_id?: string;
  /** The customer's score, 1–5; absent or 0 while not rated. */
  rating?: number;
  rating_comment?: string;
  created_at: number;
  updated_at: number;
}

/**
 * QueueInfo is pushed to a customer while their conversation is queued.
 * position 1 is next; expected_wait_ms 0 means no estimate; open false means
 * nobody can take it now (business_hours false: outside business hours).
 */
export interface QueueInfo {
  conversation_id: string;
  position: number;
  expected_wait_ms: number;
  agents_online: number;
  open: boolean;
  business_hours: boolean;
}

/** RateData is the customer's rating of a resolved conversation. */
export interface RateData {
  conversation_id: string;
  score: number;
  comment?: string;
}

/** VisitorResponse is the body of POST /api/v1/visitor. */
export interface VisitorResponse {
  token: string;
  visitor_id: string;
  expires_at: number;
  /** verified is true when the token is for a signed identity. */
  verified?: boolean;
}
