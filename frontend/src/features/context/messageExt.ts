// The business fields messages carried (a customer's order number, the
// contact of a message left out of hours…), merged over a transcript: the
// newest value of each key wins, the values it replaced stay visible.

import type { Message } from '../../api/types';

/** Keys the server sets on bot messages for itself; they are not business fields. */
const INTERNAL_KEYS: ReadonlySet<string> = new Set(['kb_entry', 'quick_replies']);

/** One value a key had, and the message that said it. */
export interface ExtMention {
  value: string;
  /** The message's time (unix ms). */
  at: number;
  seq: number;
}

/** A key's newest value, with the other values it had before, newest first. */
export interface MessageExtField extends ExtMention {
  key: string;
  earlier: ExtMention[];
}

/**
 * Merges the ext of messages (oldest first) by key. A value said again
 * counts from its latest mention; earlier holds each other value once, at
 * its latest mention. Fields come in key order; the caller sorts them.
 */
export function mergeMessageExt(messages: readonly Message[]): MessageExtField[] {
  // Per key, every distinct value at its latest mention, in mention order.
  const byKey = new Map<string, Map<string, ExtMention>>();
  for (const m of messages) {
    if (!m.ext || m.kind === 'event') continue;
    for (const [key, value] of Object.entries(m.ext)) {
      if (INTERNAL_KEYS.has(key) || typeof value !== 'string' || value.trim() === '') continue;
      let values = byKey.get(key);
      if (!values) byKey.set(key, (values = new Map()));
      // Deleting first moves a repeated value to the end: Maps keep insertion order.
      values.delete(value);
      values.set(value, { value, at: m.created_at, seq: m.seq });
    }
  }
  const out: MessageExtField[] = [];
  for (const [key, values] of byKey) {
    const mentions = [...values.values()].reverse();
    const [newest, ...earlier] = mentions;
    if (newest) out.push({ key, ...newest, earlier });
  }
  return out;
}
