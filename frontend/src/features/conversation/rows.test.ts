import { describe, expect, it } from 'vitest';
import { en } from '../../i18n/en';
import { format } from '../../i18n';
import { pending, sent } from '../../test/fakeWails';
import { buildRows, dayLabel, deliveryState, startOfDay } from './rows';

const t = (key: keyof typeof en, params?: Record<string, string | number>) =>
  format(en, key, params);

describe('buildRows', () => {
  it('puts a separator before the first message of each day', () => {
    const d1 = new Date(2026, 0, 5, 9).getTime();
    const d2 = new Date(2026, 0, 6, 9).getTime();
    const rows = buildRows([
      { ...sent('c1', 1, 'a'), created_at: d1 },
      { ...sent('c1', 2, 'b'), created_at: d1 + 3600_000 },
      { ...sent('c1', 3, 'c'), created_at: d2 },
      { ...pending('c1', 'p1', 'd'), created_at: d2 + 1 },
    ]);
    expect(
      rows.map((r) => (r.kind === 'day' ? `day ${new Date(r.day).getDate()}` : r.key)),
    ).toEqual(['day 5', 'c:id-c1-1', 'c:id-c1-2', 'day 6', 'c:id-c1-3', 'c:p1']);
  });
});

describe('dayLabel', () => {
  const now = new Date(2026, 5, 15, 12).getTime();
  it.each([
    ['today', startOfDay(now), 'Today'],
    ['yesterday', startOfDay(now - 24 * 3600_000), 'Yesterday'],
  ])('%s', (_, day, want) => {
    expect(dayLabel(day, 'en', t, now)).toBe(want);
  });
  it('names other days by date, with the year only when it differs', () => {
    expect(dayLabel(new Date(2026, 5, 1).getTime(), 'en', t, now)).not.toMatch(/2026/);
    expect(dayLabel(new Date(2025, 5, 1).getTime(), 'en', t, now)).toMatch(/2025/);
  });
});

describe('deliveryState', () => {
  const mine = sent('c1', 5, 'x', 'agent');
  it.each([
    ['pending', pending('c1', 'p', 'x'), 0, undefined, 'pending'],
    ['sent', mine, 4, undefined, 'sent'],
    ['read', mine, 5, undefined, 'read'],
    ['note never read', { ...mine, visibility: 'internal' }, 9, undefined, 'sent'],
    ['failed', pending('c1', 'p', 'x'), 0, { code: 'forbidden', message: '' }, 'failed'],
    ['not mine', sent('c1', 5, 'x'), 9, undefined, null],
  ] as const)('%s', (_, m, read, failure, want) => {
    expect(deliveryState(m, 'u_alice', read, failure)).toBe(want);
  });
});
