// The message list of one conversation, as pure functions: deduplicated by
// seq (sent messages) and by client_msg_id (pending ones), sent messages
// ordered by seq, pending ones after them in the order they were sent.

import type { AckData, Message } from '../api/types';

/** The messages of one conversation. */
export interface MessageList {
  /** Sent messages in seq order, then pending (seq 0) ones in send order. */
  readonly items: readonly Message[];
  /** Acks that arrived before their pending message, by client_msg_id. */
  readonly earlyAcks: Readonly<Record<string, AckData>>;
  /** Pending messages the server refused for good, by client_msg_id. */
  readonly failed: Readonly<Record<string, SendError>>;
}

/** Why a pending message was refused. */
export interface SendError {
  readonly code: string;
  readonly message: string;
}

/** A list with no messages. */
export const emptyMessageList: MessageList = { items: [], earlyAcks: {}, failed: {} };

/** Reports whether m is still waiting for its ack. */
export function isPending(m: Message): boolean {
  return m.seq <= 0;
}

/** Index of the first pending message (= number of sent messages). */
function pendingStart(items: readonly Message[]): number {
  let i = items.length;
  while (i > 0 && isPending(items[i - 1]!)) i--;
  return i;
}

/** Binary search among sent messages [0, end) for seq: [found, index]. */
function findSeq(items: readonly Message[], end: number, seq: number): [boolean, number] {
  let lo = 0;
  let hi = end;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const s = items[mid]!.seq;
    if (s === seq) return [true, mid];
    if (s < seq) lo = mid + 1;
    else hi = mid;
  }
  return [false, lo];
}

function findPending(items: readonly Message[], from: number, cid: string): number {
  if (!cid) return -1;
  for (let i = from; i < items.length; i++) if (items[i]!.client_msg_id === cid) return i;
  return -1;
}

function hasSentClientId(items: readonly Message[], end: number, cid: string): boolean {
  if (!cid) return false;
  for (let i = end - 1; i >= 0; i--) if (items[i]!.client_msg_id === cid) return true;
  return false;
}

function insertSent(items: readonly Message[], m: Message): readonly Message[] {
  const start = pendingStart(items);
  let next = items;
  const p = findPending(items, start, m.client_msg_id);
  if (p >= 0) {
    next = [...items.slice(0, p), ...items.slice(p + 1)];
  }
  const [found, at] = findSeq(next, start, m.seq);
  if (found) return next; // first copy wins: a seq names one message forever
  if (next === items) next = items.slice();
  (next as Message[]).splice(at, 0, m);
  return next;
}

function addOne(list: MessageList, m: Message): MessageList {
  if (!isPending(m)) {
    const items = insertSent(list.items, m);
    return items === list.items ? list : { ...list, items };
  }
  const start = pendingStart(list.items);
  if (hasSentClientId(list.items, start, m.client_msg_id)) return list;
  const ack = m.client_msg_id ? list.earlyAcks[m.client_msg_id] : undefined;
  if (ack) {
    const rest = { ...list.earlyAcks };
    delete rest[m.client_msg_id];
    return { ...list, items: insertSent(list.items, sentFromAck(m, ack)), earlyAcks: rest };
  }
  const p = findPending(list.items, start, m.client_msg_id);
  if (p >= 0) {
    const items = list.items.slice();
    items[p] = m;
    return { ...list, items };
  }
  return { ...list, items: [...list.items, m] };
}

function sentFromAck(m: Message, ack: AckData): Message {
  return { ...m, seq: ack.seq, created_at: ack.created_at || m.created_at };
}

/** Adds messages (sent or pending) to list, keeping it deduplicated and ordered. */
export function mergeMessages(list: MessageList, msgs: readonly Message[]): MessageList {
  let next = list;
  for (const m of msgs) next = addOne(next, m);
  return next;
}

/** Turns the pending message the ack names into a sent one with the ack's seq. */
export function applyAck(list: MessageList, ack: AckData): MessageList {
  const start = pendingStart(list.items);
  const p = findPending(list.items, start, ack.client_msg_id);
  if (p < 0) {
    if (hasSentClientId(list.items, start, ack.client_msg_id)) return list;
    return { ...list, earlyAcks: { ...list.earlyAcks, [ack.client_msg_id]: ack } };
  }
  const pending = list.items[p]!;
  return { ...list, items: insertSent(list.items, sentFromAck(pending, ack)) };
}

/** The highest seq in the list (0 if none is sent). */
export function lastSeq(list: MessageList): number {
  const start = pendingStart(list.items);
  return start > 0 ? list.items[start - 1]!.seq : 0;
}

/** Marks the pending message named by clientMsgId as refused by the server. */
export function markFailed(list: MessageList, clientMsgId: string, err: SendError): MessageList {
  const start = pendingStart(list.items);
  if (findPending(list.items, start, clientMsgId) < 0) return list;
  return { ...list, failed: { ...list.failed, [clientMsgId]: err } };
}
