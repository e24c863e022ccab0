// The transcript of the customer's conversation: stored messages ordered by
// seq (deduplicated), followed by the customer's own messages that the server
// has not acknowledged yet.

import { EXT_KB_ENTRY } from './protocol';
import type { AckData, Attachment, Card, ConversationEvent, Message } from './protocol';

/** Pending is a message the customer sent that the server has not acknowledged. */
export interface Pending {
  client_msg_id: string;
  /** Empty until the conversation is known. */
  conversation_id: string;
  text: string;
  /** Business fields sent with it (a left message's contact). */
  ext?: Record<string, string>;
  created_at: number;
  /** image, file or voice: the finished upload it carries (absent: text). */
  kind?: 'image' | 'file' | 'voice';
  attachment?: Attachment;
  /** A card_action rather than a message: sent as its own frame, not shown as a row. */
  action?: PendingAction;
}

/** PendingAction is the customer's action on a card, waiting for its ack. */
export interface PendingAction {
  card_seq: number;
  action: string;
  values?: Record<string, unknown>;
}

/** Role is how a transcript line is shown. */
export type Role = 'customer' | 'bot' | 'agent' | 'system';

/** Item is one line of the transcript as the view shows it. */
export interface Item {
  /** Stable across pending → acknowledged, so the view keeps the same row. */
  key: string;
  seq: number | null;
  role: Role;
  /** Sender's display name (bot and agent lines). */
  name: string;
  /** Who wrote it, to group consecutive lines of one sender. */
  senderKey: string;
  text: string;
  /** The message kind: text, image, file, voice, card, or one this version does not know. */
  kind: string;
  attachment?: Attachment;
  card?: Card;
  event?: ConversationEvent;
  /** The bot's suggested answers (bot lines only). */
  quickReplies?: string[];
  /**
   * The knowledge base entry a bot text answer came from: the customer may
   * say whether it helped (bot lines only).
   */
  kbEntry?: string;
  pending: boolean;
  createdAt: number;
}

/** roleOf maps a stored message to the way it is shown. */
export function roleOf(m: Pick<Message, 'kind' | 'sender'>): Role {
  if (m.kind === 'event') return 'system';
  switch (m.sender?.role) {
    case 'customer':
      return 'customer';
    case 'bot':
      return 'bot';
    case 'agent':
    case 'supervisor':
    case 'admin':
      return 'agent';
    default:
      return 'system';
  }
}

/** Transcript holds one conversation's messages and the pending ones. */
export class Transcript {
  /** The conversation shown; null until the server names it. */
  conversationId: string | null = null;
  /** The conversation's epoch; 0 until known. */
  epoch = 0;
  /**
   * resumeSeq is where a resume starts: every message with seq ≤ resumeSeq
   * that the customer may see is held. Messages above it may have gaps.
   */
  resumeSeq = 0;

  // seqs holds the keys of messages in ascending order.
  private seqs: number[] = [];
  private messages = new Map<number, Message>();
  private pending: Pending[];

  constructor(pending: Pending[] = []) {
    this.pending = pending.slice();
  }

  /** reset switches to a conversation, forgetting stored messages but not pending ones. */
  reset(conversationId: string | null, epoch = 0): void {
    this.conversationId = conversationId;
    this.epoch = epoch;
    this.resumeSeq = 0;
    this.seqs = [];
    this.messages.clear();
  }

  /** lastSeq is the highest seq held, 0 if none. */
  lastSeq(): number {
    return this.seqs.length ? this.seqs[this.seqs.length - 1] : 0;
  }

  /** size is the number of stored messages held. */
  size(): number {
    return this.seqs.length;
  }

  /**
   * addMessages inserts stored messages of the current conversation, ignoring
   * ones already held (same seq) and other conversations'. A message whose
   * client_msg_id matches a pending one settles it. Returns the new messages.
   */
  addMessages(msgs: readonly Message[]): Message[] {
    const added: Message[] = [];
    for (const m of msgs) {
      if (!m || typeof m.seq !== 'number' || !(m.seq > 0)) continue;
      if (this.conversationId !== null && m.conversation_id !== this.conversationId) continue;
      if (m.client_msg_id) this.removePending(m.client_msg_id);
      if (this.messages.has(m.seq)) continue;
      this.messages.set(m.seq, m);
      this.insertSeq(m.seq);
      added.push(m);
    }
    this.advance();
    return added;
  }

