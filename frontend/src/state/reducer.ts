// The workstation's state and its one reducer. Every change of connection,
// session, conversations and messages goes through reduce(); async results
// carry the session generation (and list request id) they were started
// under, and stale ones are dropped here.

import type {
  AckData,
  BootState,
  ConnState,
  ContextData,
  Conversation,
  CustomerNote,
  AssistPush,
  DraftPush,
  FloorData,
  ListFilter,
  ListTab,
  Message,
  MonitorState,
  SendFailure,
  Session,
  StatusPush,
  User,
} from '../api/types';
import {
  applyAck,
  emptyMessageList,
  markFailed,
  mergeMessages,
  type MessageList,
} from './messages';
import {
  applyAssist,
  applyDraft,
  applyFloor,
  applyMonitorState,
  dropNotice,
  initialSupervision,
  noticeConversation,
  noticeEvent,
  type SupervisionState,
} from './supervision';

/** The main views: the conversations, or (supervisors) the floor, bot report or canned responses. */
export type View = 'conversations' | 'floor' | 'botreport' | 'canned';

/** Start-up progress. */
export type BootStatus =
  { status: 'loading' } | { status: 'ready' } | { status: 'failed'; code: string; message: string };

/** Loading state of a conversation's transcript. */
export type TranscriptStatus =
  | { status: 'loading' }
  | {
      status: 'loaded';
      /** There are older messages than the first loaded one. */
      hasMore: boolean;
      /** Loading the page before the first loaded message. */
      older: OlderStatus;
    }
  | { status: 'failed'; code: string; message: string };

/** Loading state of a transcript's older page (scrollback). */
export type OlderStatus = 'idle' | 'loading' | { failed: string };

/** Loading state of a conversation's context (handoff packet, profile, history). */
export type ContextStatus =
  | { status: 'loading' }
  | { status: 'loaded'; data: ContextData }
  | { status: 'failed'; code: string; message: string };

/**
 * A message to bring into view in its conversation (a search result): by
 * seq, or by client_msg_id while it is pending. nonce tells two requests
 * for the same message apart.
 */
export interface JumpTarget {
  readonly id: string;
  readonly seq: number;
  readonly clientMsgId: string;
  readonly nonce: number;
}

/** The whole UI state. */
export interface State {
  readonly boot: BootStatus;
  readonly defaultServerUrl: string;
  readonly defaultUsername: string;
  readonly session: Session | null;
  /** Bumped on every sign-in and sign-out; results of older generations are dropped. */
  readonly gen: number;
  /** Why the last session ended by itself (token rejected), for the sign-in screen. */
  readonly endedReason: string | null;
  readonly conn: ConnState;
  readonly conversations: Readonly<Record<string, Conversation>>;
  /** The latest ListConversations request id per filter; older answers are dropped. */
  readonly listRequests: Readonly<Partial<Record<ListFilter, number>>>;
  readonly messages: Readonly<Record<string, MessageList>>;
  readonly transcripts: Readonly<Record<string, TranscriptStatus>>;
  readonly contexts: Readonly<Record<string, ContextStatus>>;
  readonly selectedId: string | null;
  /**
   * Conversations opened from outside the lists (a search result), as the
   * local cache had them. They never join a list: their cached state may be
   * old; the selected conversation falls back to them.
   */
  readonly found: Readonly<Record<string, Conversation>>;
  /** The message the open conversation should scroll to, until it has. */
  readonly jump: JumpTarget | null;
  readonly tab: ListTab;
  /**
   * Read cursors the agent moved in this session, by conversation: they
   * count at once, before the server's conversation push catches up.
   */
  readonly readSeqs: Readonly<Record<string, number>>;
  /**
   * The view shown: conversations, or the floor or the bot report
   * (supervisors and admins).
   */
  readonly view: View;
  /** Supervision: floor, monitors, drafts, requests for help, notices. */
  readonly sup: SupervisionState;
}

/** The state before Bootstrap answers. */
export const initialState: State = {
  boot: { status: 'loading' },
  defaultServerUrl: '',
  defaultUsername: '',
  session: null,
  gen: 0,
  endedReason: null,
  conn: { state: 'offline' },
  conversations: {},
  listRequests: {},
  messages: {},
  transcripts: {},
  contexts: {},
  selectedId: null,
  found: {},
  jump: null,
  tab: 'mine',
  readSeqs: {},
  view: 'conversations',
  sup: initialSupervision,
};

