// Drafts of the composer, per conversation, kept in localStorage so they
// survive switching conversations and restarting the app.

/** What the agent was writing in a conversation, and in which mode. */
export interface Draft {
  readonly text: string;
  /** Writing an agent-only note rather than a reply. */
  readonly note: boolean;
}

/** No draft. */
export const emptyDraft: Draft = { text: '', note: false };

const storageKey = 'switchboard.drafts';

/** Drafts not touched for this long are dropped. */
const maxAgeMs = 30 * 24 * 3600_000;

interface Stored {
  text: string;
  note: boolean;
  at: number;
}

function readAll(): Record<string, Stored> {
  try {
    const raw = window.localStorage.getItem(storageKey);
    const v: unknown = raw ? JSON.parse(raw) : {};
    return typeof v === 'object' && v !== null ? (v as Record<string, Stored>) : {};
  } catch {
    return {};
  }
}

/** The draft of a conversation. */
export function loadDraft(conversationId: string): Draft {
  const d = readAll()[conversationId];
  if (!d || typeof d.text !== 'string') return emptyDraft;
  return { text: d.text, note: d.note === true };
}

/** Keeps the draft of a conversation; an empty reply draft is forgotten. */
export function saveDraft(conversationId: string, draft: Draft, now = Date.now()): void {
  const all = readAll();
  if (draft.text === '' && !draft.note) delete all[conversationId];
  else all[conversationId] = { text: draft.text, note: draft.note, at: now };
  for (const [id, d] of Object.entries(all)) if (now - (d.at ?? 0) > maxAgeMs) delete all[id];
  try {
    window.localStorage.setItem(storageKey, JSON.stringify(all));
  } catch {
    // storage full or unavailable: the draft lives until the app closes
  }
}

/** A random UUID (v4), the idempotency key of a note. */
export function newUUID(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
