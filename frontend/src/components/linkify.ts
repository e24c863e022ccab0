// Splits plain text into text and http(s) link segments. The result is
// rendered as React text nodes and <a> elements: text is never parsed as HTML.

/** A piece of a message text. */
export type Segment = { kind: 'text'; text: string } | { kind: 'link'; text: string; href: string };

const urlPattern = /\bhttps?:\/\/[^\s<>"'`\u3000-\u303f\uff00-\uffef]+/gi;
const trailing = /[.,;:!?)\]}'"*_~]+$/;

/** Splits text into segments, linking only well-formed http and https URLs. */
export function splitLinks(text: string): Segment[] {
  const out: Segment[] = [];
  let last = 0;
  for (const m of text.matchAll(urlPattern)) {
    const start = m.index;
    let raw = m[0];
    // Keep a closing bracket that belongs to the URL, e.g. wiki/Foo_(bar).
    const cut = raw.replace(trailing, '');
    const opens = (cut.match(/\(/g) ?? []).length;
    const closes = (cut.match(/\)/g) ?? []).length;
    raw = opens > closes && raw.charAt(cut.length) === ')' ? cut + ')' : cut;
    const href = safeHref(raw);
    if (!href) continue;
    if (start > last) out.push({ kind: 'text', text: text.slice(last, start) });
    out.push({ kind: 'link', text: raw, href });
    last = start + raw.length;
  }
  if (last < text.length) out.push({ kind: 'text', text: text.slice(last) });
  return out;
}

/** Returns the normalized URL if it is http(s) with a host, else null. */
export function safeHref(raw: string): string | null {
  try {
    const u = new URL(raw);
    if ((u.protocol !== 'http:' && u.protocol !== 'https:') || !u.hostname) return null;
    return u.href;
  } catch {
    return null;
  }
}
