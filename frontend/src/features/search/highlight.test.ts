import { describe, expect, it } from 'vitest';
import { highlight, matchRanges, type Piece } from './highlight';

/** The pieces as text with the hits in [brackets]. */
function marked(pieces: Piece[]): string {
  return pieces.map((p) => (p.hit ? `[${p.text}]` : p.text)).join('');
}

describe('highlight', () => {
  it.each([
    ['Where is my order?', 'ord', 'Where is my [ord]er?'],
    ['Where is my order?', 'ORDER my', 'Where is [my] [order]?'],
    ['record the order', 'ord', 'record the [ord]er'],
    ['订单 SO-12 还没到', 'so 12', '订单 [SO]-[12] 还没到'],
    ['我的订单还没到', '订单', '我的[订单]还没到'],
    ['我的订单还没到，订单号是', '订单', '我的[订单]还没到，[订单]号是'],
    ['Ｏｒｄｅｒ ５', 'order 5', '[Ｏｒｄｅｒ] [５]'],
    ['订单abc', 'abc', '订单[abc]'],
    ['nothing here', 'zzz', 'nothing here'],
    ['<b>bold</b>', 'bold', '<b>[bold]</b>'],
    ['', 'x', ''],
  ])('highlight(%j, %j) = %j', (text, query, want) => {
    expect(marked(highlight(text, query))).toBe(want);
  });

  it('keeps a window around the first match of a long text', () => {
    const text = `${'a '.repeat(100)}the order number ${'z '.repeat(100)}`;
    const got = highlight(text, 'order', 40);
    expect(got[0]).toEqual({ text: '…', hit: false });
    expect(got.at(-1)).toEqual({ text: '…', hit: false });
    expect(got.some((p) => p.hit && p.text === 'order')).toBe(true);
    expect(got.map((p) => p.text).join('').length).toBeLessThanOrEqual(42);
  });

  it('never cuts an emoji in half', () => {
    const text = `${'😀'.repeat(30)} order`;
    const window = highlight(text, 'order', 21)
      .map((p) => p.text)
      .join('');
    expect(window).not.toMatch(
      /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/,
    );
  });

  it('merges overlapping matches', () => {
    expect(matchRanges('orders', 'or order')).toEqual([[0, 5]]);
  });
});