/** Everything that can happen to the state. */
export type Action =
  | { type: 'booted'; boot: BootState }
  | { type: 'bootFailed'; code: string; message: string }
  | { type: 'signedIn'; session: Session }
  /** An admin changed the signed-in user's role, teams or name. */
  | { type: 'user'; user: User }
  | { type: 'signedOut'; reason?: string }
  | { type: 'conn'; conn: ConnState }
  | { type: 'listRequested'; filter: ListFilter; reqId: number }
  | {
      type: 'listLoaded';
      filter: ListFilter;
      reqId: number;
      gen: number;
      conversations: Conversation[];
    }
  | { type: 'conversation'; conv: Conversation; gen?: number }
  | { type: 'conversationRemoved'; id: string }
  | { type: 'transcriptRequested'; id: string }
  | { type: 'transcriptLoaded'; id: string; gen: number; messages: Message[]; hasMore?: boolean }
  | { type: 'olderRequested'; id: string }
  | { type: 'olderLoaded'; id: string; gen: number; messages: Message[]; hasMore: boolean }
  | { type: 'olderFailed'; id: string; gen: number; code: string }
  | { type: 'readLocal'; id: string; seq: number }
  | { type: 'readFailed'; id: string; seq: number }
  | { type: 'resolvedLoaded'; gen: number; conversations: Conversation[] }
  | { type: 'transcriptFailed'; id: string; gen: number; code: string; message: string }
  /** A page loaded ahead failed: the transcript is as if never asked for. */
  | { type: 'prefetchFailed'; id: string; gen: number }
  | { type: 'contextRequested'; id: string }
  | { type: 'contextLoaded'; id: string; gen: number; data: ContextData }
  | { type: 'contextFailed'; id: string; gen: number; code: string; message: string }
  | { type: 'customerNoteAdded'; id: string; gen: number; note: CustomerNote }
  | { type: 'status'; status: string; gen: number }
  | { type: 'message'; message: Message; gen?: number }
  | { type: 'ack'; ack: AckData }
  | { type: 'sendFailed'; failure: SendFailure }
  | { type: 'select'; id: string | null }
  | {
      type: 'jump';
      gen: number;
      /** The conversation as the search found it, used while no list holds it. */
      conv?: Conversation;
      message: Message;
      nonce: number;
    }
  | { type: 'jumpDone'; nonce: number }
  | { type: 'tab'; tab: ListTab }
  | { type: 'view'; view: View }
  | { type: 'floor'; floor: FloorData; gen?: number }
  | { type: 'floorFailed'; code: string; message: string; gen: number }
  | { type: 'monitorState'; state: MonitorState; gen?: number }
  | { type: 'draft'; draft: DraftPush }
  | { type: 'assist'; push: AssistPush }
  | { type: 'statusPush'; push: StatusPush }
  | { type: 'dismissNotice'; id: string }
  /**
   * Opens a conversation from the floor: conv is what the floor knows of it,
   * used while no list holds it.
   */
  | { type: 'openFloor'; conv: Conversation };

const OPEN_MINE: ReadonlySet<string> = new Set(['active', 'waiting_customer']);

/**
 * Reports whether conv is offered to me and the offer is still open: a
 * routing offer (queued) or a transfer from another agent (active or waiting).
 */
export function isOfferedToMe(conv: Conversation, me: string | undefined): boolean {
  return (
    me !== undefined &&
    conv.offer_agent_id === me &&
    (conv.state === 'queued' || OPEN_MINE.has(conv.state))
  );
}

/** Reports whether conv is a transfer offered to me (it stays its sender's until I accept). */
export function isTransferOfferedToMe(conv: Conversation, me: string | undefined): boolean {
  return isOfferedToMe(conv, me) && OPEN_MINE.has(conv.state);
}

/**
 * Reports whether conv belongs to the "mine" list of user me: open ones,
 * transfers offered to me, and ones resolved in this session (they stay
 * visible until the list refreshes).
 */
export function isMine(conv: Conversation, me: string | undefined): boolean {
  return (
    (me !== undefined &&
      conv.assignee_id === me &&
      (OPEN_MINE.has(conv.state) || conv.state === 'resolved')) ||
    isTransferOfferedToMe(conv, me)
  );
}

