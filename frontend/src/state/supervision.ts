// Supervision's part of the state: the floor a supervisor watches, who
// monitors which conversation, the drafts of monitored agents, the agents'
// open requests for help, and the notices an agent gets when a supervisor
// takes a conversation away or the server sets them away. The main reducer
// (reducer.ts) owns it and calls these helpers.

import type {
  AssistPush,
  Conversation,
  DraftPush,
  FloorData,
  Message,
  MonitorState,
  Sender,
} from '../api/types';

/** Why an agent's conversation left them. */
export type NoticeKind = 'taken_over' | 'reassigned' | 'moved';

/** A conversation a supervisor took from the signed-in agent, until dismissed. */
export interface Notice {
  conversationId: string;
  kind: NoticeKind;
  /** Who took it (taken_over, reassigned) or has it now (moved). */
  name: string;
  customer: string;
}

/** Supervision's state. */
export interface SupervisionState {
  /** The floor as last pushed; null until the first arrives. */
  readonly floor: FloorData | null;
  /** Why the floor could not be followed (its error), until it can. */
  readonly floorError: { code: string; message: string } | null;
  /** Who monitors each conversation, as last pushed. */
  readonly monitors: Readonly<Record<string, readonly Sender[]>>;
  /** The latest draft of each monitored conversation's agent. */
  readonly drafts: Readonly<Record<string, DraftPush>>;
  /** Open requests for help, by conversation. */
  readonly assists: Readonly<Record<string, AssistPush>>;
  /** Conversations taken from me, by conversation. */
  readonly notices: Readonly<Record<string, Notice>>;
  /** The server set me away for missing offers, until I choose a status. */
  readonly autoAway: boolean;
}

/** Supervision's state at sign-in. */
export const initialSupervision: SupervisionState = {
  floor: null,
  floorError: null,
  monitors: {},
  drafts: {},
  assists: {},
  notices: {},
  autoAway: false,
};

const OPEN = new Set(['queued', 'active', 'waiting_customer']);

/** Stores who monitors a conversation; a monitor that ends takes its draft line along. */
export function applyMonitorState(s: SupervisionState, st: MonitorState): SupervisionState {
  const monitors = { ...s.monitors, [st.conversation_id]: st.monitors ?? [] };
  if (st.monitors?.length) return { ...s, monitors };
  const drafts = { ...s.drafts };
  delete drafts[st.conversation_id];
  return { ...s, monitors, drafts };
}

/** Stores a draft; an empty one clears the draft line. */
export function applyDraft(s: SupervisionState, d: DraftPush): SupervisionState {
  const current = s.drafts[d.conversation_id];
  if (current && current.at > d.at) return s;
  const drafts = { ...s.drafts };
  if (d.text === '') delete drafts[d.conversation_id];
  else drafts[d.conversation_id] = d;
  return { ...s, drafts };
}

/** Adds an open request for help, or drops one that ended. */
export function applyAssist(s: SupervisionState, a: AssistPush): SupervisionState {
  const current = s.assists[a.conversation_id];
  if (current && current.at > a.at) return s;
  const assists = { ...s.assists };
  if (a.active) assists[a.conversation_id] = a;
  else delete assists[a.conversation_id];
  return { ...s, assists };
}

/**
 * The floor replaces what was there. A request for help the floor no longer
 * flags was answered while its end was not heard (a reconnect): it goes.
 */
export function applyFloor(s: SupervisionState, floor: FloorData): SupervisionState {
  const flagged = new Set<string>();
  for (const a of floor.agents ?? [])
    for (const c of a.conversations ?? []) if (c.assist) flagged.add(c.id);
  const assists = { ...s.assists };
  for (const id of Object.keys(assists)) if (!flagged.has(id)) delete assists[id];
  return { ...s, floor, floorError: null, assists };
}

function setNotice(s: SupervisionState, n: Notice): SupervisionState {
  return { ...s, notices: { ...s.notices, [n.conversationId]: n } };
}

/** Drops the notice of a conversation. */
export function dropNotice(s: SupervisionState, id: string): SupervisionState {
  if (!s.notices[id]) return s;
  const notices = { ...s.notices };
  delete notices[id];
  return { ...s, notices };
}

/**
 * Notices a conversation of mine that changed hands without my doing: it
 * is open, someone else has it now, and it was not a transfer I offered to
 * them. A notice the conversation's event already worded stays.
 */
export function noticeConversation(
  s: SupervisionState,
  before: Conversation | undefined,
  after: Conversation,
  me: string | undefined,
): SupervisionState {
  if (!me) return s;
  if (after.assignee_id === me) return dropNotice(s, after.id);
  if (
    !before ||
    before.assignee_id !== me ||
    !after.assignee_id ||
    !OPEN.has(after.state) ||
    before.offer_agent_id === after.assignee_id ||
    s.notices[after.id]
  ) {
    return s;
  }
  return setNotice(s, {
    conversationId: after.id,
    kind: 'moved',
    name: after.assignee_name || after.assignee_id,
    customer: after.customer_name,
  });
}

/**
 * Notices a supervisor's taken_over or reassigned event in a conversation
 * that was mine (assigned to me, or taken from me by name).
 */
export function noticeEvent(
  s: SupervisionState,
  m: Message,
  conv: Conversation | undefined,
  me: string | undefined,
  myName: string | undefined,
): SupervisionState {
  const ev = m.event;
  if (m.kind !== 'event' || !ev || !me) return s;
  if (ev.type !== 'taken_over' && ev.type !== 'reassigned') return s;
  const actor = ev.actor ?? '';
  if (actor !== '' && actor === myName) return s;
  const wasMine =
    conv?.assignee_id === me ||
    (ev.type === 'taken_over' && myName !== undefined && ev.reason === myName);
  if (!wasMine || (ev.type === 'reassigned' && ev.reason !== undefined && ev.reason === myName)) {
    return s;
  }
  return setNotice(s, {
    conversationId: m.conversation_id,
    kind: ev.type,
    name: actor,
    customer: conv?.customer_name ?? '',
  });
}

/** Reports whether user me monitors a conversation. */
export function isMonitoring(s: SupervisionState, id: string, me: string | undefined): boolean {
  return me !== undefined && (s.monitors[id] ?? []).some((m) => m.id === me);
}

/** Those other than me who monitor a conversation. */
export function monitorsOf(s: SupervisionState, id: string, me: string | undefined): Sender[] {
  return (s.monitors[id] ?? []).filter((m) => m.id !== me);
}
