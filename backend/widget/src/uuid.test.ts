import { describe, expect, it } from 'vitest';
import { newClientMsgID } from './uuid';

describe('newClientMsgID', () => {
  it('is a version 7 UUID carrying the time in its first 48 bits', () => {
    const now = Date.UTC(2026, 11, 4, 10, 0, 0, 123);
    const id = newClientMsgID(crypto, now);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(parseInt(id.slice(0, 8) + id.slice(9, 13), 16)).toBe(now);
  });

  it('sorts by time, and ids of one millisecond differ', () => {
    const a = newClientMsgID(crypto, 1_000);
    const b = newClientMsgID(crypto, 2_000);
    expect(a < b).toBe(true);
    const same = new Set(Array.from({ length: 100 }, () => newClientMsgID(crypto, 5_000)));
    expect(same.size).toBe(100);
  });

  it('works without crypto.randomUUID (plain-http pages)', () => {
    const c: Pick<Crypto, 'getRandomValues'> = { getRandomValues: (a) => crypto.getRandomValues(a) };
    expect(newClientMsgID(c)).toMatch(/^[0-9a-f-]{36}$/);
  });
});