/** Reports whether conv is open and assigned to me. */
export function isOpenMine(conv: Conversation, me: string | undefined): boolean {
  return me !== undefined && conv.assignee_id === me && OPEN_MINE.has(conv.state);
}

/** Reports whether conv belongs to the queue. */
export function isQueued(conv: Conversation): boolean {
  return conv.state === 'queued';
}

/** Reports whether incoming is not older than current. */
function isNewer(incoming: Conversation, current: Conversation | undefined): boolean {
  if (!current) return true;
  if (incoming.epoch !== current.epoch) return incoming.epoch > current.epoch;
  if (incoming.updated_at !== current.updated_at) return incoming.updated_at > current.updated_at;
  return incoming.last_seq >= current.last_seq;
}

/** upsert of many conversations, copying the state and its map once. */
function upsertAll(state: State, convs: Conversation[]): State {
  let conversations: Record<string, Conversation> | null = null;
  let next = state;
  for (const conv of convs) {
    const current = (conversations ?? next.conversations)[conv.id];
    if (!isNewer(conv, current)) continue;
    if (current && conv.epoch > current.epoch) {
      // Rare: history reset on the server; the one-by-one path forgets
      // the transcript too.
      if (conversations) next = { ...next, conversations };
      next = upsert(next, conv);
      conversations = null;
      continue;
    }
    conversations ??= { ...next.conversations };
    conversations[conv.id] = conv;
  }
  return conversations ? { ...next, conversations } : next;
}

function upsert(state: State, conv: Conversation): State {
  const current = state.conversations[conv.id];
  if (!isNewer(conv, current)) return state;
  const next: State = { ...state, conversations: { ...state.conversations, [conv.id]: conv } };
  // History was reset on the server: what we hold no longer matches; reload.
  return current && conv.epoch > current.epoch ? forgetTranscript(next, conv.id) : next;
}

function forgetTranscript(state: State, id: string): State {
  const messages = { ...state.messages };
  const transcripts = { ...state.transcripts };
  delete messages[id];
  delete transcripts[id];
  return { ...state, messages, transcripts };
}

function updateMessages(state: State, id: string, f: (l: MessageList) => MessageList): State {
  const before = state.messages[id] ?? emptyMessageList;
  const after = f(before);
  return after === before ? state : { ...state, messages: { ...state.messages, [id]: after } };
}

/** The most notes a context holds, as the server sends them (protocol.MaxContextNotes). */
export const MAX_CONTEXT_NOTES = 50;

/**
 * Puts a new note first in the loaded context of the conversation it was
 * written from and of every other conversation of the same customer: notes
 * belong to the customer, not to one conversation.
 */
function addCustomerNote(state: State, convId: string, note: CustomerNote): State {
  let contexts: Record<string, ContextStatus> | null = null;
  for (const [id, ctx] of Object.entries(state.contexts)) {
    if (ctx.status !== 'loaded') continue;
    const sameCustomer = note.customer_id !== '' && ctx.data.customer.id === note.customer_id;
    if (id !== convId && !sameCustomer) continue;
    const notes = ctx.data.notes ?? [];
    if (notes.some((n) => n.id === note.id)) continue;
    contexts ??= { ...state.contexts };
    contexts[id] = {
      status: 'loaded',
      data: { ...ctx.data, notes: [note, ...notes].slice(0, MAX_CONTEXT_NOTES) },
    };
  }
  return contexts ? { ...state, contexts } : state;
}

