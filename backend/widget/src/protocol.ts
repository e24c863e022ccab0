// Wire types of the Switchboard protocol. They are generated from package
// protocol (protocol.gen.ts, `make types`) and re-exported here under the
// names the widget uses; the few below that are not in the Go package are
// kept by hand.

import {
  ExtKey,
  EventType,
  MaxExtKeys,
  MaxExtValueLen,
  MaxRatingCommentRunes,
  MaxTextRunes,
  Version,
} from './protocol.gen';

export {
  CardAction,
  CardType,
  CloseCode,
  ConversationState,
  ERROR_CODES,
  EventType,
  MessageKind,
  ReconnectBaseMS,
  ReconnectMaxMS,
  type ErrorCode,
} from './protocol.gen';
export type {
  AckData,
  Attachment,
  BotFeedbackData,
  Card,
  CardActionData,
  Conversation,
  Event as ConversationEvent,
  Frame,
  HelloData,
  HistoryData,
  Message,
  OpenData,
  QueueInfo,
  RateData,
  SendData,
  Sender,
  SyncData,
  User,
  WelcomeData,
  WireError,
} from './protocol.gen';

/** Protocol version named in hello. */
export const PROTOCOL_VERSION = Version;

/** Limits the server enforces; checked here first to give a quick answer. */
export const MAX_TEXT_RUNES = MaxTextRunes;

/** The longest rating comment, in characters (protocol.MaxRatingCommentRunes). */
export const MAX_RATING_COMMENT_RUNES = MaxRatingCommentRunes;

/** Limits of a message's ext the server enforces (protocol.MaxExtKeys, MaxExtValueLen). */
export const MAX_EXT_KEYS = MaxExtKeys;
export const MAX_EXT_VALUE_LEN = MaxExtValueLen;

/** Ext keys of a message left while no agent is available (protocol.ExtLeftMessage, ExtContact). */
export const EXT_LEFT_MESSAGE = ExtKey.LeftMessage;
export const EXT_CONTACT = ExtKey.Contact;

/**
 * Ext key of a bot answer from the knowledge base: the entry's id. The
 * customer may say whether such an answer helped (bot_feedback).
 */
export const EXT_KB_ENTRY = 'kb_entry';

/**
 * Every event type the server writes (protocol.Event*, same order). A
 * client shows one it does not know as a neutral line.
 */
export const EVENT_TYPES: readonly EventType[] = Object.values(EventType);

/** AttachmentKind is a kind of message that carries an upload. */
export type AttachmentKind = 'image' | 'file' | 'voice';

/** HTTP paths of files (docs/protocol.md "Files"). */
export const UPLOADS_PATH = '/api/v1/uploads/';
export const FILES_PATH = '/api/v1/files/';

/** VisitorResponse is the body of POST /api/v1/visitor. */
export interface VisitorResponse {
  token: string;
  visitor_id: string;
  expires_at: number;
  /** verified is true when the token is for a signed identity. */
  verified?: boolean;
}
