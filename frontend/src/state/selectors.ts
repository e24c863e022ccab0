// Derived views of the state: the two conversation lists and per-item data.

import type { Conversation, Message } from '../api/types';
import type { MessageList } from './messages';
import { isMine, isOpenMine, isQueued, type State } from './reducer';

/** The "mine" list: open conversations first (latest activity first), then resolved ones. */
export function selectMine(state: State): Conversation[] {
  const me = state.session?.user.id;
  const out: Conversation[] = [];
  for (const c of Object.values(state.conversations)) if (isMine(c, me)) out.push(c);
  return out.sort((a, b) => {
    const ao = isOpenMine(a, me) ? 0 : 1;
    const bo = isOpenMine(b, me) ? 0 : 1;
    return ao - bo || b.updated_at - a.updated_at || a.id.localeCompare(b.id);
  });
}

/** The queue: longest waiting first. */
export function selectQueue(state: State): Conversation[] {
  const out: Conversation[] = [];
  for (const c of Object.values(state.conversations)) if (isQueued(c)) out.push(c);
  return out.sort((a, b) => a.updated_at - b.updated_at || a.id.localeCompare(b.id));
}

/** Number of open conversations assigned to me. */
export function countOpenMine(state: State): number {
  const me = state.session?.user.id;
  let n = 0;
  for (const c of Object.values(state.conversations)) if (isOpenMine(c, me)) n++;
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
