// Message text is never HTML: it becomes text nodes, and http(s) URLs become
// <a> elements whose label is set with textContent.

/** Segment is a piece of message text: plain text or a link. */
export type Segment = { kind: 'text'; text: string } | { kind: 'link'; text: string; href: string };

const URL_RE = /https?:\/\/[^\s<>"'`，。；！？、（）《》【】「」]+/gi;

// Punctuation that usually ends a sentence rather than a URL.
const TRAILING = /[.,;:!?'")\]}>]+$/;

/** splitLinks cuts text into plain and link segments. */
export function splitLinks(text: string): Segment[] {
  const out: Segment[] = [];
  let last = 0;
  for (const m of text.matchAll(URL_RE)) {
    const start = m.index ?? 0;
    let raw = m[0];
    const trail = TRAILING.exec(raw);
    if (trail) {
      raw = raw.slice(0, raw.length - trail[0].length);
      // Keep a closing parenthesis that closes one opened inside the URL.
      if (trail[0].startsWith(')') && count(raw, '(') > count(raw, ')')) raw += ')';
    }
    const href = safeHref(raw);
    if (!href) continue;
    if (start > last) out.push({ kind: 'text', text: text.slice(last, start) });
    out.push({ kind: 'link', text: raw, href });
    last = start + raw.length;
  }
  if (last < text.length) out.push({ kind: 'text', text: text.slice(last) });
  return out;
}

/** renderText appends text to parent as text nodes and safe links. */
export function renderText(parent: Node, text: string): void {
  const doc = parent.ownerDocument ?? document;
  for (const seg of splitLinks(text)) {
    if (seg.kind === 'text') {
      parent.appendChild(doc.createTextNode(seg.text));
      continue;
    }
    const a = doc.createElement('a');
    a.href = seg.href;
    a.textContent = seg.text;
    a.target = '_blank';
    a.rel = 'noopener noreferrer';
    parent.appendChild(a);
  }
}

function safeHref(raw: string): string | null {
  try {
    const u = new URL(raw);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return null;
    return u.href;
  } catch {
    return null;
  }
}

function count(s: string, ch: string): number {
  let n = 0;
  for (const c of s) if (c === ch) n++;
  return n;
}
