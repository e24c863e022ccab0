// jsdom has no requestIdleCallback. The setup installs one that runs
// nothing until a test says the app is idle (untilIdle), so work the app
// leaves for idle moments happens exactly where a test asks for it.

import { act } from '@testing-library/react';
import { PREFETCH_DELAY_MS } from '../state/prefetch';

const waiting = new Map<number, IdleRequestCallback>();
let nextHandle = 1;

/** Installs the idle callbacks on window (the setup does, before each test). */
export function installIdle(): void {
  waiting.clear();
  window.requestIdleCallback = (cb) => {
    const h = nextHandle++;
    waiting.set(h, cb);
    return h;
  };
  window.cancelIdleCallback = (h) => {
    waiting.delete(h);
  };
}

/** Number of idle callbacks waiting. */
export function idleWaiting(): number {
  return waiting.size;
}

/** Runs the idle callbacks waiting now (not those they add), then lets promises settle. */
export async function runIdle(): Promise<void> {
  const now = [...waiting.entries()];
  waiting.clear();
  await act(async () => {
    for (const [, cb] of now) cb({ didTimeout: false, timeRemaining: () => 50 });
    await new Promise((r) => setTimeout(r, 0));
  });
}

/**
 * Waits past the wait before idle work starts, then runs idle callbacks
 * until none are left (at most rounds times).
 */
export async function untilIdle(rounds = 50): Promise<void> {
  await act(() => new Promise((r) => setTimeout(r, PREFETCH_DELAY_MS + 20)));
  for (let i = 0; i < rounds && waiting.size > 0; i++) await runIdle();
}
