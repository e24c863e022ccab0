import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { errorText, eventLine, format, pickLocale, queueText, STRINGS } from './i18n';
import { ERROR_CODES, EVENT_TYPES } from './protocol';

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

describe('queueText', () => {
  const q = (position: number, expected_wait_ms: number, open = true, business_hours = true) => ({ position, expected_wait_ms, open, business_hours });
  it.each([
    ['zh', q(3, 120_000), '您前面还有 2 位，预计等待约 2 分钟'],
    ['zh', q(2, 0), '您前面还有 1 位'],
    ['zh', q(1, 0), '您是下一位'],
    ['zh', q(1, 61_000), '您是下一位，预计等待约 2 分钟'],
    ['zh', q(0, 0), '正在为您排队'],
    ['zh', q(3, 0, false, true), '当前没有客服在线'],
    ['zh', q(3, 0, false, false), '现在是非工作时间'],
    ['en', q(3, 120_000), 'You are number 3 in line — expected wait about 2 min'],
    ['en', q(5, 10_000), 'You are number 5 in line — expected wait about 1 min'],
    ['en', q(1, 0), 'You’re next'],
    ['en', q(2, 0, false, true), 'No agents are online right now'],
    ['en', q(2, 0, false, false), 'We’re outside business hours right now'],
  ] as const)('queueText(%s, %o) = %s', (locale, info, want) => {
    expect(queueText(STRINGS[locale], info)).toBe(want);
  });
});

describe('eventLine', () => {
  it('knows every event type of protocol/protocol.go', () => {
    const src = ['protocol.go', 'supervise.go']
      .map((f) => readFileSync(resolve(process.cwd(), '../../protocol', f), 'utf8'))
      .join('\n');
    const goTypes = [...src.matchAll(/^\s*Event[A-Z]\w*\s*=\s*"([a-z_]+)"/gm)].map((m) => m[1]);
    expect(goTypes.length).toBeGreaterThan(0);
    expect([...EVENT_TYPES]).toEqual(goTypes);
    // Each is either translated or deliberately hidden, never the neutral line.
    for (const type of EVENT_TYPES) {
      expect(eventLine(STRINGS.zh, { type }, 'Alice')).not.toBe(STRINGS.zh.eventOther);
      expect(eventLine(STRINGS.en, { type }, 'Alice')).not.toBe(STRINGS.en.eventOther);
    }
  });

  it.each([
    [{ type: 'transferred', reason: 'aftersales' }, '', '正在为您转接其他同事，请稍候…'],
    [{ type: 'transfer_accepted', actor: 'Bob' }, 'Alice', 'Bob 正在为您服务'],
    [{ type: 'transfer_accepted' }, 'Carol', 'Carol 正在为您服务'],
    [{ type: 'transfer_accepted' }, '', '新的客服正在为您服务'],
    [{ type: 'handed_back' }, '', '已为您转回智能助手'],
    [{ type: 'rated', reason: '5' }, '', '感谢您的评价'],
    [{ type: 'from_the_future' }, '', '会话状态已更新'],
    [{ type: 'opened' }, '', null],
    [{ type: 'offered', reason: 'Bob' }, '', null],
    [{ type: 'joined', actor: 'Sam' }, 'Alice', 'Sam 加入了会话'],
    [{ type: 'left', actor: 'Sam' }, 'Alice', 'Sam 离开了会话'],
    [{ type: 'taken_over', actor: 'Sam', reason: 'Alice' }, 'Alice', 'Sam 正在为您服务'],
    [{ type: 'reassigned', actor: 'Sam', reason: 'Bob' }, 'Alice', 'Bob 正在为您服务'],
    [{ type: 'assist_raised', actor: 'Alice' }, 'Alice', null],
    [{ type: 'assist_answered', actor: 'Sam' }, 'Alice', null],
  ])('eventLine(zh, %o, %s) = %s', (ev, assignee, want) => {
    expect(eventLine(STRINGS.zh, ev, assignee)).toBe(want);
  });
});
