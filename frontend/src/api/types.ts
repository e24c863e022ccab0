// Types of the desktop app. The wire types are generated from package
// protocol (protocol.gen.ts, `make types`) and re-exported here under the
// names the app uses; the rest are the JSON shapes of the bound Go methods
// and events (package app).

import { AgentStatus, ConversationState } from './protocol.gen';
import type { Conversation, Message, StatusData, User } from './protocol.gen';

export {
  AgentStatus,
  ConversationState,
  EventType,
  HandoffTrigger,
  ListFilter,
  MessageKind,
  Role,
  Visibility,
} from './protocol.gen';
export type {
  AckData,
  AgentInfo,
  AssistPush,
  Attachment,
  BotReport,
  CannedChange,
  CannedEditData,
  CannedList,
  CannedResponse as SharedCanned,
  CannedText,
  Card,
  ContextData,
  Conversation,
  CustomerNote,
  DirectoryData,
  DraftPush,
  Event as ConversationEvent,
  FloorAgent,
  FloorConversation,
  FloorData,
  FloorSample,
  FloorTeam,
  HandoffPacket,
  KBData,
  KBEditData,
  KBEntry,
  KBQuestions,
  KBSuggestion,
  KBText,
  KBVersion,
  Message,
  MissDraft,
  MissGroup,
  MissQuestion,
  MonitorState,
  PastConversation,
  Profile,
  Sender,
  SLA,
  TeamInfo,
  User,
} from './protocol.gen';

/** All conversation states, in lifecycle order. */
export const CONVERSATION_STATES: readonly ConversationState[] = Object.values(ConversationState);

/** All agent statuses, in the order the switch lists them. */
export const AGENT_STATUSES: readonly AgentStatus[] = Object.values(AgentStatus);

/** A status the server set on its own (protocol.StatusData with a reason). */
export type StatusPush = StatusData;

/** Where a conversation goes in Transfer: exactly one of agent and team. */
export type TransferTarget = { agentId: string } | { team: string };

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
  /**
   * True when the managed policy locks the server: default_server_url is
   * then the only one SignIn uses.
   */
  server_url_locked?: boolean;
  /** The last username signed in with, to prefill the form. */
  default_username?: string;
  conn: ConnState;
  /**
   * The signed-in agent's conversation lists, by filter, as
   * ListConversations gives them ("mine" and "queue", and "teams" for a
   * supervisor), so the workspace is drawn with them; a list left out is
   * asked for as usual.
   */
  lists?: { [filter in string]?: Conversation[] };
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
