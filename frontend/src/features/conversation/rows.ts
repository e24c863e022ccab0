// The transcript as rows for the virtualized list: messages with a date
// separator before the first message of each local day, and the delivery
// state of the agent's own messages.

import type { Message } from '../../api/types';
import type { I18n, Lang } from '../../i18n';
import { dateFormat } from '../../i18n/format';
import { isPending, type SendError } from '../../state/messages';

/** One row of the transcript. */
export type Row =
  { kind: 'day'; key: string; day: number } | { kind: 'msg'; key: string; m: Message };

/** The local midnight before ms. */
export function startOfDay(ms: number): number {
  const d = new Date(ms);
  d.setHours(0, 0, 0, 0);
  return d.getTime();
}

/** A message's stable key: a pending message keeps it when it becomes sent. */
export function messageKey(m: Message): string {
  return m.client_msg_id ? `c:${m.client_msg_id}` : `s:${m.seq}`;
}

/** Interleaves messages (oldest first) with a separator at each new local day. */
export function buildRows(messages: readonly Message[]): Row[] {
  const rows: Row[] = [];
  let day = Number.NaN;
  for (const m of messages) {
    const d = startOfDay(m.created_at || Date.now());
    if (d !== day) {
      day = d;
      rows.push({ kind: 'day', key: `d:${d}`, day: d });
    }
    rows.push({ kind: 'msg', key: messageKey(m), m });
  }
  return rows;
}

/** "Today", "Yesterday", or the date (with the year when it is not this year). */
export function dayLabel(day: number, lang: Lang, t: I18n['t'], now = Date.now()): string {
  const today = startOfDay(now);
  if (day === today) return t('day.today');
  if (day === startOfDay(today - 1)) return t('day.yesterday');
  const sameYear = new Date(day).getFullYear() === new Date(now).getFullYear();
  return (
    sameYear
      ? dateFormat(lang, 'day', { weekday: 'short', month: 'long', day: 'numeric' })
      : dateFormat(lang, 'dayYear', {
          weekday: 'short',
          month: 'long',
          day: 'numeric',
          year: 'numeric',
        })
  ).format(new Date(day));
}

/** Where one of the agent's own messages is on its way to the customer. */
export type DeliveryState = 'pending' | 'sent' | 'read' | 'failed';

/**
 * The delivery state of message m, or null when it is not the agent's own.
 * Read means the customer's read cursor reached it; an agent-only note is
 * never read by the customer, so it stays sent.
 */
export function deliveryState(
  m: Message,
  myId: string | undefined,
  customerReadSeq: number,
  failure: SendError | undefined,
): DeliveryState | null {
  if (myId === undefined || m.sender.id !== myId || m.kind === 'event') return null;
  if (failure) return 'failed';
  if (isPending(m)) return 'pending';
  if (m.visibility !== 'internal' && m.seq <= customerReadSeq) return 'read';
  return 'sent';
}

/** The highest seq among messages (0 when none is sent). */
export function lastSentSeq(messages: readonly Message[]): number {
  for (let i = messages.length - 1; i >= 0; i--) {
    const s = messages[i]!.seq;
    if (s > 0) return s;
  }
  return 0;
}

/** The lowest seq among messages (0 when none is sent). */
export function firstSentSeq(messages: readonly Message[]): number {
  for (const m of messages) if (m.seq > 0) return m.seq;
  return 0;
}
