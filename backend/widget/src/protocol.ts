// Wire types of the Switchboard protocol, mirrored from protocol/*.go.
// Field names are the JSON names used on the wire (snake_case).

/** Protocol version named in hello. */
export const PROTOCOL_VERSION = 1;

/** Limits the server enforces; checked here first to give a quick answer. */
export const MAX_TEXT_RUNES = 4000;

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
  'forbidden',
  'not_found',
  'illegal_transition',
  'conflict',
  'at_capacity',
  'target_unavailable',
  'rate_limited',
  'internal',
  'unavailable',
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

/** SendData posts a message. */
export interface SendData {
  conversation_id: string;
  client_msg_id: string;
  kind: string;
  text?: string;
  visibility?: string;
  ext?: Record<string, string>;
}

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
  created_at: number;
  updated_at: number;
}

/** VisitorResponse is the body of POST /api/v1/visitor. */
export interface VisitorResponse {
  token: string;
  visitor_id: string;
  expires_at: number;
}
