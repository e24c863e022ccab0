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
export type MessageKind = 'text' | 'event';

/** Message visibilities (protocol.Visibility*). */
export type Visibility = 'public' | 'internal';

/** Event types of an `event` message (protocol.Event*). */
export type EventType = 'opened' | 'handoff' | 'assigned' | 'resolved';

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
  ext?: Record<string, string>;
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
}

/** The server's answer to a send, once the message is durable (protocol.AckData). */
export interface AckData {
  conversation_id: string;
  client_msg_id: string;
  seq: number;
  epoch: number;
  created_at: number;
  duplicate?: boolean;
}

/** Filters of ListConversations (protocol.List*). */
export type ListFilter = 'mine' | 'queue';

/** Connection states reported by the `conn:state` event. */
export type ConnStateName = 'connecting' | 'online' | 'offline';

/** Payload of the `conn:state` event (app.ConnState). */
export interface ConnState {
  state: ConnStateName;
  error?: string;
  /** Messages written but not yet acknowledged by the server (the outbox). */
  pending?: number;
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
