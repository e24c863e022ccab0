import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { errorText, format, pickLocale, STRINGS } from './i18n';
import { ERROR_CODES } from './protocol';

describe('pickLocale', () => {
  it.each([
    [undefined, 'zh-CN', 'zh'],
    [undefined, 'zh-TW', 'zh'],
    [undefined, 'zh', 'zh'],
    [undefined, 'en-US', 'en'],
    [undefined, 'de-DE', 'en'],
    [undefined, '', 'en'],
    ['en', 'zh-CN', 'en'],
    ['zh', 'en-US', 'zh'],
  ])('pickLocale(%s, %s) = %s', (opt, browser, want) => {
    expect(pickLocale(opt, browser)).toBe(want);
  });
});

describe('strings', () => {
  it('has the same keys in every language', () => {
    const keys = (o: object): string[] =>
      Object.entries(o).flatMap(([k, v]) => (typeof v === 'object' ? keys(v).map((x) => `${k}.${x}`) : [k])).sort();
    expect(keys(STRINGS.en)).toEqual(keys(STRINGS.zh));
  });

  it('translates every protocol error code', () => {
    for (const code of ERROR_CODES) {
      expect(errorText(STRINGS.zh, code)).not.toBe(STRINGS.zh.errorFallback);
      expect(errorText(STRINGS.en, code)).not.toBe(STRINGS.en.errorFallback);
    }
    expect(errorText(STRINGS.en, 'no_such_code')).toBe(STRINGS.en.errorFallback);
    expect(errorText(STRINGS.en, 'constructor')).toBe(STRINGS.en.errorFallback);
  });

  it('mirrors the error codes of protocol/errors.go', () => {
    const src = readFileSync(resolve(process.cwd(), '../../protocol/errors.go'), 'utf8');
    const goCodes = [...src.matchAll(/Code: "([a-z_]+)"/g)].map((m) => m[1]);
    expect(goCodes.length).toBeGreaterThan(0);
    expect([...ERROR_CODES]).toEqual(goCodes);
  });

  it('formats placeholders', () => {
    expect(format(STRINGS.zh.eventAssigned, { name: 'Alice' })).toBe('客服 Alice 为您服务');
    expect(format(STRINGS.en.eventAssigned, { name: 'Alice' })).toBe('Alice has joined');
    expect(format('{a} {b}', { a: 1 })).toBe('1 {b}');
  });
});
