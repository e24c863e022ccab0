// Derived views of the state: the two conversation lists and per-item data.

import type { Conversation, Message } from '../api/types';
import type { MessageList } from './messages';
import {
  isMine,
  isOfferedToMe,
  isOpenMine,
  isQueued,
  isTransferOfferedToMe,
  type State,
} from './reducer';

/**
 * The "mine" list: transfers offered to me first, then open conversations
 * (latest activity first), then resolved ones.
 */
export function selectMine(state: State): Conversation[] {
  const me = state.session?.user.id;
  const out: Conversation[] = [];
  for (const c of Object.values(state.conversations)) if (isMine(c, me)) out.push(c);
  const rank = (c: Conversation) => (isTransferOfferedToMe(c, me) ? 0 : isOpenMine(c, me) ? 1 : 2);
  return out.sort(
    (a, b) => rank(a) - rank(b) || b.updated_at - a.updated_at || a.id.localeCompare(b.id),
  );
}

/** Conversations offered to me right now (routing offers and transfers). */
export function selectOffers(state: State): Conversation[] {
  const me = state.session?.user.id;
  return Object.values(state.conversations).filter((c) => isOfferedToMe(c, me));
}

/** The queue: offers to me first, then the longest waiting. */
export function selectQueue(state: State): Conversation[] {
  const me = state.session?.user.id;
  const out: Conversation[] = [];
  for (const c of Object.values(state.conversations)) if (isQueued(c)) out.push(c);
  const rank = (c: Conversation) => (isOfferedToMe(c, me) ? 0 : 1);
  return out.sort(
    (a, b) => rank(a) - rank(b) || a.updated_at - b.updated_at || a.id.localeCompare(b.id),
  );
}

/** Number of open conversations assigned to me, plus transfers offered to me. */
export function countOpenMine(state: State): number {
  const me = state.session?.user.id;
  let n = 0;
  for (const c of Object.values(state.conversations)) {
    if (isOpenMine(c, me) || isTransferOfferedToMe(c, me)) n++;
  }
  return n;
}

/** The selected conversation, if it is still known. */
export function selectSelected(state: State): Conversation | null {
  return state.selectedId ? (state.conversations[state.selectedId] ?? null) : null;
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

/** Reports whether the signed-in user can write in conv. */
export function canReply(conv: Conversation, me: string | undefined): boolean {
  return isOpenMine(conv, me);
}