  /**
   * markSynced records that the server reported everything up to seq (a
   * history page ending there), so seqs missing below it are not meant for
   * the customer (internal notes) rather than lost.
   */
  markSynced(seq: number): void {
    if (seq > this.resumeSeq) this.resumeSeq = seq;
    this.advance();
  }

  /** addPending appends a message the customer just sent. */
  addPending(p: Pending): void {
    if (!this.pending.some((q) => q.client_msg_id === p.client_msg_id)) this.pending.push(p);
  }

  /**
   * applyAck settles a pending message: it becomes a stored message with the
   * server's seq. Returns whether anything changed.
   */
  applyAck(ack: AckData): boolean {
    const p = this.removePending(ack.client_msg_id);
    if (!p) return false;
    if (ack.conversation_id !== this.conversationId || this.messages.has(ack.seq)) return true;
    // The stored message is known before its push arrives: the same one
    // the server made of what was sent.
    const base = {
      conversation_id: ack.conversation_id,
      seq: ack.seq,
      client_msg_id: ack.client_msg_id,
      sender: { role: 'customer' },
      visibility: 'public',
      created_at: ack.created_at || p.created_at,
    };
    if (p.action) {
      this.messages.set(ack.seq, {
        ...base,
        kind: 'event',
        event: { type: 'card_action', ...p.action },
      });
    } else {
      this.messages.set(ack.seq, {
        ...base,
        kind: p.kind ?? 'text',
        text: p.text,
        ...(p.attachment ? { attachment: p.attachment } : {}),
        ...(p.ext ? { ext: p.ext } : {}),
      });
    }
    this.insertSeq(ack.seq);
    this.advance();
    return true;
  }

  /** removePending forgets a pending message and returns it. */
  removePending(clientMsgId: string): Pending | undefined {
    const i = this.pending.findIndex((p) => p.client_msg_id === clientMsgId);
    if (i < 0) return undefined;
    return this.pending.splice(i, 1)[0];
  }

  /** pendingMessages lists the unacknowledged messages, oldest first. */
  pendingMessages(): readonly Pending[] {
    return this.pending;
  }

  /** items lists the transcript in display order. */
  items(): Item[] {
    const out: Item[] = [];
    for (const seq of this.seqs) {
      const m = this.messages.get(seq);
      if (!m) continue;
      const role = roleOf(m);
      out.push({
        key: m.client_msg_id || `seq:${m.seq}`,
        seq: m.seq,
        role,
        name: m.sender?.name ?? '',
        senderKey: `${role}:${m.sender?.id ?? ''}:${m.sender?.name ?? ''}`,
        text: m.text ?? '',
        kind: m.kind,
        attachment: m.attachment,
        card: m.card,
        event: m.kind === 'event' ? m.event : undefined,
        quickReplies: role === 'bot' && m.quick_replies?.length ? m.quick_replies : undefined,
        kbEntry: role === 'bot' && m.kind === 'text' ? m.ext?.[EXT_KB_ENTRY] || undefined : undefined,
        pending: false,
        createdAt: m.created_at,
      });
    }
    for (const p of this.pending) {
      if (p.action) continue;
      out.push({
        key: p.client_msg_id,
        seq: null,
        role: 'customer',
        name: '',
        senderKey: 'customer::',
        text: p.text,
        kind: p.kind ?? 'text',
        attachment: p.attachment,
        pending: true,
        createdAt: p.created_at,
      });
    }
    return out;
  }

  /**
   * cardActions lists the customer's actions on the card at seq: stored
   * ones first, then those still waiting for their ack.
   */
  cardActions(seq: number): Array<PendingAction & { pending: boolean }> {
    const out: Array<PendingAction & { pending: boolean }> = [];
    for (const s of this.seqs) {
      const ev = this.messages.get(s)?.event;
      if (ev?.type === 'card_action' && ev.card_seq === seq && typeof ev.action === 'string') {
        out.push({ card_seq: seq, action: ev.action, values: ev.values, pending: false });
      }
    }
    for (const p of this.pending) {
      if (p.action?.card_seq === seq) out.push({ ...p.action, pending: true });
    }
    return out;
  }

  private advance(): void {
    while (this.messages.has(this.resumeSeq + 1)) this.resumeSeq++;
  }

  private insertSeq(seq: number): void {
    // Binary search: messages mostly arrive in order, so this is usually an append.
    let lo = 0;
    let hi = this.seqs.length;
    if (hi === 0 || this.seqs[hi - 1] < seq) {
      this.seqs.push(seq);
      return;
    }
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.seqs[mid] < seq) lo = mid + 1;
      else hi = mid;
    }
    this.seqs.splice(lo, 0, seq);
  }
}
