// The server's rules for tags and customer notes (protocol's tag and
// customer_note frames), checked before asking so the agent hears what is
// wrong at once. The server checks again and has the last word.

/** The longest tag, in characters (code points): protocol.MaxTagRunes. */
export const MAX_TAG = 32;

/** The most tags a conversation can have: protocol.MaxTags. */
export const MAX_TAGS = 20;

/** The longest customer note, in characters (code points): protocol.MaxCustomerNoteRunes. */
export const MAX_CUSTOMER_NOTE = 2000;

/** Counts characters as the server does: code points, not UTF-16 units. */
export function charCount(s: string): number {
  return Array.from(s).length;
}

/** Trims a tag and collapses its inner whitespace to single spaces (protocol.NormalizeTag). */
export function normalizeTag(raw: string): string {
  return raw.trim().replace(/\s+/g, ' ');
}

/**
 * Separators of tags typed or pasted together: ASCII and full-width commas
 * and the ideographic comma (，、), escaped so the bundle stays Latin-1
 * (vite.config.ts).
 */
const SEPARATORS = /[,\uFF0C\u3001]/;

/** Reports whether typed text holds a separator, so its tags should be added. */
export function hasSeparator(text: string): boolean {
  return SEPARATORS.test(text);
}

/** Why tags typed by the agent cannot be added. */
export type TagProblem = 'tooLong' | 'tooMany' | 'duplicate';

/** What adding typed text as tags comes to. */
export type TagParse =
  { ok: true; add: string[] } | { ok: false; problem: TagProblem; tag: string };

/**
 * Turns typed text into the tags to add to a conversation that has
 * existing: split at commas, normalized, without empty ones and without
 * those it already has (case does not matter). Adding nothing new is a
 * duplicate; a tag over MAX_TAG characters or more than MAX_TAGS in all is
 * refused. An empty text adds nothing.
 */
export function parseTags(text: string, existing: readonly string[]): TagParse {
  const seen = new Set(existing.map((t) => t.toLowerCase()));
  const add: string[] = [];
  let duplicate = '';
  for (const part of text.split(SEPARATORS)) {
    const tag = normalizeTag(part);
    if (tag === '') continue;
    if (charCount(tag) > MAX_TAG) return { ok: false, problem: 'tooLong', tag };
    const key = tag.toLowerCase();
    if (seen.has(key)) {
      duplicate ||= tag;
      continue;
    }
    seen.add(key);
    add.push(tag);
  }
  if (add.length === 0 && duplicate) return { ok: false, problem: 'duplicate', tag: duplicate };
  if (existing.length + add.length > MAX_TAGS) {
    return { ok: false, problem: 'tooMany', tag: add[add.length - 1] ?? '' };
  }
  return { ok: true, add };
}

/** Why a customer note cannot be written. */
export type NoteProblem = 'empty' | 'tooLong';

/** Checks a customer note: some text, at most MAX_CUSTOMER_NOTE characters. */
export function checkNote(text: string): NoteProblem | null {
  const trimmed = text.trim();
  if (trimmed === '') return 'empty';
  if (charCount(trimmed) > MAX_CUSTOMER_NOTE) return 'tooLong';
  return null;
}