/** Applies action to state. */
export function reduce(state: State, action: Action): State {
  switch (action.type) {
    case 'booted': {
      const b = action.boot;
      const session = b.signed_in ? b.session : null;
      const booted: State = {
        ...state,
        boot: { status: 'ready' },
        defaultServerUrl: b.default_server_url,
        defaultUsername: b.default_username ?? '',
        session,
        gen: session ? state.gen + 1 : state.gen,
        conn: b.conn,
      };
      // The lists that came with the boot state: the workspace is drawn
      // with them.
      if (!session || !b.lists) return booted;
      return upsertAll(
        booted,
        Object.values(b.lists).flatMap((l) => l ?? []),
      );
    }
    case 'bootFailed':
      return { ...state, boot: { status: 'failed', code: action.code, message: action.message } };
    case 'signedIn':
      return {
        ...state,
        session: action.session,
        gen: state.gen + 1,
        endedReason: null,
        defaultServerUrl: action.session.server_url || state.defaultServerUrl,
      };
    case 'user':
      if (!state.session || state.session.user.id !== action.user.id) return state;
      return {
        ...state,
        session: { ...state.session, user: { ...action.user, teams: action.user.teams ?? [] } },
      };
    case 'signedOut':
      return {
        ...initialState,
        boot: state.boot,
        defaultServerUrl: state.session?.server_url || state.defaultServerUrl,
        defaultUsername: state.defaultUsername,
        gen: state.gen + 1,
        endedReason: action.reason ?? null,
      };
    case 'conn':
      return { ...state, conn: action.conn };
    case 'listRequested':
      return { ...state, listRequests: { ...state.listRequests, [action.filter]: action.reqId } };
    case 'listLoaded': {
      if (action.gen !== state.gen || state.listRequests[action.filter] !== action.reqId) {
        return state;
      }
      return upsertAll(state, action.conversations);
    }
    case 'conversation': {
      if (!state.session || (action.gen !== undefined && action.gen !== state.gen)) return state;
      const before = state.conversations[action.conv.id];
      const next = upsert(state, action.conv);
      if (next === state) return state;
      const sup = noticeConversation(state.sup, before, action.conv, state.session.user.id);
      return sup === state.sup ? next : { ...next, sup };
    }
    case 'conversationRemoved': {
      if (!state.conversations[action.id] && !state.found[action.id]) return state;
      const conversations = { ...state.conversations };
      const found = { ...state.found };
      delete conversations[action.id];
      delete found[action.id];
      return { ...state, conversations, found };
    }
    case 'transcriptRequested':
      return {
        ...state,
        transcripts: { ...state.transcripts, [action.id]: { status: 'loading' } },
      };
    case 'transcriptLoaded': {
      if (action.gen !== state.gen) return state;
      const next = updateMessages(state, action.id, (l) => mergeMessages(l, action.messages));
      return {
        ...next,
        transcripts: {
          ...next.transcripts,
          [action.id]: { status: 'loaded', hasMore: Boolean(action.hasMore), older: 'idle' },
        },
      };
    }
    case 'olderRequested': {
      const ts = state.transcripts[action.id];
      if (ts?.status !== 'loaded') return state;
      return {
        ...state,
        transcripts: { ...state.transcripts, [action.id]: { ...ts, older: 'loading' } },
      };
    }
    case 'olderLoaded': {
      const ts = state.transcripts[action.id];
      if (action.gen !== state.gen || ts?.status !== 'loaded') return state;
      const next = updateMessages(state, action.id, (l) => mergeMessages(l, action.messages));
      return {
        ...next,
        transcripts: {
          ...next.transcripts,
          [action.id]: { status: 'loaded', hasMore: action.hasMore, older: 'idle' },
        },
      };
    }
    case 'olderFailed': {
      const ts = state.transcripts[action.id];
      if (action.gen !== state.gen || ts?.status !== 'loaded') return state;
      return {
        ...state,
        transcripts: {
          ...state.transcripts,
          [action.id]: { ...ts, older: { failed: action.code } },
        },
      };
    }
    case 'readLocal':
      if ((state.readSeqs[action.id] ?? 0) >= action.seq) return state;
      return { ...state, readSeqs: { ...state.readSeqs, [action.id]: action.seq } };
    case 'readFailed': {
      // Only the mark that failed is forgotten; a newer one stands.
      if (state.readSeqs[action.id] !== action.seq) return state;
      const readSeqs = { ...state.readSeqs };
      delete readSeqs[action.id];
      return { ...state, readSeqs };
    }
    case 'resolvedLoaded':
      if (action.gen !== state.gen) return state;
      return action.conversations.reduce(upsert, state);
    case 'transcriptFailed':
      if (action.gen !== state.gen) return state;
      return {
        ...state,
        transcripts: {
          ...state.transcripts,
          [action.id]: { status: 'failed', code: action.code, message: action.message },
        },
      };
    case 'prefetchFailed': {
      if (action.gen !== state.gen || state.transcripts[action.id]?.status !== 'loading') {
        return state;
      }
      const transcripts = { ...state.transcripts };
      delete transcripts[action.id];
      return { ...state, transcripts };
    }
    case 'contextRequested':
      return { ...state, contexts: { ...state.contexts, [action.id]: { status: 'loading' } } };
    case 'contextLoaded':
      if (action.gen !== state.gen) return state;
      return {
        ...state,
        contexts: { ...state.contexts, [action.id]: { status: 'loaded', data: action.data } },
      };
    case 'contextFailed':
      if (action.gen !== state.gen) return state;
      return {
        ...state,
        contexts: {
          ...state.contexts,
          [action.id]: { status: 'failed', code: action.code, message: action.message },
        },
      };
    case 'customerNoteAdded':
      if (action.gen !== state.gen) return state;
      return addCustomerNote(state, action.id, action.note);
    case 'status':
      if (action.gen !== state.gen) return state;
      return {
        ...state,
        conn: { ...state.conn, status: action.status },
        sup: state.sup.autoAway ? { ...state.sup, autoAway: false } : state.sup,
      };
    case 'message': {
      if (!state.session || (action.gen !== undefined && action.gen !== state.gen)) return state;
      const m = action.message;
      const next = updateMessages(state, m.conversation_id, (l) => mergeMessages(l, [m]));
      if (m.kind !== 'event' || next === state) return next;
      const u = state.session.user;
      const sup = noticeEvent(state.sup, m, state.conversations[m.conversation_id], u.id, u.name);
      return sup === state.sup ? next : { ...next, sup };
    }
    case 'ack':
      if (!state.session) return state;
      return updateMessages(state, action.ack.conversation_id, (l) => applyAck(l, action.ack));
    case 'sendFailed': {
      if (!state.session) return state;
      const f = action.failure;
      return updateMessages(state, f.conversation_id, (l) =>
        markFailed(l, f.client_msg_id, { code: f.code, message: f.message }),
      );
    }
    case 'select':
      // Choosing another conversation drops a jump that has not arrived.
      // A conversation chosen from anywhere (a notification, a notice) is
      // shown: the floor gives way.
      return {
        ...state,
        selectedId: action.id,
        jump: state.jump && state.jump.id !== action.id ? null : state.jump,
        view: action.id ? 'conversations' : state.view,
      };
    case 'jump': {
      if (!state.session || action.gen !== state.gen) return state;
      const m = action.message;
      const id = m.conversation_id;
      const c = action.conv;
      const found =
        c && c.id === id && isNewer(c, state.found[id]) ? { ...state.found, [id]: c } : state.found;
      return {
        ...state,
        found,
        selectedId: id,
        jump: { id, seq: m.seq, clientMsgId: m.client_msg_id, nonce: action.nonce },
        view: 'conversations',
      };
    }
    case 'jumpDone':
      return state.jump?.nonce === action.nonce ? { ...state, jump: null } : state;
    case 'tab':
      return { ...state, tab: action.tab, view: 'conversations' };
    case 'view':
      return { ...state, view: action.view };
    case 'floor':
      if (!state.session || (action.gen !== undefined && action.gen !== state.gen)) return state;
      if (state.sup.floor && state.sup.floor.at > action.floor.at) return state;
      return { ...state, sup: applyFloor(state.sup, action.floor) };
    case 'floorFailed':
      if (!state.session || action.gen !== state.gen) return state;
      return {
        ...state,
        sup: { ...state.sup, floorError: { code: action.code, message: action.message } },
      };
    case 'monitorState':
      if (!state.session || (action.gen !== undefined && action.gen !== state.gen)) return state;
      return { ...state, sup: applyMonitorState(state.sup, action.state) };
    case 'draft':
      if (!state.session) return state;
      return { ...state, sup: applyDraft(state.sup, action.draft) };
    case 'assist':
      if (!state.session) return state;
      return { ...state, sup: applyAssist(state.sup, action.push) };
    case 'statusPush':
      if (!state.session) return state;
      return {
        ...state,
        conn: { ...state.conn, status: action.push.status },
        sup: { ...state.sup, autoAway: action.push.reason === 'missed_offers' },
      };
    case 'dismissNotice':
      return { ...state, sup: dropNotice(state.sup, action.id) };
    case 'openFloor': {
      if (!state.session) return state;
      const c = action.conv;
      const known = state.conversations[c.id] ?? state.found[c.id];
      return {
        ...state,
        found: known ? state.found : { ...state.found, [c.id]: c },
        selectedId: c.id,
        jump: null,
        view: 'conversations',
      };
    }
  }
}
