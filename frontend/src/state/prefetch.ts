// Loading ahead the newest page of the conversations an agent is likely to
// open next: the first few of the lists, one request at a time, when the app
// is idle, and not before the lists have shown. Opening one of them then
// draws the conversation and its transcript in one pass from memory.

import { useEffect, useMemo, useRef } from 'react';
import type { ListTab } from '../api/types';
import type { State } from './reducer';
import { selectTab } from './selectors';

/** How many of the first listed conversations have their newest page loaded ahead. */
export const PREFETCH_LIMIT = 10;
/** The wait after the lists first hold anything before loading ahead: the first screen goes first. */
export const PREFETCH_DELAY_MS = 400;
/** The longest wait for an idle moment before a page is asked for anyway. */
const IDLE_TIMEOUT_MS = 2000;
/** Where there is no requestIdleCallback: the pause before each page. */
const IDLE_FALLBACK_MS = 50;

/** The lists looked at besides the one shown, in turn. */
const LISTS: readonly ListTab[] = ['mine', 'queue'];

/** What the conversations to load ahead are chosen from. */
export type PrefetchState = Pick<State, 'session' | 'conversations' | 'tab' | 'transcripts'>;

/**
 * The conversations whose newest page to load ahead, in order: the first
 * limit listed, taken in turn from the list shown and then mine and the
 * queue, less those whose transcript is loaded, loading or failed.
 */
export function prefetchIds(
  state: PrefetchState,
  dayStart: number,
  limit: number = PREFETCH_LIMIT,
): string[] {
  if (!state.session) return [];
  const tabs = [state.tab, ...LISTS.filter((t) => t !== state.tab)];
  const lists = tabs.map((t) => selectTab(state, t, dayStart));
  const top: string[] = [];
  const seen = new Set<string>();
  for (let i = 0; top.length < limit && lists.some((l) => i < l.length); i++) {
    for (const l of lists) {
      const c = l[i];
      if (!c || seen.has(c.id)) continue;
      seen.add(c.id);
      top.push(c.id);
      if (top.length === limit) break;
    }
  }
  return top.filter((id) => !state.transcripts[id]);
}

/** Runs a callback once, later; returns what cancels it. */
export type Schedule = (run: () => void) => () => void;

/** Runs a callback when the browser is idle (or after a short pause where it cannot tell). */
export const whenIdle: Schedule = (run) => {
  if (typeof window.requestIdleCallback === 'function') {
    const handle = window.requestIdleCallback(() => run(), { timeout: IDLE_TIMEOUT_MS });
    return () => window.cancelIdleCallback(handle);
  }
  const timer = setTimeout(run, IDLE_FALLBACK_MS);
  return () => clearTimeout(timer);
};

/** Loads pages ahead, one at a time, each in an idle moment. */
export interface Prefetcher {
  /** The conversations wanted now, in order; replaces those wanted before. */
  want(ids: readonly string[]): void;
  /** Asks for nothing more (a request under way still ends). */
  stop(): void;
}

/**
 * Returns a prefetcher that calls load for each wanted conversation, once
 * each (one that failed is not asked for again), one call at a time and
 * each scheduled by schedule.
 */
export function createPrefetcher(
  load: (id: string) => Promise<unknown>,
  schedule: Schedule = whenIdle,
): Prefetcher {
  let wanted: readonly string[] = [];
  const asked = new Set<string>();
  let cancel: (() => void) | null = null;
  let busy = false;
  let stopped = false;
  const nextId = () => wanted.find((id) => !asked.has(id));
  const next = () => {
    if (stopped || busy || cancel || nextId() === undefined) return;
    cancel = schedule(() => {
      cancel = null;
      const id = nextId();
      if (stopped || id === undefined) return;
      asked.add(id);
      busy = true;
      load(id)
        .catch(() => {})
        .finally(() => {
          busy = false;
          next();
        });
    });
  };
  return {
    want(ids) {
      wanted = ids;
      next();
    },
    stop() {
      stopped = true;
      cancel?.();
      cancel = null;
    },
  };
}

/** Options of usePrefetch. */
export interface PrefetchOptions {
  /** Loads the newest page of a conversation; settles when it is in the state. */
  load(id: string): Promise<unknown>;
  /** The wait after the lists first hold anything (PREFETCH_DELAY_MS). */
  delayMs?: number;
  schedule?: Schedule;
  limit?: number;
}

/**
 * Loads ahead the newest page of the first listed conversations while signed
 * in: starting delayMs after the lists first hold anything, and for
 * conversations that come to the top later. Everything stops on sign-out
 * (a new session generation starts afresh).
 */
export function usePrefetch(state: State, opts: PrefetchOptions): void {
  const { load, delayMs = PREFETCH_DELAY_MS, schedule = whenIdle, limit = PREFETCH_LIMIT } = opts;
  const { session, conversations, tab, transcripts, gen } = state;
  const idsKey = useMemo(() => {
    const dayStart = new Date().setHours(0, 0, 0, 0);
    return prefetchIds({ session, conversations, tab, transcripts }, dayStart, limit).join('\n');
  }, [session, conversations, tab, transcripts, limit]);
  const signedIn = session !== null;

  const latest = useRef<readonly string[]>([]);
  const control = useRef<Prefetcher | null>(null);

  useEffect(() => {
    if (!signedIn) return;
    const pf = createPrefetcher(load, schedule);
    let started = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const ctl: Prefetcher = {
      want(ids) {
        if (started) pf.want(ids);
        else if (ids.length > 0 && timer === undefined)
          timer = setTimeout(() => {
            started = true;
            pf.want(latest.current);
          }, delayMs);
      },
      stop() {
        clearTimeout(timer);
        pf.stop();
      },
    };
    control.current = ctl;
    ctl.want(latest.current);
    return () => {
      ctl.stop();
      if (control.current === ctl) control.current = null;
    };
  }, [signedIn, gen, load, schedule, delayMs]);

  useEffect(() => {
    latest.current = idsKey ? idsKey.split('\n') : [];
    control.current?.want(latest.current);
  }, [idsKey]);
}
