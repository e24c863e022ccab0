// Marks the words of a search in a text, the way the local search (Go side,
// app/cache/search.go) matches them: text is NFKC-folded and lower-cased; a
// word of letters and digits matches the start of a word ("ord" in "order");
// a run of Chinese, Japanese or Korean characters matches anywhere. The
// result is plain segments, rendered as text nodes: never HTML.

/** A piece of text, matched by the search or not. */
export interface Piece {
  text: string;
  hit: boolean;
}

const cjk = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
const wordChar = /[\p{L}\p{N}\p{Mn}]/u;

/** A word or CJK run of folded text, by its range in that text. */
interface Segment {
  start: number;
  end: number;
  cjk: boolean;
}

/**
 * Folded text: the folded string, and for each of its UTF-16 units the
 * range of the original text it came from.
 */
interface Folded {
  text: string;
  from: number[];
  to: number[];
}

function fold(s: string): Folded {
  let text = '';
  const from: number[] = [];
  const to: number[] = [];
  let i = 0;
  for (const ch of s) {
    const f = ch.normalize('NFKC').toLowerCase();
    text += f;
    for (let k = 0; k < f.length; k++) {
      from.push(i);
      to.push(i + ch.length);
    }
    i += ch.length;
  }
  return { text, from, to };
}

function segments(text: string): Segment[] {
  const out: Segment[] = [];
  let cur: Segment | null = null;
  let i = 0;
  for (const ch of text) {
    const isCJK = cjk.test(ch);
    if (isCJK || wordChar.test(ch)) {
      if (!cur || cur.cjk !== isCJK) {
        if (cur) out.push(cur);
        cur = { start: i, end: i, cjk: isCJK };
      }
      cur.end = i + ch.length;
    } else if (cur) {
      out.push(cur);
      cur = null;
    }
    i += ch.length;
  }
  if (cur) out.push(cur);
  return out;
}

/** The words of a query, folded: each a Latin word or a CJK run. */
export function queryTerms(query: string): { term: string; cjk: boolean }[] {
  const q = fold(query).text;
  return segments(q).map((s) => ({ term: q.slice(s.start, s.end), cjk: s.cjk }));
}

/** The ranges [start, end) of text that the query's words match, sorted and merged. */
export function matchRanges(text: string, query: string): [number, number][] {
  const terms = queryTerms(query);
  if (terms.length === 0 || text === '') return [];
  const f = fold(text);
  const words = segments(f.text).filter((s) => !s.cjk);
  const hits: [number, number][] = [];
  for (const { term, cjk: isCJK } of terms) {
    if (isCJK) {
      for (let at = f.text.indexOf(term); at >= 0; at = f.text.indexOf(term, at + term.length)) {
        hits.push([at, at + term.length]);
      }
    } else {
      for (const w of words) {
        if (f.text.startsWith(term, w.start) && w.start + term.length <= w.end) {
          hits.push([w.start, w.start + term.length]);
        }
      }
    }
  }
  // Back to the original text's offsets, then merged.
  const ranges = hits
    .map(([a, b]): [number, number] => [f.from[a]!, f.to[b - 1]!])
    .sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  const merged: [number, number][] = [];
  for (const r of ranges) {
    const last = merged.at(-1);
    if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
    else merged.push([r[0], r[1]]);
  }
  return merged;
}

/** Reports whether the query's words match anywhere in text. */
export function hasMatch(text: string, query: string): boolean {
  return matchRanges(text, query).length > 0;
}

/**
 * Splits text into pieces, the matched ones marked. With max set, only a
 * window of about max characters around the first match is kept, with an
 * ellipsis where text was cut.
 */
export function highlight(text: string, query: string, max = Infinity): Piece[] {
  const ranges = matchRanges(text, query);
  let start = 0;
  let end = text.length;
  if (text.length > max) {
    const lead = Math.floor(max / 4);
    start = ranges.length > 0 ? Math.max(0, ranges[0]![0] - lead) : 0;
    end = Math.min(text.length, start + max);
    start = Math.max(0, Math.min(start, end - max));
    start = unitBoundary(text, start);
    end = unitBoundary(text, end);
  }
  const out: Piece[] = [];
  const push = (a: number, b: number, hit: boolean) => {
    if (b > a) out.push({ text: text.slice(a, b), hit });
  };
  let at = start;
  for (const [a, b] of ranges) {
    if (b <= start || a >= end) continue;
    push(at, Math.max(a, start), false);
    push(Math.max(a, start), Math.min(b, end), true);
    at = Math.min(b, end);
  }
  push(at, end, false);
  if (start > 0) out.unshift({ text: '…', hit: false });
  if (end < text.length) out.push({ text: '…', hit: false });
  return out;
}

/** Moves i off the second half of a surrogate pair. */
function unitBoundary(text: string, i: number): number {
  const c = text.charCodeAt(i);
  return c >= 0xdc00 && c <= 0xdfff ? i - 1 : i;
}
