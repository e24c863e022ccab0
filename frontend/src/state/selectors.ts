// Derived views of the state: the two conversation lists and per-item data.

import type { AssistPush, Conversation, ListTab, Message, User } from '../api/types';
import { lastSeq, type MessageList } from './messages';
import {
  isMine,
  isOfferedToMe,
  isOpenMine,
  isQueued,
  isTransferOfferedToMe,
  type State,
} from './reducer';

/** What the lists of the tabs are made from. */
export type ListState = Pick<State, 'session' | 'conversations'>;

/**
 * The "mine" list: transfers offered to me first, then my open conversations
 * (latest activity first). Resolved ones move to the "resolved" tab.
 */
export function selectMine(state: ListState): Conversation[] {
  const me = state.session?.user.id;
  const out: Conversation[] = [];
  for (const c of Object.values(state.conversations)) {
    if (isMine(c, me) && c.state !== 'resolved') out.push(c);
  }
  const rank = (c: Conversation) => (isTransferOfferedToMe(c, me) ? 0 : 1);
  return out.sort(
    (a, b) => rank(a) - rank(b) || b.updated_at - a.updated_at || a.id.localeCompare(b.id),
  );
}

/** My conversations waiting for the customer to answer, the longest quiet first. */
export function selectWaiting(state: ListState): Conversation[] {
  const me = state.session?.user.id;
  return Object.values(state.conversations)
    .filter((c) => isOpenMine(c, me) && c.state === 'waiting_customer')
    .sort((a, b) => a.updated_at - b.updated_at || a.id.localeCompare(b.id));
}

/** My conversations resolved (or closed since) at or after dayStart, latest first. */
export function selectResolved(state: ListState, dayStart: number): Conversation[] {
  const me = state.session?.user.id;
  return Object.values(state.conversations)
    .filter(
      (c) =>
        me !== undefined &&
        c.assignee_id === me &&
        (c.state === 'resolved' || c.state === 'closed') &&
        c.updated_at >= dayStart,
    )
    .sort((a, b) => b.updated_at - a.updated_at || a.id.localeCompare(b.id));
}

/** The list of a tab. */
export function selectTab(state: ListState, tab: ListTab, dayStart: number): Conversation[] {
  switch (tab) {
    case 'mine':
      return selectMine(state);
    case 'queue':
      return selectQueue(state);
    case 'waiting':
      return selectWaiting(state);
    case 'resolved':
      return selectResolved(state, dayStart);
  }
}

/** How far I have read a conversation: the server's cursor or a newer one of mine. */
export function readSeq(state: State, conv: Conversation): number {
  return Math.max(conv.agent_read_seq ?? 0, state.readSeqs[conv.id] ?? 0);
}

/**
 * The number of messages of conv I have not read. With the transcript loaded
 * that far back it counts what others wrote (not my messages, not events);
 * otherwise every message after my read cursor, up to the newest listed or
 * pushed. Only my open conversations
 * have unread messages: the read cursor is the assignee's.
 */
export function unreadCount(state: State, conv: Conversation): number {
  const me = state.session?.user.id;
  if (!isOpenMine(conv, me)) return 0;
  const read = readSeq(state, conv);
  const list = state.messages[conv.id];
  // Messages pushed since the conversation was last listed count too.
  const last = Math.max(conv.last_seq, list ? lastSeq(list) : 0);
  if (last <= read) return 0;
  const items = list?.items;
  const first = items?.find((m) => m.seq > 0);
  if (!items || !first || first.seq > read + 1) return last - read;
  let n = 0;
  for (let i = items.length - 1; i >= 0; i--) {
    const m = items[i]!;
    if (m.seq > 0 && m.seq <= read) break;
    if (m.seq > read && m.sender.id !== me && m.kind !== 'event') n++;
  }
  return n;
}

/** Unread messages over all my open conversations. */
export function totalUnread(state: State): number {
  let n = 0;
  for (const c of Object.values(state.conversations)) n += unreadCount(state, c);
  return n;
}

/**
 * Since when the customer waits for my answer: the customer's last message
 * when it is the newest of the loaded transcript, or the last activity when
 * unread messages are not loaded. null when nobody waits on me.
 */
export function customerWaitingSince(state: State, conv: Conversation): number | null {
  if (conv.state !== 'active' || !isOpenMine(conv, state.session?.user.id)) return null;
  const items = state.messages[conv.id]?.items;
  if (items && items.length > 0) {
    for (let i = items.length - 1; i >= 0; i--) {
      const m = items[i]!;
      if (m.kind === 'event' || m.visibility === 'internal' || m.visibility === 'whisper') continue;
      return m.sender.role === 'customer' ? m.created_at : null;
    }
    return null;
  }
  return unreadCount(state, conv) > 0 ? conv.updated_at : null;
}

/** Conversations offered to me right now (routing offers and transfers). */
export function selectOffers(state: State): Conversation[] {
  const me = state.session?.user.id;
  return Object.values(state.conversations).filter((c) => isOfferedToMe(c, me));
}

/** The queue: offers to me first, then the longest waiting. */
export function selectQueue(state: ListState): Conversation[] {
  const me = state.session?.user.id;
  const out: Conversation[] = [];
  for (const c of Object.values(state.conversations)) if (isQueued(c)) out.push(c);
  const rank = (c: Conversation) => (isOfferedToMe(c, me) ? 0 : 1);
  return out.sort(
    (a, b) => rank(a) - rank(b) || a.updated_at - b.updated_at || a.id.localeCompare(b.id),
  );
}

/** Number of open conversations assigned to me, plus transfers offered to me. */
export function countOpenMine(state: ListState): number {
  const me = state.session?.user.id;
  let n = 0;
  for (const c of Object.values(state.conversations)) {
    if (isOpenMine(c, me) || isTransferOfferedToMe(c, me)) n++;
  }
  return n;
}

/**
 * The selected conversation, if it is still known: as the lists hold it, or
 * as a search found it in the local cache.
 */
export function selectSelected(state: State): Conversation | null {
  const id = state.selectedId;
  return id ? (state.conversations[id] ?? state.found[id] ?? null) : null;
}

/** The newest text of a conversation: from loaded messages when they are newer. */
export function previewText(conv: Conversation, list: MessageList | undefined): string {
  if (list) {
    for (let i = list.items.length - 1; i >= 0; i--) {
      const m: Message = list.items[i]!;
      if (m.kind !== 'text' || !m.text) continue;
      if (m.seq === 0 || m.seq >= conv.last_seq) return m.text;
      break;
    }
  }
  return conv.last_text ?? '';
}

/** Reports whether the signed-in user can write in conv: theirs, or joined by them. */
export function canReply(conv: Conversation, me: string | undefined): boolean {
  return isOpenMine(conv, me) || hasJoined(conv, me);
}

/** Reports whether user me barged into the open conversation conv. */
export function hasJoined(conv: Conversation, me: string | undefined): boolean {
  return (
    me !== undefined &&
    (conv.state === 'active' || conv.state === 'waiting_customer') &&
    (conv.joined ?? []).some((j) => j.id === me)
  );
}

/** Reports whether user may watch the floor and supervise: supervisors and admins. */
export function isSupervisor(user: User | undefined | null): boolean {
  return user?.role === 'supervisor' || user?.role === 'admin';
}

/** Open requests for help, the oldest first. */
export function selectAssists(state: State): AssistPush[] {
  return Object.values(state.sup.assists).sort(
    (a, b) => a.at - b.at || a.conversation_id.localeCompare(b.conversation_id),
  );
}
