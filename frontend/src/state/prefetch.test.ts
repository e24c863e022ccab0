import { describe, expect, it, vi } from 'vitest';
import { alice, conversation } from '../test/fakeWails';
import { createPrefetcher, prefetchIds, type PrefetchState, type Schedule } from './prefetch';

const dayStart = new Date().setHours(0, 0, 0, 0);

function mineConv(i: number) {
  return conversation({
    id: `m${i}`,
    state: 'active',
    assignee_id: 'u_alice',
    updated_at: 1_700_000_000_000 - i * 1000,
  });
}

function queuedConv(i: number) {
  return conversation({ id: `q${i}`, updated_at: 1_700_000_000_000 + i * 1000 });
}

function listState(over: Partial<PrefetchState> = {}): PrefetchState {
  const convs = [...[0, 1, 2, 3, 4, 5].map(mineConv), ...[0, 1, 2].map(queuedConv)];
  return {
    session: alice,
    conversations: Object.fromEntries(convs.map((c) => [c.id, c])),
    tab: 'mine',
    transcripts: {},
    ...over,
  };
}

describe('prefetchIds', () => {
  it('takes the first listed in turn from the list shown, then mine and the queue, up to the limit', () => {
    expect(prefetchIds(listState(), dayStart, 5)).toEqual(['m0', 'q0', 'm1', 'q1', 'm2']);
    expect(prefetchIds(listState({ tab: 'queue' }), dayStart, 4)).toEqual(['q0', 'm0', 'q1', 'm1']);
    expect(prefetchIds(listState(), dayStart, 100)).toHaveLength(9);
  });

  it('leaves out transcripts loaded, loading or failed, without taking more', () => {
    const ids = prefetchIds(
      listState({
        transcripts: {
          m0: { status: 'loaded', hasMore: false, older: 'idle' },
          q0: { status: 'loading' },
          m1: { status: 'failed', code: 'x', message: 'x' },
        },
      }),
      dayStart,
      5,
    );
    expect(ids).toEqual(['q1', 'm2']);
  });

  it('wants nothing signed out', () => {
    expect(prefetchIds(listState({ session: null }), dayStart)).toEqual([]);
  });
});

/** A schedule run by hand: run() runs what is scheduled now. */
function manual() {
  let queued: (() => void)[] = [];
  const schedule: Schedule = (f) => {
    queued.push(f);
    return () => {
      queued = queued.filter((g) => g !== f);
    };
  };
  return {
    schedule,
    pending: () => queued.length,
    run() {
      const now = queued;
      queued = [];
      now.forEach((f) => f());
    },
  };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('createPrefetcher', () => {
  it('loads one at a time, each when scheduled, each once', async () => {
    const s = manual();
    const resolves: (() => void)[] = [];
    const load = vi.fn((_id: string) => new Promise<void>((r) => resolves.push(r)));
    const pf = createPrefetcher(load, s.schedule);
    pf.want(['a', 'b']);
    expect(load).not.toHaveBeenCalled();
    s.run();
    expect(load.mock.calls).toEqual([['a']]);
    pf.want(['a', 'b', 'c']);
    s.run();
    expect(s.pending()).toBe(0);
    expect(load).toHaveBeenCalledTimes(1);
    resolves[0]!();
    await tick();
    s.run();
    expect(load.mock.calls).toEqual([['a'], ['b']]);
    resolves[1]!();
    await tick();
    // c is still wanted; then no longer, when its turn comes.
    expect(s.pending()).toBe(1);
    pf.want(['b', 'a']);
    s.run();
    expect(load).toHaveBeenCalledTimes(2);
    expect(s.pending()).toBe(0);
    pf.want(['a', 'c']);
    s.run();
    expect(load.mock.calls).toEqual([['a'], ['b'], ['c']]);
  });

  it('goes on after a failure without asking for it again', async () => {
    const s = manual();
    const load = vi.fn((id: string) =>
      id === 'a' ? Promise.reject(new Error('x')) : Promise.resolve(),
    );
    const pf = createPrefetcher(load, s.schedule);
    pf.want(['a', 'b']);
    s.run();
    await tick();
    s.run();
    await tick();
    pf.want(['a', 'b']);
    expect(s.pending()).toBe(0);
    expect(load.mock.calls).toEqual([['a'], ['b']]);
  });

  it('asks for nothing once stopped', async () => {
    const s = manual();
    let resolve = () => {};
    const load = vi.fn(() => new Promise<void>((r) => (resolve = r)));
    const pf = createPrefetcher(load, s.schedule);
    pf.want(['a', 'b']);
    s.run();
    pf.stop();
    resolve();
    await tick();
    pf.want(['c']);
    s.run();
    expect(load.mock.calls).toEqual([['a']]);

    const other = createPrefetcher(load, s.schedule);
    other.want(['x']);
    other.stop();
    expect(s.pending()).toBe(0);
  });
});
